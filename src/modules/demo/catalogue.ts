import type { Platform } from '../../platform/module.ts'
import { utcToZoned } from '../../platform/time/index.ts'
import { listVenues } from '../cities/index.ts'
import { type Actor, inTransaction, prepareOpportunities, writeCreates } from '../opportunities/index.ts'
import { addStaff, createOrganization, type Sector } from '../organizations/index.ts'

/** A small deterministic PRNG (mulberry32): the same demo city on every machine. */
export function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  return {
    next,
    pick,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  }
}

interface Topic {
  block: string
  topic: string
  en: string
  es: string
  fr?: string
  zh?: string
  ar?: string
  ru?: string
  ages: [number | null, number | null]
  groups: string[]
  sectors: Sector[]
}

const TOPICS: Topic[] = [
  {
    block: 'learning-technologies',
    topic: 'coding',
    en: 'Coding club',
    es: 'Club de programación',
    zh: '编程俱乐部',
    ages: [8, 14],
    groups: ['children'],
    sectors: ['library', 'school', 'community', 'online'],
  },
  {
    block: 'learning-technologies',
    topic: 'robotics',
    en: 'Robotics workshop',
    es: 'Taller de robótica',
    fr: 'Atelier de robotique',
    ages: [10, 17],
    groups: ['young-people'],
    sectors: ['school', 'museum', 'university'],
  },
  {
    block: 'learning-technologies',
    topic: 'digital skills',
    en: 'Smartphone and internet basics',
    es: 'Conceptos básicos de teléfono e internet',
    ru: 'Основы смартфона и интернета',
    ages: [55, null],
    groups: ['seniors'],
    sectors: ['library', 'community', 'public-service'],
  },
  {
    block: 'inclusive-education',
    topic: 'english',
    en: 'English conversation circle',
    es: 'Círculo de conversación en inglés',
    zh: '英语会话小组',
    ar: 'حلقة محادثة باللغة الإنجليزية',
    ages: [16, null],
    groups: ['newcomers', 'adults'],
    sectors: ['library', 'community', 'university'],
  },
  {
    block: 'inclusive-education',
    topic: 'ged',
    en: 'High school equivalency (GED) preparation',
    es: 'Preparación para el GED',
    ages: [18, null],
    groups: ['adults'],
    sectors: ['school', 'university', 'public-service'],
  },
  {
    block: 'inclusive-education',
    topic: 'citizenship',
    en: 'Citizenship test preparation',
    es: 'Preparación para el examen de ciudadanía',
    ar: 'التحضير لاختبار الجنسية',
    ages: [18, null],
    groups: ['newcomers'],
    sectors: ['library', 'community'],
  },
  {
    block: 'families-communities',
    topic: 'reading',
    en: 'Family story time',
    es: 'Hora del cuento en familia',
    fr: 'Heure du conte en famille',
    ages: [0, 6],
    groups: ['families', 'children'],
    sectors: ['library', 'museum'],
  },
  {
    block: 'families-communities',
    topic: 'cooking',
    en: 'Healthy cooking on a budget',
    es: 'Cocina saludable y económica',
    ages: [14, null],
    groups: ['families', 'adults'],
    sectors: ['community', 'public-service'],
  },
  {
    block: 'families-communities',
    topic: 'gardening',
    en: 'Community gardening',
    es: 'Huerto comunitario',
    ages: [null, null],
    groups: ['families'],
    sectors: ['community', 'museum'],
  },
  {
    block: 'workplace',
    topic: 'jobs',
    en: 'Job search and CV workshop',
    es: 'Taller de búsqueda de empleo y currículum',
    ages: [18, null],
    groups: ['jobseekers'],
    sectors: ['library', 'employer', 'public-service'],
  },
  {
    block: 'workplace',
    topic: 'healthcare',
    en: 'Introduction to careers in healthcare',
    es: 'Introducción a las carreras de salud',
    ages: [16, null],
    groups: ['young-people', 'jobseekers'],
    sectors: ['employer', 'university'],
  },
  {
    block: 'workplace',
    topic: 'forklift',
    en: 'Warehouse safety certificate',
    es: 'Certificado de seguridad en almacenes',
    ages: [18, null],
    groups: ['jobseekers'],
    sectors: ['employer'],
  },
  {
    block: 'workplace',
    topic: 'finance',
    en: 'Money management for small businesses',
    es: 'Finanzas para pequeños negocios',
    ages: [18, null],
    groups: ['adults'],
    sectors: ['employer', 'university', 'online'],
  },
  {
    block: 'quality',
    topic: 'tutoring',
    en: 'Homework help',
    es: 'Ayuda con las tareas',
    ages: [6, 14],
    groups: ['children'],
    sectors: ['library', 'school'],
  },
  {
    block: 'quality',
    topic: 'teaching',
    en: 'Volunteer tutor training',
    es: 'Formación para tutores voluntarios',
    ages: [18, null],
    groups: ['adults'],
    sectors: ['university', 'community'],
  },
  {
    block: 'culture-of-learning',
    topic: 'art',
    en: 'Watercolour for beginners',
    es: 'Acuarela para principiantes',
    fr: 'Aquarelle pour débutants',
    ages: [12, null],
    groups: ['adults'],
    sectors: ['museum', 'community'],
  },
  {
    block: 'culture-of-learning',
    topic: 'history',
    en: 'Neighbourhood history walk',
    es: 'Paseo por la historia del barrio',
    ages: [null, null],
    groups: ['families', 'seniors'],
    sectors: ['museum', 'library'],
  },
  {
    block: 'culture-of-learning',
    topic: 'music',
    en: 'Learn the guitar',
    es: 'Aprende a tocar la guitarra',
    ages: [10, null],
    groups: ['young-people', 'adults'],
    sectors: ['school', 'community', 'online'],
  },
  {
    block: 'culture-of-learning',
    topic: 'science',
    en: 'Science night for families',
    es: 'Noche de ciencia en familia',
    zh: '家庭科学之夜',
    ages: [6, 12],
    groups: ['families'],
    sectors: ['museum', 'school', 'university'],
  },
  {
    block: 'learning-technologies',
    topic: 'ai',
    en: 'Understanding artificial intelligence',
    es: 'Entender la inteligencia artificial',
    fr: "Comprendre l'intelligence artificielle",
    ages: [16, null],
    groups: ['adults'],
    sectors: ['university', 'online', 'library'],
  },
]

