/**
 * The webhooks JSON API: /api/v1/cities/{city}/webhooks, with an organization's API key carrying
 * the `webhooks:manage` scope. A key sees and changes only its own organization's subscriptions.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { problem } from '../../../platform/http/problem.ts'
import { problemContent } from '../../../platform/http/problem-schema.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { findCityBySlug } from '../../cities/index.ts'
import { authenticateApiKey } from '../../organizations/index.ts'
import { WEBHOOK_EVENTS } from '../schema-webhooks.ts'
import { deliveryLog, enable, type LogLine, redeliver, sendTestEvent } from './deliver.ts'
import {
  createSubscription,
  deleteSubscription,
  findSubscription,
  listSubscriptions,
  rotateSecret,
  type Scope,
  type SubscriptionRow,
  updateSubscription,
} from './subscriptions.ts'

const security = [{ apiKey: [] }]
const Subscription = z
  .object({
    id: z.number(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    status: z.enum(['active', 'disabled']),
    disabledReason: z.string().nullable(),
    consecutiveFailures: z.number(),
    createdAt: z.string(),
  })
  .openapi('WebhookSubscription')
const Created = Subscription.extend({
  secret: z.string().openapi({ description: 'The signing secret (whsec_…): shown this once' }),
}).openapi('WebhookSubscriptionCreated')
const Delivery = z
  .object({
    messageId: z.number(),
    eventId: z.string(),
    type: z.string(),
    attempt: z.number(),
    statusCode: z.number().nullable(),
    error: z.string().nullable(),
    durationMs: z.number(),
    attemptedAt: z.string(),
    messageStatus: z.string(),
  })
  .openapi('WebhookDelivery')

const CityParam = z.object({
  city: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .openapi({ param: { name: 'city', in: 'path' } }),
})
const IdParams = CityParam.extend({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name: 'id', in: 'path' } }),
})
const MessageParams = IdParams.extend({
  message: z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .openapi({ param: { name: 'message', in: 'path' } }),
})

const errors = {
  401: { description: 'No key', content: problemContent },
  403: { description: 'The key lacks webhooks:manage', content: problemContent },
  404: { description: 'No such city, or no such subscription of this organization', content: problemContent },
}
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

const base = '/api/v1/cities/{city}/webhooks'
const routes = {
  list: createRoute({
    method: 'get',
    path: base,
    summary: "The key's organization's webhook subscriptions",
    tags: ['Webhooks'],
    security,
    request: { params: CityParam },
    responses: { 200: json(z.object({ data: z.array(Subscription) }), 'The subscriptions'), ...errors },
  }),
  create: createRoute({
    method: 'post',
    path: base,
    summary: 'Subscribes an https address to change events of the organization',
    tags: ['Webhooks'],
    security,
    request: { params: CityParam, body: { content: { 'application/json': { schema: z.looseObject({}) } } } },
    responses: {
      201: json(Created, 'Subscribed; the secret is in this answer only'),
      400: { description: 'Invalid fields (an unsafe address among them)', content: problemContent },
      ...errors,
    },
  }),
  get: createRoute({
    method: 'get',
    path: `${base}/{id}`,
    summary: 'One subscription',
    tags: ['Webhooks'],
    security,
    request: { params: IdParams },
    responses: { 200: json(Subscription, 'The subscription'), ...errors },
  }),
  update: createRoute({
    method: 'patch',
    path: `${base}/{id}`,
    summary: "Changes a subscription's address, description or events; `status: active` switches it on again",
    tags: ['Webhooks'],
    security,
    request: { params: IdParams, body: { content: { 'application/json': { schema: z.looseObject({}) } } } },
    responses: {
      200: json(Subscription, 'Changed'),
      400: { description: 'Invalid fields', content: problemContent },
      ...errors,
    },
  }),
  remove: createRoute({
    method: 'delete',
    path: `${base}/{id}`,
    summary: 'Deletes a subscription and its delivery log',
    tags: ['Webhooks'],
    security,
    request: { params: IdParams },
    responses: { 204: { description: 'Deleted' }, ...errors },
  }),
  deliveries: createRoute({
    method: 'get',
    path: `${base}/{id}/deliveries`,
    summary: 'The delivery log (every attempt, newest first, kept 30 days)',
    tags: ['Webhooks'],
    security,
    request: { params: IdParams },
    responses: { 200: json(z.object({ data: z.array(Delivery) }), 'The attempts'), ...errors },
  }),
  test: createRoute({
    method: 'post',
    path: `${base}/{id}/test`,
    summary: 'Sends a webhook.test event now',
    tags: ['Webhooks'],
    security,
    request: { params: IdParams },
    responses: { 202: json(z.object({ messageId: z.number() }), 'Queued'), ...errors },
  }),
  redeliver: createRoute({
    method: 'post',
    path: `${base}/{id}/messages/{message}/redeliver`,
    summary: 'Sends one message again (same webhook-id)',
    tags: ['Webhooks'],
    security,
    request: { params: MessageParams },
    responses: { 202: json(z.object({ messageId: z.number() }), 'Queued'), ...errors },
  }),
  rotate: createRoute({
    method: 'post',
    path: `${base}/{id}/rotate-secret`,
    summary: 'A new signing secret; the old one also signs for 24 hours',
    tags: ['Webhooks'],
    security,
    request: { params: IdParams },
    responses: { 200: json(Created, 'The new secret, shown this once'), ...errors },
  }),
}

export const subscriptionView = (s: SubscriptionRow) => ({
  id: s.id,
  url: s.url,
  description: s.description,
  events: s.events,
  status: s.status,
  disabledReason: s.disabledReason,
  consecutiveFailures: s.consecutiveFailures,
  createdAt: s.createdAt.toISOString(),
})
const lineView = (l: LogLine) => ({
  messageId: l.messageId,
  eventId: l.eventId,
  type: l.type,
  attempt: l.attempt,
  statusCode: l.statusCode,
  error: l.error,
  durationMs: l.durationMs,
  attemptedAt: l.attemptedAt.toISOString(),
  messageStatus: l.messageStatus,
})

/** The key's organization in the city of the path, or the problem to answer. */
async function scopeOf(
  c: Context<AppEnv>,
  platform: Platform,
): Promise<{ scope?: Scope; response?: Response }> {
  const key = /^Bearer (\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
  const identity = key ? await authenticateApiKey(platform.db, key) : undefined
  if (!identity)
    return {
      response: problem(c, {
        title: 'Missing or unknown API key',
        status: 401,
        detail: 'Send `Authorization: Bearer <key>`.',
      }),
    }
  if (!(identity.scopes as string[]).includes('webhooks:manage'))
    return {
      response: problem(c, {
        title: 'This key may not manage webhooks',
        status: 403,
        detail: 'The key lacks the webhooks:manage scope.',
      }),
    }
  const city = await findCityBySlug(platform.db, c.req.param('city') ?? '')
  if (!city || city.id !== identity.cityId)
    return { response: problem(c, { title: 'No such city for this key', status: 404 }) }
  return { scope: { cityId: city.id, organizationId: identity.organizationId } }
}

async function body(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const raw = await c.req.json().catch(() => null)
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}
}

