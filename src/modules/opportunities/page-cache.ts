import type { MiddlewareHandler } from 'hono'
import { createPageCache, type PageCache, type Tag } from '../../platform/cache/page-cache.ts'
import { type Db, firstRow, sql } from '../../platform/db/index.ts'
import { readsOnly } from '../../platform/http/csrf.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'

/** The tags of a cached opportunity page: what it is built from. */
export const pageTags = {
  opportunity: (id: number): Tag => `opportunity:${id}`,
  organization: (id: number): Tag => `organization:${id}`,
  city: (id: number): Tag => `city:${id}`,
}

/** How long rows of opportunity_page_changes are kept; a reader that has not looked for longer drops all. */
const KEEP_CHANGES_MS = 10 * 60_000

/**
 * The staleness bound: a change committed by anything but a request of this process (another app
 * process, a job, the CLI, SQL by hand) is on every page served this long after its commit.
 * A request of this process that writes (any method but GET and HEAD) waits for a check before it
 * is answered, so its own changes are on the next page at once.
 */
export const CHECK_EVERY_MS = 250

type Change = [seq: number, xid: string, cityId: number, opportunityId: number | null, orgId: number | null]

/**
 * Reads opportunity_page_changes (filled by triggers, migration 0020) for what was committed since
 * the previous read, by any process. Each read remembers the oldest transaction still running at
 * its snapshot (`xmin`); the next reads every row of that transaction or later, so a transaction
 * that commits after a later one is still seen. Rows read before are skipped by their `seq`.
 */
export function changeFeed(db: Db): () => Promise<Tag[] | 'all'> {
  let xmin: bigint | undefined
  let readAt = 0
  const seen = new Map<number, bigint>()
  // Rows of transactions that had ended when `mark` was taken, ten minutes ago or more, have been
  // read by every reader since; one that has not read for ten minutes drops all its pages instead.
  let mark: { at: number; xmin: bigint } | undefined
  return async () => {
    const since = Date.now() - readAt > KEEP_CHANGES_MS ? undefined : xmin
    const row = await firstRow<{ xmin: string; changes: Change[] }>(
      db,
      sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin, ${
        since === undefined
          ? sql`'[]'::json`
          : sql`coalesce((select json_agg(json_build_array(seq, xid::text, city_id, opportunity_id, organization_id))
              from opportunity_page_changes where xid >= ${since.toString()}::xid8), '[]'::json)`
      } as changes`,
    )
    const now = BigInt(row!.xmin)
    const tags: Tag[] = []
    for (const [seq, xid, cityId, opportunityId, orgId] of row!.changes) {
      if (seen.has(seq)) continue
      seen.set(seq, BigInt(xid))
      if (opportunityId !== null) tags.push(pageTags.opportunity(opportunityId))
      else if (orgId !== null) tags.push(pageTags.organization(orgId))
      else tags.push(pageTags.city(cityId))
    }
    // Rows below the new xmin are never read again.
    for (const [seq, xid] of seen) if (xid < now) seen.delete(seq)
    xmin = now
    readAt = Date.now()
    if (!mark) mark = { at: readAt, xmin: now }
    else if (readAt - mark.at >= KEEP_CHANGES_MS) {
      await db.execute(sql`delete from opportunity_page_changes where xid < ${mark.xmin.toString()}::xid8`)
      mark = { at: readAt, xmin: now }
    }
    return since === undefined ? 'all' : tags
  }
}

// One cache per database (tests run several side by side).
const caches = new WeakMap<Db, PageCache>()

/** The cache of opportunity pages for readers who are not signed in. */
export function opportunityPageCache(db: Db): PageCache {
  let cache = caches.get(db)
  if (!cache) {
    cache = createPageCache({
      maxBytes: 64 * 1024 * 1024,
      maxAgeMs: KEEP_CHANGES_MS,
      checkEveryMs: CHECK_EVERY_MS,
      changes: changeFeed(db),
    })
    caches.set(db, cache)
  }
  return cache
}

/**
 * Middleware for every route: after a request that may have written (any method but GET, HEAD and
 * OPTIONS), the page cache checks for changes before the answer leaves, so whoever wrote sees it.
 */
export function refreshAfterWrites(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next()
    if (readsOnly(c.req.method)) return
    try {
      await opportunityPageCache(platform.db).refresh()
    } catch (error) {
      platform.log.warn({ err: error }, 'opportunity page cache: checking for changes failed')
    }
  }
}
