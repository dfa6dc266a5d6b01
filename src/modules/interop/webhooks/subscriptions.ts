/**
 * Webhook subscriptions: who may have one (an organization's admins for its own items, a city's
 * coordinators for the whole city), the checks on the address, the signing secret and its rotation.
 */
import { randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { z } from 'zod'
import { type Db, firstRow, rows, sql } from '../../../platform/db/index.ts'
import { type AddressPolicy, classifyAddress, refusedAddress } from '../../../platform/fetch/index.ts'
import { WEBHOOK_EVENTS, type WebhookEvent } from '../schema-webhooks.ts'

export type FieldProblem = { field: string; detail: string; code?: UrlProblemCode }
export type UrlProblemCode = 'invalid' | 'scheme' | 'credentials' | 'dns' | 'blocked' | 'http'
export type Result<T> = { ok: true; value: T } | { ok: false; fields: FieldProblem[] }

/** An organization's subscription, or the city's (organizationId null). */
export interface Scope {
  cityId: number
  organizationId: number | null
}

export interface SubscriptionRow {
  id: number
  cityId: number
  organizationId: number | null
  url: string
  description: string
  events: WebhookEvent[]
  secret: string
  previousSecret: string | null
  previousSecretUntil: Date | null
  status: 'active' | 'disabled'
  disabledReason: string | null
  disabledAt: Date | null
  consecutiveFailures: number
  failingSince: Date | null
  createdByUserId: number | null
  createdAt: Date
}

const columns = sql`id::float8 as id, city_id::float8 as "cityId", organization_id::float8 as "organizationId",
  url, description, events, secret, previous_secret as "previousSecret",
  previous_secret_until as "previousSecretUntil", status, disabled_reason as "disabledReason",
  disabled_at as "disabledAt", consecutive_failures as "consecutiveFailures",
  failing_since as "failingSince", created_by_user_id::float8 as "createdByUserId", created_at as "createdAt"`

function hydrate(r: SubscriptionRow): SubscriptionRow {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string))
  return {
    ...r,
    previousSecretUntil: date(r.previousSecretUntil),
    disabledAt: date(r.disabledAt),
    failingSince: date(r.failingSince),
    createdAt: new Date(r.createdAt),
  }
}

export const subscriptionInput = z.object({
  url: z
    .string('Enter the address to send events to')
    .trim()
    .min(1, 'Enter the address to send events to')
    .max(2000, 'Use an address of 2,000 characters or fewer'),
  description: z.string().trim().max(200, 'Use 200 characters or fewer').default(''),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, 'Choose events from the list'), 'Choose at least one event')
    .min(1, 'Choose at least one event')
    .transform((e) => [...new Set(e)]),
})
export type SubscriptionInput = z.infer<typeof subscriptionInput>

const invalid = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => ({ field: `/${i.path.map(String).join('/')}`, detail: i.message }))

/** The input, or every problem with it at once: the fields' and the address's. */
async function validate(raw: unknown, policy: AddressPolicy): Promise<Result<SubscriptionInput>> {
  const parsed = subscriptionInput.safeParse(raw)
  const fields: FieldProblem[] = parsed.success ? [] : invalid(parsed.error.issues)
  const url = (raw as { url?: unknown } | null)?.url
  if (typeof url === 'string' && url.trim() && !fields.some((f) => f.field === '/url')) {
    const problem = await urlProblem(url.trim(), policy)
    if (problem) fields.push({ field: '/url', ...problem })
  }
  if (!parsed.success || fields.length > 0) return { ok: false, fields }
  return { ok: true, value: parsed.data }
}

/**
 * Why events may not be sent to this address, or null: https (http only to an address the operator
 * allowed, such as a receiver on the same machine), no user name or password, and every address the
 * name resolves to public unless the operator allowed that kind (FETCH_ALLOW_ADDRESSES). Checked at
 * creation and again by the fetcher at every delivery (the name may resolve elsewhere later).
 */
export async function urlProblem(
  raw: string,
  policy: AddressPolicy,
): Promise<{ code: UrlProblemCode; detail: string } | null> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { code: 'invalid', detail: 'Enter the full address, starting with https://' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { code: 'scheme', detail: 'Use an https:// address' }
  if (url.username || url.password)
    return { code: 'credentials', detail: 'Leave the user name and password out of the address' }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  if (isIP(host)) addresses = [host]
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
    } catch {
      return { code: 'dns', detail: `The name ${host} could not be found: check the address` }
    }
  }
  for (const a of addresses) {
    const refused = refusedAddress(a, policy)
    if (refused)
      return {
        code: 'blocked',
        detail: `The address leads to a ${refused} network address (${a}), which this site does not send to`,
      }
  }
  // Plain http only where the operator allowed the (non-public) address: never across the internet.
  if (url.protocol === 'http:' && addresses.some((a) => classifyAddress(a) === null))
    return {
      code: 'http',
      detail: 'Use an https:// address: events are only sent unencrypted to addresses the operator allowed',
    }
  return null
}

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

export async function listSubscriptions(db: Db, scope: Scope): Promise<SubscriptionRow[]> {
  const found = await rows<SubscriptionRow>(
    db,
    sql`select ${columns} from webhook_subscriptions where city_id = ${scope.cityId}
        and ${scope.organizationId === null ? sql`organization_id is null` : sql`organization_id = ${scope.organizationId}`}
        order by id`,
  )
  return found.map(hydrate)
}

