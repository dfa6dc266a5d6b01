import { type Db, firstRow, sql } from '../db/index.ts'

export interface RateLimitResult {
  allowed: boolean
  /** Seconds until the window resets. */
  retryAfter: number
}

/**
 * Counts one hit against `key` in a fixed window shared by every app process (the counter lives in
 * the database) and says whether the caller is still under `limit`.
 */
export async function hitRateLimit(
  db: Db,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<RateLimitResult> {
  const now = Date.now()
  const windowStartMs = Math.floor(now / (windowSeconds * 1000)) * windowSeconds * 1000
  const windowStart = new Date(windowStartMs).toISOString()
  const row = await firstRow<{ count: number }>(
    db,
    sql`insert into rate_limits (key, window_start, count) values (${key}, ${windowStart}, 1)
        on conflict (key, window_start) do update set count = rate_limits.count + 1
        returning count`,
  )
  const retryAfter = Math.ceil((windowStartMs + windowSeconds * 1000 - now) / 1000)
  return { allowed: (row?.count ?? 0) <= limit, retryAfter }
}

/** Drops windows older than a day; run from a periodic job. */
export async function pruneRateLimits(db: Db): Promise<void> {
  await db.execute(sql`delete from rate_limits where window_start < now() - interval '1 day'`)
}
