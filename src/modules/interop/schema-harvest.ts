import { sql } from 'drizzle-orm'
import { index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, updatedAt } from '../../platform/db/columns.ts'

/** Kinds of outside feed a coordinator can register for a provider. */
export const FEED_KINDS = ['rpde', 'ical', 'csv'] as const
export type FeedKind = (typeof FEED_KINDS)[number]

/** An outside feed harvested on a schedule into one provider's opportunities. */
export const harvestFeeds = pgTable(
  'harvest_feeds',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    kind: text('kind').$type<FeedKind>().notNull(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    /** Language of the feed's text, and the building block its opportunities belong to. */
    language: text('language').notNull(),
    buildingBlock: text('building_block').notNull(),
    /** Price when items name none (null: free), in `currency`. */
    price: numeric('price', { precision: 10, scale: 2 }),
    currency: text('currency').notNull().default('USD'),
    /** Where items without a place of their own take place (a venue of the city), if anywhere. */
    venueId: ref('venue_id'),
    status: text('status').$type<'active' | 'paused'>().notNull().default('active'),
    intervalMinutes: integer('interval_minutes').notNull().default(60),
    /** RPDE: the `next` URL of the last page read, where the next harvest resumes. */
    cursor: text('cursor'),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull().defaultNow(),
    /** A harvester working on the feed holds it until then (several app processes never overlap). */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdByUserId: ref('created_by_user_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('harvest_feeds_city_org_idx').on(t.cityId, t.organizationId),
    index('harvest_feeds_due_idx').on(t.nextRunAt).where(sql`status = 'active'`),
  ],
)

/**
 * What the harvester knows of each outside item, by its id in the feed: the opportunity it became
 * (or the opportunity a session belongs to, by the parent's `@id`), so re-harvests update instead of
 * duplicating and split series/session feeds can be joined whichever arrives first.
 */
export const harvestRecords = pgTable(
  'harvest_records',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    feedId: ref('feed_id').notNull(),
    itemId: text('item_id').notNull(),
    /** The item's `@id` (or UID): what sessions of other feeds name as their superEvent. */
    ref: text('ref').notNull(),
    role: text('role').$type<'opportunity' | 'session'>().notNull(),
    /** For a session: the `@id` of the opportunity it belongs to. */
    parentRef: text('parent_ref'),
    modified: text('modified'),
    opportunityId: ref('opportunity_id'),
    /** For an opportunity: its fields (Draft) and the sessions it gives itself; for a session: its times. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('harvest_records_feed_item_key').on(t.feedId, t.itemId),
    index('harvest_records_org_ref_idx').on(t.organizationId, t.ref),
    index('harvest_records_org_parent_idx').on(t.organizationId, t.parentRef),
  ],
)

/** One harvest of one feed: pages read and what became of the items. */
export const harvestRuns = pgTable(
  'harvest_runs',
  {
    id: id(),
    cityId: cityId(),
    feedId: ref('feed_id').notNull(),
    status: text('status').$type<'running' | 'done' | 'failed'>().notNull().default('running'),
    pages: integer('pages').notNull().default(0),
    items: integer('items').notNull().default(0),
    imported: integer('imported').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    warnings: integer('warnings').notNull().default(0),
    error: text('error'),
    startedAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('harvest_runs_feed_idx').on(t.feedId, t.startedAt)],
)

/** Per-item lines of a run the coordinator reads: rejections and warnings with reasons, deletions. */
export const harvestLog = pgTable(
  'harvest_log',
  {
    id: id(),
    cityId: cityId(),
    feedId: ref('feed_id').notNull(),
    runId: ref('run_id').notNull(),
    itemId: text('item_id').notNull(),
    title: text('title').notNull().default(''),
    outcome: text('outcome').$type<'rejected' | 'warning' | 'deleted'>().notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('harvest_log_feed_idx').on(t.feedId, t.id)],
)
