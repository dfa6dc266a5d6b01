import { type Db, executeTogether, type SQL, sql } from '../../../platform/db/index.ts'
import { FetchError, type FetchOptions, fetchExternal } from '../../../platform/fetch/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { districtLocator, findCityById } from '../../cities/index.ts'
import {
  type Actor,
  announce,
  inTransaction,
  queueSearchIndexing,
  startImport,
} from '../../opportunities/index.ts'
import {
  archive,
  type Context,
  emptyTotals,
  logLine,
  type NewRecord,
  type OpportunityPayload,
  planRebuild,
  type RebuildPlan,
  rebuild,
  type SessionPayload,
  settingsOf,
  storeOccurrences,
  writeRebuild,
} from './apply.ts'
import { readCalendar } from './ical.ts'
import { normaliseItem } from './openactive.ts'
import * as repo from './repository.ts'
import { type RpdeItem, readPage } from './rpde.ts'

type RpdePage = Extract<Awaited<ReturnType<typeof readPage>>, { ok: true }>

import type { FeedSettings } from './to-input.ts'

/** Sessions are read this far ahead (the catalogue's own horizon). */
const AHEAD_DAYS = 550
/** Pages read per run at most; the next run resumes from the cursor. */
const MAX_PAGES = 1_000
/** Calendars and CSV files fetched up to this size. */
const FILE_BYTES = 10_000_000

export interface HarvestOptions {
  /** The fetcher's address policy and limits (the operator's FETCH_ALLOW_ADDRESSES, tests' loopback). */
  fetch?: FetchOptions
  now?: Date
  maxPages?: number
  /** For calendars: the sessions read (default from the Unix epoch to the horizon). */
  window?: { from: Date; to: Date }
}

export interface HarvestSummary extends repo.RunTotals {
  runId: number
  error: string | null
  /** RPDE: the last page was reached (the feed is caught up). */
  reachedEnd: boolean
}

/** The harvester acts as a coordinator of the feed's city, named after the feed in the audit trail. */
async function actorFor(platform: Platform, feed: repo.FeedRow): Promise<Actor> {
  const city = await findCityById(platform.db, feed.cityId)
  if (!city) throw new Error(`feed ${feed.id} belongs to no city`)
  return {
    userId: null,
    label: `feed: ${feed.name}`.slice(0, 200),
    cityId: feed.cityId,
    timeZone: city.timeZone,
    coordinator: true,
    organizations: [],
  }
}

/** Harvests one feed now, whatever its kind; the run and its log say what happened. */
export async function harvestFeed(
  platform: Platform,
  feed: repo.FeedRow,
  options: HarvestOptions & { calendarText?: string } = {},
): Promise<HarvestSummary> {
  const now = options.now ?? new Date()
  const actor = await actorFor(platform, feed)
  const runId = await repo.startRun(platform.db, feed.cityId, feed.id)
  let result: { error: string | null; reachedEnd: boolean; totals: repo.RunTotals }
  try {
    if (feed.kind === 'rpde') result = await harvestRpde(platform, feed, actor, runId, now, options)
    else if (feed.kind === 'ical') result = await harvestCalendar(platform, feed, actor, runId, now, options)
    else result = await harvestCsv(platform, feed, actor, runId, options)
  } catch (e) {
    await repo.finishRun(platform.db, runId, `internal error: ${(e as Error).message}`.slice(0, 2000))
    throw e
  }
  await repo.finishRun(platform.db, runId, result.error)
  return { runId, ...result.totals, error: result.error, reachedEnd: result.reachedEnd }
}

function newContext(platform: Platform, feed: repo.FeedRow, actor: Actor, runId: number, now: Date): Context {
  return { platform, feed, actor, runId, now, totals: emptyTotals(), log: [] }
}

/** A page read and planned (reads only): what its transaction then writes. */
interface PagePlan {
  ctx: Context
  items: number
  deleted: repo.RecordRow[]
  rebuild: RebuildPlan
  keys: PageKeys
}

/** What a page touches: the ids of its items and records, and the refs of its opportunities. */
interface PageKeys {
  items: Set<string>
  refs: Set<string>
}

const overlaps = (a: PageKeys, b: PageKeys) =>
  [...b.items].some((i) => a.items.has(i)) || [...b.refs].some((r) => a.refs.has(r))

/**
 * Walks an RPDE feed from its cursor; each page commits with its cursor, so a crash resumes there.
 * Pages are pipelined: while one page's transaction writes, the next is fetched, parsed and planned
 * (its records looked up and its opportunities checked, reads only, outside the transaction). A
 * plan made that way has not seen the page being written, so it is used only when the two pages
 * touch no item and no opportunity in common; otherwise the page is planned again after the commit.
 */
