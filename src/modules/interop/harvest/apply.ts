/**
 * Turning outside items into opportunities through the opportunities module's own use cases: each
 * item's record is kept by its feed id; opportunities are built from their record and the session
 * records that name them (split SessionSeries/ScheduledSession feeds join here, whichever came first).
 */
import type { SQL } from '../../../platform/db/index.ts'
import type { Platform } from '../../../platform/module.ts'
import {
  type Actor,
  type announce,
  planCreates,
  prepareOpportunities,
  transition,
  writeUpdates,
} from '../../opportunities/index.ts'
import type { Occurrence } from './occurrences.ts'
import type { Draft } from './openactive.ts'
import * as repo from './repository.ts'
import { type FeedSettings, inputFor } from './to-input.ts'

export type Announcement = Parameters<typeof announce>[1][number]

/** What a page (or a calendar) did, and the lines of the log it wrote. */
export interface Applied {
  totals: repo.RunTotals
  announcements: Announcement[]
}

export const emptyTotals = (): repo.RunTotals => ({
  pages: 0,
  items: 0,
  imported: 0,
  updated: 0,
  unchanged: 0,
  deleted: 0,
  rejected: 0,
  warnings: 0,
})

/** The stored form of an opportunity record. */
export interface OpportunityPayload {
  draft: Draft
  /** Sessions the item gives itself, ISO instants; null when it waits for ScheduledSessions. */
  occurrences: { start: string; end: string }[] | null
}

export interface SessionPayload {
  start: string
  end: string
  capacity: number | null
  cancelled: boolean
}

export const storeOccurrences = (o: Occurrence[] | null) =>
  o === null ? null : o.map((x) => ({ start: x.start.toISOString(), end: x.end.toISOString() }))

export interface Context {
  platform: Platform
  feed: repo.FeedRow
  actor: Actor
  runId: number
  now: Date
  totals: repo.RunTotals
  log: Parameters<typeof repo.insertLog>[1]
  /** The city's district locator, loaded once per harvest (not once per page's transaction). */
  locate?: NonNullable<Parameters<typeof prepareOpportunities>[3]>['locate']
}

export function settingsOf(feed: repo.FeedRow): FeedSettings {
  return {
    language: feed.language,
    buildingBlock: feed.buildingBlock,
    price: feed.price === null ? null : Number(feed.price),
    currency: feed.currency,
    venueId: feed.venueId,
  }
}

export function logLine(
  ctx: Context,
  itemId: string,
  title: string,
  outcome: 'rejected' | 'warning' | 'deleted',
  reasons: string[],
) {
  ctx.log.push({
    cityId: ctx.feed.cityId,
    feedId: ctx.feed.id,
    runId: ctx.runId,
    itemId: itemId.slice(0, 500),
    title: title.slice(0, 300),
    outcome,
    reasons: reasons.map((r) => r.slice(0, 1000)).slice(0, 50),
  })
  if (outcome === 'warning') ctx.totals.warnings += reasons.length
}

/** Archives the opportunities of deleted items (the audit trail keeps who and when). */
export async function archive(ctx: Context, records: repo.RecordRow[]) {
  for (const r of records) {
    if (r.role !== 'opportunity' || r.opportunityId === null) continue
    await transition(
      ctx.platform,
      ctx.actor,
      r.opportunityId,
      'archive',
      `deleted from feed ${ctx.feed.name}`,
    )
  }
}

const byStart = (a: Occurrence, b: Occurrence) => a.start.getTime() - b.start.getTime()

/**
 * Harvested rows are written without their search words, as the import's are: the indexing job
 * (queued after each page commits) fills them, so a page does not pay for them on its insert.
 */
const SEARCH_LATER = { deferSearchIndex: true }

/** A record as a page writes it (by feed and item id). */
export type NewRecord = Parameters<typeof repo.upsertRecordsStatement>[0][number]

/** What a page (or a calendar) writes of its records: the items it read and the ones deleted. */
export interface PageRecords {
  records: NewRecord[]
  deleted: repo.RecordRow[]
}

/** A record as rebuild sees it: stored, or this page's (not written yet, and newer than any stored). */
type Known = repo.RecordRow & { pending: boolean }

const keyOf = (r: { feedId: number; itemId: string }) => `${r.feedId} ${r.itemId}`

type Checked = Awaited<ReturnType<typeof prepareOpportunities>>[number]

