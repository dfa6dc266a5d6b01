import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filtersOf, testCatalogue } from '../../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { seedAll } from '../../../app.ts'
import { sql } from '../../../platform/db/index.ts'
import { findCityBySlug, listDistricts } from '../../cities/index.ts'
import { cityFrame, mapMatches } from './clusters.ts'
import { type Bbox, type Frame, viewOf, wholeView } from './projection.ts'

const NOW = new Date('2027-09-29T14:00:00Z')
const square = (west: number, south: number, east: number, north: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ],
})
const NORTH: Bbox = [-87.7, 41.99, -87.6, 42.05]
const SOUTH: Bbox = [-87.7, 41.9, -87.6, 41.96]
/** A corner of the north side, with two or three of its five places. */
const CLOSE: Bbox = [-87.7, 41.995, -87.66, 42.015]
const NORTH_PLACES = [0, 1, 2, 3, 4].map((i) => [42.0 + i * 0.01, -87.69 + i * 0.02] as const)

describe.each(engines)('the map of a search on %s', (engine) => {
  let t: TestPlatform
  let city: { id: number; timeZone: string }
  let frame: Frame

  const sum = (clusters: { n: number }[]) => clusters.reduce((s, c) => s + c.n, 0)
  const map = (query: string, bbox?: Bbox) =>
    mapMatches(
      t.platform.db,
      city,
      filtersOf(query),
      NOW,
      frame,
      bbox ? viewOf(frame, bbox) : wholeView(frame),
    )
  const html = async (path: string) => {
    const res = await t.app.request(path)
    return { status: res.status, body: await res.text() }
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    const catalogue = await testCatalogue(t, 'mapville')
    city = catalogue.city
    for (const [code, name, box] of [
      ['north', { en: 'North Side', es: 'Lado Norte' }, NORTH],
      ['south', { en: 'South Side' }, SOUTH],
    ] as const)
      await t.platform.db.execute(
        sql`insert into districts (city_id, code, name, geometry, bbox)
            values (${city.id}, ${code}, ${JSON.stringify(name)}::jsonb,
              ${JSON.stringify(square(...box))}::jsonb, ${`{${box.join(',')}}`})`,
      )
    const library = await catalogue.provider('map-library', 'library')
    // Five free ones spread over the north side, 1.6 km apart.
    for (const [i, [lat, lon]] of NORTH_PLACES.entries())
      await catalogue.add(`north-${i}`, library, { title: { en: `North class ${i}` }, lat, lon })
    // Three paid ones at one place in the south.
    for (let i = 0; i < 3; i++)
      await catalogue.add(`south-${i}`, library, {
        title: { en: `South class ${i}` },
        lat: 41.93,
        lon: -87.65,
        cost: { free: false, price: 10, currency: 'USD' },
      })
    // Two 250 m apart in the north-east, with a topic of their own.
    for (const [name, lon] of [
      ['pair-a', -87.62],
      ['pair-b', -87.617],
    ] as const)
      await catalogue.add(name, library, { title: { en: name }, topics: ['pair'], lat: 42.04, lon })
    // Two online ones: no place.
    for (let i = 0; i < 2; i++)
      await catalogue.add(`online-${i}`, library, {
        title: { en: `Online class ${i}` },
        format: 'online',
        address: null,
        lat: null,
        lon: null,
        joinUrl: 'https://example.org/learn',
      })
    frame = (await cityFrame(t.platform.db, city.id))!
  })
  afterAll(() => t.close())

  it('counts every match: the markers of the whole city add up to those with a place, online ones apart', async () => {
    const { counts, clusters } = await map('')
    expect(counts).toEqual({ total: 12, unplaced: 2, inView: 10 })
    expect(sum(clusters)).toBe(10)
    // The three at one place are one marker wherever the grid falls.
    expect(clusters.find((c) => c.n === 3)?.bbox).toEqual([-87.65, 41.93, -87.65, 41.93])
  })

  it('applies the filters of the search to the markers and the counts', async () => {
    const free = await map('free=yes')
    expect(free.counts).toEqual({ total: 9, unplaced: 2, inView: 7 })
    expect(sum(free.clusters)).toBe(7)
    const paid = await map('max_price=20&format=in-person')
    expect(paid.counts.total).toBe(10)
    const words = await map('q=south')
    expect(words.counts).toEqual({ total: 3, unplaced: 0, inView: 3 })
    expect(words.clusters).toHaveLength(1)
  })

  it('shows only what is in view when zoomed, in finer cells', async () => {
    const view = viewOf(frame, CLOSE)
    expect(view.zoom).toBeGreaterThan(0)
    const [west, south, east, north] = view.bbox
    const expected = NORTH_PLACES.filter(
      ([lat, lon]) => lon >= west && lon <= east && lat >= south && lat <= north,
    )
    expect(expected.length).toBeGreaterThanOrEqual(2)
    const close = await map('', CLOSE)
    expect(close.counts).toEqual({ total: 12, unplaced: 2, inView: expected.length })
    expect(sum(close.clusters)).toBe(expected.length)
    // 1.6 km apart is far enough at this zoom: every one is its own marker, naming its opportunity.
    expect(close.clusters.every((c) => c.n === 1 && c.id !== null)).toBe(true)
  })

  it('re-clusters as the view zooms: one marker for the whole city, one each up close', async () => {
    const whole = await map('topic=pair')
    expect(whole.clusters.map((c) => c.n)).toEqual([2])
    const close = await map('topic=pair', [-87.621, 42.039, -87.616, 42.041])
    expect(close.clusters.map((c) => c.n)).toEqual([1, 1])
  })

  it('draws every district and a marker per cluster, with the list of results beside the map', async () => {
    const { status, body } = await html('/en/mapville/opportunities/map')
    expect(status).toBe(200)
    expect(body).toContain('aria-label="North Side"')
    expect(body).toContain('<title>South Side</title>')
    expect(body.match(/class="dmap-item"/g)).toHaveLength(12)
    expect(body).toContain('2 of them are online or have no place')
    // The online ones say so in the list (they have no marker to say it).
    expect(body.match(/At your own pace · Online|Next session: [^<]* · Online/g)).toHaveLength(2)
    expect(body).toContain('href="/en/mapville/opportunities"')
    // The three at one place lead to the list of what is there.
    expect(body).toMatch(
      /href="\/en\/mapville\/opportunities\?lat=41\.93&amp;lon=-87\.65&amp;radius=0\.1"[^>]*aria-label="3 opportunities at this place: list them"/,
    )
    const markers = [...body.matchAll(/data-n="(\d+)"/g)].map((m) => Number(m[1]))
    expect(markers.reduce((a, b) => a + b, 0)).toBe(10)
    // The island and its styles load from this site only, and with no tile server set, so do images.
    expect(body).toContain('<script src="/static/discovery-map.js" defer')
    expect(body).not.toContain('data-tiles')
    const res = await t.app.request('/en/mapville/opportunities/map')
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self' data:;")
  })

  it('keeps the filters in its links and reads a zoomed view from bbox', async () => {
    const { body } = await html(`/es/mapville/opportunities/map?free=yes&bbox=${CLOSE.join(',')}`)
    const [west, south, east, north] = viewOf(frame, CLOSE).bbox
    const inView = NORTH_PLACES.filter(
      ([lat, lon]) => lon >= west && lon <= east && lat >= south && lat <= north,
    )
    expect(body).toContain(`${inView.length} resultados en esta parte del mapa.`)
    expect(body).toContain('aria-label="Lado Norte"')
    expect(body).toContain('href="/es/mapville/opportunities?free=yes"')
    expect(body).toContain('href="/es/mapville/opportunities/map?free=yes">Ver toda la ciudad')
    // The list is the search's first page (all nine free ones); the markers are only those in view.
    expect(body.match(/class="dmap-item"/g)).toHaveLength(9)
    expect([...body.matchAll(/data-n="(\d+)"/g)].map((m) => Number(m[1]))).toEqual(inView.map(() => 1))
  })

  it('answers hostile parameters with an error summary on the page, not a 500', async () => {
    const bad = `/en/mapville/opportunities/map?age=old&lat=91&lon=0&bbox=1,2,3&q=${'x'.repeat(300)}&when=soon`
    const { status, body } = await html(bad)
    expect(status).toBe(400)
    expect(body).toContain('class="error-summary"')
    for (const detail of [
      'age must be a whole number',
      'lat must be between -90 and 90',
      'bbox must be four numbers',
    ])
      expect(body).toContain(detail)
    expect((await html('/en/mapville/opportunities/map?bbox=-87.6,42,-87.7,41')).body).toContain(
      'bbox must give west before east',
    )
    expect((await html('/en/mapville/opportunities/map?bbox=NaN,1,2,3')).status).toBe(400)
    expect((await html(`/ar/mapville/opportunities/map?bbox=${'9'.repeat(400)}`)).body).toContain(
      'لا يمكن استخدام قيمة «bbox».',
    )
    expect((await html('/en/nowhere/opportunities/map')).status).toBe(404)
  })

  it('gives the island the markers of a view as JSON, with the sentence to announce', async () => {
    const res = await t.app.request(`/en/mapville/opportunities/map.json?bbox=${CLOSE.join(',')}&listed=3`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      summary: string
      markers: { n: number; href: string }[]
      zoom: number
    }
    expect(body.zoom).toBeGreaterThan(0)
    const inView = (await map('', CLOSE)).counts.inView
    expect(body.markers.reduce((s, m) => s + m.n, 0)).toBe(inView)
    expect(body.summary).toBe(
      `${inView} results in this part of the map. 3 of the results in the list below are in view; the others are hidden.`,
    )
    const bad = await t.app.request('/en/mapville/opportunities/map.json?listed=-1&bbox=x')
    expect(bad.status).toBe(400)
    expect(bad.headers.get('content-type')).toContain('application/problem+json')
    const problems = (await bad.json()) as { errors: { field: string }[] }
    expect(problems.errors.map((e) => e.field).sort()).toEqual(['bbox', 'listed'])
  })

  it("draws every one of Chicago's 77 districts and keeps the page small", async () => {
    const chicago = (await findCityBySlug(t.platform.db, 'chicago'))!
    const districts = await listDistricts(t.platform.db, chicago.id)
    expect(districts).toHaveLength(77)
    const { status, body } = await html('/en/chicago/opportunities/map')
    expect(status).toBe(200)
    const paths = [...body.matchAll(/<path d="[^"]+" role="img" aria-label="([^"]+)"/g)].map((m) =>
      m[1]?.replaceAll('&#39;', "'"),
    )
    expect(new Set(paths)).toEqual(new Set(districts.map((d) => d.name.en)))
    const bytes = Buffer.byteLength(body)
    console.log(`map page of Chicago: ${bytes} bytes of HTML (${districts.length} districts)`)
    expect(bytes).toBeLessThan(60_000)
  })
})

describe.each(engines)('map tiles on %s', (engine) => {
  let t: TestPlatform
  beforeAll(async () => {
    t = await testPlatform(engine, {
      MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png',
      MAP_TILE_ATTRIBUTION: '© Example contributors',
    })
    const catalogue = await testCatalogue(t, 'tileville')
    await t.platform.db.execute(
      sql`insert into districts (city_id, code, name, geometry, bbox)
          values (${catalogue.city.id}, 'north', '{"en":"North"}'::jsonb,
            ${JSON.stringify(square(...NORTH))}::jsonb, ${`{${NORTH.join(',')}}`})`,
    )
  })
  afterAll(() => t.close())

  it('lets images come from the tile server only when one is set, and hands its template to the island', async () => {
    const res = await t.app.request('/en/tileville/opportunities/map')
    expect(res.headers.get('content-security-policy')).toContain(
      "img-src 'self' data: https://tiles.example.org;",
    )
    const body = await res.text()
    expect(body).toContain('data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"')
    expect(body).toContain('Background map: © Example contributors')
  })
})
