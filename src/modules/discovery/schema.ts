import { sql } from 'drizzle-orm'
import { index, integer, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, updatedAt } from '../../platform/db/columns.ts'

/**
 * The words of a city's published opportunities (lower-cased, as written, in every language), with
 * how many opportunities use each: what a mistyped search word is corrected to ("robtics" →
 * "robotics"). Rebuilt by a job from the opportunities, so writing an opportunity costs nothing more.
 */
export const discoveryWords = pgTable(
  'discovery_words',
  {
    cityId: cityId(),
    word: text('word').notNull(),
    uses: integer('uses').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cityId, t.word] }),
    index('discovery_words_trgm_idx').using('gin', t.word.op('gin_trgm_ops')),
  ],
)

export const DIGEST_FREQUENCIES = ['daily', 'weekly'] as const
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number]

/**
 * A search a signed-in person saved (its canonical filters query string, as filtersQuery writes it),
 * with an email digest of opportunities newly published that match it. `key` is the secret in the
 * digest's unsubscribe link; `checkedUntil` is the publication time the last digest covered.
 */
export const savedSearches = pgTable(
  'discovery_saved_searches',
  {
    id: id(),
    cityId: cityId(),
    userId: ref('user_id').notNull(),
    name: text('name').notNull(),
    query: text('query').notNull(),
    language: text('language').notNull(),
    frequency: text('frequency').$type<DigestFrequency>().notNull().default('weekly'),
    key: text('key').notNull(),
    createdAt: createdAt(),
    checkedUntil: timestamp('checked_until', { withTimezone: true }).notNull().defaultNow(),
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }),
  },
  (t) => [
    unique('discovery_saved_searches_key_key').on(t.key),
    unique('discovery_saved_searches_user_query_key').on(t.cityId, t.userId, t.query),
    index('discovery_saved_searches_due_idx').on(t.frequency, t.checkedUntil),
  ],
)

/**
 * What a signed-in learner told us to suggest from, per city: topics they are interested in and the
 * district they learn near. Nothing else is stored; usual times and past learning come from bookings.
 */
export const learnerPreferences = pgTable(
  'discovery_learner_preferences',
  {
    cityId: cityId(),
    userId: ref('user_id').notNull(),
    interests: text('interests').array().notNull().default(sql`'{}'::text[]`),
    districtCode: text('district_code'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.cityId, t.userId] })],
)

/** Opportunities a city's coordinators feature (shown first in "what next?" and on the search page). */
export const featuredOpportunities = pgTable(
  'discovery_featured',
  {
    cityId: cityId(),
    opportunityId: ref('opportunity_id').notNull(),
    featuredBy: ref('featured_by').notNull(),
    until: timestamp('until', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.cityId, t.opportunityId] })],
)