/**
 * What rebuild decided before writing anything: the records the page writes, the opportunities to
 * create or update with their checked fields, and the ones to cancel. Made with reads only, so the
 * harvest plans one page while the page before it is written.
 */
export interface RebuildPlan {
  page: PageRecords
  opportunities: Known[]
  creates: { record: Known; input: Checked }[]
  updates: { record: Known; input: Checked }[]
  cancels: number[]
  /** The creates as planCreates made them: ids taken, external ids checked, statements built. */
  planned: Awaited<ReturnType<typeof planCreates>>
}

/**
 * Builds (creates or updates) the opportunities with these refs from their records and their
 * sessions' records, as one batch through prepareOpportunities, planCreates and writeUpdates. The
 * page's own records are not written yet: they stand in for their stored versions here, and the
 * returned statements write them (pointing at the opportunities made of them), relink other
 * records of the same items, delete the deleted ones and insert the new opportunities, so the
 * caller sends one statement for the page. Updates and lifecycle moves are written here.
 */
export async function rebuild(ctx: Context, refs: Set<string>, page: PageRecords) {
  return writeRebuild(ctx, await planRebuild(ctx, refs, page))
}

/** The reading half of rebuild: looks records up and checks the opportunities' fields. */
export async function planRebuild(ctx: Context, refs: Set<string>, page: PageRecords): Promise<RebuildPlan> {
  const { platform, feed, actor } = ctx
  const gone = new Set(page.deleted.map((r) => r.id))
  const plan: RebuildPlan = {
    page,
    opportunities: [],
    creates: [],
    updates: [],
    cancels: [],
    planned: { results: [], statements: [] },
  }
  if (refs.size === 0) return plan
  const list = [...refs]
  const stored = [
    ...(await repo.findByRefs(platform.db, feed.organizationId, list)),
    ...(await repo.findSessions(platform.db, feed.organizationId, list)),
  ].filter((r) => !gone.has(r.id))
  const storedByKey = new Map(stored.map((r) => [keyOf(r), r]))
  const pendingKeys = new Set(page.records.map(keyOf))
  const known: Known[] = [
    ...stored.filter((r) => !pendingKeys.has(keyOf(r))).map((r) => ({ ...r, pending: false })),
    ...page.records.map((r): Known => {
      const before = storedByKey.get(keyOf(r))
      return {
        id: before?.id ?? 0,
        cityId: r.cityId,
        organizationId: r.organizationId,
        feedId: r.feedId,
        itemId: r.itemId,
        ref: r.ref,
        role: r.role,
        parentRef: r.parentRef ?? null,
        modified: r.modified ?? null,
        opportunityId: r.opportunityId ?? before?.opportunityId ?? null,
        payload: r.payload,
        updatedAt: ctx.now,
        pending: true,
      }
    }),
  ]
  const sessionsOf = new Map<string, Occurrence[]>()
  for (const s of known) {
    if (s.role !== 'session' || s.parentRef === null || !refs.has(s.parentRef)) continue
    const p = s.payload as unknown as SessionPayload
    if (p.cancelled) continue
    const at = sessionsOf.get(s.parentRef) ?? []
    at.push({ start: new Date(p.start), end: new Date(p.end) })
    sessionsOf.set(s.parentRef, at)
  }
  // The same item may come from two feeds of the provider: one opportunity, from the newest record
  // (this page's records are the newest).
  const rank = (r: Known) => (r.pending ? Number.POSITIVE_INFINITY : r.updatedAt.getTime())
  const opportunities = known.filter((r) => r.role === 'opportunity' && refs.has(r.ref))
  const byRef = new Map<string, Known>()
  for (const r of opportunities) {
    const seen = byRef.get(r.ref)
    const newest = !seen || rank(r) >= rank(seen) ? r : seen
    byRef.set(r.ref, {
      ...newest,
      opportunityId: seen?.opportunityId ?? r.opportunityId ?? newest.opportunityId,
    })
  }
  const builds: { record: Known; raw: unknown }[] = []
  for (const record of byRef.values()) {
    const { draft, occurrences } = record.payload as unknown as OpportunityPayload
    const found = new Map<number, Occurrence>()
    for (const o of [
      ...(occurrences ?? []).map((x) => ({ start: new Date(x.start), end: new Date(x.end) })),
      ...(sessionsOf.get(record.ref) ?? []),
    ])
      found.set(o.start.getTime(), o)
    const all = [...found.values()].sort(byStart)
    if (draft.cancelled) {
      if (record.opportunityId !== null) plan.cancels.push(record.opportunityId)
      continue
    }
    if (all.length === 0) {
      // A series whose sessions have not come yet (split feeds) waits; one that had some keeps them.
      if (record.opportunityId !== null)
        logLine(ctx, record.itemId, draft.title, 'warning', [
          'no sessions left in the feed: the opportunity keeps its last ones',
        ])
      continue
    }
    const { raw, warnings } = inputFor(draft, all, settingsOf(feed), actor.timeZone, ctx.now)
    if (warnings.length) logLine(ctx, record.itemId, draft.title, 'warning', warnings)
    builds.push({ record, raw })
  }
  const checked = await prepareOpportunities(
    platform,
    actor,
    builds.map((b) => b.raw),
    { locate: ctx.locate },
  )
  builds.forEach((b, i) => {
    const into = b.record.opportunityId === null ? plan.creates : plan.updates
    into.push({ record: b.record, input: checked[i]! })
  })
  plan.opportunities = opportunities
  // Taking ids and checking external ids only read, so they are planned here too. An external id is
  // the item's ref (or its digest), so one taken by the page before, not seen yet, is a shared ref.
  plan.planned = await planCreates(
    platform,
    actor,
    feed.organizationId,
    plan.creates.map((c) => ({ input: c.input, publish: true })),
    SEARCH_LATER,
  )
  return plan
}

