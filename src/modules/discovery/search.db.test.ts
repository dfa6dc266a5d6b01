import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filtersOf, testCatalogue } from '../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import type { Lang } from '../../platform/i18n/index.ts'
import { facetCounts } from './facets.ts'
import { listMatches } from './matches.ts'
import { discoveryModule, REFRESH_WORDS_JOB } from './module.ts'
import { refreshWords } from './words.ts'

const NOW = new Date('2027-09-29T14:00:00Z')

describe.each(engines)('searching words on %s', (engine) => {
  let t: TestPlatform
  let catalogue: Awaited<ReturnType<typeof testCatalogue>>
  let city: { id: number; timeZone: string }
  let ids: Record<string, number>
  let club: number

  const filters = filtersOf
  const search = (query: string, lang?: Lang) =>
    listMatches(t.platform.db, city, filters(query), NOW, { lang })
  /** The names of what a search finds, in its order. */
  const names = async (query: string, lang?: Lang) => catalogue.names((await search(query, lang)).matches)
  const q = (words: string) => `q=${encodeURIComponent(words)}`

  beforeAll(async () => {
    t = await testPlatform(engine)
    catalogue = await testCatalogue(t, 'wordville')
    ;({ city, ids } = catalogue)
    const { add } = catalogue
    club = await catalogue.provider('makers', 'library', 'Makers Club')
    const library = await catalogue.provider('harold', 'library', 'Harold Washington Library')
    const alt = (lang: string) => ({ url: '/static/images/robotics.jpg', alt: { [lang]: 'A picture' } })
    await add('robotics', club, {})
    await add('pottery', club, {
      title: { en: 'Pottery evenings' },
      description: { en: 'Learn to throw pots on the wheel, then glaze them.' },
      topics: ['ceramics'],
      buildingBlock: 'culture-of-learning',
      cost: { free: false, price: 25, currency: 'USD' },
    })
    // "robots" only in its description: it ranks below the one with it in the title.
    await add('electronics', club, {
      title: { en: 'Electronics workshop' },
      description: { en: 'Solder circuits that could one day drive robots.' },
      topics: ['electronics'],
    })
    await add('lectura', library, {
      title: { es: 'Taller de lectura para niños' },
      description: { es: 'Leemos cuentos juntos y hablamos de ellos.' },
      languages: ['es'],
      topics: ['reading'],
      image: alt('es'),
    })
    await add('chinese', club, {
      title: { zh: '机器人编程入门' },
      description: { zh: '用积木学习编程。' },
      languages: ['zh'],
      topics: [],
      image: alt('zh'),
    })
    await add('french', club, {
      title: { fr: 'Atelier de programmation' },
      description: { fr: 'Programmer des jeux vidéo.' },
      languages: ['fr'],
      topics: [],
      image: alt('fr'),
    })
    await add('stories', library, {
      title: { en: 'Story time' },
      description: { en: 'Picture books read aloud at the Washington branch.' },
      topics: ['reading'],
      languages: ['en'],
    })
    await refreshWords(t.platform.db, city.id)
  })
  afterAll(() => t.close())

  it('finds words by their stem, in title, topics and description', async () => {
    expect(await names(q('robot'))).toContain('robotics')
    expect(await names(q('glazing'))).toEqual(['pottery'])
    expect(await names(q('ceramics'))).toEqual(['pottery'])
    expect(await names(q('learning pots'))).toEqual(['pottery'])
  })

  it('ranks a word in the title above the same word in a description', async () => {
    expect(await names(q('robots'))).toEqual(['robotics', 'electronics'])
  })

  it('finds a provider by its name', async () => {
    // Stories has the word in its description too: found both ways, it is listed and counted once.
    expect(await names(q('washington'))).toEqual(['stories', 'lectura'])
    expect((await search(q('washington'))).total).toBe(2)
    expect(await names(`${q('washington')}&lang=es`)).toEqual(['lectura'])
    expect(await names(`${q('washington')}&sector=community`)).toEqual([])
  })

  it('filters by provider type through the index, also with no provider of it', async () => {
    expect(await names(`${q('reading')}&sector=library`)).toEqual(
      expect.arrayContaining(['lectura', 'stories']),
    )
    expect(await names(`${q('reading')}&sector=museum`)).toEqual([])
    expect(await names('sector=museum')).toEqual([])
  })

  it('keeps phrases in order', async () => {
    expect(await names(q('"throw pots"'))).toEqual(['pottery'])
    expect(await names(q('"pots throw"'))).toEqual([])
  })

  it('leaves out what a -word excludes, in every language configuration at once', async () => {
    expect(await names(q('reading'))).toEqual(expect.arrayContaining(['lectura', 'stories']))
    // "story" stems to "stori" in English only; the simple configuration used to let it through.
    expect(await names(q('reading -story'))).toEqual(['lectura'])
    expect(await names(q('reading -"story time"'))).toEqual(['lectura'])
    expect(await names(q('-robot pots'))).toEqual(['pottery'])
  })

  it('corrects a mistyped word to one the catalogue uses, and says so', async () => {
    const found = await search(q('robtics'))
    expect(found.corrected).toBe('robotics')
    // "robotics" stems to "robot", which the electronics workshop's description has too.
    expect(await names(q('robtics'))).toEqual(['robotics', 'electronics'])
    expect(await names(q('potery evenngs'))).toEqual(['pottery'])
    expect((await search(q('potery evenngs'))).corrected).toBe('pottery evenings')
    // A word found as typed is not corrected.
    expect((await search(q('robotics'))).corrected).toBeNull()
  })

  it('searches every language with its own stemming, and Chinese inside a run of characters', async () => {
    expect(await names(q('lectura'))).toEqual(['lectura'])
    expect(await names(q('cuento'))).toEqual(['lectura'])
    expect(await names(q('programmer'))).toContain('french')
    expect(await names(q('机器人'))).toEqual(['chinese'])
    expect(await names(q('编程'))).toEqual(['chinese'])
    expect(await names(q('积木'))).toEqual(['chinese'])
    expect(await names(q('火车'))).toEqual([])
  })

  it('puts results in the reader’s language first', async () => {
    expect(await names(q('reading'), 'en')).toEqual(['stories', 'lectura'])
    expect(await names(q('reading'), 'es')).toEqual(['lectura', 'stories'])
  })

  it('combines words with filters', async () => {
    expect(await names(`${q('reading')}&lang=es`)).toEqual(['lectura'])
    expect(await names(`${q('robots')}&free=yes`)).toEqual(['robotics', 'electronics'])
    expect(await names(`${q('pots')}&free=yes`)).toEqual([])
  })

  it('treats search syntax, SQL, symbols and emoji as text: results or nothing, never an error', async () => {
    for (const words of [
      "'); drop table opportunities; --",
      'robot & | ! :* <-> (( ))',
      '"unclosed phrase',
      '🤖 robotics',
      'r\u0301obotics',
      '\\x00 %_ $1',
      'or or - -',
      'a'.repeat(200),
    ]) {
      const found = await search(q(words))
      expect(found.total, words).toBeGreaterThanOrEqual(0)
    }
    expect((await names(q('🤖 robotics')))[0]).toBe('robotics')
  })

  it('counts each filter’s values for the words searched', async () => {
    const counts = await facetCounts(t.platform.db, city, filters(q('reading')), 'reading', NOW)
    expect(counts?.lang.get('es')).toBe(1)
    expect(counts?.lang.get('en')).toBe(1)
    expect(counts?.topic.get('reading')).toBe(2)
    expect(counts?.free.get('yes')).toBe(2)
    // A list's own values are counted as if it were not set: picking es still shows en's count.
    const picked = await facetCounts(t.platform.db, city, filters(`${q('reading')}&lang=es`), 'reading', NOW)
    expect(picked?.lang.get('en')).toBe(1)
    expect(picked?.topic.get('reading')).toBe(1)
    const all = await facetCounts(t.platform.db, city, filters(''), null, NOW)
    expect(all?.block.get('culture-of-learning')).toBe(1)
    expect(all?.block.get('learning-technologies')).toBe(6)
    expect(all?.sector.get('library')).toBe(7)
  })

  it('leaves the counts out when the words and fixed filters leave more than the limit', async () => {
    // Seven library opportunities match no words; with a limit of 6 they are too many to count.
    expect(await facetCounts(t.platform.db, city, filters(''), null, NOW, 6)).toBeNull()
    const counted = await facetCounts(t.platform.db, city, filters(q('reading')), 'reading', NOW, 6)
    expect(counted?.topic.get('reading')).toBe(2)
  })
  it('answers the search API with results, facts, facets and links, or every bad parameter at once', async () => {
    const res = await t.app.request('/api/v1/cities/wordville/search?q=robtics&free=yes', {
      headers: { 'accept-language': 'es-MX,es;q=0.9' },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      total: number
      corrected: string | null
      results: { id: number; title: Record<string, string>; cost: { free: boolean }; seatsLeft: number }[]
      facets: Record<string, Record<string, number>>
      links: { self: string; next: string | null }
    }
    expect(body.corrected).toBe('robotics')
    expect(body.results.map((r) => r.id)).toEqual([ids.robotics, ids.electronics])
    expect(body.results[0]!.title.en).toBe('Robotics for beginners')
    expect(body.results[0]!.cost.free).toBe(true)
    // 12 places on the factory's sessions, none booked.
    expect(body.results[0]!.seatsLeft).toBe(12)
    expect(body.facets.free).toEqual({ yes: 2 })
    expect(body.links.self).toMatch(/\/api\/v1\/cities\/wordville\/search\?q=robtics&free=yes$/)
    expect(body.links.next).toBeNull()

    const bad = await t.app.request('/api/v1/cities/wordville/search?lat=100&block=robots&q=ok')
    expect(bad.status).toBe(400)
    expect(bad.headers.get('content-type')).toContain('application/problem+json')
    const problem = (await bad.json()) as { errors: { field: string; detail: string }[] }
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['block', 'lat'])
    expect((await t.app.request('/api/v1/cities/nowhere/search')).status).toBe(404)
    // Hostile words are only words: never a server error.
    const hostile = await t.app.request(
      `/api/v1/cities/wordville/search?q=${encodeURIComponent("'); select pg_sleep(5); -- :* & !")}`,
    )
    expect(hostile.status).toBe(200)
    const tooLong = await t.app.request(`/api/v1/cities/wordville/search?q=${'a'.repeat(201)}`)
    expect(tooLong.status).toBe(400)
  })

  it('learns the words of newly published opportunities when its job runs', async () => {
    await catalogue.add('bees', club, {
      title: { en: 'Beekeeping basics' },
      description: { en: 'Keep bees in the community garden.' },
      topics: ['bees'],
    })
    expect((await search(q('beekeping'))).total).toBe(0)
    await discoveryModule.jobs!(t.platform)[REFRESH_WORDS_JOB]!({}, { id: 1, attempts: 1 })
    const found = await search(q('beekeping'))
    expect(found.corrected).toBe('beekeeping')
    expect(found.total).toBe(1)
  })
})