/** One subscription, only within its owner's scope (another organization's is not found). */
export async function findSubscription(
  db: Db,
  scope: Scope,
  id: number,
): Promise<SubscriptionRow | undefined> {
  const row = await firstRow<SubscriptionRow>(
    db,
    sql`select ${columns} from webhook_subscriptions where id = ${id} and city_id = ${scope.cityId}
        and ${scope.organizationId === null ? sql`organization_id is null` : sql`organization_id = ${scope.organizationId}`}`,
  )
  return row && hydrate(row)
}

export async function subscriptionById(db: Db, id: number): Promise<SubscriptionRow | undefined> {
  const row = await firstRow<SubscriptionRow>(
    db,
    sql`select ${columns} from webhook_subscriptions where id = ${id}`,
  )
  return row && hydrate(row)
}

/**
 * Starts the city's cursors over the change log where it is now, and remembers which items are
 * already live (their next change is an update, not a creation). Only the first subscription of a
 * city does any work: later ones find the cursors there.
 */
export async function startCursors(db: Db, cityId: number): Promise<void> {
  await db.execute(
    sql`insert into webhook_cursors (city_id, feed, after_modified, after_id)
        select ${cityId}, f.feed, coalesce(m.modified, 0), coalesce(m.source_id, 0)
        from (values ('opportunities'), ('scheduled-sessions'), ('organizations'), ('venues')) f(feed)
        left join lateral (select modified, source_id from interop_feed_items i
          where i.city_id = ${cityId} and i.feed = f.feed and i.modified is not null
          order by modified desc, source_id desc limit 1) m on true
        on conflict do nothing`,
  )
  await db.execute(
    sql`insert into webhook_items (feed, source_id, city_id, organization_id)
        select i.feed, i.source_id, i.city_id, case
          when i.feed = 'opportunities' then (select organization_id from opportunities where id = i.source_id)
          when i.feed = 'scheduled-sessions' then (select o.organization_id from opportunity_sessions s
            join opportunities o on o.id = s.opportunity_id where s.id = i.source_id)
          when i.feed = 'organizations' then i.source_id
          else (select organization_id from venues where id = i.source_id) end
        from interop_feed_items i
        where i.city_id = ${cityId} and i.announced and i.state = 'updated'
          and i.feed in ('opportunities', 'scheduled-sessions', 'organizations', 'venues')
          and not exists (select 1 from webhook_cursors c where c.city_id = ${cityId} and c.feed = 'started')
        on conflict do nothing`,
  )
  await db.execute(
    sql`insert into webhook_cursors (city_id, feed, after_modified, after_id)
        values (${cityId}, 'started', 0, 0) on conflict do nothing`,
  )
}

/** Creates a subscription; the result carries its secret, which is shown this once. */
export async function createSubscription(
  db: Db,
  policy: AddressPolicy,
  scope: Scope,
  userId: number | null,
  raw: unknown,
): Promise<Result<SubscriptionRow>> {
  const parsed = await validate(raw, policy)
  if (!parsed.ok) return parsed
  await startCursors(db, scope.cityId)
  const row = await firstRow<SubscriptionRow>(
    db,
    sql`insert into webhook_subscriptions (city_id, organization_id, url, description, events, secret, created_by_user_id)
        values (${scope.cityId}, ${scope.organizationId}, ${parsed.value.url}, ${parsed.value.description},
          array(select jsonb_array_elements_text(${JSON.stringify(parsed.value.events)}::jsonb)), ${newSecret()}, ${userId})
        returning ${columns}`,
  )
  return { ok: true, value: hydrate(row!) }
}

/** Changes the address, description or events (each optional: only what is given changes). */
export async function updateSubscription(
  db: Db,
  policy: AddressPolicy,
  current: SubscriptionRow,
  raw: unknown,
): Promise<Result<SubscriptionRow>> {
  const body = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
  const parsed = await validate(
    {
      url: body.url ?? current.url,
      description: body.description ?? current.description,
      events: body.events ?? current.events,
    },
    policy,
  )
  if (!parsed.ok) return parsed
  const row = await firstRow<SubscriptionRow>(
    db,
    sql`update webhook_subscriptions set url = ${parsed.value.url}, description = ${parsed.value.description},
          events = array(select jsonb_array_elements_text(${JSON.stringify(parsed.value.events)}::jsonb)), updated_at = now()
        where id = ${current.id} returning ${columns}`,
  )
  return { ok: true, value: hydrate(row!) }
}

/** A new secret; the old one goes on signing for a day, so receivers can switch without a gap. */
export async function rotateSecret(db: Db, current: SubscriptionRow): Promise<SubscriptionRow> {
  const row = await firstRow<SubscriptionRow>(
    db,
    sql`update webhook_subscriptions set previous_secret = secret, secret = ${newSecret()},
          previous_secret_until = now() + interval '24 hours', updated_at = now()
        where id = ${current.id} returning ${columns}`,
  )
  return hydrate(row!)
}

export async function deleteSubscription(db: Db, current: SubscriptionRow): Promise<void> {
  await db.execute(sql`delete from webhook_attempts where subscription_id = ${current.id}`)
  await db.execute(sql`delete from webhook_messages where subscription_id = ${current.id}`)
  await db.execute(sql`delete from webhook_subscriptions where id = ${current.id}`)
}