async function harvestRpde(
  platform: Platform,
  feed: repo.FeedRow,
  actor: Actor,
  runId: number,
  now: Date,
  options: HarvestOptions,
) {
  const totals = emptyTotals()
  let url = feed.cursor ?? feed.url
  const maxPages = options.maxPages ?? MAX_PAGES
  const locate = await districtLocator(platform, feed.cityId)
  const plan = (page: RpdePage) =>
    planItems({ ...newContext(platform, feed, actor, runId, now), locate }, page.items, page.bad)
  const read = (at: string) => {
    const reading = readPage(at, options.fetch ?? {}).then(async (page) => ({
      page,
      planned: page.ok ? await plan(page) : undefined,
    }))
    reading.catch(() => {})
    return reading
  }
  let next = read(url)
  let written: PageKeys | undefined
  for (let pages = 0; pages < maxPages; pages++) {
    const { page, planned } = await next
    if (!page.ok) return { error: page.error, reachedEnd: false, totals }
    // The last page: empty and naming itself. A page that names itself with items is read once.
    const last = page.last || page.next === url
    const current = planned && !(written && overlaps(written, planned.keys)) ? planned : await plan(page)
    const writing = inTransaction(platform, async (tx) => {
      const ctx = { ...current.ctx, platform: tx }
      await archive(ctx, current.deleted)
      const { announcements, statements } = await writeRebuild(ctx, current.rebuild)
      ctx.totals.pages = 1
      ctx.totals.items = current.items
      await writePage(tx.db, ctx, statements, page.next)
      return { totals: ctx.totals, announcements }
    })
    // The next page is fetched and planned while this one is written.
    if (!last && pages + 1 < maxPages) next = read(page.next)
    const applied = await writing
    written = current.keys
    await announce(platform, applied.announcements)
    if (applied.totals.imported + applied.totals.updated > 0) await queueSearchIndexing(platform)
    for (const k of Object.keys(totals) as (keyof repo.RunTotals)[]) totals[k] += applied.totals[k]
    if (last) return { error: null, reachedEnd: true, totals }
    url = page.next
  }
  return { error: null, reachedEnd: false, totals }
}

/**
 * Writes what a page leaves to write as one statement: its records, new opportunities, log lines,
 * the run's totals and (RPDE) the cursor. Its commit need not wait for the disk: the cursor is in
 * the same transaction, so a commit lost in a crash loses its cursor too and the page is read again.
 */
async function writePage(db: Db, ctx: Context, statements: (SQL | undefined)[], cursor?: string) {
  await executeTogether(db, [
    ...statements,
    repo.insertLogStatement(db, ctx.log),
    repo.addToRunStatement(db, ctx.runId, ctx.totals),
    cursor === undefined ? undefined : repo.saveCursorStatement(db, ctx.feed.id, cursor),
    sql`select set_config('synchronous_commit', 'off', true)`,
  ])
}

/**
 * Plans one page of RPDE items, reading only: one lookup of the page's records, then the
 * opportunities they touch as one batch (checked, not written).
 */
