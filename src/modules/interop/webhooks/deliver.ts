/**
 * Delivering one message: signed the Standard Webhooks way, POSTed through the safe fetcher (the
 * address is checked again: a name may point somewhere else since it was registered), retried with
 * growing waits, and a subscription that keeps failing is switched off and its owner told.
 */
import { Webhook } from 'standardwebhooks'
import { type Db, firstRow, rows, sql } from '../../../platform/db/index.ts'
import { fetchExternal } from '../../../platform/fetch/index.ts'
import { isLang, translator } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { findUserById } from '../../accounts/index.ts'
import { listStaff } from '../../organizations/index.ts'
import { eventId, WEBHOOK_DELIVER_JOB } from './scan.ts'
import { type SubscriptionRow, subscriptionById } from './subscriptions.ts'

/** Waits before attempts 2, 3, … (seconds): 30 s, 2 min, 10 min, 1 h, 6 h, 1 day; then it fails. */
export const RETRY_SECONDS = [30, 120, 600, 3600, 6 * 3600, 24 * 3600]
/** A subscription is disabled after this many failures in a row… */
export const MAX_CONSECUTIVE_FAILURES = 15
/** …or when every delivery has failed for this long. */
export const MAX_FAILING_MS = 24 * 3600_000
export const DELIVERY_TIMEOUT_MS = 5000
export const RESPONSE_BYTES = 4096
/** The delivery log is kept this long. */
export const LOG_DAYS = 30

/** The wait before the next attempt after `attempt` attempts: the schedule, ±10 % at random. */
export function retryDelayMs(attempt: number, random = Math.random()): number | null {
  const base = RETRY_SECONDS[attempt - 1]
  if (base === undefined) return null
  return Math.round(base * 1000 * (0.9 + 0.2 * random))
}

interface MessageRow {
  id: number
  subscriptionId: number
  eventId: string
  type: string
  payload: Record<string, unknown>
  status: string
  attempts: number
}

/** The `webhook-signature` header: v1 signatures with the secret (and, just after a rotation, the old one). */
export function signatures(sub: SubscriptionRow, id: string, at: Date, body: string, now = new Date()) {
  const secrets = [sub.secret]
  if (sub.previousSecret && sub.previousSecretUntil && sub.previousSecretUntil > now)
    secrets.push(sub.previousSecret)
  return secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' ')
}

export interface AttemptOutcome {
  ok: boolean
  statusCode: number | null
  error: string | null
  durationMs: number
}

/** POSTs one body, signed; never throws. */
export async function post(
  platform: Platform,
  sub: SubscriptionRow,
  id: string,
  body: string,
): Promise<AttemptOutcome> {
  const at = new Date()
  const started = performance.now()
  try {
    const res = await fetchExternal(sub.url, {
      ...platform.config.fetch,
      method: 'POST',
      body,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      maxBytes: RESPONSE_BYTES,
      truncate: true,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'LearnCity-Webhooks/1',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signatures(sub, id, at, body),
      },
    })
    const durationMs = Math.round(performance.now() - started)
    const ok = res.status >= 200 && res.status < 300
    return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs }
  } catch (e) {
    return {
      ok: false,
      statusCode: null,
      error: (e instanceof Error ? e.message : String(e)).slice(0, 500),
      durationMs: Math.round(performance.now() - started),
    }
  }
}

async function recordAttempt(
  db: Db,
  sub: SubscriptionRow,
  messageId: number,
  attempt: number,
  o: AttemptOutcome,
) {
  await db.execute(
    sql`insert into webhook_attempts (subscription_id, message_id, attempt, status_code, error, duration_ms)
        values (${sub.id}, ${messageId}, ${attempt}, ${o.statusCode}, ${o.error}, ${o.durationMs})`,
  )
}

/** Who hears that a subscription was disabled: its creator, else the organization's admins. */
async function owners(
  platform: Platform,
  sub: SubscriptionRow,
): Promise<{ email: string; language: string }[]> {
  if (sub.createdByUserId !== null) {
    const user = await findUserById(platform.db, sub.createdByUserId)
    if (user) return [{ email: user.email, language: user.language }]
  }
  if (sub.organizationId === null) return []
  return (await listStaff(platform.db, sub.cityId, sub.organizationId, 'admin')).map((s) => ({
    email: s.email,
    language: s.language,
  }))
}

