import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filtersOf, testCatalogue } from '../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { listMatches, PAGE_SIZE } from './matches.ts'

// Wednesday 29 September 2027, 09:00 in the city.
const NOW = new Date('2027-09-29T14:00:00Z')

describe.each(engines)('search filters on %s', (engine) => {
  let t: TestPlatform
  let catalogue: Awaited<ReturnType<typeof testCatalogue>>
  let city: { id: number; timeZone: string }

  const filters = filtersOf
  /** The names of the opportunities a query lists, in its order. */
  const names = async (query: string) =>
    catalogue.names((await listMatches(t.platform.db, city, filters(query), NOW)).matches)

  beforeAll(async () => {
    t = await testPlatform(engine)
    catalogue = await testCatalogue(t, 'filterville')
    city = catalogue.city
    const { add } = catalogue
    // One district: a rectangle around the city's north side.
    await catalogue.district('north', 'North', [-87.7, 41.99, -87.6, 42.05])
    const library = await catalogue.provider('north-library', 'library')
    const club = await catalogue.provider('south-club', 'community')
    // Saturday mornings from 2 October, in the district, free, ages 9–14, step-free.
    await add('robots', library, {})
    // Tuesday evenings, 5 km south (outside the district), paid, adults, in Spanish.
    await add('pottery', club, {
      lat: 41.9656,
      lon: -87.6627,
      ageMin: 18,
      ageMax: null,
      languages: ['es'],
      topics: ['Ceramics'],
      buildingBlock: 'culture-of-learning',
      accessibility: [],
      cost: { free: false, price: 25, currency: 'USD' },
      schedule: {
        kind: 'series',
        start: '2027-10-05T18:30',
        durationMinutes: 120,
        rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=6',
      },
    })
    // Online, self-paced, no place.
    await add('coding', club, {
      format: 'online',
      address: null,
      lat: null,
      lon: null,
      joinUrl: 'https://example.org/learn',
      schedule: { kind: 'self-paced' },
      accessibility: ['captions'],
      cost: { free: true },
    })
    // Sunday afternoon this weekend only, in the district.
    await add('stories', library, {
      ageMin: 3,
      ageMax: 8,
      topics: ['reading'],
      schedule: { kind: 'once', start: '2027-10-03T14:00', durationMinutes: 60 },
      cost: { free: false, price: 5, currency: 'USD' },
    })
  })
  afterAll(() => t.close())

  it('lists every published opportunity, soonest next session first and self-paced last', async () => {
    expect(await names('')).toEqual(['robots', 'stories', 'pottery', 'coding'])
    const { matches, total } = await listMatches(t.platform.db, city, filters(''), NOW)
    expect(total).toBe(4)
    expect(matches[0]!.nextStart?.toISOString()).toBe('2027-10-02T15:00:00.000Z')
    expect(matches[3]!.nextStart).toBeNull()
  })

  it('narrows by each fact a resident filters on', async () => {
    expect(await names('age=9')).toEqual(['robots', 'coding'])
    expect(await names('age=40')).toEqual(['pottery'])
    expect(await names('free=yes')).toEqual(['robots', 'coding'])
    expect(await names('max_price=10')).toEqual(['robots', 'stories', 'coding'])
    expect(await names('lang=es')).toEqual(['robots', 'stories', 'pottery', 'coding'])
    expect(await names('lang=fr')).toEqual([])
    expect(await names('format=online')).toEqual(['coding'])
    expect(await names('access=step-free,quiet-space')).toEqual(['robots', 'stories'])
    expect(await names('access=captions')).toEqual(['coding'])
    expect(await names('topic=CERAMICS')).toEqual(['pottery'])
    expect(await names('block=culture-of-learning')).toEqual(['pottery'])
    expect(await names('district=north')).toEqual(['robots', 'stories'])
    expect(await names('sector=community')).toEqual(['pottery', 'coding'])
    expect(await names('sector=community&free=yes&format=online')).toEqual(['coding'])
  })

  it('finds what is on this weekend, on a day or at a time of day, on the city’s clock', async () => {
    // The weekend of 2–3 October: robots on Saturday, stories on Sunday; self-paced has no session.
    expect(await names('when=this-weekend')).toEqual(['robots', 'stories'])
    expect(await names('day=tu')).toEqual(['pottery'])
    expect(await names('time=evening')).toEqual(['pottery'])
    expect(await names('time=afternoon&day=su')).toEqual(['stories'])
    expect(await names('from=2027-10-04&to=2027-10-08')).toEqual(['pottery'])
    expect(await names('when=today')).toEqual([])
  })

  it('finds what is within a radius, and sorts by distance', async () => {
    // From the robots' park: pottery is about 5 km south.
    expect(await names('lat=42.0106&lon=-87.6627&radius=1')).toEqual(['robots', 'stories'])
    expect(await names('lat=42.0106&lon=-87.6627&radius=6')).toEqual(['robots', 'stories', 'pottery'])
    expect(await names('lat=41.9656&lon=-87.6627&radius=6&sort=nearest')).toEqual([
      'pottery',
      'robots',
      'stories',
    ])
    const { matches } = await listMatches(
      t.platform.db,
      city,
      filters('lat=41.9656&lon=-87.6627&radius=6&sort=nearest'),
      NOW,
    )
    expect(matches[1]!.distanceKm).toBeGreaterThan(4.9)
    expect(matches[1]!.distanceKm).toBeLessThan(5.1)
  })

  it('still counts the results on a page beyond the last', async () => {
    expect(PAGE_SIZE).toBeGreaterThan(4)
    const beyond = await listMatches(t.platform.db, city, filters('page=2'), NOW)
    expect(beyond).toMatchObject({ matches: [], total: 4, more: false, corrected: null })
  })

  it('ranks and counts at most the cap, and says when more match', async () => {
    const capped = await listMatches(t.platform.db, city, filters(''), NOW, { cap: 3 })
    expect(capped.total).toBe(3)
    expect(capped.more).toBe(true)
    expect(capped.matches).toHaveLength(3)
    const exact = await listMatches(t.platform.db, city, filters(''), NOW, { cap: 4 })
    expect(exact).toMatchObject({ total: 4, more: false })
    expect(exact.matches).toHaveLength(4)
  })
})