async function planItems(ctx: Context, items: RpdeItem[], bad: RpdePage['bad']): Promise<PagePlan> {
  for (const b of bad) {
    ctx.totals.rejected++
    logLine(ctx, b.id, '', 'rejected', [`not an RPDE item: ${b.reason}`])
  }
  const { platform, feed } = ctx
  const latest = new Map<string, RpdeItem>()
  for (const item of items) latest.set(item.id, item)
  const existing = new Map(
    (await repo.findRecords(platform.db, feed.id, [...latest.keys()])).map((r) => [r.itemId, r]),
  )
  const until = new Date(ctx.now.getTime() + AHEAD_DAYS * 86400_000)
  const upserts: NewRecord[] = []
  const deleted: repo.RecordRow[] = []
  const dirty = new Set<string>()
  const base = { cityId: feed.cityId, organizationId: feed.organizationId, feedId: feed.id }
  for (const item of latest.values()) {
    const record = existing.get(item.id)
    if (item.state === 'deleted') {
      if (!record) {
        ctx.totals.unchanged++
        continue
      }
      deleted.push(record)
      ctx.totals.deleted++
      const title =
        record.role === 'opportunity' ? (record.payload as unknown as OpportunityPayload).draft.title : ''
      logLine(ctx, item.id, title, 'deleted', [
        record.role === 'opportunity' ? 'archived' : 'session removed',
      ])
      if (record.role === 'session' && record.parentRef) dirty.add(record.parentRef)
      continue
    }
    if (record && record.modified === item.modified) {
      ctx.totals.unchanged++
      continue
    }
    const n = normaliseItem({ id: item.id, data: item.data }, until)
    if (n.type === 'rejected') {
      ctx.totals.rejected++
      const name = (item.data as { name?: unknown } | undefined)?.name
      logLine(ctx, item.id, typeof name === 'string' ? name : '', 'rejected', n.reasons)
      continue
    }
    if (n.warnings.length)
      logLine(ctx, item.id, n.type === 'opportunity' ? n.draft.title : '', 'warning', n.warnings)
    if (n.type === 'opportunity') {
      const payload: OpportunityPayload = { draft: n.draft, occurrences: storeOccurrences(n.occurrences) }
      upserts.push({
        ...base,
        itemId: item.id,
        ref: n.draft.ref,
        role: 'opportunity',
        parentRef: null,
        modified: item.modified,
        opportunityId: record?.opportunityId ?? null,
        payload: payload as never,
      })
      dirty.add(n.draft.ref)
    } else {
      const s = n.session
      const payload: SessionPayload = {
        start: s.start.toISOString(),
        end: s.end.toISOString(),
        capacity: s.capacity,
        cancelled: s.cancelled,
      }
      upserts.push({
        ...base,
        itemId: item.id,
        ref: s.ref,
        role: 'session',
        parentRef: n.parentRef,
        modified: item.modified,
        opportunityId: null,
        payload: payload as never,
      })
      if (n.parent) {
        // A session carrying its series (not split): the series is kept as a record of its own.
        const parent: OpportunityPayload = { draft: n.parent, occurrences: null }
        upserts.push({
          ...base,
          itemId: `superEvent ${n.parentRef}`.slice(0, 2000),
          ref: n.parentRef,
          role: 'opportunity',
          parentRef: null,
          modified: item.modified,
          opportunityId: null,
          payload: parent as never,
        })
      }
      dirty.add(n.parentRef)
    }
  }
  // One item id may appear once per statement: the embedded series of several sessions is one row.
  const unique = new Map(upserts.map((u) => [u.itemId, u]))
  const keys: PageKeys = {
    items: new Set([...latest.keys(), ...unique.keys()]),
    refs: new Set([...dirty, ...deleted.map((r) => r.ref)]),
  }
  return {
    ctx,
    items: items.length + bad.length,
    deleted,
    rebuild: await planRebuild(ctx, dirty, { records: [...unique.values()], deleted }),
    keys,
  }
}

/** Fetches a calendar (or takes the uploaded text) and applies it: UIDs gone from it are archived. */
async function harvestCalendar(
  platform: Platform,
  feed: repo.FeedRow,
  actor: Actor,
  runId: number,
  now: Date,
  options: HarvestOptions & { calendarText?: string },
) {
  const totals = emptyTotals()
  let text = options.calendarText
  if (text === undefined) {
    const fetched = await fetchText(feed.url, options.fetch ?? {})
    if (!fetched.ok) return { error: fetched.error, reachedEnd: false, totals }
    text = fetched.text
  }
  const window = options.window ?? { from: new Date(0), to: new Date(now.getTime() + AHEAD_DAYS * 86400_000) }
  let read: ReturnType<typeof readCalendar>
  try {
    read = readCalendar(text, window, actor.timeZone)
  } catch (e) {
    return {
      error: `the calendar cannot be read: ${(e as Error).message}`.slice(0, 2000),
      reachedEnd: false,
      totals,
    }
  }
  const applied = await inTransaction(platform, async (tx) => {
    const ctx = newContext(tx, feed, actor, runId, now)
    ctx.totals.pages = 1
    ctx.totals.items = read.events.length + read.rejected.length
    for (const r of read.rejected) {
      ctx.totals.rejected++
      logLine(ctx, r.uid, r.title, 'rejected', [r.reason])
    }
    const existing = await repo.findRecords(
      tx.db,
      feed.id,
      read.events.map((e) => e.uid),
    )
    const known = new Map(existing.map((r) => [r.itemId, r]))
    const upserts: NewRecord[] = []
    const dirty = new Set<string>()
    for (const e of read.events) {
      if (e.warnings.length) logLine(ctx, e.uid, e.title, 'warning', e.warnings)
      if (e.occurrences.length === 0) {
        ctx.totals.rejected++
        logLine(ctx, e.uid, e.title, 'rejected', ['the event has no session in the time read'])
        continue
      }
      if (!e.title)
        logLine(ctx, e.uid, feed.name, 'warning', ["the event has no SUMMARY: the import's name stands in"])
      const draft = draftOfEvent({ ...e, title: e.title || feed.name }, settingsOf(feed))
      const payload: OpportunityPayload = { draft, occurrences: storeOccurrences(e.occurrences) }
      upserts.push({
        cityId: feed.cityId,
        organizationId: feed.organizationId,
        feedId: feed.id,
        itemId: e.uid,
        ref: `ical:${e.uid}`.slice(0, 2000),
        role: 'opportunity',
        parentRef: null,
        modified: null,
        opportunityId: known.get(e.uid)?.opportunityId ?? null,
        payload: payload as never,
      })
      dirty.add(`ical:${e.uid}`.slice(0, 2000))
    }
    // Events no longer in the calendar were deleted by its publisher.
    const present = new Set(read.events.map((e) => e.uid))
    const gone = (await repo.listFeedRecords(tx.db, feed.id)).filter((r) => !present.has(r.itemId))
    for (const r of gone) {
      ctx.totals.deleted++
      logLine(ctx, r.itemId, (r.payload as unknown as OpportunityPayload).draft.title, 'deleted', [
        'no longer in the calendar: archived',
      ])
    }
    await archive(ctx, gone)
    const { announcements, statements } = await rebuild(ctx, dirty, { records: upserts, deleted: gone })
    await writePage(tx.db, ctx, statements)
    return { totals: ctx.totals, announcements }
  })
  await announce(platform, applied.announcements)
  if (applied.totals.imported + applied.totals.updated > 0) await queueSearchIndexing(platform)
  return { error: null, reachedEnd: true, totals: applied.totals }
}

