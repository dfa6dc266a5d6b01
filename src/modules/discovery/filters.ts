/**
 * The filters of a search as its URL carries them: parsed from the query string with a specific
 * reason for every bad parameter (the API answers 400 with all of them, a page shows them in its error
 * summary), and written back in one canonical order so each filtered view has one stable, shareable
 * URL (and the same iCal and feed URLs). The span of time the date filters mean is dateWindow's.
 */
import { LANGUAGES, type Lang } from '../../platform/i18n/index.ts'
import { MAX_QUERY_LENGTH } from '../../platform/search/index.ts'
import { ACCESSIBILITY, BUILDING_BLOCKS, FORMATS } from '../opportunities/index.ts'
import { SECTORS } from '../organizations/index.ts'

export const WHEN = ['today', 'tomorrow', 'this-weekend', 'this-week', 'next-7-days'] as const
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening'] as const
export const WEEKDAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const
export const SORTS = ['relevance', 'soonest', 'nearest'] as const

export type When = (typeof WHEN)[number]
export type TimeOfDay = (typeof TIMES_OF_DAY)[number]
export type Weekday = (typeof WEEKDAYS)[number]
export type Sort = (typeof SORTS)[number]

/** Local hours each time of day covers, [from, to): a session is in it when it starts then. */
export const TIME_OF_DAY_HOURS: Record<TimeOfDay, [number, number]> = {
  morning: [0, 12],
  afternoon: [12, 17],
  evening: [17, 24],
}

export interface Filters {
  q: string | null
  blocks: (typeof BUILDING_BLOCKS)[number][]
  topics: string[]
  /** "For my child aged 9": opportunities whose age range includes this age. */
  age: number | null
  free: boolean
  /** At most this price (free ones included), in the city's currency. */
  maxPrice: number | null
  languages: Lang[]
  formats: (typeof FORMATS)[number][]
  access: (typeof ACCESSIBILITY)[number][]
  /** District codes. */
  districts: string[]
  near: { lat: number; lon: number; radiusKm: number } | null
  when: When | null
  /** Local dates, inclusive. */
  from: string | null
  to: string | null
  times: TimeOfDay[]
  days: Weekday[]
  sectors: (typeof SECTORS)[number][]
  sort: Sort
  page: number
}

/** A parameter that could not be used, and why (in words a person can act on). */
export interface FilterProblem {
  param: string
  detail: string
}

export const DEFAULT_RADIUS_KM = 5
export const MAX_RADIUS_KM = 100
export const MAX_PAGE = 1000
const MAX_VALUES = 20
/** The longest span of dates a search may ask for. */
export const MAX_RANGE_DAYS = 366
/** A topic tag as filters (and learners' interests) take it: letters, digits and hyphens, up to 40. */
export const TOPIC = /^[\p{L}\p{N}][\p{L}\p{N}-]{0,39}$/u
const DISTRICT = /^[A-Za-z0-9-]{1,20}$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Every parameter a filtered view may carry, in the order its canonical URL lists them. */
const PARAMS = [
  'q',
  'block',
  'topic',
  'age',
  'free',
  'max_price',
  'lang',
  'format',
  'access',
  'district',
  'lat',
  'lon',
  'radius',
  'when',
  'from',
  'to',
  'time',
  'day',
  'sector',
  'sort',
  'page',
] as const

const quoted = (values: readonly string[]) => values.join(', ')

/** A real calendar date 'YYYY-MM-DD' (not 2027-02-30). */
function isDate(text: string): boolean {
  const m = DATE.exec(text)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  )
}

/**
 * Reads a filtered view's query string. Repeated and comma-separated values both work
 * (`topic=art&topic=music`, `topic=art,music`); unknown parameters are ignored (trackers add them),
 * but every known one with a bad value is reported, all at once.
 */