async function disable(platform: Platform, sub: SubscriptionRow, reason: string): Promise<void> {
  const [changed] = await rows<{ id: number }>(
    platform.db,
    sql`update webhook_subscriptions set status = 'disabled', disabled_reason = ${reason}, disabled_at = now(),
          updated_at = now()
        where id = ${sub.id} and status = 'active' returning id`,
  )
  if (!changed) return
  const city = await firstRow<{ slug: string }>(
    platform.db,
    sql`select slug from cities where id = ${sub.cityId}`,
  )
  const where =
    sub.organizationId === null
      ? `/en/${city?.slug}/admin/webhooks/${sub.id}`
      : `/en/${city?.slug}/provide/${sub.organizationId}/webhooks/${sub.id}`
  for (const to of await owners(platform, sub)) {
    const lang = isLang(to.language) ? to.language : 'en'
    const t = translator(lang)
    const link = `${platform.config.publicUrl}${where.replace(/^\/en\//, `/${lang}/`)}`
    await platform.mail.send({
      to: to.email,
      cityId: sub.cityId,
      subject: t('webhooks.mail.disabled.subject'),
      text: [
        t('webhooks.mail.disabled.body', { url: sub.url }),
        t('webhooks.mail.disabled.reason', { reason }),
        '',
        t('webhooks.mail.disabled.fix'),
        link,
      ].join('\n'),
    })
  }
}

/** The delivery job: one attempt of one message, then the next attempt queued or the outcome recorded. */
export async function deliverMessage(platform: Platform, messageId: number): Promise<void> {
  const db = platform.db
  const msg = await firstRow<MessageRow>(
    db,
    sql`select id::float8 as id, subscription_id::float8 as "subscriptionId", event_id as "eventId", type,
          payload, status, attempts from webhook_messages where id = ${messageId}`,
  )
  if (msg?.status !== 'pending') return
  const sub = await subscriptionById(db, msg.subscriptionId)
  // Disabled: the message waits; switching the subscription on again queues it anew.
  if (sub?.status !== 'active') return
  const attempt = msg.attempts + 1
  const outcome = await post(platform, sub, msg.eventId, JSON.stringify(msg.payload))
  if (outcome.ok) {
    // One statement (one commit) for the log line, the message and the subscription's counters.
    await db.execute(
      sql`with logged as (
            insert into webhook_attempts (subscription_id, message_id, attempt, status_code, error, duration_ms)
            values (${sub.id}, ${msg.id}, ${attempt}, ${outcome.statusCode}, null, ${outcome.durationMs})),
          done as (
            update webhook_messages set status = 'delivered', attempts = ${attempt}, delivered_at = now(),
              next_attempt_at = null where id = ${msg.id})
          update webhook_subscriptions set consecutive_failures = 0, failing_since = null
          where id = ${sub.id} and (consecutive_failures <> 0 or failing_since is not null)`,
    )
    return
  }
  await recordAttempt(db, sub, msg.id, attempt, outcome)
  const [state] = await rows<{ failures: number; failingMs: number }>(
    db,
    sql`update webhook_subscriptions set consecutive_failures = consecutive_failures + 1,
          failing_since = coalesce(failing_since, now())
        where id = ${sub.id}
        returning consecutive_failures as failures,
          (extract(epoch from now() - failing_since) * 1000)::float8 as "failingMs"`,
  )
  const delay = retryDelayMs(attempt)
  await db.execute(
    sql`update webhook_messages set attempts = ${attempt},
          status = ${delay === null ? 'failed' : 'pending'},
          next_attempt_at = ${delay === null ? null : new Date(Date.now() + delay).toISOString()}
        where id = ${msg.id}`,
  )
  if (state && (state.failures >= MAX_CONSECUTIVE_FAILURES || state.failingMs >= MAX_FAILING_MS)) {
    await disable(platform, sub, outcome.error ?? 'delivery failed')
    return
  }
  if (delay !== null)
    await platform.jobs.enqueue(
      WEBHOOK_DELIVER_JOB,
      { messageId: msg.id },
      { runAt: new Date(Date.now() + delay), maxAttempts: 3 },
    )
}

