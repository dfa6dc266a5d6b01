import { sql } from 'drizzle-orm'
import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { cityId, id } from '../../platform/db/columns.ts'

/** The RPDE feeds this module publishes, by their path segment. */
export const RPDE_FEEDS = [
  'opportunities',
  'organizations',
  'venues',
  'session-series',
  'scheduled-sessions',
  'course-instance',
] as const
export type RpdeFeed = (typeof RPDE_FEEDS)[number]

/**
 * One row per item of each RPDE feed: its place in the feed (`modified`) and whether it is live or
 * a tombstone. Database triggers on opportunities, opportunity_sessions, organizations and venues
 * (migration 0018) set `modified` to null whenever the source row changes or goes; the stamper
 * (stamp.ts) then gives each such row the next value of `interop_feed_clock`, after its writer has
 * committed, so a harvester's cursor can never pass a change that commits late.
 */
export const interopFeedItems = pgTable(
  'interop_feed_items',
  {
    id: id(),
    cityId: cityId(),
    feed: text('feed').$type<RpdeFeed>().notNull(),
    /** The id of the opportunity, session, organization or venue: the RPDE item id. */
    sourceId: bigint('source_id', { mode: 'number' }).notNull(),
    /** Null while a change waits for the stamper; then a value larger than any given before. */
    modified: bigint('modified', { mode: 'number' }),
    state: text('state').$type<'updated' | 'deleted'>().notNull().default('updated'),
    /** Whether the feed has ever carried this item as updated (else a deletion needs no tombstone). */
    announced: boolean('announced').notNull().default(false),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('interop_feed_items_feed_source_key').on(t.feed, t.sourceId),
    index('interop_feed_items_page_idx').on(t.cityId, t.feed, t.modified, t.sourceId),
    index('interop_feed_items_pending_idx').on(t.id).where(sql`modified is null`),
  ],
)

/**
 * The single row whose `last` is the largest `modified` ever given. Stampers lock it, so they run
 * one at a time and every value they give is larger than every value committed before.
 */
export const interopFeedClock = pgTable('interop_feed_clock', {
  id: text('id').primaryKey(),
  last: bigint('last', { mode: 'number' }).notNull(),
})
