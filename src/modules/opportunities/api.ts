import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { problem } from '../../platform/http/problem.ts'
import { problemContent } from '../../platform/http/problem-schema.ts'
import type { App, Platform } from '../../platform/module.ts'
import { findCityById, findCityBySlug } from '../cities/index.ts'
import { writeKeyOf } from '../organizations/index.ts'
import { actorForApiKey } from './actor.ts'
import { opportunityInput } from './model.ts'
import {
  createOpportunity,
  type Result,
  type Transition,
  transition,
  updateOpportunity,
} from './opportunities.ts'
import * as repo from './repository.ts'
import { toView } from './view.ts'

const Opportunity = z
  .looseObject({ id: z.number(), status: z.string(), url: z.string() })
  .openapi('Opportunity', {
    description: 'An opportunity with its content (as in OpportunityInput), district, sessions and status',
  })
const Input = opportunityInput.openapi('OpportunityInput')
const security = [{ apiKey: [] }]
const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
})
const CityParam = z.object({
  city: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .openapi({ param: { name: 'city', in: 'path' }, example: 'chicago' }),
})

const list = createRoute({
  method: 'get',
  path: '/api/v1/cities/{city}/opportunities',
  summary: "A city's published opportunities, in pages",
  tags: ['Opportunities'],
  request: {
    params: CityParam,
    query: z.object({
      after: z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .openapi({ description: 'Cursor: the last id of the previous page' }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: {
      description: 'One page',
      content: {
        'application/json': { schema: z.object({ data: z.array(Opportunity), next: z.string().nullable() }) },
      },
    },
    404: { description: 'No such city', content: problemContent },
  },
})

const getOne = createRoute({
  method: 'get',
  path: '/api/v1/cities/{city}/opportunities/{id}',
  summary: 'One published opportunity with its sessions',
  tags: ['Opportunities'],
  request: { params: CityParam.extend(IdParam.shape) },
  responses: {
    200: { description: 'The opportunity', content: { 'application/json': { schema: Opportunity } } },
    404: { description: 'Not found', content: problemContent },
  },
})

const create = createRoute({
  method: 'post',
  path: '/api/v1/opportunities',
  summary: "Create an opportunity for the API key's organization",
  description:
    'With `publish=true` trusted providers publish at once; others submit it for review. Re-sending an `externalId` already used is a 409.',
  tags: ['Opportunities'],
  security,
  request: {
    query: z.object({ publish: z.enum(['true', 'false']).default('false') }),
    body: { content: { 'application/json': { schema: Input } }, required: true },
  },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: Opportunity } } },
    401: { description: 'Missing or unknown API key', content: problemContent },
    403: { description: 'The key may not write', content: problemContent },
    409: { description: 'externalId already used', content: problemContent },
    422: { description: 'Invalid fields, each listed', content: problemContent },
  },
})

const update = createRoute({
  method: 'put',
  path: '/api/v1/opportunities/{id}',
  summary: "Replace an opportunity's content",
  tags: ['Opportunities'],
  security,
  request: { params: IdParam, body: { content: { 'application/json': { schema: Input } }, required: true } },
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: Opportunity } } },
    401: { description: 'Missing or unknown API key', content: problemContent },
    403: { description: 'Not this organization', content: problemContent },
    404: { description: 'Not found', content: problemContent },
    422: { description: 'Invalid fields', content: problemContent },
  },
})

const act = createRoute({
  method: 'post',
  path: '/api/v1/opportunities/{id}/{action}',
  summary: 'Move an opportunity through its lifecycle',
  tags: ['Opportunities'],
  security,
  request: {
    params: IdParam.extend({
      action: z
        .enum(['submit', 'publish', 'cancel', 'archive'])
        .openapi({ param: { name: 'action', in: 'path' } }),
    }),
  },
  responses: {
    200: {
      description: 'New status',
      content: { 'application/json': { schema: z.object({ status: z.string() }) } },
    },
    401: { description: 'Missing or unknown API key', content: problemContent },
    403: { description: 'Not allowed for this key', content: problemContent },
    404: { description: 'Not found', content: problemContent },
    409: { description: 'Not possible from the current status', content: problemContent },
  },
})