export function parseFilters(
  params: URLSearchParams,
): { ok: true; filters: Filters } | { ok: false; problems: FilterProblem[] } {
  const problems: FilterProblem[] = []
  const all = (name: string) =>
    params
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '')
  const one = (name: string) => {
    const values = params.getAll(name).filter((v) => v.trim() !== '')
    if (values.length > 1)
      problems.push({ param: name, detail: `Give ${name} once, not ${values.length} times.` })
    return values[0]?.trim()
  }
  /** A list's distinct values that `accepts` takes, sorted; the rest reported, with a hint. */
  const listed = <T extends string>(
    name: string,
    values: string[],
    accepts: (v: string) => v is T,
    hint = '',
  ): T[] => {
    const distinct = [...new Set(values)]
    if (distinct.length > MAX_VALUES) {
      problems.push({ param: name, detail: `Choose at most ${MAX_VALUES} values for ${name}.` })
      return []
    }
    const bad = distinct.filter((v) => !accepts(v))
    if (bad.length > 0)
      problems.push({
        param: name,
        detail: `${quoted(bad.map((b) => `"${b.slice(0, 40)}"`))} is not a ${name}.${hint}`,
      })
    return distinct.filter(accepts).sort()
  }
  /** Values from a closed list: each must be one of them. */
  const among = <T extends string>(name: string, allowed: readonly T[]): T[] =>
    listed(
      name,
      all(name),
      (v): v is T => (allowed as readonly string[]).includes(v),
      ` Use one of: ${quoted(allowed)}.`,
    )
  /** A number within bounds, or null when absent. */
  const number = (name: string, min: number, max: number, integer: boolean): number | null => {
    const raw = one(name)
    if (raw === undefined) return null
    const value = Number(raw)
    if (raw.length > 20 || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      problems.push({ param: name, detail: `${name} must be ${integer ? 'a whole number' : 'a number'}.` })
      return null
    }
    if (value < min || value > max) {
      problems.push({ param: name, detail: `${name} must be between ${min} and ${max}.` })
      return null
    }
    return value
  }
  /** Free-form words (topics, district codes): each must look like one. */
  const words = (name: string, pattern: RegExp) =>
    listed(
      name,
      all(name).map((v) => v.toLowerCase()),
      (v): v is string => pattern.test(v),
    )
  const date = (name: string) => {
    const raw = one(name)
    if (raw === undefined) return null
    if (!isDate(raw)) {
      problems.push({ param: name, detail: `${name} must be a date written YYYY-MM-DD, such as 2027-03-06.` })
      return null
    }
    return raw
  }

  const rawQ = one('q')
  if (rawQ !== undefined && rawQ.length > MAX_QUERY_LENGTH)
    problems.push({ param: 'q', detail: `Search for at most ${MAX_QUERY_LENGTH} characters.` })
  const free = one('free')
  if (free !== undefined && free !== 'yes')
    problems.push({ param: 'free', detail: 'free is "yes" when given: leave it out for any price.' })
  const lat = number('lat', -90, 90, false)
  const lon = number('lon', -180, 180, false)
  const radius = number('radius', 0.1, MAX_RADIUS_KM, false)
  if ((lat === null) !== (lon === null) && !problems.some((p) => p.param === 'lat' || p.param === 'lon'))
    problems.push({ param: lat === null ? 'lat' : 'lon', detail: 'Give both lat and lon, or neither.' })
  if (radius !== null && lat === null && lon === null)
    problems.push({ param: 'radius', detail: 'A radius needs a place: give lat and lon too.' })
  const when = among('when', WHEN)
  if (when.length > 1) problems.push({ param: 'when', detail: 'Choose one of when.' })
  const from = date('from')
  const to = date('to')
  if (when.length > 0 && (from || to))
    problems.push({ param: 'when', detail: 'Choose either when or dates (from, to), not both.' })
  if (from && to) {
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000
    if (days < 0) problems.push({ param: 'to', detail: 'to must be on or after from.' })
    else if (days >= MAX_RANGE_DAYS)
      problems.push({ param: 'to', detail: 'Search at most a year of dates at once.' })
  }
  const sort = among('sort', SORTS)
  if (sort.length > 1) problems.push({ param: 'sort', detail: 'Choose one sort.' })
  if (sort[0] === 'nearest' && lat === null)
    problems.push({ param: 'sort', detail: 'Sorting by distance needs a place: give lat and lon.' })

  const filters: Filters = {
    q: rawQ && rawQ.length <= MAX_QUERY_LENGTH ? rawQ : null,
    blocks: among('block', BUILDING_BLOCKS),
    topics: words('topic', TOPIC),
    age: number('age', 0, 120, true),
    free: free === 'yes',
    maxPrice: number('max_price', 0, 1_000_000, false),
    languages: among('lang', LANGUAGES),
    formats: among('format', FORMATS),
    access: among('access', ACCESSIBILITY),
    districts: words('district', DISTRICT),
    near: lat !== null && lon !== null ? { lat, lon, radiusKm: radius ?? DEFAULT_RADIUS_KM } : null,
    when: when.length === 1 ? when[0]! : null,
    from,
    to,
    times: among('time', TIMES_OF_DAY),
    days: among('day', WEEKDAYS),
    sectors: among('sector', SECTORS),
    sort: sort.length === 1 ? sort[0]! : 'relevance',
    page: number('page', 1, MAX_PAGE, true) ?? 1,
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, filters }
}

/**
 * The canonical query string of filters: parameters in one order, values sorted, defaults left out,
 * so the same view always has the same URL. `page` is left out when asked (feeds and calendars).
 */
export function filtersQuery(filters: Filters, options: { page?: boolean } = {}): string {
  const out = new URLSearchParams()
  const values: Record<(typeof PARAMS)[number], string | readonly string[] | null> = {
    q: filters.q,
    block: filters.blocks,
    topic: filters.topics,
    age: filters.age === null ? null : String(filters.age),
    free: filters.free ? 'yes' : null,
    max_price: filters.maxPrice === null ? null : String(filters.maxPrice),
    lang: filters.languages,
    format: filters.formats,
    access: filters.access,
    district: filters.districts,
    lat: filters.near ? String(filters.near.lat) : null,
    lon: filters.near ? String(filters.near.lon) : null,
    radius:
      filters.near && filters.near.radiusKm !== DEFAULT_RADIUS_KM ? String(filters.near.radiusKm) : null,
    when: filters.when,
    from: filters.from,
    to: filters.to,
    time: filters.times,
    day: filters.days,
    sector: filters.sectors,
    sort: filters.sort === 'relevance' ? null : filters.sort,
    page: options.page === false || filters.page === 1 ? null : String(filters.page),
  }
  for (const name of PARAMS) {
    const value = values[name]
    if (value === null) continue
    if (typeof value === 'string') out.set(name, value)
    else if (value.length > 0) out.set(name, [...value].sort().join(','))
  }
  return out.toString()
}
