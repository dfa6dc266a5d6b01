import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { type Db, rows } from '../../../platform/db/index.ts'
import { harvestFeeds, harvestLog, harvestRecords, harvestRuns } from '../schema-harvest.ts'

export type FeedRow = typeof harvestFeeds.$inferSelect
export type NewFeed = Omit<typeof harvestFeeds.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>
export type RecordRow = typeof harvestRecords.$inferSelect
export type RunRow = typeof harvestRuns.$inferSelect
export type LogRow = typeof harvestLog.$inferSelect

export async function insertFeed(db: Db, feed: NewFeed): Promise<FeedRow> {
  const [row] = await db.insert(harvestFeeds).values(feed).returning()
  return row!
}

export async function findFeed(db: Db, cityId: number, id: number): Promise<FeedRow | undefined> {
  const [row] = await db
    .select()
    .from(harvestFeeds)
    .where(and(eq(harvestFeeds.cityId, cityId), eq(harvestFeeds.id, id)))
  return row
}

export function listFeeds(db: Db, cityId: number): Promise<FeedRow[]> {
  return db.select().from(harvestFeeds).where(eq(harvestFeeds.cityId, cityId)).orderBy(harvestFeeds.id)
}

export async function updateFeed(db: Db, cityId: number, id: number, set: Partial<NewFeed>): Promise<void> {
  await db
    .update(harvestFeeds)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(harvestFeeds.cityId, cityId), eq(harvestFeeds.id, id)))
}

/**
 * Claims one feed that is due (or the given one), for `seconds`: a claim another process holds is
 * skipped, so two harvesters never read the same feed at once.
 */
export async function claimFeed(db: Db, seconds: number, feedId?: number): Promise<FeedRow | undefined> {
  const [row] = await rows<{ id: number | string }>(
    db,
    sql`update harvest_feeds set claimed_until = now() + make_interval(secs => ${seconds})
        where id = (
          select id from harvest_feeds
          where (claimed_until is null or claimed_until < now())
            and ${feedId === undefined ? sql`status = 'active' and next_run_at <= now()` : sql`id = ${feedId}`}
          order by next_run_at limit 1 for update skip locked)
        returning id`,
  )
  if (!row) return undefined
  const [feed] = await db
    .select()
    .from(harvestFeeds)
    .where(eq(harvestFeeds.id, Number(row.id)))
  return feed
}

export async function releaseFeed(
  db: Db,
  id: number,
  set: { cursor?: string | null; lastError: string | null; nextRunAt: Date },
): Promise<void> {
  await db
    .update(harvestFeeds)
    .set({ ...set, claimedUntil: null, lastRunAt: new Date(), updatedAt: new Date() })
    .where(eq(harvestFeeds.id, id))
}

export async function saveCursor(db: Db, id: number, cursor: string): Promise<void> {
  await db.update(harvestFeeds).set({ cursor }).where(eq(harvestFeeds.id, id))
}

export function findRecords(db: Db, feedId: number, itemIds: string[]): Promise<RecordRow[]> {
  if (itemIds.length === 0) return Promise.resolve([])
  return db
    .select()
    .from(harvestRecords)
    .where(and(eq(harvestRecords.feedId, feedId), inArray(harvestRecords.itemId, itemIds)))
}

export function listFeedRecords(db: Db, feedId: number): Promise<RecordRow[]> {
  return db.select().from(harvestRecords).where(eq(harvestRecords.feedId, feedId))
}

/** The opportunity records of a provider with these refs (from any of its feeds). */
export function findByRefs(db: Db, organizationId: number, refs: string[]): Promise<RecordRow[]> {
  if (refs.length === 0) return Promise.resolve([])
  return db
    .select()
    .from(harvestRecords)
    .where(
      and(
        eq(harvestRecords.organizationId, organizationId),
        eq(harvestRecords.role, 'opportunity'),
        inArray(harvestRecords.ref, refs),
      ),
    )
}

/** The session records of a provider whose parent is one of these refs. */
export function findSessions(db: Db, organizationId: number, parentRefs: string[]): Promise<RecordRow[]> {
  if (parentRefs.length === 0) return Promise.resolve([])
  return db
    .select()
    .from(harvestRecords)
    .where(
      and(eq(harvestRecords.organizationId, organizationId), inArray(harvestRecords.parentRef, parentRefs)),
    )
}

