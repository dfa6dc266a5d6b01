import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { chicagoProvider, type TestProvider } from '../../../../test/provider.ts'
import { firstRow, rows, sql } from '../../../platform/db/index.ts'
import { expandSchedule } from '../../../platform/time/index.ts'
import { findOpportunities } from '../../opportunities/index.ts'
import { importCalendar } from './feeds.ts'
import * as repo from './repository.ts'

const ICAL = new URL('../../../../../shared/conformance/opportunities/ical/', import.meta.url)
const file = (name: string) => ({ name, bytes: readFileSync(new URL(name, ICAL)) })

describe.each(engines)('one-off .ics import (%s)', (engine) => {
  let t: TestPlatform
  let provider: TestProvider
  let venueId: number

  beforeAll(async () => {
    t = await testPlatform(engine)
    provider = await chicagoProvider(t, { slug: 'ics-provider', name: 'ICS provider' })
    venueId = (await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from venues where city_id = ${provider.cityId} order by id limit 1`,
    ))!.id
  })
  afterAll(() => t?.close())

  const form = {
    name: 'Calendar',
    language: 'en',
    buildingBlock: 'culture-of-learning',
  }

  async function imported(name: string, window: { from: string; to: string }) {
    const r = await importCalendar(
      t.platform,
      provider.cityId,
      null,
      { ...form, organizationId: provider.orgId, name, venueId: String(venueId) },
      file(name),
      { window: { from: new Date(window.from), to: new Date(window.to) } },
    )
    if (!r.ok) throw new Error(JSON.stringify(r.fields))
    const ids = await rows<{ id: number }>(
      t.platform.db,
      sql`select opportunity_id::int as id from harvest_records where feed_id = ${r.value.feed.id} and opportunity_id is not null`,
    )
    const opps = await findOpportunities(
      t.platform.db,
      provider.cityId,
      ids.map((i) => i.id),
    )
    const starts = opps.flatMap((o) =>
      expandSchedule(
        { ...o.schedule, timeZone: 'America/Chicago' },
        { from: new Date('2000-01-01'), to: new Date('2040-01-01') },
        1000,
      ).map((s) => s.start.toISOString().replace('.000', '')),
    )
    return { r: r.value, opps, starts }
  }

  it('imports the Zimbra calendar to its 8 first dates, at the chosen venue', async () => {
    const { r, opps, starts } = await imported('recur_instances.ics', {
      from: '2000-01-01',
      to: '2013-06-01',
    })
    expect(r.summary).toMatchObject({ imported: 1, rejected: 0, error: null })
    expect(opps).toHaveLength(1)
    expect(opps[0]).toMatchObject({ venueId, format: 'in-person', status: 'published', free: true })
    expect(opps[0]!.externalId).toBe('623c13c0-6c2b-45d6-a12b-c33ad61c4868')
    expect(starts).toEqual([
      '2012-10-02T22:00:00Z',
      '2012-11-06T18:00:00Z',
      '2012-11-07T04:00:00Z',
      '2012-11-10T18:00:00Z',
      '2012-11-30T18:00:00Z',
      '2013-01-01T18:00:00Z',
      '2013-03-05T18:00:00Z',
      '2013-05-07T17:00:00Z',
    ])
  })

  it('imports the PERIOD RDATE window (the same calendar again: the same opportunity, updated) and logs its own length', async () => {
    const { r, starts } = await imported('recur_instances.ics', { from: '2023-10-01', to: '2024-03-01' })
    expect(r.summary).toMatchObject({ imported: 0, updated: 1 })
    expect(starts).toEqual([
      '2023-10-03T17:00:00Z',
      '2023-11-07T18:00:00Z',
      '2023-11-23T09:00:00Z',
      '2023-11-25T09:00:00Z',
      '2023-12-05T18:00:00Z',
      '2024-01-02T18:00:00Z',
      '2024-02-06T18:00:00Z',
    ])
    const log = await repo.listLog(t.platform.db, provider.cityId, r.feed.id)
    expect(log.flatMap((l) => l.reasons).join(' ')).toMatch(
      /1 session\(s\) have their own length \(first: 2023-11-25T09:00:00.000Z to 2023-11-25T12:30:00.000Z\)/,
    )
  })

  it('imports rdate_exdate.ics to 3 dates and daily_recur.ics to its window', async () => {
    expect((await imported('rdate_exdate.ics', { from: '2000-01-01', to: '2030-01-01' })).starts).toEqual([
      '2024-06-09T03:00:00Z',
      '2024-06-10T03:00:00Z',
      '2024-06-12T03:00:00Z',
    ])
    expect((await imported('daily_recur.ics', { from: '2012-11-02', to: '2012-11-08' })).starts).toEqual([
      '2012-11-02T12:00:00Z',
      '2012-11-03T12:00:00Z',
      '2012-11-04T13:00:00Z',
      '2012-11-05T13:00:00Z',
      '2012-11-06T13:00:00Z',
      '2012-11-07T13:00:00Z',
    ])
  })

  it('says what is missing or wrong, field by field, and imports nothing then', async () => {
    const r = await importCalendar(t.platform, provider.cityId, null, { name: '', language: 'xx' }, null)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['/organizationId', '/name', '/language', '/buildingBlock']),
    )
    const notIcs = await importCalendar(
      t.platform,
      provider.cityId,
      null,
      { ...form, organizationId: provider.orgId },
      { name: 'x.ics', bytes: Buffer.from('<html>') },
    )
    expect(notIcs).toMatchObject({
      ok: false,
      fields: [{ field: '/file', detail: 'The file is not an iCalendar (.ics) file' }],
    })
    const ssrf = await importCalendar(
      t.platform,
      provider.cityId,
      null,
      { ...form, organizationId: provider.orgId, url: 'http://169.254.169.254/latest' },
      null,
    )
    expect(ssrf.ok && ssrf.value.summary.error).toMatch(
      /^blocked-address: 169\.254\.169\.254 is a link-local address/,
    )
  })
})
