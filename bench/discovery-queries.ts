/**
 * The fixed mix of the discovery benchmark: 500 searches a resident might make, each some words
 * (in any of the six languages, a few mistyped, a few phrases), two or three filters, usually a place
 * with a radius (else a district), a sort, and page 1 or page 5. Deterministic: the same 500
 * query strings every run, given the same places.
 */
import { type Place, random } from './discovery-data.ts'

const WORDS = [
  'robotics',
  'robótica',
  'coding',
  'programación',
  '编程',
  'python',
  'guitar',
  'guitarra',
  'guitare',
  'chess',
  'ajedrez',
  'échecs',
  'english conversation',
  'inglés',
  'anglais',
  '英语',
  'pottery',
  'cerámica',
  'watercolour',
  'acuarela',
  'aquarelle',
  'cooking',
  'cocina',
  'cuisine',
  'garden',
  'huerto',
  'story time',
  'cuentos',
  'homework',
  'tareas',
  'GED',
  'citizenship',
  'ciudadanía',
  'الجنسية',
  'job interview',
  'CV',
  'empleo',
  'healthcare careers',
  'forklift',
  'first aid',
  'CPR',
  'primeros auxilios',
  'yoga',
  'salsa',
  'photography',
  'science',
  'ciencia',
  'stargazing',
  'astronomy',
  'climate',
  'sewing',
  'spreadsheets',
  'excel',
  'math games',
  'artificial intelligence',
  'inteligencia artificial',
  '3D printing',
  'smartphone',
  'internet',
  'интернет',
  'гитара',
  'reading',
  'creative writing',
  'history walk',
  'parenting',
  'budget',
  'beginners',
  'teens',
  'evening class',
  'weekend course',
  'family',
]
// Mistyped: the search finds nothing as typed and corrects them (a second pass).
const TYPOS = ['robtics', 'guitr', 'potery', 'cookng', 'chesss', 'photografy', 'astronmy', 'sewign']
const PHRASES = ['"story time"', '"first aid"', '"english conversation"', '"job search"']

const FILTERS: ((r: ReturnType<typeof random>, place: Place) => [string, string])[] = [
  () => ['free', 'yes'],
  (r) => ['max_price', r.pick(['10', '25', '40'])],
  (r) => ['age', r.pick(['6', '9', '12', '15', '35', '70'])],
  (r) => ['lang', r.pick(['en', 'es', 'en', 'zh', 'fr'])],
  (r) => ['format', r.pick(['in-person', 'online', 'hybrid,in-person'])],
  () => ['access', 'step-free'],
  (r) => ['when', r.pick(['this-week', 'next-7-days', 'this-weekend', 'tomorrow'])],
  (r) => ['day', r.pick(['sa', 'sa,su', 'tu,th', 'we'])],
  (r) => ['time', r.pick(['morning', 'evening', 'afternoon,evening'])],
  (r) => ['sector', r.pick(['library', 'community', 'school,university', 'museum'])],
  (r) => ['block', r.pick(['learning-technologies', 'culture-of-learning', 'families-communities'])],
]

/** The query strings of the mix (without the leading '?'). */
export function queryMix(places: Place[], count = 500): string[] {
  const r = random(2027)
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const params = new URLSearchParams()
    const roll = r.next()
    params.set('q', roll < 0.08 ? r.pick(TYPOS) : roll < 0.12 ? r.pick(PHRASES) : r.pick(WORDS))
    const place = r.pick(places)
    const wanted = 2 + Math.floor(r.next() * 2)
    const used = new Set<number>()
    while (used.size < wanted) used.add(Math.floor(r.next() * FILTERS.length))
    for (const f of used) {
      const [name, value] = FILTERS[f]!(r, place)
      params.set(name, value)
    }
    const geo = r.next() < 0.8
    if (geo) {
      params.set('lat', place.lat.toFixed(5))
      params.set('lon', place.lon.toFixed(5))
      params.set('radius', r.pick(['2', '3', '5', '5', '8']))
    } else params.set('district', place.code)
    const sort = r.next()
    if (sort < 0.25) params.set('sort', 'soonest')
    else if (sort < 0.4 && geo) params.set('sort', 'nearest')
    if (r.next() < 0.3) params.set('page', '5')
    out.push(params.toString())
  }
  return out
}