/** Inserts or replaces records by (feed, item id), one statement for the whole page. */
export async function upsertRecords(db: Db, records: Omit<typeof harvestRecords.$inferInsert, 'id'>[]) {
  if (records.length === 0) return
  await db
    .insert(harvestRecords)
    .values(records)
    .onConflictDoUpdate({
      target: [harvestRecords.feedId, harvestRecords.itemId],
      set: {
        ref: sql`excluded.ref`,
        role: sql`excluded.role`,
        parentRef: sql`excluded.parent_ref`,
        modified: sql`excluded.modified`,
        payload: sql`excluded.payload`,
        opportunityId: sql`coalesce(excluded.opportunity_id, harvest_records.opportunity_id)`,
        updatedAt: sql`now()`,
      },
    })
}

/** Links opportunity records to the opportunities made of them. */
export async function linkOpportunities(
  db: Db,
  organizationId: number,
  links: { ref: string; opportunityId: number }[],
) {
  if (links.length === 0) return
  await db.execute(sql`
    update harvest_records r set opportunity_id = v.opportunity_id
    from (values ${sql.join(
      links.map((l) => sql`(${l.ref}::text, ${l.opportunityId}::bigint)`),
      sql`, `,
    )}) as v(ref, opportunity_id)
    where r.organization_id = ${organizationId} and r.role = 'opportunity' and r.ref = v.ref`)
}

export async function deleteRecords(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await db.delete(harvestRecords).where(inArray(harvestRecords.id, ids))
}

export async function startRun(db: Db, cityId: number, feedId: number): Promise<number> {
  const [row] = await db.insert(harvestRuns).values({ cityId, feedId }).returning({ id: harvestRuns.id })
  return row!.id
}

export interface RunTotals {
  pages: number
  items: number
  imported: number
  updated: number
  unchanged: number
  deleted: number
  rejected: number
  warnings: number
}

export async function addToRun(db: Db, runId: number, t: RunTotals): Promise<void> {
  await db
    .update(harvestRuns)
    .set({
      pages: sql`${harvestRuns.pages} + ${t.pages}`,
      items: sql`${harvestRuns.items} + ${t.items}`,
      imported: sql`${harvestRuns.imported} + ${t.imported}`,
      updated: sql`${harvestRuns.updated} + ${t.updated}`,
      unchanged: sql`${harvestRuns.unchanged} + ${t.unchanged}`,
      deleted: sql`${harvestRuns.deleted} + ${t.deleted}`,
      rejected: sql`${harvestRuns.rejected} + ${t.rejected}`,
      warnings: sql`${harvestRuns.warnings} + ${t.warnings}`,
    })
    .where(eq(harvestRuns.id, runId))
}

export async function finishRun(db: Db, runId: number, error: string | null): Promise<void> {
  await db
    .update(harvestRuns)
    .set({ status: error ? 'failed' : 'done', error, finishedAt: new Date() })
    .where(eq(harvestRuns.id, runId))
}

export async function insertLog(db: Db, lines: Omit<typeof harvestLog.$inferInsert, 'id' | 'createdAt'>[]) {
  if (lines.length === 0) return
  await db.insert(harvestLog).values(lines)
}

export function listRuns(db: Db, cityId: number, feedId: number, limit = 10): Promise<RunRow[]> {
  return db
    .select()
    .from(harvestRuns)
    .where(and(eq(harvestRuns.cityId, cityId), eq(harvestRuns.feedId, feedId)))
    .orderBy(desc(harvestRuns.id))
    .limit(limit)
}

export function listLog(db: Db, cityId: number, feedId: number, limit = 200): Promise<LogRow[]> {
  return db
    .select()
    .from(harvestLog)
    .where(and(eq(harvestLog.cityId, cityId), eq(harvestLog.feedId, feedId)))
    .orderBy(desc(harvestLog.id))
    .limit(limit)
}

export async function countRecords(
  db: Db,
  feedId: number,
): Promise<{ items: number; opportunities: number }> {
  const [row] = await rows<{ items: number; opportunities: number }>(
    db,
    sql`select count(*)::int as items, count(opportunity_id)::int as opportunities from harvest_records where feed_id = ${feedId}`,
  )
  return row ?? { items: 0, opportunities: 0 }
}
