import { sql } from 'drizzle-orm'
import { bigint, index, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core'
import { createdAt, id, ref } from '../../platform/db/columns.ts'

export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'unsubscribed'] as const
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number]

/**
 * One address subscribed to the hub's newsletter of one scope (a city, or the network when city_id
 * is null) in one language. Minimal data: the address, the language, and the city site it was made
 * on (its links lead back there). Nothing is sent until it is confirmed (double opt-in). `key` is
 * random; confirm and unsubscribe tokens are HMACs of it, never stored.
 */
export const hubSubscriptions = pgTable(
  'hub_subscriptions',
  {
    id: id(),
    cityId: ref('city_id'),
    siteCityId: ref('site_city_id').notNull(),
    email: text('email').notNull(),
    language: text('language').notNull(),
    status: text('status').$type<SubscriptionStatus>().notNull().default('pending'),
    key: text('key').notNull(),
    createdAt: createdAt(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
  },
  (t) => [
    unique('hub_subscriptions_scope_email_language_key').on(t.cityId, t.email, t.language).nullsNotDistinct(),
    unique('hub_subscriptions_key_key').on(t.key),
    index('hub_subscriptions_audience_idx').on(t.cityId, t.language, t.status),
  ],
)

export const ISSUE_STATUSES = ['draft', 'sending', 'sent'] as const
export type IssueStatus = (typeof ISSUE_STATUSES)[number]

/** A newsletter issue of one scope and language: free text plus chosen newly published resources. */
export const hubNewsletterIssues = pgTable(
  'hub_newsletter_issues',
  {
    id: id(),
    cityId: ref('city_id'),
    language: text('language').notNull(),
    subject: text('subject').notNull(),
    intro: text('intro').notNull().default(''),
    resourceIds: bigint('resource_ids', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    status: text('status').$type<IssueStatus>().notNull().default('draft'),
    createdBy: ref('created_by').notNull(),
    createdAt: createdAt(),
    sentBy: ref('sent_by'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('hub_newsletter_issues_scope_idx').on(t.cityId, t.language, t.sentAt)],
)

export const DELIVERY_STATUSES = ['pending', 'sending', 'queued', 'skipped'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/**
 * One recipient of one issue. `pending` until its batch comes (rate limit); `skipped` when the
 * address unsubscribed meanwhile; `queued` once handed to the mailer, whose outbox row (outbox_id)
 * then says whether it was sent, bounced or failed.
 */
export const hubNewsletterDeliveries = pgTable(
  'hub_newsletter_deliveries',
  {
    id: id(),
    issueId: ref('issue_id').notNull(),
    subscriptionId: ref('subscription_id').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    outboxId: ref('outbox_id'),
    createdAt: createdAt(),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
  },
  (t) => [
    unique('hub_newsletter_deliveries_issue_subscription_key').on(t.issueId, t.subscriptionId),
    index('hub_newsletter_deliveries_issue_status_idx').on(t.issueId, t.status),
  ],
)