/** The writing half of rebuild, in the page's transaction. */
export async function writeRebuild(
  ctx: Context,
  plan: RebuildPlan,
): Promise<{ announcements: Announcement[]; statements: (SQL | undefined)[] }> {
  const { platform, feed, actor } = ctx
  const { page, opportunities, creates, updates, planned } = plan
  const gone = new Set(page.deleted.map((r) => r.id))
  const finish = (links: Map<string, number>, relinks: { recordId: number; opportunityId: number }[]) => [
    repo.upsertRecordsStatement(
      page.records.map((r) =>
        r.role === 'opportunity' && links.has(r.ref) ? { ...r, opportunityId: links.get(r.ref)! } : r,
      ),
    ),
    repo.linkRecordsStatement(relinks),
    repo.deleteRecordsStatement([...gone]),
  ]
  for (const id of plan.cancels)
    await transition(platform, actor, id, 'cancel', `cancelled in feed ${feed.name}`)
  if (creates.length === 0 && updates.length === 0)
    return { announcements: [], statements: finish(new Map(), []) }
  const reject = (
    b: { record: Known },
    fields: { field: string; detail: string }[] | undefined,
    error: string,
  ) => {
    ctx.totals.rejected++
    const draft = (b.record.payload as unknown as OpportunityPayload).draft
    logLine(
      ctx,
      b.record.itemId,
      draft.title,
      'rejected',
      fields?.length ? fields.map((f) => `${f.field}: ${f.detail}`) : [error],
    )
  }
  // Records of the same item in other feeds (and this one) point at the opportunity too.
  const links = new Map<string, number>()
  planned.results.forEach((r, i) => {
    if (r.ok) {
      ctx.totals.imported++
      links.set(creates[i]!.record.ref, r.value.id)
    } else reject(creates[i]!, r.fields, r.error)
  })
  for (const u of updates) links.set(u.record.ref, u.record.opportunityId!)
  const relinks = opportunities.flatMap((r) =>
    !r.pending && links.has(r.ref) && r.opportunityId !== links.get(r.ref)
      ? [{ recordId: r.id, opportunityId: links.get(r.ref)! }]
      : [],
  )
  const { results, announcements } = await writeUpdates(
    platform,
    actor,
    updates.map((u) => ({ id: u.record.opportunityId!, input: u.input })),
    SEARCH_LATER,
  )
  results.forEach((r, i) => {
    if (!r.ok)
      reject(
        updates[i]!,
        r.fields,
        `the opportunity ${updates[i]!.record.opportunityId} could not be updated (${r.error})`,
      )
    else if (r.value.changed.length > 0) ctx.totals.updated++
    else ctx.totals.unchanged++
  })
  return { announcements, statements: [...finish(links, relinks), ...planned.statements] }
}
