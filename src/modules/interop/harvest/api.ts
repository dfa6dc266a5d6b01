import { createRoute, z } from '@hono/zod-openapi'
import { problem } from '../../../platform/http/problem.ts'
import { problemContent } from '../../../platform/http/problem-schema.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { writeKeyOf } from '../../organizations/index.ts'
import { feedInput, registerFeed } from './feeds.ts'
import { HARVEST_FEED_JOB } from './jobs.ts'
import * as repo from './repository.ts'

const security = [{ apiKey: [] }]
const Feed = z
  .object({
    id: z.number(),
    kind: z.string(),
    name: z.string(),
    url: z.string(),
    status: z.string(),
    lastRunAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .openapi('HarvestFeed')
const Input = feedInput.omit({ organizationId: true }).openapi('HarvestFeedInput')
const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
})

const view = (f: repo.FeedRow) => ({
  id: f.id,
  kind: f.kind,
  name: f.name,
  url: f.url,
  status: f.status,
  lastRunAt: f.lastRunAt ? f.lastRunAt.toISOString() : null,
  lastError: f.lastError,
})

const list = createRoute({
  method: 'get',
  path: '/api/v1/feeds',
  summary: "The outside feeds harvested into the key's organization",
  tags: ['Feeds'],
  security,
  responses: {
    200: {
      description: 'The feeds',
      content: { 'application/json': { schema: z.object({ data: z.array(Feed) }) } },
    },
    401: { description: 'No key', content: problemContent },
    403: { description: 'Key may not write', content: problemContent },
  },
})
const create = createRoute({
  method: 'post',
  path: '/api/v1/feeds',
  summary: "Registers an outside feed (RPDE, iCalendar or CSV address) for the key's organization",
  tags: ['Feeds'],
  security,
  request: { body: { content: { 'application/json': { schema: Input } } } },
  responses: {
    201: {
      description: 'Registered; the first harvest is queued',
      content: { 'application/json': { schema: Feed } },
    },
    400: { description: 'Invalid fields', content: problemContent },
    401: { description: 'No key', content: problemContent },
    403: { description: 'Key may not write', content: problemContent },
  },
})
const log = createRoute({
  method: 'get',
  path: '/api/v1/feeds/{id}/log',
  summary: "A feed's last harvests and its log of rejected, warned and deleted items",
  tags: ['Feeds'],
  security,
  request: { params: IdParam },
  responses: {
    200: {
      description: 'Runs and log lines, newest first',
      content: {
        'application/json': {
          schema: z.object({
            runs: z.array(z.looseObject({ id: z.number(), status: z.string() })),
            log: z.array(
              z.object({
                itemId: z.string(),
                title: z.string(),
                outcome: z.string(),
                reasons: z.array(z.string()),
              }),
            ),
          }),
        },
      },
    },
    401: { description: 'No key', content: problemContent },
    403: { description: 'Key may not write', content: problemContent },
    404: { description: 'No such feed of this organization', content: problemContent },
  },
})

/** JSON routes for providers' integrations: register feeds and read their logs with an API key. */
export function harvestApi(app: App, platform: Platform): void {
  app.openapi(create, async (c) => {
    const auth = await writeKeyOf(c, platform.db)
    if (!auth.identity) return auth.response as never
    const body = await c.req.json().catch(() => null)
    const raw = body && typeof body === 'object' ? body : {}
    const result = await registerFeed(platform, auth.identity.cityId, null, {
      ...raw,
      organizationId: auth.identity.organizationId,
    })
    if (!result.ok)
      return problem(c, { title: 'The feed is not valid', status: 400, errors: result.fields }) as never
    await platform.jobs.enqueue(HARVEST_FEED_JOB, { feedId: result.value.id })
    return c.json(view(result.value), 201)
  })
  app.openapi(list, async (c) => {
    const auth = await writeKeyOf(c, platform.db)
    if (!auth.identity) return auth.response as never
    const feeds = (await repo.listFeeds(platform.db, auth.identity.cityId)).filter(
      (f) => f.organizationId === auth.identity.organizationId,
    )
    return c.json({ data: feeds.map(view) }, 200)
  })
  app.openapi(log, async (c) => {
    const auth = await writeKeyOf(c, platform.db)
    if (!auth.identity) return auth.response as never
    const feed = await repo.findFeed(platform.db, auth.identity.cityId, c.req.valid('param').id)
    if (!feed || feed.organizationId !== auth.identity.organizationId)
      return problem(c, { title: 'No such feed', status: 404 }) as never
    const runs = await repo.listRuns(platform.db, feed.cityId, feed.id)
    const lines = await repo.listLog(platform.db, feed.cityId, feed.id)
    return c.json(
      {
        runs: runs.map((r) => ({
          ...r,
          startedAt: r.startedAt.toISOString(),
          finishedAt: r.finishedAt?.toISOString() ?? null,
        })),
        log: lines.map((l) => ({ itemId: l.itemId, title: l.title, outcome: l.outcome, reasons: l.reasons })),
      },
      200,
    )
  })
}
