import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { rows, sql } from '../../platform/db/index.ts'
import { LANGUAGES } from '../../platform/i18n/index.ts'
import { BUILDING_BLOCKS } from '../opportunities/index.ts'
import { ACTION_AREAS, type ResourceLink } from './model.ts'
import { seedHubLibrary } from './seed.ts'

/** Every address in ../shared/docs/learning-cities-resources-2020.txt, as written there. */
const URLS_IN_THE_2020_LIST = [
  'https://www.lifewideeducation.uk/',
  'https://www.lifewideeducation.uk/about.html',
  'https://www.lifewideeducation.uk/learning-cities.html',
  'https://uil.unesco.org/lifelong-learning/learning-cities',
  'https://uil.unesco.org/event/new-webinar-series-learning-cities-covid-19-recovery-research-practice',
  'https://uil.unesco.org/unesco-learning-cities-response-covid-19',
]

/** Every resource the 2020 list names, by the English title the hub gives it. */
const RESOURCES_IN_THE_2020_LIST = [
  'Lifewide Education',
  'Learning Cities: ecosystems for lifewide-lifelong learning',
  'UK Learning Cities Network',
  'UNESCO Global Network of Learning Cities',
  'American Cities of Learning',
  'UK Cities of Learning',
  'UNESCO Learning City Award',
  'Chicago Summer of Learning',
  'LRNG',
  'A European vision of learning in 2030',
  'UNESCO GNLC guiding documents',
  'UNESCO GNLC policy and research',
  'UNESCO GNLC conference reports',
  'UNESCO GNLC videos',
  'Guidelines for Building Learning Cities',
  'Video tutorials on the Guidelines for Building Learning Cities',
  'Learning Cities’ COVID-19 recovery: from research to practice',
  'Video interview series: UNESCO learning cities’ response to COVID-19',
]

interface Seeded {
  id: number
  key: string
  title: Record<string, string>
  summary: Record<string, string>
  links: ResourceLink[]
  type: string
  year: number | null
  languages: string[]
  topics: string[]
  parentId: number | null
  position: number | null
  cityId: number | null
  status: string
}

describe.each(engines)('knowledge hub seed on %s', (engine) => {
  let t: TestPlatform
  let seeded: Seeded[]
  const byKey = (key: string) => seeded.find((r) => r.key === key)!
  const byTitle = (title: string) => seeded.find((r) => r.title.en === title)

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedHubLibrary(t.platform)
    seeded = await rows<Seeded>(
      t.platform.db,
      sql`select id::int as id, seed_key as key, title, summary, links, type, year, languages, topics,
                 parent_id::int as "parentId", position, city_id::int as "cityId", status
          from hub_resources order by id`,
    )
  })
  afterAll(() => t.close())

  it('holds every address the 2020 list gives, exactly as written, on a published network-wide resource', () => {
    for (const url of URLS_IN_THE_2020_LIST) {
      const holders = seeded.filter((r) => r.links.some((l) => l.url === url))
      expect(holders.length, url).toBeGreaterThan(0)
      expect(holders.every((r) => r.status === 'published' && r.cityId === null)).toBe(true)
    }
    // Each address with an own page is the resource's own (self) link somewhere.
    for (const url of URLS_IN_THE_2020_LIST)
      expect(
        seeded.some((r) => r.links.some((l) => l.url === url && l.rel === 'self')),
        url,
      ).toBe(true)
  })

  it('uses no address the 2020 list does not give', () => {
    const used = new Set(seeded.flatMap((r) => r.links.map((l) => l.url)))
    expect([...used].filter((u) => !URLS_IN_THE_2020_LIST.includes(u))).toEqual([])
  })

  it('has every resource the 2020 list names, each with at least one link', () => {
    for (const title of RESOURCES_IN_THE_2020_LIST) {
      const r = byTitle(title)
      expect(r, title).toBeDefined()
      expect(r!.links.length, title).toBeGreaterThan(0)
    }
  })

  it('keeps the seven video tutorials as the parts 1–7 of one set, on the six action areas', () => {
    const set = byKey('guidelines-video-tutorials')
    const parts = seeded.filter((r) => r.parentId === set.id)
    expect(parts.map((p) => p.position)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(parts.every((p) => p.type === 'video-tutorial')).toBe(true)
  })

  it('keeps the 2020 webinar series with its six monthly sessions, June to November', () => {
    const series = byKey('covid-19-recovery-webinar-series')
    expect(series.type).toBe('webinar-series')
    expect(series.year).toBe(2020)
    const sessions = seeded.filter((r) => r.parentId === series.id)
    expect(sessions.map((s) => s.title.en)).toEqual(
      ['June', 'July', 'August', 'September', 'October', 'November'].map(
        (m) => `Learning Cities’ COVID-19 recovery: ${m} 2020 session`,
      ),
    )
    expect(sessions.every((s) => s.type === 'webinar' && s.year === 2020)).toBe(true)
  })

  it('marks years and languages the list does not state as unknown', () => {
    expect(seeded.every((r) => r.languages.length === 0)).toBe(true)
    const dated = seeded.filter((r) => r.year !== null).map((r) => r.key)
    expect(dated.every((k) => k.startsWith('covid-19-recovery-webinar'))).toBe(true)
    expect(byKey('covid-19-response-video-interviews').year).toBeNull()
    expect(byKey('guidelines-building-learning-cities').year).toBeNull()
  })

  it('files something under every action area and UNESCO building block, so the explainer’s links are never empty', () => {
    const topics = new Set(seeded.filter((r) => r.parentId === null).flatMap((r) => r.topics))
    for (const topic of [...ACTION_AREAS, ...BUILDING_BLOCKS]) expect(topics.has(topic), topic).toBe(true)
  })

  it('has a title and a summary in all six UN languages for every resource', () => {
    for (const r of seeded) {
      for (const lang of LANGUAGES) expect(r.summary[lang], `${r.key} ${lang}`).toBeTruthy()
      expect(r.title.en, r.key).toBeTruthy()
    }
  })

  it('writes summaries in its own words, not the sentences the list quotes from the sources', () => {
    const quoted = [
      'to contribute to the development of people by promoting the concept of lifewide learning',
      'an inclusive global community that works for and with its members',
      'an international policy-oriented network providing inspiration, know-how and best practice',
      'Lifelong learning lays the foundation for sustainable social, economic and environmental development',
      'province by province, city by city',
    ]
    for (const r of seeded)
      for (const q of quoted) expect(r.summary.en?.toLowerCase()).not.toContain(q.toLowerCase())
  })

  it('adds nothing when it runs again, and keeps what curators changed', async () => {
    const id = byKey('lrng').id
    await t.platform.db.execute(
      sql`update hub_resources set publisher = 'Edited by a curator' where id = ${id}`,
    )
    expect(await seedHubLibrary(t.platform)).toBe(0)
    const after = await rows<{ n: number; publisher: string }>(
      t.platform.db,
      sql`select count(*)::int as n, max(case when id = ${id} then publisher end) as publisher from hub_resources`,
    )
    expect(after[0]).toEqual({ n: seeded.length, publisher: 'Edited by a curator' })
  })
})