describe.each(engines)('search edges on %s', (engine) => {
  let t: TestPlatform
  let catalogue: Awaited<ReturnType<typeof testCatalogue>>
  const centre = { lat: 42.0106, lon: -87.6627 }
  // One kilometre of latitude, and of longitude at the centre's latitude.
  const kmLat = 1 / 111.195
  const kmLon = kmLat / Math.cos((centre.lat * Math.PI) / 180)
  const names = async (query: string) =>
    catalogue.names((await listMatches(t.platform.db, catalogue.city, filtersOf(query), NOW)).matches)

  beforeAll(async () => {
    t = await testPlatform(engine)
    catalogue = await testCatalogue(t, 'edgeville')
    // One district: a rectangle around the city's north side.
    await catalogue.district('north', 'North', [-87.7, 41.99, -87.6, 42.05])
    const org = await catalogue.provider('edges', 'library')
    const at = (lat: number, lon: number) => ({ lat, lon })
    // 1 % inside and outside a 1 km circle, north and east (where the longitude box is widest).
    await catalogue.add('north-in', org, at(centre.lat + 0.99 * kmLat, centre.lon))
    await catalogue.add('north-out', org, at(centre.lat + 1.01 * kmLat, centre.lon))
    await catalogue.add('east-in', org, at(centre.lat, centre.lon + 0.99 * kmLon))
    await catalogue.add('east-out', org, at(centre.lat, centre.lon + 1.01 * kmLon))
    // About 40 m either side of the district's eastern edge.
    await catalogue.add('edge-in', org, at(42.02, -87.6005))
    await catalogue.add('edge-out', org, at(42.02, -87.5995))
    // Twenty-five with the same words and sessions: only their ids tell them apart.
    for (let i = 0; i < 25; i++)
      await catalogue.add(`same${i}`, org, {
        title: { en: 'Chess club' },
        lat: null,
        lon: null,
        address: null,
        format: 'online',
        joinUrl: 'https://example.org/chess',
      })
    // Seven with the same words but sessions on different days, two of them also with the word in
    // the description (a higher rank), at 2–8 km north, two tied at 4 km: each tie straddles the
    // end of the first page of three.
    for (const [i, day] of [9, 4, 12, 6, 15, 5, 8].entries())
      await catalogue.add(`knit${i}`, org, {
        title: { en: 'Knitting circle' },
        description: { en: i === 2 || i === 5 ? 'Knitting, more knitting.' : 'Bring wool.' },
        ...at(centre.lat + (i === 3 ? 4 : i + 2) * kmLat, centre.lon),
        schedule: {
          kind: 'once',
          start: `2027-10-${String(day).padStart(2, '0')}T10:00`,
          durationMinutes: 60,
        },
      })
  })
  afterAll(() => t.close())

  it('keeps what is just inside a radius and leaves out what is just outside, in every direction', async () => {
    const found = await names(`lat=${centre.lat}&lon=${centre.lon}&radius=1&sort=nearest`)
    expect(found).toEqual(expect.arrayContaining(['north-in', 'east-in']))
    expect(found).not.toContain('north-out')
    expect(found).not.toContain('east-out')
    expect(found).toHaveLength(2)
  })

  it('puts a place in the district its point falls in, metres either side of the border', async () => {
    expect(await names('district=north&q=robotics')).toContain('edge-in')
    expect(await names('district=north&q=robotics')).not.toContain('edge-out')
  })

  it('orders ties on the first keys by next session, on every page as on one long page', async () => {
    const db = t.platform.db
    for (const sort of ['relevance', 'nearest']) {
      const query = `q=knitting&sort=${sort}&lat=${centre.lat}&lon=${centre.lon}&radius=10`
      const all = await listMatches(db, catalogue.city, filtersOf(query), NOW)
      expect(all.total).toBe(7)
      const paged = []
      for (const page of [1, 2, 3])
        paged.push(
          ...(await listMatches(db, catalogue.city, filtersOf(`${query}&page=${page}`), NOW, { pageSize: 3 }))
            .matches,
        )
      expect(catalogue.names(paged)).toEqual(catalogue.names(all.matches))
      if (sort === 'relevance')
        // The two with the word twice first, soonest first; then the rest by their next session.
        expect(catalogue.names(all.matches)).toEqual([
          'knit5',
          'knit2',
          'knit1',
          'knit3',
          'knit6',
          'knit0',
          'knit4',
        ])
      // By distance: 2 and 3 km, the two at 4 km (soonest first: the 6th, then the 12th), 6–8 km.
      else
        expect(catalogue.names(all.matches)).toEqual([
          'knit0',
          'knit1',
          'knit3',
          'knit2',
          'knit4',
          'knit5',
          'knit6',
        ])
    }
  })

  it('pages through ties in a stable order: no result twice, none missed', async () => {
    for (const sort of ['relevance', 'soonest']) {
      const pages = await Promise.all([1, 2].map((p) => names(`q=chess&sort=${sort}&page=${p}`)))
      expect(pages[0]).toHaveLength(PAGE_SIZE)
      expect(new Set([...pages[0]!, ...pages[1]!]).size).toBe(25)
      // The same page twice is the same list.
      expect(await names(`q=chess&sort=${sort}&page=2`)).toEqual(pages[1])
    }
  })
})
