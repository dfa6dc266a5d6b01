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
    // One held at a library branch: its Place carries the branch's address in parts.
    const [branch] = await rows<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from venues where city_id = ${provider.cityId} and kind = 'library' order by id limit 1`,
    )
    const atVenue = await createOpportunity(
      t.platform,
      provider.editor,
      provider.orgId,
      opportunityFactory({
        title: { en: 'LD atVenue' },
        venueId: branch!.id,
        address: null,
        lat: null,
        lon: null,
      }),
      { publish: true },
    )
    if (!atVenue.ok) throw new Error(`atVenue: ${JSON.stringify(atVenue)}`)
    made.atVenue = atVenue.value.id
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

  it('writes a venue’s address in parts as PostalAddress, and a one-line address as the street', async () => {
    const [venue] = await rows<{ address1: string; zip: string }>(
      t.platform.db,
      sql`select v.address_1 as address1, v.postal_code as zip from opportunities o
          join venues v on v.id = o.venue_id where o.id = ${made.atVenue!}`,
    )
    const [course] = (await page(`/en/chicago/opportunities/${made.atVenue}`)) as {
      hasCourseInstance: { location: { address: unknown } }[]
    }[]
    expect(course!.hasCourseInstance[0]!.location.address).toEqual({
      '@type': 'PostalAddress',
      streetAddress: venue!.address1,
      addressLocality: 'Chicago',
      addressRegion: 'IL',
      postalCode: venue!.zip,
      addressCountry: 'US',
    })
    const [own] = (await page(`/en/chicago/opportunities/${made.series}`)) as {
      hasCourseInstance: { location: { address: { streetAddress: string } } }[]
    }[]
    expect(Object.keys(own!.hasCourseInstance[0]!.location.address)).toEqual(['@type', 'streetAddress'])
    const [org] = (await page('/en/chicago/providers/ld-makers')) as { location: { address: unknown }[] }[]
    for (const place of org!.location)
      expect(place.address).toMatchObject({
        addressLocality: 'Chicago',
        addressRegion: 'IL',
        addressCountry: 'US',
      })
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
