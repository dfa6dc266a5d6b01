/**
 * The schema.org JSON-LD of real rendered pages (opportunity and provider pages of the demo city),
 * checked by our offline structured-data validator (test/structured-data.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { opportunityFactory } from '../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { chicagoProvider } from '../../../test/provider.ts'
import { jsonLdOf, validateStructuredData } from '../../../test/structured-data.ts'
import { rows, sql } from '../../platform/db/index.ts'
import { createOpportunity, transition } from './index.ts'

describe.each(engines)('schema.org JSON-LD of pages on %s', (engine) => {
  let t: TestPlatform
  const made: Record<string, number> = {}
  beforeAll(async () => {
    t = await testPlatform(engine)
    const provider = await chicagoProvider(t, { slug: 'ld-makers', name: 'LD Makers' })
    const kinds: Record<string, Record<string, unknown>> = {
      series: {},
      once: { schedule: { kind: 'once', start: '2027-12-04T14:00', durationMinutes: 120 } },
      selfPaced: {
        schedule: { kind: 'self-paced' },
        format: 'online',
        address: null,
        lat: null,
        lon: null,
        joinUrl: 'https://learn.example.org/course',
      },
      hybrid: {
        format: 'hybrid',
        joinUrl: 'https://meet.example.org/robots',
        cost: { free: false, price: 8 },
      },
      cancelled: {},
    }
    for (const [name, fields] of Object.entries(kinds)) {
      const res = await createOpportunity(
        t.platform,
        provider.editor,
        provider.orgId,
        opportunityFactory({ title: { en: `LD ${name}` }, ...fields }),
        { publish: true },
      )
      if (!res.ok) throw new Error(`${name}: ${JSON.stringify(res)}`)
      made[name] = res.value.id
    }
    await transition(t.platform, provider.editor, made.cancelled!, 'cancel')
    // The provider lists two of the city's real library branches on its page.
    await t.platform.db.execute(
      sql`insert into organization_venues (city_id, organization_id, venue_id)
          select ${provider.cityId}, ${provider.orgId}, id from venues where city_id = ${provider.cityId} order by id limit 2`,
    )
  })
  afterAll(() => t.close())

  async function page(path: string) {
    const res = await t.app.request(path)
    expect(res.status, path).toBe(200)
    return jsonLdOf(await res.text())
  }

  it('opportunity pages carry valid Course, CourseInstance or EducationEvent data in every language', async () => {
    for (const [name, id] of Object.entries(made)) {
      for (const lang of ['en', 'ar', 'zh']) {
        const docs = await page(`/${lang}/chicago/opportunities/${id}`)
        expect(docs, name).toHaveLength(1)
        expect(validateStructuredData(docs).errors, `${name} ${lang}`).toEqual([])
        const type = (docs[0] as { '@type': string })['@type']
        expect(type, name).toBe(name === 'once' ? 'EducationEvent' : 'Course')
      }
    }
  })

  it('provider pages carry valid Organization and Place data', async () => {
    const slugs = await rows<{ slug: string }>(
      t.platform.db,
      sql`select slug from organizations where status in ('approved', 'trusted') order by id limit 10`,
    )
    expect(slugs.length).toBeGreaterThan(1)
    let places = 0
    for (const { slug } of slugs) {
      const docs = await page(`/en/chicago/providers/${slug}`)
      expect(docs, slug).toHaveLength(1)
      expect(validateStructuredData(docs).errors, slug).toEqual([])
      places += ((docs[0] as { location?: unknown[] }).location ?? []).length
    }
    expect(places).toBeGreaterThan(0)
  })
})
