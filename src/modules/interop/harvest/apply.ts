/**
 * Turning outside items into opportunities through the opportunities module's own use cases: each
 * item's record is kept by its feed id; opportunities are built from their record and the session
 * records that name them (split SessionSeries/ScheduledSession feeds join here, whichever came first).
 */
import type { Platform } from '../../../platform/module.ts'
import {
  type Actor,
  type announce,
  prepareOpportunities,
  transition,
  writeCreates,
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
 * Builds (creates or updates) the opportunities with these refs from their records and their
 * sessions' records, as one batch through prepareOpportunities, writeCreates and writeUpdates.
 */
export async function rebuild(ctx: Context, refs: Set<string>): Promise<Announcement[]> {
  if (refs.size === 0) return []
  const { platform, feed, actor } = ctx
  const list = [...refs]
  const opportunities = await repo.findByRefs(platform.db, feed.organizationId, list)
  const sessions = await repo.findSessions(platform.db, feed.organizationId, list)
  const sessionsOf = new Map<string, Occurrence[]>()
  for (const s of sessions) {
    const p = s.payload as unknown as SessionPayload
    if (p.cancelled) continue
    const at = sessionsOf.get(s.parentRef!) ?? []
    at.push({ start: new Date(p.start), end: new Date(p.end) })
    sessionsOf.set(s.parentRef!, at)
  }
  // The same item may come from two feeds of the provider: one opportunity, from the newest record.
  const byRef = new Map<string, repo.RecordRow>()
  for (const r of opportunities) {
    const known = byRef.get(r.ref)
    const newest = !known || r.updatedAt.getTime() >= known.updatedAt.getTime() ? r : known
    byRef.set(r.ref, {
      ...newest,
      opportunityId: known?.opportunityId ?? r.opportunityId ?? newest.opportunityId,
    })
  }
  const builds: { record: repo.RecordRow; raw: unknown }[] = []
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
      if (record.opportunityId !== null)
        await transition(platform, actor, record.opportunityId, 'cancel', `cancelled in feed ${feed.name}`)
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
  )
  const creates = builds.flatMap((b, i) =>
    b.record.opportunityId === null ? [{ ...b, input: checked[i]! }] : [],
  )
  const updates = builds.flatMap((b, i) =>
    b.record.opportunityId !== null ? [{ ...b, input: checked[i]! }] : [],
  )
  const reject = (
    b: { record: repo.RecordRow },
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
  const created = await writeCreates(
    platform,
    actor,
    feed.organizationId,
    creates.map((c) => ({ input: c.input, publish: true })),
  )
  const links: { ref: string; opportunityId: number }[] = []
  created.forEach((r, i) => {
    if (r.ok) {
      ctx.totals.imported++
      links.push({ ref: creates[i]!.record.ref, opportunityId: r.value.id })
    } else reject(creates[i]!, r.fields, r.error)
  })
  // Records of the same item in other feeds (and this one) point at the opportunity too.
  for (const u of updates) links.push({ ref: u.record.ref, opportunityId: u.record.opportunityId! })
  await repo.linkOpportunities(platform.db, feed.organizationId, links)
  const { results, announcements } = await writeUpdates(
    platform,
    actor,
    updates.map((u) => ({ id: u.record.opportunityId!, input: u.input })),
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
  return announcements
}
