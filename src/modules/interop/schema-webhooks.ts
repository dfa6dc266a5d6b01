import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, updatedAt } from '../../platform/db/columns.ts'

/** The event types a subscription can ask for (docs/webhooks.md). */
export const WEBHOOK_EVENTS = [
  'opportunity.created',
  'opportunity.updated',
  'opportunity.deleted',
  'session.created',
  'session.updated',
  'session.deleted',
  'organization.updated',
  'organization.deleted',
  'venue.created',
  'venue.updated',
  'venue.deleted',
  'registration.attended',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/**
 * An address that is sent change events: an organization's (its own items; `organization_id` set)
 * or the city's (every public item; `organization_id` null, made by a coordinator).
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id'),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    events: text('events').array().$type<WebhookEvent[]>().notNull(),
    /** `whsec_…` (Standard Webhooks): kept to sign with, shown to its owner only once. */
    secret: text('secret').notNull(),
    /** After a rotation the old secret signs too, until `previous_secret_until`. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
    status: text('status').$type<'active' | 'disabled'>().notNull().default('active'),
    disabledReason: text('disabled_reason'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** When the current run of failures began (null while deliveries succeed). */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    /** Who is mailed when it is disabled (null when made with an API key: the organization's admins). */
    createdByUserId: ref('created_by_user_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_subscriptions_city_org_idx').on(t.cityId, t.organizationId)],
)

/** One event for one subscription, delivered (and retried) on its own job. */
export const webhookMessages = pgTable(
  'webhook_messages',
  {
    id: id(),
    cityId: cityId(),
    subscriptionId: ref('subscription_id').notNull(),
    /** The `webhook-id` header: the same on every attempt, so receivers can drop repeats. */
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_messages_subscription_idx').on(t.subscriptionId, t.id),
    index('webhook_messages_created_idx').on(t.createdAt),
  ],
)

/** The delivery log: one row per attempt (kept 30 days). */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    subscriptionId: ref('subscription_id').notNull(),
    messageId: ref('message_id').notNull(),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('webhook_attempts_subscription_idx').on(t.subscriptionId, t.id),
    index('webhook_attempts_time_idx').on(t.attemptedAt),
  ],
)

/** Where the webhook scanner has read each city's change log (interop_feed_items) up to. */
export const webhookCursors = pgTable(
  'webhook_cursors',
  {
    cityId: cityId(),
    feed: text('feed').notNull(),
    afterModified: bigint('after_modified', { mode: 'number' }).notNull(),
    afterId: bigint('after_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.cityId, t.feed] })],
)

/**
 * The items webhooks have announced as live, with the organization they belong to: a later change
 * is `updated` (else `created`), and a deletion still knows whose it was after its row is gone.
 */
export const webhookItems = pgTable(
  'webhook_items',
  {
    feed: text('feed').notNull(),
    sourceId: bigint('source_id', { mode: 'number' }).notNull(),
    cityId: cityId(),
    organizationId: ref('organization_id'),
  },
  (t) => [primaryKey({ columns: [t.feed, t.sourceId] })],
)
