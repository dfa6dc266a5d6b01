import { sql } from 'drizzle-orm'
import {
  boolean,
  customType,
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
import { tsvector } from '../../platform/search/index.ts'
import type { ScheduleInput, Status } from './model.ts'
import type { Actor } from './opportunities.ts'

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
    /**
     * What the search box finds: title, topics and description, stemmed in each language,
     * `lc_search_document(title, topics, description)` (migration 0015). Null until the row is
     * indexed: imports leave it to a job (search-index.ts), the form and the API fill it at once.
     */
    searchDocument: tsvector('search_document'),
    /**
     * What the search's filters ask of the row itself, as lexemes one GIN index intersects with the
     * words: building block, format, languages, accessibility, free, district, provider and the
     * place's grid cells at seven sizes (`lc_search_filters`, migration 0017).
     */
    searchFilters: tsvector('search_filters')
      .notNull()
      .generatedAlwaysAs(
        sql`lc_search_filters(building_block, format, languages, accessibility, free, district_id, organization_id, lat, lon)`,
      ),
    /**
     * When its sessions are, as lexemes the same index intersects with the words and filters: the
     * local date, weekday and time of day of each session not cancelled that started at most a week
     * before they were last written (`lc_search_sessions`, migration 0031). Triggers on the sessions
     * keep it, the indexing job for rows not indexed yet; null for a row that never had a session.
     * It may still name sessions since passed (a search checks each candidate's sessions exactly),
     * never miss one to come.
     */
    searchSessions: tsvector('search_sessions'),
  },
  (t) => [
    // Also serves lookups by organization alone (its first column). A separate organization index
    // lured the planner, before statistics caught up with a large import, into reading every row of
    // the provider for each batch's external-id lookup.
    uniqueIndex('opportunities_org_external_key').on(t.organizationId, t.externalId),
    index('opportunities_city_status_idx').on(t.cityId, t.status),
    // The city, the words, the filters and the sessions' days and times in one GIN index (btree_gin):
    // one scan intersects them, so a search reads only the rows that meet all four. Rows without words stay out of it, so an
    // imported row costs the index nothing until indexed.
    index('opportunities_search_idx')
      .using('gin', t.cityId, t.searchDocument, t.searchFilters, t.searchSessions)
      .where(sql`status = 'published' and search_document is not null`),
    // The rows the indexing job has still to do: few at any time, found without reading the table.
    index('opportunities_unindexed_idx').on(t.cityId, t.id).where(sql`search_document is null`),
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
    /** Seats on this session when they differ from the opportunity's (null: the opportunity's capacity). */
    capacity: integer('capacity'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('opportunity_sessions_opp_local_key').on(t.opportunityId, t.localStart),
    index('opportunity_sessions_city_starts_idx').on(t.cityId, t.startsAt),
    // An opportunity's next session (the search's lateral join): one short range scan each.
    index('opportunity_sessions_opp_starts_idx').on(t.opportunityId, t.startsAt),
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

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

/** A bulk import of opportunities from a CSV or XLSX file: a durable job with its progress and totals. */
export const opportunityImports = pgTable(
  'opportunity_imports',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    createdByUserId: ref('created_by_user_id'),
    /** The uploader's rights when the file was accepted; the job acts with them. */
    actor: jsonb('actor').$type<Actor>().notNull(),
    status: text('status').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
    fileName: text('file_name').notNull(),
    fileKind: text('file_kind').$type<'csv' | 'xlsx'>().notNull(),
    fileBytes: integer('file_bytes').notNull(),
    /** The header row as read from the file, for the rejected-rows download. */
    columns: jsonb('columns').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    totalRows: integer('total_rows'),
    /** The survey counted the CSV without its parser (quotes paired, one line end): the quick reader reads it. */
    plainCsv: boolean('plain_csv').notNull().default(false),
    processedRows: integer('processed_rows').notNull().default(0),
    imported: integer('imported').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    /** Why the whole file could not be read (a message key), when status is failed. */
    error: text('error'),
    /** The reader's own words about that problem (e.g. where a quote is not closed). */
    errorDetail: text('error_detail'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('opportunity_imports_city_org_idx').on(t.cityId, t.organizationId, t.createdAt)],
)

/** The uploaded file in 1 MB pieces, so the job survives restarts and reads it as a stream. */
export const opportunityImportChunks = pgTable(
  'opportunity_import_chunks',
  {
    cityId: cityId(),
    importId: ref('import_id').notNull(),
    seq: integer('seq').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [uniqueIndex('opportunity_import_chunks_key').on(t.importId, t.seq)],
)

/** One bad row of an import: where it is, its external id, each field's reason and the row as sent. */
export const opportunityImportRejects = pgTable(
  'opportunity_import_rejects',
  {
    id: id(),
    cityId: cityId(),
    importId: ref('import_id').notNull(),
    line: integer('line').notNull(),
    externalId: text('external_id'),
    errors: jsonb('errors').$type<{ column: string; detail?: string; key?: string }[]>().notNull(),
    values: jsonb('values').$type<string[]>().notNull(),
  },
  (t) => [index('opportunity_import_rejects_import_idx').on(t.importId, t.line)],
)