const LEVELS = [
  { en: 'for beginners', es: 'para principiantes' },
  { en: 'next steps', es: 'siguiente nivel' },
  { en: 'drop-in', es: 'entrada libre' },
  { en: 'intensive', es: 'intensivo' },
]
const ACCESS = [
  'step-free',
  'hearing-loop',
  'sign-language',
  'captions',
  'quiet-space',
  'childcare',
  'large-print',
] as const
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
const HOURS = ['09:30', '10:00', '13:00', '15:30', '17:00', '18:00', '18:30'] as const

const KINDS: { sector: Sector; count: number; name: (venue: string, i: number) => string }[] = [
  { sector: 'library', count: 40, name: (v) => `${v} Library Learning Hub` },
  { sector: 'school', count: 50, name: (v) => `${v} Community Classes` },
  { sector: 'museum', count: 15, name: (_v, i) => `Neighbourhood Museum ${i + 1}` },
  { sector: 'employer', count: 15, name: (_v, i) => `Skills Academy ${i + 1}` },
  { sector: 'community', count: 20, name: (_v, i) => `Community Learning Circle ${i + 1}` },
  { sector: 'university', count: 5, name: (_v, i) => `City College Extension ${i + 1}` },
  { sector: 'online', count: 5, name: (_v, i) => `Open Online Classroom ${i + 1}` },
]

/**
 * The full demo catalogue: about 150 invented providers (at the real library branches and schools,
 * plus museums, employers, community groups and online platforms) with 20 opportunities each,
 * in several languages, spread over the districts. Everything is labelled as demo data.
 */
