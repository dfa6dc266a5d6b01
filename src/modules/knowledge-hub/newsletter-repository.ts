import { arrayOf, type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { DeliveryStatus, IssueStatus, SubscriptionStatus } from './schema-newsletter.ts'

/** A scope filter: one city (city_id = id) or the network (city_id is null). */
const scopeIs = (cityId: number | null) => (cityId === null ? sql`city_id is null` : sql`city_id = ${cityId}`)

export interface SubscriptionRow {
  id: number
  cityId: number | null
  siteCityId: number
  email: string
  language: string
  status: SubscriptionStatus
  key: string
}

const SUBSCRIPTION = sql`id, city_id as "cityId", site_city_id as "siteCityId", email, language, status, key`

type RawSubscription = Omit<SubscriptionRow, 'id' | 'cityId' | 'siteCityId'> & {
  id: number | string
  cityId: number | string | null
  siteCityId: number | string
}

function toSubscription(r: RawSubscription): SubscriptionRow {
  return {
    ...r,
    id: Number(r.id),
    cityId: r.cityId === null ? null : Number(r.cityId),
    siteCityId: Number(r.siteCityId),
  }
}

/**
 * Records a wish to subscribe: a new address starts pending; an unsubscribed one is pending again;
 * an active one stays active. Returns the row as it is now.
 */
export async function upsertPending(
  db: Db,
  input: { cityId: number | null; siteCityId: number; email: string; language: string; key: string },
): Promise<SubscriptionRow> {
  const row = await firstRow<RawSubscription>(
    db,
    sql`insert into hub_subscriptions (city_id, site_city_id, email, language, key)
        values (${input.cityId}, ${input.siteCityId}, ${input.email}, ${input.language}, ${input.key})
        on conflict on constraint hub_subscriptions_scope_email_language_key do update
          set status = case when hub_subscriptions.status = 'active' then 'active' else 'pending' end,
              site_city_id = case when hub_subscriptions.status = 'active' then hub_subscriptions.site_city_id
                                  else excluded.site_city_id end
        returning ${SUBSCRIPTION}`,
  )
  return toSubscription(row!)
}

export async function findSubscriptionByKey(db: Db, key: string) {
  const row = await firstRow<RawSubscription>(
    db,
    sql`select ${SUBSCRIPTION} from hub_subscriptions where key = ${key}`,
  )
  return row ? toSubscription(row) : undefined
}

/** Activates a pending subscription; true when it is active now (also when it already was). */
export async function confirmSubscription(db: Db, key: string): Promise<boolean> {
  const row = await firstRow<{ status: string }>(
    db,
    sql`update hub_subscriptions set status = 'active', confirmed_at = coalesce(confirmed_at, now())
        where key = ${key} and status in ('pending', 'active') returning status`,
  )
  return row !== undefined
}

/** Ends a subscription; true when the key exists. */
export async function unsubscribe(db: Db, key: string): Promise<boolean> {
  const row = await firstRow<{ id: number | string }>(
    db,
    sql`update hub_subscriptions set status = 'unsubscribed',
          unsubscribed_at = case when status = 'unsubscribed' then unsubscribed_at else now() end
        where key = ${key} returning id`,
  )
  return row !== undefined
}

export interface IssueRow {
  id: number
  cityId: number | null
  language: string
  subject: string
  intro: string
  resourceIds: number[]
  status: IssueStatus
  createdAt: string
  sentAt: string | null
  finishedAt: string | null
}

const ISSUE = sql`id, city_id as "cityId", language, subject, intro, resource_ids as "resourceIds", status,
  created_at as "createdAt", sent_at as "sentAt", finished_at as "finishedAt"`

type RawIssue = Omit<IssueRow, 'id' | 'cityId' | 'resourceIds'> & {
  id: number | string
  cityId: number | string | null
  resourceIds: (number | string)[]
}

function toIssue(r: RawIssue): IssueRow {
  const iso = (d: string | null) => (d === null ? null : new Date(d).toISOString())
  return {
    ...r,
    id: Number(r.id),
    cityId: r.cityId === null ? null : Number(r.cityId),
    resourceIds: r.resourceIds.map(Number),
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: iso(r.sentAt),
    finishedAt: iso(r.finishedAt),
  }
}

export interface IssueInput {
  subject: string
  intro: string
  resourceIds: number[]
}

export async function insertIssue(
  db: Db,
  scope: { cityId: number | null; language: string },
  userId: number,
  input: IssueInput,
): Promise<number> {
  const row = await firstRow<{ id: number | string }>(
    db,
    sql`insert into hub_newsletter_issues (city_id, language, subject, intro, resource_ids, created_by)
        values (${scope.cityId}, ${scope.language}, ${input.subject}, ${input.intro},
          ${arrayOf(input.resourceIds, 'int8')}, ${userId})
        returning id`,
  )
  return Number(row!.id)
}

/** Saves a draft; false when the issue is no longer a draft. */
export async function updateDraft(db: Db, id: number, input: IssueInput): Promise<boolean> {
  const row = await firstRow<{ id: number | string }>(
    db,
    sql`update hub_newsletter_issues set subject = ${input.subject}, intro = ${input.intro},
          resource_ids = ${arrayOf(input.resourceIds, 'int8')}
        where id = ${id} and status = 'draft' returning id`,
  )
  return row !== undefined
}

export async function findIssue(db: Db, id: number) {
  const row = await firstRow<RawIssue>(db, sql`select ${ISSUE} from hub_newsletter_issues where id = ${id}`)
  return row ? toIssue(row) : undefined
}

/** Issues of the scopes a curator looks after, newest first. */
export async function listIssues(db: Db, scopes: (number | null)[]) {
  if (scopes.length === 0) return []
  const list = await rows<RawIssue>(
    db,
    sql`select ${ISSUE} from hub_newsletter_issues
        where ${sql.join(
          scopes.map((s) => sql`(${scopeIs(s)})`),
          sql` or `,
        )}
        order by id desc limit 100`,
  )
  return list.map(toIssue)
}

/** When the last issue of a scope and language started sending (null: never). */
export async function lastSentAt(db: Db, cityId: number | null, language: string): Promise<string | null> {
  const row = await firstRow<{ at: string | null }>(
    db,
    sql`select max(sent_at) as at from hub_newsletter_issues where ${scopeIs(cityId)} and language = ${language}`,
  )
  return row?.at ? new Date(row.at).toISOString() : null
}

export interface IssueResource {
  id: number
  cityId: number | null
  title: TranslatedText
  summary: TranslatedText
  publishedAt: string
}

/**
 * Published resources a scope's readers get: a city's own and the network's (or the network's only),
 * published after `since` when given, or the given ids.
 */
export async function issueResources(
  db: Db,
  cityId: number | null,
  filter: { since: string | null } | { ids: number[] },
): Promise<IssueResource[]> {
  const inScope = cityId === null ? sql`city_id is null` : sql`(city_id is null or city_id = ${cityId})`
  const which =
    'ids' in filter
      ? sql`id = any(${arrayOf(filter.ids, 'int8')})`
      : filter.since
        ? sql`published_at > ${filter.since}`
        : sql`true`
  const list = await rows<IssueResource & { id: number | string; cityId: number | string | null }>(
    db,
    sql`select id, city_id as "cityId", title, summary, published_at as "publishedAt" from hub_resources
        where status = 'published' and ${inScope} and ${which}
        order by published_at desc, id desc limit 200`,
  )
  return list.map((r) => ({
    ...r,
    id: Number(r.id),
    cityId: r.cityId === null ? null : Number(r.cityId),
    publishedAt: new Date(r.publishedAt).toISOString(),
  }))
}

/**
 * Starts sending a draft: marks it sending and lists every active subscription of its scope and
 * language as a pending delivery. False when it was not a draft (sent twice, or by two curators).
 */
export async function startSending(db: Db, issueId: number, userId: number): Promise<boolean> {
  const row = await firstRow<{ id: number | string; cityId: number | string | null; language: string }>(
    db,
    sql`update hub_newsletter_issues set status = 'sending', sent_at = now(), sent_by = ${userId}
        where id = ${issueId} and status = 'draft' returning id, city_id as "cityId", language`,
  )
  if (!row) return false
  const cityId = row.cityId === null ? null : Number(row.cityId)
  await db.execute(
    sql`insert into hub_newsletter_deliveries (issue_id, subscription_id)
        select ${issueId}, id from hub_subscriptions
        where ${scopeIs(cityId)} and language = ${row.language} and status = 'active'
        on conflict do nothing`,
  )
  return true
}

/** Pending deliveries whose address unsubscribed meanwhile are skipped, never sent. */
export async function skipUnsubscribed(db: Db, issueId: number) {
  await db.execute(
    sql`update hub_newsletter_deliveries d set status = 'skipped'
        from hub_subscriptions s
        where d.issue_id = ${issueId} and d.status = 'pending' and s.id = d.subscription_id and s.status <> 'active'`,
  )
}

/**
 * Claims up to `limit` pending deliveries of an issue (safe with several workers). A claimed
 * delivery is sent at most once: if the process dies before handing it to the mailer it stays
 * `sending` and is counted as not sent, rather than risk a second copy.
 */
export async function claimDeliveries(db: Db, issueId: number, limit: number) {
  const list = await rows<{ id: number | string; subscriptionId: number | string }>(
    db,
    sql`update hub_newsletter_deliveries set status = 'sending'
        where id in (select id from hub_newsletter_deliveries
                     where issue_id = ${issueId} and status = 'pending'
                     order by id limit ${limit} for update skip locked)
        returning id, subscription_id as "subscriptionId"`,
  )
  return list.map((r) => ({ id: Number(r.id), subscriptionId: Number(r.subscriptionId) }))
}

export async function findSubscriptionById(db: Db, id: number) {
  const row = await firstRow<RawSubscription>(
    db,
    sql`select ${SUBSCRIPTION} from hub_subscriptions where id = ${id}`,
  )
  return row ? toSubscription(row) : undefined
}

export async function markQueued(db: Db, deliveryId: number, outboxId: number) {
  await db.execute(
    sql`update hub_newsletter_deliveries set status = 'queued', outbox_id = ${outboxId}, queued_at = now()
        where id = ${deliveryId}`,
  )
}

export async function markSkipped(db: Db, deliveryId: number) {
  await db.execute(sql`update hub_newsletter_deliveries set status = 'skipped' where id = ${deliveryId}`)
}

export async function pendingCount(db: Db, issueId: number): Promise<number> {
  const row = await firstRow<{ n: number }>(
    db,
    sql`select count(*)::int as n from hub_newsletter_deliveries where issue_id = ${issueId} and status = 'pending'`,
  )
  return row?.n ?? 0
}

export async function finishIssue(db: Db, issueId: number) {
  await db.execute(
    sql`update hub_newsletter_issues set status = 'sent', finished_at = now() where id = ${issueId} and status = 'sending'`,
  )
}

/** Every delivery of an issue: its own status and, once handed to the mailer, the outbox id. */
export async function deliveriesOf(db: Db, issueId: number) {
  const list = await rows<{ status: DeliveryStatus; outboxId: number | string | null }>(
    db,
    sql`select status, outbox_id as "outboxId" from hub_newsletter_deliveries where issue_id = ${issueId}`,
  )
  return list.map((r) => ({ status: r.status, outboxId: r.outboxId === null ? null : Number(r.outboxId) }))
}

/** Active subscribers of a scope and language (shown to the curator before sending). */
export async function audienceSize(db: Db, cityId: number | null, language: string): Promise<number> {
  const row = await firstRow<{ n: number }>(
    db,
    sql`select count(*)::int as n from hub_subscriptions
        where ${scopeIs(cityId)} and language = ${language} and status = 'active'`,
  )
  return row?.n ?? 0
}
