import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import type { Platform } from '../../../platform/module.ts'
import { findVenue } from '../../cities/index.ts'
import { harvestFeeds, harvestLog, harvestRecords, harvestRuns } from '../schema-harvest.ts'
import { feedInput, type Result } from './feeds.ts'
import * as repo from './repository.ts'

/**
 * What a coordinator may change on a registered feed. The provider and the kind stay: the feed's
 * opportunities belong to that provider, and its records to that kind of feed. A file import has
 * no address to change.
 */
export const feedEdit = feedInput.omit({ organizationId: true, kind: true, url: true }).extend({
  url: z.preprocess((v) => (v === '' ? undefined : v), feedInput.shape.url.optional()),
})

const invalid = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => ({ field: `/${i.path.map(String).join('/')}`, detail: i.message }))

/**
 * Saves a feed's settings. A new address starts the feed over (its RPDE cursor belongs to the old
 * one); the items already known stay known, so re-reading them updates rather than duplicates.
 */
export async function editFeed(
  platform: Platform,
  cityId: number,
  feed: repo.FeedRow,
  raw: unknown,
): Promise<Result<repo.FeedRow, 'invalid'>> {
  const fromFile = feed.url.startsWith('file:')
  const parsed = feedEdit.safeParse(raw)
  const fields = parsed.success ? [] : invalid(parsed.error.issues)
  if (parsed.success && !fromFile && !parsed.data.url)
    fields.push({ field: '/url', detail: 'Enter the full address of the feed, starting with https://' })
  if (!parsed.success || fields.length) return { ok: false, error: 'invalid', fields }
  const input = parsed.data
  if (input.venueId !== null && !(await findVenue(platform.db, cityId, input.venueId)))
    return {
      ok: false,
      error: 'invalid',
      fields: [{ field: '/venueId', detail: 'No such venue in this city' }],
    }
  const url = fromFile ? feed.url : input.url!
  const set = {
    name: input.name,
    url,
    language: input.language,
    buildingBlock: input.buildingBlock,
    price: input.price === null ? null : input.price.toFixed(2),
    currency: input.currency,
    venueId: input.venueId,
    intervalMinutes: input.intervalMinutes,
    ...(url !== feed.url ? { cursor: null, lastError: null, nextRunAt: new Date() } : {}),
  }
  await repo.updateFeed(platform.db, cityId, feed.id, set)
  return { ok: true, value: { ...feed, ...set } }
}

/**
 * Removes a feed with its records, runs and log. The opportunities it brought stay with their
 * provider (they are no longer updated from the feed). Refused while a harvester holds the feed.
 */
export async function removeFeed(
  platform: Platform,
  cityId: number,
  feedId: number,
): Promise<{ ok: true } | { ok: false; error: 'busy' | 'not-found' }> {
  return platform.db.transaction(async (tx) => {
    const [feed] = await tx
      .select({ id: harvestFeeds.id, claimedUntil: harvestFeeds.claimedUntil })
      .from(harvestFeeds)
      .where(and(eq(harvestFeeds.cityId, cityId), eq(harvestFeeds.id, feedId)))
      .for('update')
    if (!feed) return { ok: false as const, error: 'not-found' as const }
    if (feed.claimedUntil && feed.claimedUntil.getTime() > Date.now())
      return { ok: false as const, error: 'busy' as const }
    await tx.delete(harvestLog).where(eq(harvestLog.feedId, feedId))
    await tx.delete(harvestRuns).where(eq(harvestRuns.feedId, feedId))
    await tx.delete(harvestRecords).where(eq(harvestRecords.feedId, feedId))
    await tx.delete(harvestFeeds).where(eq(harvestFeeds.id, feedId))
    return { ok: true as const }
  })
}