/** Sends a `webhook.test` event now (a message of its own, logged like any other). */
export async function sendTestEvent(platform: Platform, sub: SubscriptionRow): Promise<number> {
  const city = await firstRow<{ slug: string }>(
    platform.db,
    sql`select slug from cities where id = ${sub.cityId}`,
  )
  const id = eventId()
  const payload = {
    id,
    type: 'webhook.test',
    timestamp: new Date().toISOString(),
    city: city?.slug ?? '',
    data: {
      subscriptionId: sub.id,
      message: 'A test event: your receiver is reachable and verifies signatures.',
    },
  }
  const row = await firstRow<{ id: number }>(
    platform.db,
    sql`insert into webhook_messages (city_id, subscription_id, event_id, type, payload, next_attempt_at)
        values (${sub.cityId}, ${sub.id}, ${id}, 'webhook.test', ${JSON.stringify(payload)}::jsonb, now())
        returning id::float8 as id`,
  )
  await platform.jobs.enqueue(WEBHOOK_DELIVER_JOB, { messageId: row!.id }, { maxAttempts: 3 })
  return row!.id
}

/** Sends one of the subscription's messages again, whatever became of it (the same webhook-id). */
export async function redeliver(
  platform: Platform,
  sub: SubscriptionRow,
  messageId: number,
): Promise<boolean> {
  const [row] = await rows<{ id: number }>(
    platform.db,
    sql`update webhook_messages set status = 'pending', next_attempt_at = now()
        where id = ${messageId} and subscription_id = ${sub.id} returning id::float8 as id`,
  )
  if (!row) return false
  await platform.jobs.enqueue(WEBHOOK_DELIVER_JOB, { messageId: row.id }, { maxAttempts: 3 })
  return true
}

/** Switches a disabled subscription on again and queues the messages that waited. */
export async function enable(platform: Platform, sub: SubscriptionRow): Promise<void> {
  await platform.db.execute(
    sql`update webhook_subscriptions set status = 'active', disabled_reason = null, disabled_at = null,
          consecutive_failures = 0, failing_since = null, updated_at = now() where id = ${sub.id}`,
  )
  await platform.db.execute(
    sql`insert into jobs (name, payload, run_at, max_attempts)
        select ${WEBHOOK_DELIVER_JOB}, jsonb_build_object('messageId', id), now(), 3
        from webhook_messages where subscription_id = ${sub.id} and status = 'pending'`,
  )
}

/** Drops log lines and finished messages older than LOG_DAYS; returns how many log lines. */
export async function pruneLog(db: Db, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - LOG_DAYS * 86_400_000).toISOString()
  const gone = await rows<{ id: number }>(
    db,
    sql`delete from webhook_attempts where attempted_at < ${before}::timestamptz returning id`,
  )
  await db.execute(
    sql`delete from webhook_messages where created_at < ${before}::timestamptz and status <> 'pending'`,
  )
  return gone.length
}

export interface LogLine {
  id: number
  messageId: number
  eventId: string
  type: string
  attempt: number
  statusCode: number | null
  error: string | null
  durationMs: number
  attemptedAt: Date
  messageStatus: string
}

/** The subscription's delivery log, newest first. */
export async function deliveryLog(db: Db, subscriptionId: number, limit = 100): Promise<LogLine[]> {
  const found = await rows<LogLine>(
    db,
    sql`select a.id::float8 as id, m.id::float8 as "messageId", m.event_id as "eventId", m.type, a.attempt,
          a.status_code as "statusCode", a.error, a.duration_ms as "durationMs", a.attempted_at as "attemptedAt",
          m.status as "messageStatus"
        from webhook_attempts a join webhook_messages m on m.id = a.message_id
        where a.subscription_id = ${subscriptionId} order by a.id desc limit ${limit}`,
  )
  return found.map((l) => ({ ...l, attemptedAt: new Date(l.attemptedAt) }))
}
