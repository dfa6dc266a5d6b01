import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filtersOf, testCatalogue } from '../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { sql } from '../../platform/db/index.ts'
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
    // One district: a square around the city's north side.
    const square = [
      [-87.7, 41.99],
      [-87.6, 41.99],
      [-87.6, 42.05],
      [-87.7, 42.05],
      [-87.7, 41.99],
    ]
    await t.platform.db.execute(
      sql`insert into districts (city_id, code, name, geometry, bbox)
          values (${city.id}, 'north', '{"en":"North"}'::jsonb,
            ${JSON.stringify({ type: 'Polygon', coordinates: [square] })}::jsonb, '{-87.7,41.99,-87.6,42.05}')`,
    )
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
    expect(beyond).toEqual({ matches: [], total: 4, corrected: null })
  })
})
