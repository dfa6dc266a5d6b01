/**
 * The stamper: gives every changed feed item its place in its feed.
 *
 * Why not the writer's own clock: a transaction that starts first but commits last would write an
 * earlier `modified` than rows a harvester has already read past, and its change would be missed for
 * ever. So writers (database triggers, migration 0018) only set `modified` to null; the stamper,
 * running one at a time under the lock of the single `interop_feed_clock` row, reads the changes
 * that have committed and gives them values above every value given before. A change that commits
 * late is stamped late, with a larger value, and lands after the harvester's cursor.
 *
 * Values are milliseconds since 1970 when the clock allows (`greatest(last, now) + 1, + 2, …`), so
 * they read as times, yet never repeat or go back, whatever the wall clock does.
 */
import { type Db, firstRow, rows, sql } from '../../../platform/db/index.ts'
import { isPublicOpportunity, openActiveKind } from '../openactive/model.ts'
import type { RpdeFeed } from '../schema.ts'
import { type OpportunitySource, opportunityColumns, opportunityJoins } from './sources.ts'

interface Pending extends OpportunitySource {
  itemId: number
  feed: RpdeFeed
  announced: boolean
  organizationStatus: string | null
  venueExists: boolean
  sessionExists: boolean
}

type Verdict = 'updated' | 'deleted' | 'drop'

/** Whether an item belongs in its feed now, by what its source rows say. */
function belongs(p: Pending): boolean {
  const present = p.id !== null
  switch (p.feed) {
    case 'opportunities':
      return present && isPublicOpportunity(p)
    case 'session-series':
    case 'course-instance':
      return present && openActiveKind(p) === p.feed
    case 'scheduled-sessions':
      return p.sessionExists && present && openActiveKind(p) === 'session-series'
    case 'organizations':
      return p.organizationStatus === 'approved' || p.organizationStatus === 'trusted'
    case 'venues':
      return p.venueExists
  }
}

function verdict(p: Pending): Verdict {
  if (belongs(p)) return 'updated'
  // Never carried as updated: nobody can hold it, so it needs no tombstone.
  return p.announced ? 'deleted' : 'drop'
}

/**
 * Stamps up to `limit` committed changes, oldest first; returns how many it stamped (0 also when
 * another stamper holds the clock: its work will show when it commits).
 */
export async function stampChanges(db: Db, limit = 2000): Promise<number> {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db
    const clock = await firstRow<{ last: string; now: string }>(
      txDb,
      sql`select last::text, (extract(epoch from clock_timestamp()) * 1000)::bigint::text as now
          from interop_feed_clock where id = 'rpde' for update skip locked`,
    )
    if (!clock) return 0
    const pending = await rows<Pending>(
      txDb,
      sql`select i.id::float8 as "itemId", i.feed, i.announced,
            og.status as "organizationStatus", (fv.id is not null) as "venueExists",
            (s.id is not null) as "sessionExists", ${opportunityColumns}
          from (select * from interop_feed_items where modified is null order by id limit ${limit}
                for update skip locked) i
          left join opportunity_sessions s on i.feed = 'scheduled-sessions' and s.id = i.source_id
          left join opportunities o on o.id = case
            when i.feed = 'scheduled-sessions' then s.opportunity_id
            when i.feed in ('opportunities', 'session-series', 'course-instance') then i.source_id end
          ${opportunityJoins}
          left join organizations og on i.feed = 'organizations' and og.id = i.source_id
          left join venues fv on i.feed = 'venues' and fv.id = i.source_id
          order by i.id`,
    )
    if (pending.length === 0) return 0
    let next = Math.max(Number(clock.last), Number(clock.now))
    const stamped: { id: number; modified: number; state: 'updated' | 'deleted' }[] = []
    const dropped: number[] = []
    for (const p of pending) {
      const v = verdict(p)
      if (v === 'drop') dropped.push(p.itemId)
      else stamped.push({ id: p.itemId, modified: ++next, state: v })
    }
    if (stamped.length > 0)
      await txDb.execute(
        sql`update interop_feed_items i set modified = x.modified, state = x.state,
              announced = i.announced or x.state = 'updated'
            from jsonb_to_recordset(${JSON.stringify(stamped)}::jsonb) as x(id bigint, modified bigint, state text)
            where i.id = x.id`,
      )
    if (dropped.length > 0)
      await txDb.execute(
        sql`delete from interop_feed_items where id in
              (select value::bigint from jsonb_array_elements_text(${JSON.stringify(dropped)}::jsonb))`,
      )
    await txDb.execute(sql`update interop_feed_clock set last = ${next} where id = 'rpde'`)
    return pending.length
  })
}

/** Stamps until nothing committed is waiting, at most `rounds` batches. */
export async function stampAll(db: Db, rounds = 50): Promise<number> {
  let total = 0
  for (let i = 0; i < rounds; i++) {
    const n = await stampChanges(db)
    total += n
    if (n === 0) break
  }
  return total
}

/** How long a tombstone stays in its feed: well beyond RPDE's seven-day minimum. */
export const TOMBSTONE_DAYS = 35

/** Removes tombstones older than TOMBSTONE_DAYS; returns how many. */
export async function pruneTombstones(db: Db, now = new Date()): Promise<number> {
  const gone = await rows<{ id: number }>(
    db,
    sql`delete from interop_feed_items where state = 'deleted' and modified is not null
          and changed_at < ${new Date(now.getTime() - TOMBSTONE_DAYS * 86_400_000).toISOString()}::timestamptz
        returning id`,
  )
  return gone.length
}
