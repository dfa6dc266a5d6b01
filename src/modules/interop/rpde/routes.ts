/**
 * The RPDE endpoints: /api/v1/cities/{city}/feeds/{opportunities|organizations|venues} and
 * /api/v1/cities/{city}/openactive/{session-series|scheduled-sessions|course-instance}.
 * "Modified timestamp and id" ordering (afterTimestamp + afterId), absolute `next`, the last page
 * empty with `next` equal to itself, short caching there and long caching on full pages.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { type FieldError, problem } from '../../../platform/http/problem.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { findCityBySlug } from '../../cities/index.ts'
import { OPEN_DATA_LICENSE } from '../feeds.ts'
import type { RpdeFeed } from '../schema.ts'
import { type Cursor, readPage } from './page.ts'
import { stampChanges } from './stamp.ts'

/** RPDE's suggested page size, and the most a `limit` may ask. */
export const PAGE_SIZE = 500

const OWN: RpdeFeed[] = ['opportunities', 'organizations', 'venues']
const OPENACTIVE: RpdeFeed[] = ['session-series', 'scheduled-sessions', 'course-instance']

export function feedPath(city: string, feed: RpdeFeed): string {
  return `/api/v1/cities/${city}/${OWN.includes(feed) ? 'feeds' : 'openactive'}/${feed}`
}

const KNOWN = new Set(['afterTimestamp', 'afterId', 'limit'])
const INTEGER = /^(0|[1-9][0-9]{0,15})$/

export interface FeedQuery {
  cursor: Cursor | null
  limit: number
}

/** Reads the query string, or every problem with it, one per parameter. */
export function parseFeedQuery(
  params: URLSearchParams,
): { ok: true; value: FeedQuery } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const single = (name: string): string | undefined => {
    const all = params.getAll(name)
    if (all.length > 1) errors.push({ field: name, detail: `Give ${name} once` })
    return all[0]
  }
  for (const name of new Set(params.keys()))
    if (!KNOWN.has(name))
      errors.push({
        field: name,
        detail: 'Not a parameter of this feed: use afterTimestamp, afterId and limit',
      })
  const integer = (name: string, max: number): number | undefined => {
    const raw = single(name)
    if (raw === undefined) return undefined
    if (!INTEGER.test(raw) || Number(raw) > max) {
      errors.push({ field: name, detail: `Use a whole number from 0 to ${max}, as in the feed's next link` })
      return undefined
    }
    return Number(raw)
  }
  const afterTimestamp = integer('afterTimestamp', Number.MAX_SAFE_INTEGER)
  const afterId = integer('afterId', Number.MAX_SAFE_INTEGER)
  const limitRaw = params.has('limit') ? integer('limit', PAGE_SIZE) : PAGE_SIZE
  if (limitRaw === 0) errors.push({ field: 'limit', detail: `Use a whole number from 1 to ${PAGE_SIZE}` })
  if (params.has('afterTimestamp') !== params.has('afterId')) {
    const missing = params.has('afterTimestamp') ? 'afterId' : 'afterTimestamp'
    errors.push({ field: missing, detail: 'Give afterTimestamp and afterId together, as in the next link' })
  }
  if (errors.length > 0) return { ok: false, errors }
  const cursor = afterTimestamp !== undefined && afterId !== undefined ? { afterTimestamp, afterId } : null
  return { ok: true, value: { cursor, limit: limitRaw ?? PAGE_SIZE } }
}

function pageUrl(base: string, cursor: Cursor | null, limit: number): string {
  const query = new URLSearchParams()
  if (cursor) {
    query.set('afterTimestamp', String(cursor.afterTimestamp))
    query.set('afterId', String(cursor.afterId))
  }
  if (limit !== PAGE_SIZE) query.set('limit', String(limit))
  const q = query.toString()
  return q ? `${base}?${q}` : base
}

async function answer(c: Context, platform: Platform, feed: RpdeFeed): Promise<Response> {
  const city = await findCityBySlug(platform.db, c.req.param('city') ?? '')
  if (!city) return problem(c, { title: 'City not found', status: 404 })
  const parsed = parseFeedQuery(new URL(c.req.url).searchParams)
  if (!parsed.ok)
    return problem(c, { title: 'Some feed parameters cannot be used', status: 400, errors: parsed.errors })
  const { cursor, limit } = parsed.value
  // Publish what has committed since the last request (a job does it too, for quiet feeds).
  await stampChanges(platform.db)
  const items = await readPage(
    platform.db,
    {
      cityId: city.id,
      origin: platform.config.publicUrl,
      city: { slug: city.slug, timeZone: city.timeZone, defaultLanguage: city.defaultLanguage },
    },
    feed,
    cursor,
    limit,
  )
  const base = `${platform.config.publicUrl}${feedPath(city.slug, feed)}`
  const last = items.at(-1)
  const next = last
    ? pageUrl(base, { afterTimestamp: last.modified, afterId: last.id }, limit)
    : pageUrl(base, cursor, limit)
  // A full page never changes but for items leaving it; any other page gains the next changes.
  const cacheControl = items.length === limit ? 'public, max-age=3600' : 'public, max-age=8'
  return c.json({ next, items, license: OPEN_DATA_LICENSE }, 200, { 'cache-control': cacheControl })
}

export function rpdeRoutes(app: App, platform: Platform): void {
  for (const feed of [...OWN, ...OPENACTIVE]) {
    const path = feedPath('{city}', feed)
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      summary: `RPDE feed of the city's ${feed} (Realtime Paged Data Exchange 1.0, modified + id ordering)`,
      description:
        'Follow `next` until a page has no items and `next` equals the page itself; poll that page for ' +
        'changes. Deleted items appear as tombstones (`state: "deleted"`). See docs/open-data.md.',
      tags: ['Open data'],
      request: {
        params: z.object({ city: z.string().openapi({ param: { name: 'city', in: 'path' } }) }),
        query: z.object({
          afterTimestamp: z.string().optional().openapi({ description: 'modified of the last item read' }),
          afterId: z.string().optional().openapi({ description: 'id of the last item read' }),
          limit: z
            .string()
            .optional()
            .openapi({ description: `items per page, 1 to ${PAGE_SIZE}` }),
        }),
      },
      responses: {
        200: { description: 'One page: { next, items, license }' },
        400: { description: 'Bad parameters, each with what to do instead (problem+json)' },
        404: { description: 'No such city (problem+json)' },
      },
    })
    app.get(feedPath(':city', feed), (c) => answer(c, platform, feed))
  }
}