/** A calendar event as the fields the catalogue keeps (the place by GEO, else the feed's choice). */
function draftOfEvent(e: ReturnType<typeof readCalendar>['events'][number], settings: FeedSettings) {
  const free = (settings.price ?? null) === null
  return {
    ref: e.uid,
    type: 'VEVENT',
    title: e.title,
    description: e.description,
    url: e.url,
    image: null,
    topics: [],
    ageMin: null,
    ageMax: null,
    attendance: e.geo ? ('offline' as const) : ('online' as const),
    place: e.geo ? { name: e.location, address: '', lat: e.geo.lat, lon: e.geo.lon } : null,
    offers: [],
    free,
    capacity: null,
    accessibilityNote: '',
    cancelled: false,
  }
}

async function fetchText(
  url: string,
  options: FetchOptions,
): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    const res = await fetchExternal(url, { maxBytes: FILE_BYTES, ...options })
    if (!res.ok) return { ok: false, error: `the address answered HTTP ${res.status}` }
    return { ok: true, text: res.text() }
  } catch (e) {
    if (e instanceof FetchError) return { ok: false, error: `${e.code}: ${e.message}` }
    throw e
  }
}

/** A CSV feed is fetched and handed to the opportunities import, whose report lists every row. */
async function harvestCsv(
  platform: Platform,
  feed: repo.FeedRow,
  actor: Actor,
  runId: number,
  options: HarvestOptions,
) {
  const totals = emptyTotals()
  let bytes: Buffer
  try {
    const res = await fetchExternal(feed.url, { maxBytes: FILE_BYTES, ...options.fetch })
    if (!res.ok) return { error: `the address answered HTTP ${res.status}`, reachedEnd: false, totals }
    bytes = res.body
  } catch (e) {
    if (e instanceof FetchError) return { error: `${e.code}: ${e.message}`, reachedEnd: false, totals }
    throw e
  }
  const name = decodeURIComponent(new URL(feed.url).pathname.split('/').pop() || 'feed.csv').replace(
    /[^\w.-]/g,
    '_',
  )
  const started = await startImport(platform, actor, feed.organizationId, {
    name: /\.(csv|xlsx)$/i.test(name) ? name : `${name}.csv`,
    bytes,
  })
  if (!started.ok)
    return { error: `the file was not accepted for import (${started.error})`, reachedEnd: false, totals }
  totals.pages = 1
  const ctx = newContext(platform, feed, actor, runId, new Date())
  logLine(ctx, `import ${started.value.id}`, '', 'warning', [
    `handed to the import ${started.value.id}, whose report lists each row`,
  ])
  ctx.totals.warnings = 0
  await repo.insertLog(platform.db, ctx.log)
  await repo.addToRun(platform.db, runId, totals)
  return { error: null, reachedEnd: true, totals }
}