export function webhooksApi(app: App, platform: Platform): void {
  const policy = platform.config.fetch
  const found = async (c: Context<AppEnv>) => {
    const { scope, response } = await scopeOf(c, platform)
    if (!scope) return { response }
    const sub = await findSubscription(platform.db, scope, Number(c.req.param('id')))
    if (!sub) return { response: problem(c, { title: 'No such subscription', status: 404 }) }
    return { sub }
  }
  app.openapi(routes.list, async (c) => {
    const { scope, response } = await scopeOf(c, platform)
    if (!scope) return response as never
    return c.json({ data: (await listSubscriptions(platform.db, scope)).map(subscriptionView) }, 200)
  })
  app.openapi(routes.create, async (c) => {
    const { scope, response } = await scopeOf(c, platform)
    if (!scope) return response as never
    const result = await createSubscription(platform.db, policy, scope, null, await body(c))
    if (!result.ok)
      return problem(c, {
        title: 'The subscription is not valid',
        status: 400,
        errors: result.fields,
      }) as never
    return c.json({ ...subscriptionView(result.value), secret: result.value.secret }, 201)
  })
  app.openapi(routes.get, async (c) => {
    const { sub, response } = await found(c)
    if (!sub) return response as never
    return c.json(subscriptionView(sub), 200)
  })
  app.openapi(routes.update, async (c) => {
    const { sub, response } = await found(c)
    if (!sub) return response as never
    const input = await body(c)
    const result = await updateSubscription(platform.db, policy, sub, input)
    if (!result.ok)
      return problem(c, {
        title: 'The subscription is not valid',
        status: 400,
        errors: result.fields,
      }) as never
    if (input.status === 'active' && sub.status === 'disabled') await enable(platform, sub)
    const now = await findSubscription(
      platform.db,
      { cityId: sub.cityId, organizationId: sub.organizationId },
      sub.id,
    )
    return c.json(subscriptionView(now!), 200)
  })
  app.openapi(routes.remove, async (c) => {
    const { sub, response } = await found(c)
    if (!sub) return response as never
    await deleteSubscription(platform.db, sub)
    return c.body(null, 204) as never
  })
  app.openapi(routes.deliveries, async (c) => {
    const { sub, response } = await found(c)
    if (!sub) return response as never
    return c.json({ data: (await deliveryLog(platform.db, sub.id)).map(lineView) }, 200)
  })
  app.openapi(routes.test, async (c) => {
    const { sub, response } = await found(c)
    if (!sub) return response as never
    return c.json({ messageId: await sendTestEvent(platform, sub) }, 202)
  })
  app.openapi(routes.redeliver, async (c) => {
    const { sub, response } = await found(c)
    if (!sub) return response as never
    const messageId = Number(c.req.param('message'))
    if (!(await redeliver(platform, sub, messageId)))
      return problem(c, { title: 'No such message of this subscription', status: 404 }) as never
    return c.json({ messageId }, 202)
  })
  app.openapi(routes.rotate, async (c) => {
    const { sub, response } = await found(c)
    if (!sub) return response as never
    const next = await rotateSecret(platform.db, sub)
    return c.json({ ...subscriptionView(next), secret: next.secret }, 200)
  })
}
