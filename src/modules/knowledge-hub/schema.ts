import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, id, ref, translated, updatedAt } from '../../platform/db/columns.ts'
import { searchDocument, searchText, tsvector } from '../../platform/search/index.ts'
import type { LinkStatus, ResourceLink, ResourceStatus, ResourceType, Topic } from './model.ts'

/**
 * A resource of the knowledge hub: a guide, report, video, website… about learning cities. Scope is
 * the network (city_id null) or one city. Contributions (submitted_by, review) and the weekly link
 * check keep their state here too.
 */
export const hubResources = pgTable(
  'hub_resources',
  {
    id: id(),
    /** Null: network-wide; otherwise the one city the resource belongs to. */
    cityId: ref('city_id'),
    /** A stable key for seeded resources, so seeding twice updates instead of duplicating. */
    seedKey: text('seed_key'),
    title: translated('title'),
    summary: translated('summary'),
    links: jsonb('links').$type<ResourceLink[]>().notNull().default(sql`'[]'::jsonb`),
    type: text('type').$type<ResourceType>().notNull(),
    publisher: text('publisher').notNull().default(''),
    /** Year of publication; null when it is not known. */
    year: integer('year'),
    /** Languages the resource is available in; empty when they are not known. */
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    topics: text('topics').array().$type<Topic[]>().notNull().default(sql`'{}'::text[]`),
    /** The series or set this resource is a part of, and its place in it (1, 2, …). */
    parentId: ref('parent_id'),
    position: integer('position'),
    status: text('status').$type<ResourceStatus>().notNull().default('draft'),
    submittedBy: ref('submitted_by'),
    creditConsent: boolean('credit_consent').notNull().default(false),
    creditName: text('credit_name'),
    reviewNote: text('review_note'),
    declineReason: text('decline_reason'),
    reviewedBy: ref('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    linkStatus: text('link_status').$type<LinkStatus>().notNull().default('unknown'),
    /** What went wrong per broken link, e.g. "https://… HTTP 404". */
    linkError: text('link_error'),
    searchDocument: tsvector('search_document').generatedAlwaysAs(
      searchDocument([
        { column: 'title', weight: 'A' },
        { column: 'summary', weight: 'B' },
      ]),
    ),
    searchText: text('search_text').generatedAlwaysAs(searchText(['title', 'summary'])),
  },
  (t) => [
    uniqueIndex('hub_resources_seed_key').on(t.seedKey),
    index('hub_resources_scope_status_idx').on(t.cityId, t.status, t.publishedAt),
    index('hub_resources_parent_idx').on(t.parentId, t.position),
    index('hub_resources_status_published_idx').on(t.status, t.publishedAt),
    index('hub_resources_topics_idx').using('gin', t.topics),
    index('hub_resources_languages_idx').using('gin', t.languages),
    index('hub_resources_search_idx').using('gin', t.searchDocument),
    index('hub_resources_search_text_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    index('hub_resources_submitted_by_idx').on(t.submittedBy),
  ],
)
