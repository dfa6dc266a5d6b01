import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { addProvider, chicagoProvider, type TestProvider } from '../../../../test/provider.ts'
import { rows, sql } from '../../../platform/db/index.ts'
import { expandSchedule } from '../../../platform/time/index.ts'
import { findOpportunities, type OpportunityRow } from '../../opportunities/index.ts'
import { registerFeed } from './feeds.ts'
import { harvestFeed } from './harvest.ts'
import { harvestDueFeeds } from './jobs.ts'
import * as repo from './repository.ts'

const SAMPLES = new URL('../../../../../shared/conformance/opportunities/openactive/', import.meta.url)
const sample = (name: string) => JSON.parse(readFileSync(new URL(name, SAMPLES), 'utf8'))
const loopback = { fetch: { allowLoopback: true } }

/**
 * A publisher on 127.0.0.1: the official example pages as published (only `next` points here
 * instead of example.org), the real publisher items, and a live feed whose items a test changes.
 */
let server: http.Server
let base: string
const live: { id: string; modified: number; state: 'updated' | 'deleted'; data?: unknown }[] = []

function officialPage(name: string, path: string) {
  const page = sample(name)
  const query = new URL(page.next).search
  return {
    first: { ...page, next: `${base}${path}${query}` },
    last: { next: `${base}${path}${query}`, items: [], license: page.license },
  }
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    const pages: Record<string, string> = {
      '/course-instances': 'courseinstance_example_1.json',
      '/session-series': 'sessionseries-split_example_1.json',
      '/scheduled-sessions': 'scheduledsession-split_example_1.json',
    }
    const file = pages[url.pathname]
    if (file) {
      const { first, last } = officialPage(file, url.pathname)
      return json(url.search ? last : first)
    }
    if (url.pathname === '/real') {
      const items = [sample('sessionseries-with-schedule-exdates.json'), sample('course-with-schedule.json')]
      const next = `${base}/real?afterTimestamp=1593083366&afterId=311870`
      return json({
        next,
        items: url.search ? [] : items,
        license: 'https://creativecommons.org/licenses/by/4.0/',
      })
    }
    if (url.pathname === '/live') {
      // Modified timestamp + id ordering, two items a page.
      const t = Number(url.searchParams.get('afterTimestamp') ?? -1)
      const after = url.searchParams.get('afterId') ?? ''
      const items = [...live]
        .sort((a, b) => a.modified - b.modified || a.id.localeCompare(b.id))
        .filter((i) => i.modified > t || (i.modified === t && i.id > after))
        .slice(0, 2)
      const lastItem = items.at(-1)
      const next = lastItem
        ? `${base}/live?afterTimestamp=${lastItem.modified}&afterId=${lastItem.id}`
        : `${base}${req.url}`
      return json({ next, items: items.map((i) => ({ kind: 'SessionSeries', ...i })), license: 'x' })
    }
    if (url.pathname === '/one-a-page') {
      // A series and its two sessions in one feed, one item a page: each page touches the one
      // before it (the harvest plans a page while the one before it is written).
      const series = sample('sessionseries-split_example_1.json').items[0]
      const session = sample('scheduledsession-split_example_1.json').items[0]
      const later = {
        ...session,
        id: 'second-session',
        modified: session.modified + 1,
        data: {
          ...session.data,
          '@id': `${series.data['@id']}#/subEvent/second-session`,
          identifier: 'second-session',
          startDate: '2016-05-16T18:15:00Z',
          endDate: '2016-05-16T19:15:00Z',
        },
      }
      const items = [
        { ...series, modified: 1 },
        { ...session, modified: 2 },
        { ...later, modified: 3 },
      ]
      const after = Number(url.searchParams.get('afterChangeNumber') ?? 0)
      return json({
        next: `${base}/one-a-page?afterChangeNumber=${Math.min(after + 1, items.length)}`,
        items: items.slice(after, after + 1),
        license: 'x',
      })
    }
    if (url.pathname === '/to-private') return res.writeHead(302, { location: 'http://10.1.2.3/feed' }).end()
    res.writeHead(404).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

const utc = (d: Date) => d.toISOString().replace('.000', '')

describe.each(engines)('harvesting outside feeds (%s)', (engine) => {
  let t: TestPlatform
  let provider: TestProvider

  beforeAll(async () => {
    t = await testPlatform(engine)
    provider = await chicagoProvider(t, { slug: 'feeds-sport', name: 'Feeds Sport' })
  })
  afterAll(() => t?.close())

  async function feed(path: string, p: TestProvider = provider, extra: Record<string, unknown> = {}) {
    const r = await registerFeed(t.platform, p.cityId, null, {
      organizationId: p.orgId,
      kind: 'rpde',
      name: path,
      url: `${base}${path}`,
      language: 'en',
      buildingBlock: 'culture-of-learning',
      ...extra,
    })
    if (!r.ok) throw new Error(JSON.stringify(r.fields))
    return r.value
  }

  async function opportunitiesOf(feedId: number): Promise<OpportunityRow[]> {
    const ids = await rows<{ id: number }>(
      t.platform.db,
      sql`select distinct opportunity_id::int as id from harvest_records where feed_id = ${feedId} and opportunity_id is not null`,
    )
    return findOpportunities(
      t.platform.db,
      provider.cityId,
      ids.map((r) => r.id),
    )
  }

  /** The sessions the stored schedule has, over all time (the catalogue materialises only the coming ones). */
  const sessions = (o: OpportunityRow) =>
    expandSchedule(
      { ...o.schedule, timeZone: 'America/Chicago' },
      { from: new Date('2000-01-01'), to: new Date('2040-01-01') },
      1000,
    ).map((s) => `${utc(s.start)}/${utc(s.end).slice(11)}`)

  it('imports the official CourseInstance example: one opportunity, 3 daily sessions 08:00-16:00 UTC, both offers', async () => {
    const f = await feed('/course-instances')
    const run = await harvestFeed(t.platform, f, loopback)
    expect(run).toMatchObject({ error: null, reachedEnd: true, pages: 2, items: 1, imported: 1, rejected: 0 })
    const [o, ...rest] = await opportunitiesOf(f.id)
    expect(rest).toEqual([])
    expect(o!.externalId).toBe('https://id.bookingsystem.example.com/course-instances/76121')
    expect(o!.title).toEqual({ en: 'Netball Youth Camp' })
    expect(o!.status).toBe('published')
    expect(sessions(o!)).toEqual([
      '2018-08-01T08:00:00Z/16:00:00Z',
      '2018-08-02T08:00:00Z/16:00:00Z',
      '2018-08-03T08:00:00Z/16:00:00Z',
    ])
    expect(o).toMatchObject({
      free: false,
      currency: 'GBP',
      ageMin: 11,
      ageMax: 16,
      capacity: 30,
      format: 'in-person',
    })
    expect(Number(o!.price)).toBe(124)
    expect(o!.concessions).toBe('Member: 124.00 GBP · Non-member: 154.00 GBP')
    expect(o!.topics).toEqual(expect.arrayContaining(['netball', 'holiday camps']))
    expect(o!.accessibilityNote).toMatch(/^Visual impairment\. Please contact the centre/)
    expect(o).toMatchObject({ lat: 52.901455, lon: -1.282734 })
    expect(o!.address).toBe(
      'Trent College and The Elms, Long Eaton, Nottingham, Nottinghamshire, NG10 4AD, GB',
    )
    expect(o!.imageUrl).toBe(
      'https://www.englandnetball.co.uk/app/uploads/2016/03/Netball-youth-camp-ball.jpg',
    )
  })

  it('joins split feeds: the series waits for its ScheduledSession, then inherits into one opportunity', async () => {
    const series = await feed('/session-series')
    const first = await harvestFeed(t.platform, series, loopback)
    expect(first).toMatchObject({ items: 1, imported: 0, rejected: 0 })
    expect(await opportunitiesOf(series.id)).toEqual([])
    const sessionsFeed = await feed('/scheduled-sessions')
    const second = await harvestFeed(t.platform, sessionsFeed, loopback)
    expect(second).toMatchObject({ items: 1, imported: 1, rejected: 0 })
    const [o, ...rest] = await opportunitiesOf(series.id)
    expect(rest).toEqual([])
    expect(o!.externalId).toBe('https://opensessions.io/api/session-series/1402CBP20150217')
    expect(o!.title).toEqual({ en: 'Virtual BODYPUMP' })
    // The PartialSchedule (Tue + Sun) gives no sessions: only the concrete one.
    expect(sessions(o!)).toEqual(['2016-05-09T18:15:00Z/19:15:00Z'])
    expect(o).toMatchObject({ free: false, currency: 'GBP', ageMin: 16, ageMax: null, format: 'in-person' })
    expect(Number(o!.price)).toBe(3.3)
    expect(o!.concessions).toBe('Oxygen - Adult: 3.30 GBP · Oxygen - Senior: 3.30 GBP')
    expect(o!.topics).toContain('bodypump™')
    expect(o!.accessibilityNote).toBe('Visual impairment')
    expect(o!.address).toMatch(/^Middlesbrough Sports Village, Alan Peacock Way/)
  })

  it('joins them the other way round too: sessions first, series later', async () => {
    const other = await addProvider(t, provider.cityId, { slug: 'feeds-other', name: 'Other' })
    const sessionsFeed = await feed('/scheduled-sessions', other)
    expect(await harvestFeed(t.platform, sessionsFeed, loopback)).toMatchObject({ imported: 0, rejected: 0 })
    const series = await feed('/session-series', other)
    expect(await harvestFeed(t.platform, series, loopback)).toMatchObject({ imported: 1 })
    const [row] = await rows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunities where organization_id = ${other.orgId}`,
    )
    expect(row!.n).toBe(1)
  })

  it('joins a series and its sessions that come on the pages right after it, into one opportunity', async () => {
    const other = await addProvider(t, provider.cityId, { slug: 'feeds-paged', name: 'Paged' })
    const paged = await feed('/one-a-page', other)
    // Each page's commit waits a moment, so the next page is surely planned before it commits.
    await t.platform.db.execute(
      sql.raw(`create function slow_commit() returns trigger language plpgsql as $$
        begin perform pg_sleep(0.3); return null; end $$;
        create trigger slow_commit after update on harvest_runs for each statement execute function slow_commit()`),
    )
    const run = await harvestFeed(t.platform, paged, loopback).finally(() =>
      t.platform.db.execute(sql.raw('drop trigger slow_commit on harvest_runs; drop function slow_commit()')),
    )
    expect(run).toMatchObject({ pages: 4, items: 3, imported: 1, rejected: 0, reachedEnd: true })
    const [row] = await rows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunities where organization_id = ${other.orgId}`,
    )
    expect(row!.n).toBe(1)
    const ids = await rows<{ id: number }>(
      t.platform.db,
      sql`select distinct opportunity_id::int as id from harvest_records where feed_id = ${paged.id} and opportunity_id is not null`,
    )
    const [o] = await findOpportunities(
      t.platform.db,
      other.cityId,
      ids.map((r) => r.id),
    )
    expect(sessions(o!)).toEqual(['2016-05-09T18:15:00Z/19:15:00Z', '2016-05-16T18:15:00Z/19:15:00Z'])
  })

  it('imports the real publisher items: 48 Thursdays (exceptDate on the local date, logged) and 19 online Fridays', async () => {
    const f = await feed('/real')
    const run = await harvestFeed(t.platform, f, loopback)
    expect(run).toMatchObject({ items: 2, imported: 2, rejected: 0 })
    const byTitle = new Map((await opportunitiesOf(f.id)).map((o) => [o.title.en, o]))
    const badminton = sessions(byTitle.get('No Strings Badminton - Thursday daytime')!)
    expect(badminton).toHaveLength(48)
    expect(badminton[0]).toBe('2020-01-02T11:00:00Z/14:00:00Z')
    expect(badminton).toContain('2020-07-16T10:00:00Z/13:00:00Z')
    expect(badminton.some((s) => s.startsWith('2020-07-23'))).toBe(false)
    expect(badminton.at(-1)).toBe('2020-12-03T11:00:00Z/14:00:00Z')
    expect(byTitle.get('No Strings Badminton - Thursday daytime')).toMatchObject({
      free: true,
      lat: 52.0406224,
    })
    const dance = byTitle.get('S4K TV - Dance')!
    const fridays = sessions(dance)
    expect(fridays).toHaveLength(19)
    expect(fridays[0]).toBe('2020-05-01T13:30:00Z/14:00:00Z')
    expect(fridays.at(-1)).toBe('2020-09-04T13:30:00Z/14:00:00Z')
    expect(dance).toMatchObject({
      format: 'online',
      free: true,
      joinUrl: 'https://booking.sport4kids.biz/s4k_tv_-_dance01_01052020',
    })
    expect(dance.topics).toContain('dance')
    const log = await repo.listLog(t.platform.db, provider.cityId, f.id)
    expect(
      log
        .filter((l) => l.outcome === 'warning' && l.itemId === 'tlqi1kkclv66')
        .flatMap((l) => l.reasons)
        .join(' '),
    ).toMatch(/exceptDate 2020-07-23T11:00:00.000Z matches no session exactly/)
  })

  it('re-harvests without duplicates: from the cursor, and from the start again', async () => {
    const f = await feed('/real')
    await harvestFeed(t.platform, f, loopback)
    const before = (await opportunitiesOf(f.id)).map((o) => o.id).sort()
    const resumed = await harvestFeed(
      t.platform,
      (await repo.findFeed(t.platform.db, provider.cityId, f.id))!,
      loopback,
    )
    expect(resumed).toMatchObject({ pages: 1, items: 0, imported: 0, updated: 0 })
    await repo.updateFeed(t.platform.db, provider.cityId, f.id, { cursor: null })
    const again = await harvestFeed(
      t.platform,
      (await repo.findFeed(t.platform.db, provider.cityId, f.id))!,
      loopback,
    )
    expect(again).toMatchObject({ items: 2, imported: 0, updated: 0, unchanged: 2 })
    expect((await opportunitiesOf(f.id)).map((o) => o.id).sort()).toEqual(before)
  })

  it('updates changed items, archives deleted ones, rejects bad ones with reasons and keeps the rest', async () => {
    const item = sample('sessionseries-with-schedule-exdates.json').data
    live.length = 0
    live.push(
      {
        id: 'a',
        modified: 10,
        state: 'updated',
        data: { ...item, '@id': 'https://x.test/a', name: 'Alpha' },
      },
      { id: 'b', modified: 11, state: 'updated', data: { ...item, '@id': 'https://x.test/b', name: 'Beta' } },
      { id: 'c', modified: 12, state: 'updated', data: { ...item, '@id': 'https://x.test/c', name: '' } },
      {
        id: 'd',
        modified: 13,
        state: 'updated',
        data: {
          ...item,
          '@id': 'https://x.test/d',
          eventSchedule: [{ '@type': 'Schedule', repeatFrequency: 'P1D' }],
        },
      },
    )
    const f = await feed('/live')
    const first = await harvestFeed(t.platform, f, loopback)
    expect(first).toMatchObject({ imported: 2, rejected: 2, reachedEnd: true })
    const log = await repo.listLog(t.platform.db, provider.cityId, f.id)
    expect(log.filter((l) => l.outcome === 'rejected').map((l) => [l.itemId, l.reasons[0]])).toEqual(
      expect.arrayContaining([
        ['c', 'the item has no name'],
        ['d', expect.stringMatching(/time zone/)],
      ]),
    )
    // Alpha renamed, Beta deleted (a tombstone), one item not RPDE at all.
    live.push({
      id: 'a',
      modified: 20,
      state: 'updated',
      data: { ...item, '@id': 'https://x.test/a', name: 'Alpha 2' },
    })
    live.push({ id: 'b', modified: 21, state: 'deleted' })
    const second = await harvestFeed(
      t.platform,
      (await repo.findFeed(t.platform.db, provider.cityId, f.id))!,
      loopback,
    )
    expect(second).toMatchObject({ updated: 1, deleted: 1, imported: 0 })
    const titles = Object.fromEntries(
      (
        await rows<{ title: { en: string }; status: string }>(
          t.platform.db,
          sql`select title, status from opportunities where external_id like 'https://x.test/%'`,
        )
      ).map((r) => [r.title.en, r.status]),
    )
    expect(titles).toEqual({ 'Alpha 2': 'published', Beta: 'archived' })
    const deleted = (await repo.listLog(t.platform.db, provider.cityId, f.id)).filter(
      (l) => l.outcome === 'deleted',
    )
    expect(deleted.map((l) => [l.itemId, l.title])).toEqual([['b', 'Beta']])
  })

  it('refuses feeds on private addresses unless the operator allows them, and records why', async () => {
    const f = await feed('/real')
    const refused = await harvestFeed(t.platform, f, { fetch: {} })
    expect(refused.error).toMatch(/^blocked-address: 127\.0\.0\.1 is a loopback address/)
    expect(refused.imported).toBe(0)
    const redirected = await harvestFeed(t.platform, await feed('/to-private'), loopback)
    expect(redirected.error).toMatch(/^blocked-address: 10\.1\.2\.3 is a private address/)
    const [run] = await repo.listRuns(t.platform.db, provider.cityId, f.id)
    expect(run).toMatchObject({ status: 'failed', imported: 0 })
  })

  it('the scheduled job harvests due feeds with the operator policy and waits their interval', async () => {
    const loopbackPlatform = {
      ...t.platform,
      config: { ...t.platform.config, fetch: { allowLoopback: true, allowPrivate: false } },
    }
    await rows(t.platform.db, sql`update harvest_feeds set status = 'paused'`)
    const f = await feed('/course-instances', provider, { intervalMinutes: 30 })
    const done = await harvestDueFeeds(loopbackPlatform)
    expect(done.map((d) => d.error)).toEqual([null])
    const after = (await repo.findFeed(t.platform.db, provider.cityId, f.id))!
    expect(after.lastError).toBeNull()
    expect(after.claimedUntil).toBeNull()
    expect(after.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000)
    expect(await harvestDueFeeds(loopbackPlatform)).toEqual([])
  })
})
