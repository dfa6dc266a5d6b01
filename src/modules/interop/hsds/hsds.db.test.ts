/**
 * The HSDS API against Open Referral's own HSDS 3.0 JSON Schemas (conformance folder), read with
 * ajv: every endpoint's output, from the demo city's real venues and invented providers.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { opportunityFactory } from '../../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { seedAll } from '../../../app.ts'
import { firstRow, sql } from '../../../platform/db/index.ts'
import { type Actor, createOpportunity, transition } from '../../opportunities/index.ts'
import { createOrganization } from '../../organizations/index.ts'

const ROOT = resolve(fileURLToPath(new URL('../../../../', import.meta.url)))
const SCHEMAS = process.env.HSDS_SCHEMA_DIR ?? join(ROOT, '../shared/conformance/opportunities/hsds/schema')

type Json = Record<string, unknown>

/** As the spec's own CI does: no property beyond those the schema names. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed)
  if (!schema || typeof schema !== 'object') return schema
  const copy: Json = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]))
  if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined) {
    copy.additionalProperties = false
  }
  return copy
}

function validators() {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const read = (file: string) => JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8'))
  for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.json') && f !== 'openapi.json')) {
    ajv.addSchema(closed(read(file)) as object, file)
  }
  const compiled = (file: string) => ajv.compile(closed(read(join('compiled', file))) as object)
  const page = read('openapi.json').components.schemas.Page
  const pageOf = (item: ValidateFunction) => {
    const envelope = ajv.compile({
      ...page,
      required: Object.keys(page.properties),
      additionalProperties: true,
    })
    return (body: Json) => {
      const errors: unknown[] = []
      if (!envelope(body)) errors.push(...(envelope.errors ?? []))
      for (const [i, c] of (body.contents as unknown[]).entries()) {
        if (!item(c)) errors.push({ item: i, errors: item.errors })
      }
      return errors
    }
  }
  const one = (name: string) => {
    const v = ajv.getSchema(name)
    if (!v) throw new Error(`no schema ${name}`)
    return (body: unknown) => (v(body) ? [] : (v.errors ?? []))
  }
  return {
    organizations: pageOf(compiled('organization_list.json')),
    services: pageOf(compiled('service_list.json')),
    service_at_locations: pageOf(compiled('service_at_location_list.json')),
    locations: pageOf(ajv.getSchema('location.json')!),
    // full=true lists hold the full objects.
    'organizations&full=true': pageOf(ajv.getSchema('organization.json')!),
    'services&full=true': pageOf(ajv.getSchema('service.json')!),
    'service_at_locations&full=true': pageOf(ajv.getSchema('service_at_location.json')!),
    organization: one('organization.json'),
    service: one('service.json'),
    service_at_location: one('service_at_location.json'),
    location: one('location.json'),
    taxonomies: pageOf(ajv.getSchema('taxonomy.json')!),
    taxonomy_terms: pageOf(ajv.getSchema('taxonomy_term.json')!),
    taxonomy: one('taxonomy.json'),
    taxonomy_term: one('taxonomy_term.json'),
  }
}

describe.each(engines)('HSDS 3.0 directory API on %s', (engine) => {
  let t: TestPlatform
  let v: ReturnType<typeof validators>
  const base = '/api/v1/cities/chicago/hsds'
  const get = async (path: string) => {
    const res = await t.app.request(path)
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (await res.json()) as Json,
    }
  }
  beforeAll(async () => {
    v = validators()
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    // A provider at one of the city's real library branches, and another city's own provider.
    const city = await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from cities where slug = 'chicago'`,
    )
    const venue = await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from venues where city_id = ${city!.id} order by id limit 1`,
    )
    // Six more Chicago providers, each at a library branch, with weekly, monthly, daily, one-off,
    // online and cancelled opportunities: enough for pages of five.
    const schedules = [
      {
        kind: 'series',
        start: '2027-10-02T10:00',
        durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=8',
      },
      {
        kind: 'series',
        start: '2027-10-05T18:00',
        durationMinutes: 60,
        rrule: 'FREQ=MONTHLY;BYDAY=1TU;UNTIL=20280601',
      },
      { kind: 'series', start: '2027-10-04T09:00', durationMinutes: 30, rrule: 'FREQ=DAILY;COUNT=5' },
      { kind: 'once', start: '2027-12-04T14:00', durationMinutes: 120 },
      { kind: 'self-paced' },
      {
        kind: 'series',
        start: '2027-10-06T17:00',
        durationMinutes: 45,
        rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE,FR;WKST=MO',
      },
    ]
    for (const [i, schedule] of schedules.entries()) {
      const made = await createOrganization(t.platform, city!.id, {
        slug: `hsds-provider-${i}`,
        name: { en: `Neighbourhood learning ${i}` },
        description: i % 2 ? { en: 'Classes for every age.' } : undefined,
        sector: 'community',
        website: i % 2 ? `https://learn${i}.example.org/` : null,
        trusted: true,
      })
      if (!made.ok) throw new Error('org')
      const venueId = venue!.id + i
      await t.platform.db.execute(
        sql`insert into organization_venues (city_id, organization_id, venue_id) values (${city!.id}, ${made.value}, ${venueId})`,
      )
      const actor: Actor = {
        userId: null,
        label: 'test',
        cityId: city!.id,
        timeZone: 'America/Chicago',
        coordinator: false,
        organizations: [{ id: made.value, role: 'admin', trusted: true }],
      }
      const online = schedule.kind === 'self-paced'
      const res = await createOpportunity(
        t.platform,
        actor,
        made.value,
        opportunityFactory({
          title: { en: `Neighbourhood class ${i}` },
          schedule,
          contactPhone: '+1 312 555 0100',
          ...(online
            ? { format: 'online', address: null, lat: null, lon: null, joinUrl: 'https://meet.example.org/x' }
            : { venueId, address: null, lat: null, lon: null }),
          ...(i === 1
            ? { cost: { free: false, price: 12.5, currency: 'USD', concessions: 'Half price for seniors' } }
            : {}),
        }),
        { publish: true },
      )
      if (!res.ok) throw new Error(JSON.stringify(res))
      if (i === 3) await transition(t.platform, actor, res.value.id, 'cancel')
    }
    const other = await testCatalogue(t, 'elsewhere')
    const org = await other.provider('secret-club', 'community', 'Secret Club')
    await other.add('secret', org, { title: { en: 'Secret pottery' } })
    expect(venue).toBeDefined()
  })
  afterAll(() => t.close())

  it('answers the root with the HSDS version', async () => {
    const { status, body } = await get(base)
    expect(status).toBe(200)
    expect(body.version).toBe('3.0')
  })

  it('is described in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json')).body as { paths: Record<string, unknown> }
    for (const path of [
      '',
      '/services',
      '/services/{id}',
      '/organizations',
      '/service_at_locations',
      '/locations/{id}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(`/api/v1/cities/{city}/hsds${path}`)
    }
  })

  it('is listed on the open data page in every language', async () => {
    for (const [lang, title] of [
      ['en', 'Provider directory (HSDS 3.0)'],
      ['ar', 'دليل مقدّمي التعلّم (HSDS 3.0)'],
    ]) {
      const html = await (await t.app.request(`/${lang}/chicago/open-data`)).text()
      expect(html).toContain(title)
      expect(html).toContain('/api/v1/cities/chicago/hsds/services')
    }
  })

  it('pages every list in HSDS’s envelope, valid against the HSDS 3.0 schemas', async () => {
    for (const name of ['organizations', 'services', 'service_at_locations', 'locations'] as const) {
      for (const full of ['', '&full=true']) {
        if (name === 'locations' && full) continue
        const first = await get(`${base}/${name}?per_page=5${full}`)
        expect(first.status, name).toBe(200)
        const valid = v[`${name}${full}` as keyof typeof v] as (body: Json) => unknown[]
        expect(valid(first.body), `${name}${full}`).toEqual([])
        expect(first.body.size, `${name}: ${first.body.total_items}`).toBe(5)
        expect(first.body.first_page).toBe(true)
        const pages = first.body.total_pages as number
        expect(pages).toBeGreaterThan(1)
        const last = await get(`${base}/${name}?per_page=5&page=${pages}${full}`)
        expect(valid(last.body)).toEqual([])
        expect(last.body.last_page).toBe(true)
        const ids = new Set((first.body.contents as Json[]).map((c) => c.id))
        for (const c of last.body.contents as Json[]) expect(ids.has(c.id)).toBe(false)
        const beyond = await get(`${base}/${name}?per_page=5&page=${pages + 1}`)
        expect(beyond.body).toMatchObject({ empty: true, size: 0, contents: [] })
      }
    }
  })

  it('serves each object by its id, nested and valid', async () => {
    const services = (await get(`${base}/services?per_page=100&full=true`)).body.contents as Json[]
    const placed = services.find((s) => (s.service_at_locations as Json[]).length > 0)!
    expect(placed).toBeDefined()
    const service = await get(`${base}/services/${placed.id}`)
    expect(v.service(service.body)).toEqual([])
    expect(service.body).toMatchObject({ status: 'active', name: placed.name })
    expect((service.body.schedules as Json[])[0]).toMatchObject({ timezone: expect.any(Number) })
    const sal = (service.body.service_at_locations as Json[])[0]!
    const salOne = await get(`${base}/service_at_locations/${sal.id}`)
    expect(v.service_at_location(salOne.body)).toEqual([])
    const location = await get(`${base}/locations/${sal.location_id}`)
    expect(v.location(location.body)).toEqual([])
    expect(location.body).toMatchObject({ latitude: expect.any(Number), longitude: expect.any(Number) })
    const organization = await get(`${base}/organizations/${placed.organization_id}`)
    expect(v.organization(organization.body)).toEqual([])
    const cancelled = services.find((s) => s.name === 'Neighbourhood class 3')
    expect(cancelled).toMatchObject({ status: 'inactive', alert: 'Cancelled' })
    const monthly = services.find((s) => s.name === 'Neighbourhood class 1')!
    expect((monthly.schedules as Json[])[0]).toMatchObject({
      freq: 'MONTHLY',
      byday: '1TU',
      until: '2028-06-01',
      opens_at: '18:00',
      closes_at: '19:00',
      timezone: -5,
    })
    expect((monthly.cost_options as Json[])[0]).toMatchObject({ amount: 12.5, currency: 'USD' })
    const online = services.find((s) => s.name === 'Neighbourhood class 4')!
    expect(online.service_at_locations).toEqual([])
    const owned = await get(`${base}/services?organization_id=${placed.organization_id}&per_page=100`)
    expect((owned.body.contents as Json[]).every((s) => s.organization_id === placed.organization_id)).toBe(
      true,
    )
    expect((owned.body.contents as Json[]).map((s) => s.id)).toContain(placed.id)
  })

  it('gives each location its street address: in parts where the venue has them, else its one line', async () => {
    const city = await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from cities where slug = 'chicago'`,
    )
    const org = await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from organizations where slug = 'hsds-provider-0'`,
    )
    // A venue known only by its one-line address, listed by a public provider.
    const oneLine = await firstRow<{ id: number }>(
      t.platform.db,
      sql`insert into venues (city_id, kind, name, address, lat, lon)
          values (${city!.id}, 'community', '{"en":"Corner hall"}'::jsonb, '12 Lake St, Chicago', 41.88, -87.63)
          returning id::int as id`,
    )
    await t.platform.db.execute(
      sql`insert into organization_venues (city_id, organization_id, venue_id) values (${city!.id}, ${org!.id}, ${oneLine!.id})`,
    )
    const list = await get(`${base}/locations?per_page=100`)
    expect(v.locations(list.body)).toEqual([])
    const contents = list.body.contents as Json[]
    const hall = contents.find((l) => l.name === 'Corner hall')!
    expect(hall.addresses).toEqual([
      {
        id: expect.any(String),
        location_id: hall.id,
        address_1: '12 Lake St, Chicago',
        city: 'Chicago',
        state_province: '',
        postal_code: '',
        country: '',
        address_type: 'physical',
      },
    ])
    const one = await get(`${base}/locations/${hall.id}`)
    expect(v.location(one.body)).toEqual([])
    expect(one.body.addresses).toEqual(hall.addresses)
    // The demo city's venues come from the city's open data with street, zip, city and state.
    const seeded = await firstRow<{ name: string; address: string; zip: string }>(
      t.platform.db,
      sql`select v.name->>'en' as name, v.address, v.postal_code as zip from venues v
          join organization_venues ov on ov.venue_id = v.id
          where v.city_id = ${city!.id} and v.kind in ('library', 'school') order by v.id limit 1`,
    )
    const library = contents.find((l) => l.name === seeded!.name)!
    const [address] = library.addresses as Json[]
    expect(address).toMatchObject({
      location_id: library.id,
      city: 'Chicago',
      state_province: 'IL',
      postal_code: seeded!.zip,
      country: 'US',
      address_type: 'physical',
    })
    expect(seeded!.zip).toMatch(/^\d{5}$/)
    expect(`${address!.address_1}, Chicago, IL`).toBe(seeded!.address)
    expect(library.description).toBe(seeded!.address)
    // Every address of the directory is valid in the full forms that nest locations, too.
    const sal = await get(`${base}/service_at_locations?per_page=100&full=true`)
    expect(v['service_at_locations&full=true'](sal.body)).toEqual([])
    const ids = contents.flatMap((l) => (l.addresses as Json[]).map((a) => a.id))
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('publishes the building blocks as a taxonomy every service is classified by', async () => {
    const taxonomies = await get(`${base}/taxonomies`)
    expect(v.taxonomies(taxonomies.body)).toEqual([])
    const [tax] = taxonomies.body.contents as Json[]
    expect(v.taxonomy((await get(`${base}/taxonomies/${tax!.id}`)).body)).toEqual([])
    const terms = await get(`${base}/taxonomy_terms?taxonomy_id=${tax!.id}`)
    expect(v.taxonomy_terms(terms.body)).toEqual([])
    expect(terms.body.total_items).toBe(6)
    const term = (terms.body.contents as Json[]).find((x) => x.code === 'learning-technologies')!
    expect(v.taxonomy_term((await get(`${base}/taxonomy_terms/${term.id}`)).body)).toEqual([])
    const tagged = await get(`${base}/services?taxonomy_term_id=${term.id}&per_page=100&full=true`)
    expect(tagged.body.total_items).toBeGreaterThan(0)
    for (const s of tagged.body.contents as Json[]) {
      expect((s.attributes as Json[]).map((a) => a.taxonomy_term_id)).toEqual([term.id])
    }
    const all = (await get(`${base}/services?per_page=1`)).body.total_items as number
    expect(tagged.body.total_items).toBeLessThanOrEqual(all)
    const otherTerm = (await get('/api/v1/cities/elsewhere/hsds/taxonomy_terms')).body.contents as Json[]
    expect((await get(`${base}/services?taxonomy_term_id=${otherTerm[0]!.id}`)).body.total_items).toBe(0)
    expect((await get(`${base}/taxonomy_terms/${otherTerm[0]!.id}`)).status).toBe(404)
  })

  it('finds services by words and by when they changed', async () => {
    const services = (await get(`${base}/services?per_page=1`)).body.contents as Json[]
    const word = String(services[0]!.name).split(' ')[0]!
    const found = await get(`${base}/services?search=${encodeURIComponent(word.toUpperCase())}&per_page=100`)
    expect(v.services(found.body)).toEqual([])
    expect((found.body.contents as Json[]).map((s) => s.id)).toContain(services[0]!.id)
    const future = await get(`${base}/services?modified_after=2999-01-01T00:00:00Z`)
    expect(future.body).toMatchObject({ total_items: 0, empty: true })
    const nothing = await get(`${base}/services?search=${encodeURIComponent('%_ no such words _%')}`)
    expect(nothing.body.total_items).toBe(0)
  })

  it('never shows one city’s rows to another', async () => {
    const theirs = (await get('/api/v1/cities/elsewhere/hsds/services')).body.contents as Json[]
    expect(theirs.map((s) => s.name)).toEqual(['Secret pottery'])
    const ours = await get(`${base}/services?search=Secret%20pottery`)
    expect(ours.body.total_items).toBe(0)
    const id = theirs[0]!.id
    expect((await get(`${base}/services/${id}`)).status).toBe(404)
    expect((await get(`/api/v1/cities/elsewhere/hsds/services/${id}`)).status).toBe(200)
    const orgs = (await get('/api/v1/cities/elsewhere/hsds/organizations')).body.contents as Json[]
    expect((await get(`${base}/organizations/${orgs[0]!.id}`)).status).toBe(404)
    expect((await get(`${base}/services?organization_id=${orgs[0]!.id}`)).body.total_items).toBe(0)
    // A service's id is not a location's, even in its own city.
    expect((await get(`/api/v1/cities/elsewhere/hsds/locations/${id}`)).status).toBe(404)
    expect((await get('/api/v1/cities/atlantis/hsds/services')).status).toBe(404)
  })

  it('answers hostile parameters with 400 problem+json naming every one', async () => {
    const bad = await get(
      `${base}/services?page=0&per_page=1000&search=${'x'.repeat(300)}&organization_id=1%27%20or%201=1` +
        '&modified_after=yesterday&full=yes&format=ndjson&minimal=true&taxonomy_term_id=x&evil=1&page=2',
    )
    expect(bad.status).toBe(400)
    expect(bad.type).toContain('application/problem+json')
    const fields = (bad.body.errors as { field: string; detail: string }[]).map((e) => e.field)
    for (const f of [
      'page',
      'per_page',
      'search',
      'organization_id',
      'modified_after',
      'full',
      'format',
      'minimal',
      'taxonomy_term_id',
      'evil',
    ]) {
      expect(fields, f).toContain(f)
    }
    const control = await get(`${base}/organizations?search=%00drop`)
    expect(control.status).toBe(400)
    const notUuid = await get(`${base}/services/..%2F..%2Fetc`)
    expect(notUuid.status).toBe(400)
    const item = await get(`${base}/services/00000000-0000-4000-8000-000000000000?full=true`)
    expect(item.status).toBe(400)
    expect((item.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['full'])
    expect((await get(`${base}/services/00000000-0000-4000-8000-000000000000`)).status).toBe(404)
  })
})
