import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCalendar } from '../../../test/calendar-reader.ts'
import { testCatalogue } from '../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { rows, sql } from '../../platform/db/index.ts'
import { refreshWords } from './words.ts'

describe.each(engines)('the search page on %s', (engine) => {
  let t: TestPlatform
  let ids: Record<string, number>
  const get = (path: string, init?: RequestInit) => t.app.request(path, init)
  const html = async (path: string) => {
    const res = await get(path)
    expect(res.status).toBe(200)
    return res.text()
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'pageville')
    ids = catalogue.ids
    const club = await catalogue.provider('makers', 'library', 'Makers Club')
    await catalogue.add('robotics', club, {})
    await catalogue.add('pottery', club, {
      title: { en: 'Pottery evenings' },
      description: { en: 'Throw pots on the wheel.' },
      topics: ['ceramics'],
      buildingBlock: 'culture-of-learning',
      cost: { free: false, price: 25, currency: 'USD' },
      capacity: 1,
    })
    await catalogue.add('lectura', club, {
      title: { es: 'Taller de lectura' },
      description: { es: 'Leemos cuentos juntos.' },
      languages: ['es'],
      topics: ['reading'],
      image: { url: '/static/images/robotics.jpg', alt: { es: 'Una foto' } },
    })
    for (let i = 0; i < 22; i++)
      await catalogue.add(`talk${i}`, club, {
        title: { en: `Astronomy talk ${i}` },
        description: { en: 'Stars and planets.' },
        topics: ['astronomy'],
      })
    await t.platform.db.execute(
      sql`insert into venues (city_id, kind, external_id, name, address, lat, lon)
          values (${catalogue.city.id}, 'library', 'rp', '{"en":"Rogers Park Library"}'::jsonb,
            '6907 N Clark St', 42.0086, -87.6680)`,
    )
    await refreshWords(t.platform.db, catalogue.city.id)
  })
  afterAll(() => t.close())

  it('shows each result with its next session, cost, places left and provider, and counts', async () => {
    const page = await html('/en/pageville/opportunities?q=pottery')
    expect(page).toContain('<span id="results-count">1 result</span>')
    expect(page).toContain(`href="/en/pageville/opportunities/${ids.pottery}"`)
    expect(page).toContain('$25.00')
    expect(page).toContain('1 place left')
    expect(page).toContain('By Makers Club')
    // The first Saturday session, on Chicago's clock.
    expect(page).toMatch(/<time datetime="2027-10-02T15:00:00.000Z">Sat, Oct 2, 10:00\s?AM<\/time>/)
    expect(page).not.toContain(`opportunities/${ids.robotics}"`)
    // Facet counts beside the filters: the words keep one result, one of them in this block.
    expect(page).toMatch(
      /id="block-culture-of-learning"[^>]*>[\s\S]*?data-count="block-culture-of-learning"> \(1\)/,
    )
  })

  it('keeps the filters picked in the form, and free and block narrow the results', async () => {
    const page = await html('/en/pageville/opportunities?q=robot&free=yes&block=learning-technologies')
    expect(page).toMatch(/id="free"[^>]*checked/)
    expect(page).toMatch(/id="block-learning-technologies"[^>]*checked/)
    expect(page).toContain(`opportunities/${ids.robotics}"`)
    expect(page).not.toContain(`opportunities/${ids.pottery}"`)
    expect(page).toContain('1 result')
  })

  it('corrects a mistyped word and says so', async () => {
    const page = await html('/en/pageville/opportunities?q=potery')
    expect(page).toContain('No results for “potery”. Showing results for “pottery”.')
    expect(page).toContain(`opportunities/${ids.pottery}"`)
  })

  it('labels a result written in another language than the reader’s', async () => {
    const page = await html('/en/pageville/opportunities?q=lectura')
    expect(page).toContain('lang="es"')
    expect(page).toContain('In Spanish')
    expect(await html('/es/pageville/opportunities?q=lectura')).not.toContain('class="language-label"')
  })

  it('pages through results with canonical links, and a page beyond the last is empty', async () => {
    const first = await html('/en/pageville/opportunities?topic=astronomy')
    expect(first).toContain('22 results')
    expect(first).toContain('Page 1 of 2')
    expect(first).toContain('href="/en/pageville/opportunities?topic=astronomy&amp;page=2"')
    const second = await html('/en/pageville/opportunities?topic=astronomy&page=2')
    const listed = (page: string) => [...page.matchAll(/Astronomy talk (\d+)/g)].map((m) => m[1])
    expect(listed(second)).toHaveLength(2)
    expect(new Set([...listed(first), ...listed(second)]).size).toBe(22)
    expect(await html('/en/pageville/opportunities?topic=astronomy&page=9')).toContain(
      'Nothing matches this search',
    )
  })

  it('shows every bad parameter in an error summary, keeps what was typed, and answers 400', async () => {
    const res = await get('/en/pageville/opportunities?q=ok&age=old&block=robots')
    expect(res.status).toBe(400)
    const page = await res.text()
    expect(page).toContain('class="error-summary"')
    expect(page).toContain('href="#age"')
    expect(page).toContain('href="#filter-block"')
    expect(page).toContain('Check “For someone aged”: this value cannot be used.')
    expect(page).toMatch(/id="q"[^>]*value="ok"/)
  })

  it('turns the form’s place into the canonical lat and lon', async () => {
    const res = await get('/en/pageville/opportunities?q=robot&near=42.01%2C-87.66&radius=3')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(
      '/en/pageville/opportunities?q=robot&lat=42.01&lon=-87.66&radius=3',
    )
    const anywhere = await get('/en/pageville/opportunities?near=&radius=3')
    expect(anywhere.headers.get('location')).toBe('/en/pageville/opportunities')
    const near = await html('/en/pageville/opportunities?lat=42.01&lon=-87.66&sort=nearest')
    expect(near).toMatch(/0(\.\d)? km away/)
  })

  it('finds a typed place among the city’s venues, or says it cannot', async () => {
    const res = await get('/en/pageville/opportunities?q=robot&near=&place=rogers+park+library&radius=2')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(
      '/en/pageville/opportunities?q=robot&lat=42.0086&lon=-87.668&radius=2',
    )
    expect(await html(res.headers.get('location')!)).toContain('The place you chose')
    const byAddress = await get('/en/pageville/opportunities?place=6907+clark')
    expect(byAddress.headers.get('location')).toBe('/en/pageville/opportunities?lat=42.0086&lon=-87.668')
    const unknown = await get('/en/pageville/opportunities?place=atlantis')
    expect(unknown.status).toBe(400)
    const page = await unknown.text()
    expect(page).toContain('No place called “atlantis” was found.')
    expect(page).toContain('href="#place"')
    expect(page).toMatch(/id="place"[^>]*value="atlantis"/)
  })

  it('heads the plain view, not a search, with what the city features, until its featuring ends', async () => {
    const [cityId] = await rows<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from cities where slug = 'pageville'`,
    )
    await t.platform.db.execute(
      sql`insert into discovery_featured (city_id, opportunity_id, featured_by, until) values
          (${cityId!.id}, ${ids.pottery}, 1, null), (${cityId!.id}, ${ids.robotics}, 1, '2020-01-01T00:00:00Z')`,
    )
    const plain = await html('/en/pageville/opportunities')
    const featured = plain.slice(
      plain.indexOf('id="featured-heading"'),
      plain.indexOf('id="results-heading"'),
    )
    expect(featured).toContain('Featured by pageville')
    expect(featured).toContain(`href="/en/pageville/opportunities/${ids.pottery}"`)
    expect(featured).not.toContain(`opportunities/${ids.robotics}"`)
    expect(await html('/en/pageville/opportunities?q=pottery')).not.toContain('id="featured-heading"')
  })

  it('escapes hostile words and never fails on them', async () => {
    const page = await html(
      `/en/pageville/opportunities?q=${encodeURIComponent('<script>alert(1)</script> & "x')}`,
    )
    expect(page).not.toContain('<script>alert(1)')
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('links each view to its feeds, calendar, map and save form, with the same filters', async () => {
    const page = await html('/en/pageville/opportunities?q=pottery&page=1')
    expect(page).toContain('href="/en/pageville/opportunities/feed.atom?q=pottery"')
    expect(page).toContain('href="/en/pageville/opportunities/feed.rss?q=pottery"')
    expect(page).toContain('href="/en/pageville/opportunities/calendar.ics?q=pottery"')
    expect(page).toContain('href="/en/pageville/opportunities/map?q=pottery"')
    expect(page).toContain('action="/en/pageville/saved-searches"')
    expect(page).toContain('name="query" value="q=pottery"')
  })

  it('serves RSS, Atom and iCalendar of a filtered view, holding only its matches', async () => {
    const rss = await get('/en/pageville/opportunities/feed.rss?topic=ceramics')
    expect(rss.headers.get('content-type')).toContain('application/rss+xml')
    const rssBody = await rss.text()
    expect(rssBody).toContain('<title>Pottery evenings</title>')
    expect(rssBody).not.toContain('Robotics')
    expect(rssBody).toMatch(
      /<atom:link href="http[^"]+\/en\/pageville\/opportunities\/feed.rss\?topic=ceramics"/,
    )
    const atom = await (await get('/fr/pageville/opportunities/feed.atom?topic=ceramics')).text()
    expect(atom).toContain('xml:lang="fr"')
    expect(atom.match(/<entry>/g)).toHaveLength(1)
    const ics = await get('/en/pageville/opportunities/calendar.ics?q=robot&free=yes')
    expect(ics.headers.get('content-type')).toContain('text/calendar')
    const calendar = await ics.text()
    // One recurring event whose eight sessions a calendar program expands.
    expect(readCalendar(calendar, new Date('2030-01-01T00:00:00Z'))).toHaveLength(8)
    expect(calendar).toContain('SUMMARY:Robotics for beginners')
    expect(calendar).not.toContain('Pottery')
    const bad = await get('/en/pageville/opportunities/feed.rss?age=old')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('age must be a whole number')
  })

  it('reads right to left in Arabic', async () => {
    const page = await html('/ar/pageville/opportunities')
    expect(page).toContain('<html lang="ar" dir="rtl">')
  })
})
