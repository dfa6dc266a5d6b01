/**
 * Turning the change log into webhook messages. The RPDE change log (interop_feed_items, filled by
 * database triggers whoever writes: the editor, a CSV import, a harvest, the API) is read after each
 * city's cursor with the RPDE page reader, so every event carries exactly its item's public feed
 * data, and an item that is not public (a draft, a withdrawn opportunity) is never sent: it only
 * ever appears as a deletion of something that was public before.
 */
import { randomUUID } from 'node:crypto'
import { type Db, rows, sql } from '../../../platform/db/index.ts'
import { findCityById } from '../../cities/index.ts'
import { type Cursor, readPage } from '../rpde/page.ts'
import { stampAll } from '../rpde/stamp.ts'
import type { RpdeFeed } from '../schema.ts'
import type { WebhookEvent } from '../schema-webhooks.ts'

/** Delivers one message (its own job, retried by the delivery code itself). */
export const WEBHOOK_DELIVER_JOB = 'interop.webhook-deliver'

const FEEDS = ['opportunities', 'scheduled-sessions', 'organizations', 'venues'] as const
type WatchedFeed = (typeof FEEDS)[number]
const PREFIX: Record<WatchedFeed, string> = {
  opportunities: 'opportunity',
  'scheduled-sessions': 'session',
  organizations: 'organization',
  venues: 'venue',
}
const BATCH = 200

export interface PendingEvent {
  type: WebhookEvent
  /** The organization the item belongs to (for an organization: itself), null when none. */
  organizationId: number | null
  /** Whether a city-wide subscriber may see it (always for items from the public feeds). */
  isPublic: boolean
  data: Record<string, unknown>
}

interface ActiveSubscription {
  id: number
  organizationId: number | null
  events: string[]
}

