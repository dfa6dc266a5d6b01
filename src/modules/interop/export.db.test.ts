import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feedCity } from '../../../test/interop.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { sql } from '../../platform/db/index.ts'
import { transition } from '../opportunities/index.ts'
import { CSV_COLUMNS } from './export.ts'
import { addOpenDataFeed, openDataFeeds } from './feeds.ts'

describe.each(engines)('city-wide export and the open data page (%s)', (engine) => {
  let t: TestPlatform
  let city: Awaited<ReturnType<typeof feedCity>>
  let other: Awaited<ReturnType<typeof feedCity>>
  const ids: number[] = []

  beforeAll(async () => {
    t = await testPlatform(engine, { PUBLIC_URL: 'http://export.test' })
    city = await feedCity(t, 'export-city')
    other = await feedCity(t, 'export-other')
    ids.push(await city.publish({ title: { en: '=HYPERLINK("http://evil.test")', fr: 'Robotique' } }))
    ids.push(await city.publish({ title: { en: 'Second, with "quotes"\nand a line break' } }))
    const archived = await city.publish({ title: { en: 'Archived' } })
    await transition(t.platform, city.actor, archived, 'archive')
    await other.publish({ title: { en: 'Elsewhere' } })
    // 1,200 more, so the export crosses its 500-row batches.
    await t.platform.db.execute(
      sql`insert into opportunities (city_id, organization_id, status, title, description, building_block,
            languages, format, schedule, free, image_url)
          select ${city.cityId}, ${city.organizationId}, 'published', jsonb_build_object('en', 'Bulk ' || n),
            '{"en":"Made in bulk"}', 'quality', '{en}', 'online', '{"kind":"self-paced"}', true, ''
          from generate_series(1, 1200) n`,
    )
  })
  afterAll(() => t.close())

  it('exports every public opportunity of the city as CSV, one row each, formulas defused', async () => {
    const res = await t.app.request(`/api/v1/cities/${city.slug}/export/opportunities.csv`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="export-city-opportunities.csv"',
    )
    const text = await res.text()
    const records = parse(text, { bom: true, columns: true }) as Record<string, string>[]
    expect(Object.keys(records[0]!)).toEqual([...CSV_COLUMNS])
    expect(records).toHaveLength(1202)
    expect(new Set(records.map((r) => r.id)).size).toBe(1202)
    const first = records.find((r) => r.id === String(ids[0]))!
    expect(first.title_en).toBe(`'=HYPERLINK("http://evil.test")`)
    expect(first.title_fr).toBe('Robotique')
    expect(first.url).toBe(`http://export.test/en/${city.slug}/opportunities/${ids[0]}`)
    expect(first).toMatchObject({ status: 'published', free: 'true', format: 'in-person', age_min: '9' })
    expect(records.find((r) => r.id === String(ids[1]))?.title_en).toBe(
      'Second, with "quotes"\nand a line break',
    )
    expect(records.some((r) => r.title_en === 'Archived' || r.title_en === 'Elsewhere')).toBe(false)
  })

  it('exports the same opportunities as one JSON document in the shape of the feed', async () => {
    const res = await t.app.request(`/api/v1/cities/${city.slug}/export/opportunities.json`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      city: string
      license: string
      opportunities: { id: number; title: Record<string, string> }[]
    }
    expect(body.city).toBe(city.slug)
    expect(body.license).toBe('https://creativecommons.org/licenses/by/4.0/')
    expect(body.opportunities).toHaveLength(1202)
    expect(body.opportunities[0]).toMatchObject({ id: ids[0], title: { fr: 'Robotique' } })
    const otherCity = (await (
      await t.app.request(`/api/v1/cities/${other.slug}/export/opportunities.json`)
    ).json()) as {
      opportunities: { title: Record<string, string> }[]
    }
    expect(otherCity.opportunities.map((o) => o.title.en)).toEqual(['Elsewhere'])
  })

  it('refuses parameters and unknown cities with problem+json', async () => {
    const res = await t.app.request(`/api/v1/cities/${city.slug}/export/opportunities.csv?page=2&q=x`)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = (await res.json()) as { errors: { field: string }[] }
    expect(body.errors.map((e) => e.field)).toEqual(['page', 'q'])
    expect((await t.app.request('/api/v1/cities/nowhere/export/opportunities.json')).status).toBe(404)
  })

  it('lists every feed on the open data page with its address and licence, and the OpenActive dataset', async () => {
    const res = await t.app.request(`/en/${city.slug}/open-data`)
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const feed of openDataFeeds)
      expect(html).toContain(`href="http://export.test${feed.path(city.slug)}"`)
    expect(html.match(/rel="license"/g)).toHaveLength(openDataFeeds.length)
    const ld = JSON.parse(html.match(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s)![1]!) as {
      '@type': string
      distribution: { name: string; contentUrl: string }[]
    }
    expect(ld['@type']).toBe('Dataset')
    expect(ld.distribution.map((d) => d.name)).toEqual([
      'SessionSeries',
      'ScheduledSession',
      'CourseInstance',
    ])
    const ar = await (await t.app.request(`/ar/${city.slug}/open-data`)).text()
    expect(ar).toContain('dir="rtl"')
    expect(ar).toContain('البيانات المفتوحة')
  })

  it('shows a feed another module adds', async () => {
    addOpenDataFeed({
      id: 'test-hsds',
      path: (slug) => `/api/v1/cities/${slug}/hsds/services`,
      format: 'HSDS 3.0',
      mediaType: 'application/json',
      titleKey: 'interop.page.title',
      descriptionKey: 'interop.page.feed',
      license: 'https://creativecommons.org/licenses/by-sa/4.0/',
    })
    try {
      const html = await (await t.app.request(`/en/${city.slug}/open-data`)).text()
      expect(html).toContain(`href="http://export.test/api/v1/cities/${city.slug}/hsds/services"`)
      expect(html).toContain('CC BY-SA 4.0')
    } finally {
      openDataFeeds.splice(
        openDataFeeds.findIndex((f) => f.id === 'test-hsds'),
        1,
      )
    }
  })
})
