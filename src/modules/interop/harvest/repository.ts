import { and, desc, eq, sql } from 'drizzle-orm'
import { arrayOf, type Db, rows, type SQL } from '../../../platform/db/index.ts'
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

export function saveCursorStatement(db: Db, id: number, cursor: string): SQL {
  return db.update(harvestFeeds).set({ cursor }).where(eq(harvestFeeds.id, id)).getSQL()
}

/** The columns of a record `r`, in RecordRow's shape. */
const recordColumns = sql`r.id::float8 as id, r.city_id::float8 as "cityId",
  r.organization_id::float8 as "organizationId", r.feed_id::float8 as "feedId", r.item_id as "itemId", r.ref,
  r.role, r.parent_ref as "parentRef", r.modified, r.opportunity_id::float8 as "opportunityId", r.payload,
  r.updated_at as "updatedAt"`

/**
 * Records found by one of the table's two-column keys, one index probe per value. The probe is a
 * lateral subquery the planner cannot flatten (`offset 0`): a feed grows from nothing to 100,000
 * records in one harvest, before any statistics exist, and a plain `in (…)` was planned as a scan
 * of the provider's every record for each page (quadratic in the feed's size).
 */
async function probe(db: Db, values: string[], where: (value: SQL) => SQL): Promise<RecordRow[]> {
  if (values.length === 0) return []
  const found = await rows<RecordRow>(
    db,
    sql`select ${recordColumns} from unnest(${arrayOf(values, 'text')}) as x(v)
        cross join lateral (select * from harvest_records r where ${where(sql`x.v`)} offset 0) r`,
  )
  // Raw rows carry the time as the driver gives it (a string on PGlite).
  return found.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt) }))
}

export function findRecords(db: Db, feedId: number, itemIds: string[]): Promise<RecordRow[]> {
  return probe(db, itemIds, (v) => sql`r.feed_id = ${feedId} and r.item_id = ${v}`)
}

export function listFeedRecords(db: Db, feedId: number): Promise<RecordRow[]> {
  return db.select().from(harvestRecords).where(eq(harvestRecords.feedId, feedId))
}

/** The opportunity records of a provider with these refs (from any of its feeds). */
export function findByRefs(db: Db, organizationId: number, refs: string[]): Promise<RecordRow[]> {
  return probe(
    db,
    refs,
    (v) => sql`r.organization_id = ${organizationId} and r.ref = ${v} and r.role = 'opportunity'`,
  )
}

/** The session records of a provider whose parent is one of these refs. */
export function findSessions(db: Db, organizationId: number, parentRefs: string[]): Promise<RecordRow[]> {
  return probe(db, parentRefs, (v) => sql`r.organization_id = ${organizationId} and r.parent_ref = ${v}`)
}

/**
 * Inserts or replaces records by (feed, item id): one statement for the whole page, its rows sent as
 * one JSON parameter (500 rows of ten bound values each cost more to build and bind than to write).
 */
export function upsertRecordsStatement(
  records: Omit<typeof harvestRecords.$inferInsert, 'id'>[],
): SQL | undefined {
  if (records.length === 0) return undefined
  const payload = JSON.stringify(
    records.map((r) => ({
      c: r.cityId,
      o: r.organizationId,
      f: r.feedId,
      i: r.itemId,
      r: r.ref,
      k: r.role,
      p: r.parentRef ?? null,
      m: r.modified ?? null,
      x: r.opportunityId ?? null,
      d: r.payload,
    })),
  )
  return sql`insert into harvest_records
      (city_id, organization_id, feed_id, item_id, ref, role, parent_ref, modified, opportunity_id, payload)
    select x.c, x.o, x.f, x.i, x.r, x.k, x.p, x.m, x.x, x.d
    from jsonb_to_recordset(${payload}::jsonb)
      as x(c bigint, o bigint, f bigint, i text, r text, k text, p text, m text, x bigint, d jsonb)
    on conflict (feed_id, item_id) do update set ref = excluded.ref, role = excluded.role,
      parent_ref = excluded.parent_ref, modified = excluded.modified, payload = excluded.payload,
      opportunity_id = coalesce(excluded.opportunity_id, harvest_records.opportunity_id), updated_at = now()`
}

/**
 * Points records (by their ids) at the opportunities made of them: one statement, each row found by
 * its primary key, whatever the planner knows of the table.
 */
export function linkRecordsStatement(links: { recordId: number; opportunityId: number }[]): SQL | undefined {
  if (links.length === 0) return undefined
  return sql`update harvest_records r set opportunity_id = v.opportunity_id
    from unnest(${arrayOf(
      links.map((l) => l.recordId),
      'int8',
    )}, ${arrayOf(
      links.map((l) => l.opportunityId),
      'int8',
    )})
      as v(id, opportunity_id)
    where r.id = v.id`
}

export function deleteRecordsStatement(ids: number[]): SQL | undefined {
  if (ids.length === 0) return undefined
  return sql`delete from harvest_records where id = any(${arrayOf(ids, 'int8')})`
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
  await db.execute(addToRunStatement(db, runId, t))
}

export function addToRunStatement(db: Db, runId: number, t: RunTotals): SQL {
  return db
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
    .getSQL()
}

export async function finishRun(db: Db, runId: number, error: string | null): Promise<void> {
  await db
    .update(harvestRuns)
    .set({ status: error ? 'failed' : 'done', error, finishedAt: new Date() })
    .where(eq(harvestRuns.id, runId))
}

type LogLine = Omit<typeof harvestLog.$inferInsert, 'id' | 'createdAt'>

export async function insertLog(db: Db, lines: LogLine[]) {
  const statement = insertLogStatement(db, lines)
  if (statement) await db.execute(statement)
}

export function insertLogStatement(db: Db, lines: LogLine[]): SQL | undefined {
  if (lines.length === 0) return undefined
  return db.insert(harvestLog).values(lines).getSQL()
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