export function eventId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`
}

/**
 * Records each event for every active subscription of the city that asked for it and may see it,
 * and queues one delivery job per message; in the caller's transaction. Returns how many messages.
 */
export async function fanOut(
  db: Db,
  city: { id: number; slug: string },
  events: PendingEvent[],
  now = new Date(),
): Promise<number> {
  if (events.length === 0) return 0
  const subs = await rows<ActiveSubscription>(
    db,
    sql`select id::float8 as id, organization_id::float8 as "organizationId", events
        from webhook_subscriptions where city_id = ${city.id} and status = 'active'`,
  )
  const messages: { subscription: number; event: string; type: string; payload: unknown }[] = []
  for (const e of events) {
    const id = eventId()
    const payload = { id, type: e.type, timestamp: now.toISOString(), city: city.slug, data: e.data }
    for (const s of subs) {
      if (!s.events.includes(e.type)) continue
      if (s.organizationId === null ? !e.isPublic : s.organizationId !== e.organizationId) continue
      messages.push({ subscription: s.id, event: id, type: e.type, payload })
    }
  }
  if (messages.length === 0) return 0
  await db.execute(
    sql`with ins as (
          insert into webhook_messages (city_id, subscription_id, event_id, type, payload, next_attempt_at)
          select ${city.id}, x.subscription, x.event, x.type, x.payload, now()
          from jsonb_to_recordset(${JSON.stringify(messages)}::jsonb)
            as x(subscription bigint, event text, type text, payload jsonb)
          returning id)
        insert into jobs (name, payload, run_at, max_attempts)
        select ${WEBHOOK_DELIVER_JOB}, jsonb_build_object('messageId', id), now(), 3 from ins`,
  )
  return messages.length
}

/** The organization each item belongs to, read from its source row (absent once it is deleted). */
async function ownersOf(db: Db, feed: WatchedFeed, ids: number[]): Promise<Map<number, number | null>> {
  const owner =
    feed === 'opportunities'
      ? sql`(select organization_id from opportunities where id = x.id)`
      : feed === 'scheduled-sessions'
        ? sql`(select o.organization_id from opportunity_sessions s join opportunities o on o.id = s.opportunity_id where s.id = x.id)`
        : feed === 'organizations'
          ? sql`x.id`
          : sql`(select organization_id from venues where id = x.id)`
  const found = await rows<{ id: number; owner: number | null }>(
    db,
    sql`select x.id::float8 as id, ${owner}::float8 as owner
        from (select value::bigint as id from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)) x`,
  )
  return new Map(found.map((r) => [r.id, r.owner]))
}

/** Reads one batch of a city's feed after its cursor and fans it out; false when nothing was left. */
async function scanBatch(
  db: Db,
  origin: string,
  city: { id: number; slug: string; timeZone: string; defaultLanguage: string },
  feed: WatchedFeed,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db
    const [cursor] = await rows<{ afterModified: string; afterId: string }>(
      txDb,
      sql`select after_modified::text as "afterModified", after_id::text as "afterId" from webhook_cursors
          where city_id = ${city.id} and feed = ${feed} for update skip locked`,
    )
    if (!cursor) return false
    const after: Cursor = { afterTimestamp: Number(cursor.afterModified), afterId: Number(cursor.afterId) }
    const items = await readPage(txDb, { origin, city, cityId: city.id }, feed as RpdeFeed, after, BATCH)
    if (items.length === 0) return false
    const ids = items.map((i) => i.id)
    const owners = await ownersOf(txDb, feed, ids)
    const known = new Map(
      (
        await rows<{ id: number; owner: number | null }>(
          txDb,
          sql`select source_id::float8 as id, organization_id::float8 as owner from webhook_items
              where feed = ${feed} and source_id in
                (select value::bigint from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`,
        )
      ).map((r) => [r.id, r.owner]),
    )
    const events: PendingEvent[] = []
    const live: { id: number; owner: number | null }[] = []
    const gone: number[] = []
    for (const item of items) {
      const wasKnown = known.has(item.id)
      if (item.state === 'updated' && item.data) {
        const owner = owners.get(item.id) ?? null
        const type = feed === 'organizations' ? 'updated' : wasKnown ? 'updated' : 'created'
        events.push({
          type: `${PREFIX[feed]}.${type}` as WebhookEvent,
          organizationId: owner,
          isPublic: true,
          data: item.data,
        })
        live.push({ id: item.id, owner })
      } else if (wasKnown) {
        events.push({
          type: `${PREFIX[feed]}.deleted` as WebhookEvent,
          organizationId: known.get(item.id) ?? null,
          isPublic: true,
          data: { id: item.id },
        })
        gone.push(item.id)
      }
    }
    if (live.length > 0)
      await txDb.execute(
        sql`insert into webhook_items (feed, source_id, city_id, organization_id)
            select ${feed}, x.id, ${city.id}, x.owner
            from jsonb_to_recordset(${JSON.stringify(live)}::jsonb) as x(id bigint, owner bigint)
            on conflict (feed, source_id) do update set organization_id = excluded.organization_id`,
      )
    if (gone.length > 0)
      await txDb.execute(
        sql`delete from webhook_items where feed = ${feed} and source_id in
              (select value::bigint from jsonb_array_elements_text(${JSON.stringify(gone)}::jsonb))`,
      )
    await fanOut(txDb, city, events)
    const last = items[items.length - 1]!
    await txDb.execute(
      sql`update webhook_cursors set after_modified = ${last.modified}, after_id = ${last.id}
          where city_id = ${city.id} and feed = ${feed}`,
    )
    return items.length === BATCH
  })
}

/**
 * Stamps pending changes, then reads every city that has subscriptions forward to the end of its
 * change log. Safe to run in several processes: each city's feed cursor is held while it is read.
 */
export async function scanChanges(db: Db, origin: string): Promise<void> {
  await stampAll(db)
  const cities = await rows<{ cityId: number }>(
    db,
    sql`select distinct city_id::float8 as "cityId" from webhook_subscriptions where status = 'active'`,
  )
  for (const { cityId } of cities) {
    const city = await findCityById(db, cityId)
    if (!city) continue
    for (const feed of FEEDS) while (await scanBatch(db, origin, city, feed)) {}
  }
}

/** Attendance, as counts only: which session, how many were marked as attended. Never who. */
export async function attendanceEvent(
  db: Db,
  payload: { cityId: number; opportunityId: number; sessionId: number; userIds: number[] },
): Promise<void> {
  const [o] = await rows<{ organizationId: number; status: string }>(
    db,
    sql`select organization_id::float8 as "organizationId", status from opportunities
        where id = ${payload.opportunityId} and city_id = ${payload.cityId}`,
  )
  if (!o) return
  const city = await findCityById(db, payload.cityId)
  if (!city) return
  await db.transaction(async (tx) =>
    fanOut(tx as unknown as Db, city, [
      {
        type: 'registration.attended',
        organizationId: o.organizationId,
        isPublic: o.status === 'published' || o.status === 'cancelled',
        data: {
          opportunityId: payload.opportunityId,
          sessionId: payload.sessionId,
          attended: payload.userIds.length,
        },
      },
    ]),
  )
}
