import { sql } from 'drizzle-orm'
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, translated, updatedAt } from '../../platform/db/columns.ts'
import type { ScheduleInput, Status } from './model.ts'

export const opportunities = pgTable(
  'opportunities',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    externalId: text('external_id'),
    status: text('status').$type<Status>().notNull().default('draft'),
    title: translated('title'),
    description: translated('description'),
    outcomes: translated('outcomes'),
    buildingBlock: text('building_block').notNull(),
    topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
    ageMin: integer('age_min'),
    ageMax: integer('age_max'),
    groups: text('groups').array().notNull().default(sql`'{}'::text[]`),
    languages: text('languages').array().notNull(),
    format: text('format').notNull(),
    venueId: ref('venue_id'),
    address: text('address'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    districtId: ref('district_id'),
    joinUrl: text('join_url'),
    schedule: jsonb('schedule').$type<ScheduleInput>().notNull(),
    free: boolean('free').notNull(),
    price: numeric('price', { precision: 10, scale: 2 }),
    currency: text('currency').notNull().default('USD'),
    concessions: text('concessions').notNull().default(''),
    financialHelp: boolean('financial_help').notNull().default(false),
    accessibility: text('accessibility').array().notNull().default(sql`'{}'::text[]`),
    accessibilityNote: text('accessibility_note').notNull().default(''),
    capacity: integer('capacity'),
    imageUrl: text('image_url').notNull(),
    imageAlt: translated('image_alt'),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    isDemo: boolean('is_demo').notNull().default(false),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('opportunities_org_external_key').on(t.organizationId, t.externalId),
    index('opportunities_city_status_idx').on(t.cityId, t.status),
    index('opportunities_org_idx').on(t.organizationId),
  ],
)

/** Materialised occurrences: one row per session, so "next session" and date filters are plain SQL. */
export const opportunitySessions = pgTable(
  'opportunity_sessions',
  {
    id: id(),
    cityId: cityId(),
    opportunityId: ref('opportunity_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** Local start in the city's time zone, the stable key of a session across schedule edits. */
    localStart: text('local_start').notNull(),
    cancelled: boolean('cancelled').notNull().default(false),
    capacity: integer('capacity'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('opportunity_sessions_opp_local_key').on(t.opportunityId, t.localStart),
    index('opportunity_sessions_city_starts_idx').on(t.cityId, t.startsAt),
  ],
)

/** Every change to an opportunity: who, when, what (the audit trail providers and coordinators read). */
export const opportunityChanges = pgTable(
  'opportunity_changes',
  {
    id: id(),
    cityId: cityId(),
    opportunityId: ref('opportunity_id').notNull(),
    actorUserId: ref('actor_user_id'),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    /** Changed fields with their old and new values. */
    diff: jsonb('diff')
      .$type<Record<string, { from: unknown; to: unknown }>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('opportunity_changes_opp_idx').on(t.opportunityId, t.createdAt)],
)