export async function seedDemoCatalogue(
  platform: Platform,
  cityId: number,
  options: { perProvider?: number; staffUserId?: number; say?: (line: string) => void } = {},
): Promise<{ providers: number; opportunities: number }> {
  const rnd = prng(2026)
  const perProvider = options.perProvider ?? 20
  const libraries = await listVenues(platform.db, cityId, 'library')
  const schools = await listVenues(platform.db, cityId, 'school')
  const actor: Actor = {
    userId: null,
    label: 'Demo seed',
    cityId,
    timeZone: 'America/Chicago',
    coordinator: true,
    organizations: [],
  }
  const today = utcToZoned(new Date(Date.now() + 7 * 86400_000), 'America/Chicago').slice(0, 10)
  let providers = 0
  let opportunities = 0
  for (const kind of KINDS) {
    for (let i = 0; i < kind.count; i++) {
      const venue =
        kind.sector === 'library'
          ? libraries[i % libraries.length]!
          : schools[(i * 13 + kind.count) % schools.length]!
      const venueName = (venue.name.en ?? '').replace(/ Library$/, '')
      const org = await createOrganization(platform, cityId, {
        slug: `demo-${kind.sector}-${i + 1}`,
        name: { en: `${kind.name(venueName, i)} (demo)` },
        description: { en: 'An invented provider for trying LearnCity. Not a real organisation.' },
        sector: kind.sector,
        trusted: true,
        isDemo: true,
      })
      if (!org.ok) continue
      providers++
      if (options.staffUserId && providers === 1)
        await addStaff(platform, cityId, org.value, options.staffUserId, 'admin')
      const topics = TOPICS.filter((t) => t.sectors.includes(kind.sector))
      const raws: unknown[] = []
      for (let n = 0; n < perProvider; n++) {
        const topic = rnd.pick(topics.length > 0 ? topics : TOPICS)
        const level = rnd.pick(LEVELS)
        const title: Record<string, string> = { en: `${topic.en}: ${level.en}` }
        if (rnd.chance(0.5)) title.es = `${topic.es}: ${level.es}`
        for (const lang of ['fr', 'zh', 'ar', 'ru'] as const) {
          const text = topic[lang]
          if (text && rnd.chance(0.6)) title[lang] = text
        }
        // Some providers write only in Spanish: discovery must still find them.
        if (title.es && rnd.chance(0.15)) delete title.en
        const online = kind.sector === 'online' || rnd.chance(0.1)
        const selfPaced = online && rnd.chance(0.4)
        const day = rnd.pick(DAYS)
        const schedule = selfPaced
          ? { kind: 'self-paced' as const }
          : rnd.chance(0.2)
            ? {
                kind: 'once' as const,
                start: `${today}T${rnd.pick(HOURS)}`,
                durationMinutes: rnd.pick([60, 90, 120, 180]),
              }
            : {
                kind: 'series' as const,
                start: `${today}T${rnd.pick(HOURS)}`,
                durationMinutes: rnd.pick([45, 60, 90, 120]),
                rrule: rnd.chance(0.8)
                  ? `FREQ=WEEKLY;BYDAY=${day};COUNT=${rnd.int(4, 12)}`
                  : `FREQ=MONTHLY;BYDAY=1${day};COUNT=${rnd.int(3, 6)}`,
              }
        const format = online ? 'online' : rnd.chance(0.1) ? 'hybrid' : 'in-person'
        const languages = title.en && title.es ? ['en', 'es'] : title.en ? ['en'] : ['es']
        const free = rnd.chance(0.7)
        raws.push({
          externalId: `demo-${providers}-${n + 1}`,
          title,
          description: {
            en: `${topic.en} ${level.en}, run by an invented demo provider. Bring a friend; no experience needed unless stated. Everything you need is provided.`,
            ...(title.es
              ? { es: `${topic.es} ${level.es}. Actividad de demostración; no se necesita experiencia.` }
              : {}),
          },
          outcomes: { en: `Take your first confident steps in ${topic.topic}.` },
          buildingBlock: topic.block,
          topics: [topic.topic],
          ageMin: topic.ages[0],
          ageMax: topic.ages[1],
          groups: topic.groups,
          languages,
          format,
          venueId: format === 'online' ? null : venue.id,
          joinUrl: format === 'in-person' ? null : 'https://meet.example.org/learncity-demo',
          schedule,
          cost: free
            ? { free: true }
            : {
                free: false,
                price: rnd.pick([5, 10, 25, 40, 60]),
                currency: 'USD',
                concessions: rnd.chance(0.5) ? 'Half price for students and seniors' : '',
                financialHelp: rnd.chance(0.3),
              },
          accessibility: ACCESS.filter(() => rnd.chance(0.3)),
          capacity: rnd.chance(0.85) ? rnd.pick([8, 10, 12, 15, 20, 30]) : null,
          image: {
            url: '/static/demo/learning.svg',
            alt: { en: 'Illustration: people learning together at a table' },
          },
          contactEmail: 'hello@demo.learncity.localhost',
        })
      }
      // A provider's whole catalogue in one write, as a bulk import does.
      const inputs = await prepareOpportunities(platform, actor, raws)
      const results = await inTransaction(platform, (tx) =>
        writeCreates(
          tx,
          actor,
          org.value,
          inputs.map((input) => ({ input, publish: true })),
          { isDemo: true },
        ),
      )
      for (const result of results)
        if (!result.ok) throw new Error(`demo opportunity rejected: ${JSON.stringify(result)}`)
      opportunities += results.length
      if (providers % 25 === 0)
        options.say?.(`  … ${providers} demo providers, ${opportunities} opportunities`)
    }
  }
  return { providers, opportunities }
}