const STATUS = { invalid: 422, forbidden: 403, 'not-found': 404, duplicate: 409, 'not-allowed': 409 } as const

function failure(c: Context<AppEnv>, result: Result<unknown, keyof typeof STATUS> & { ok: false }) {
  return problem(c, {
    type: `https://learncity.org/problems/${result.error}`,
    title: {
      invalid: 'Your request has invalid fields',
      forbidden: 'This key may not do that',
      'not-found': 'Not found',
      duplicate: 'Already exists',
      'not-allowed': 'Not possible from the current status',
    }[result.error],
    status: STATUS[result.error],
    errors: result.fields,
  })
}

async function viewOf(platform: Platform, cityId: number, citySlug: string, id: number) {
  const row = await repo.findOpportunity(platform.db, cityId, id)
  if (!row) return undefined
  const sessions = await repo.listSessions(platform.db, cityId, id)
  return toView(row, sessions, platform.config.publicUrl, citySlug)
}

/** The organization's API key from `Authorization: Bearer …`, resolved to an actor in its city. */
async function keyActor(c: Context<AppEnv>, platform: Platform) {
  const { identity, response } = await writeKeyOf(c, platform.db)
  if (!identity) return { response }
  const city = await findCityById(platform.db, identity.cityId)
  return { actor: actorForApiKey(identity, city!.timeZone), city: city! }
}

export function opportunityApi(app: App, platform: Platform): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An organization API key (lc_…), created by the organization admin',
  })

  app.openapi(list, async (c) => {
    const { city: slug } = c.req.valid('param')
    const { after, limit } = c.req.valid('query')
    const city = await findCityBySlug(platform.db, slug)
    if (!city) return problem(c, { title: 'City not found', status: 404 }) as never
    const page = await repo.listByStatus(platform.db, city.id, 'published', limit, after)
    const data = await Promise.all(page.map((o) => viewOf(platform, city.id, city.slug, o.id)))
    const last = page.at(-1)
    const next =
      page.length === limit && last
        ? `${platform.config.publicUrl}/api/v1/cities/${slug}/opportunities?after=${last.id}&limit=${limit}`
        : null
    return c.json({ data: data as never[], next }, 200)
  })

  app.openapi(getOne, async (c) => {
    const { city: slug, id } = c.req.valid('param')
    const city = await findCityBySlug(platform.db, slug)
    const view = city ? await viewOf(platform, city.id, city.slug, id) : undefined
    if (!city || !view || view.status !== 'published')
      return problem(c, { title: 'Not found', status: 404 }) as never
    return c.json(view as never, 200)
  })

  app.openapi(create, async (c) => {
    const auth = await keyActor(c, platform)
    if (!auth.actor) return auth.response as never
    const result = await createOpportunity(
      platform,
      auth.actor,
      auth.actor.organizations[0]!.id,
      c.req.valid('json'),
      {
        publish: c.req.valid('query').publish === 'true',
      },
    )
    if (!result.ok) return failure(c, result) as never
    const view = await viewOf(platform, auth.city.id, auth.city.slug, result.value.id)
    return c.json(view as never, 201, { location: view!.url })
  })

  app.openapi(update, async (c) => {
    const auth = await keyActor(c, platform)
    if (!auth.actor) return auth.response as never
    const { id } = c.req.valid('param')
    const result = await updateOpportunity(platform, auth.actor, id, c.req.valid('json'))
    if (!result.ok) return failure(c, result) as never
    return c.json((await viewOf(platform, auth.city.id, auth.city.slug, id)) as never, 200)
  })

  app.openapi(act, async (c) => {
    const auth = await keyActor(c, platform)
    if (!auth.actor) return auth.response as never
    const { id, action } = c.req.valid('param')
    const result = await transition(platform, auth.actor, id, action as Transition)
    if (!result.ok) return failure(c, result) as never
    return c.json({ status: result.value }, 200)
  })
}
