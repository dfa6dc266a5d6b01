import type { JobHandler } from '../../../platform/jobs/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { type HarvestOptions, type HarvestSummary, harvestFeed } from './harvest.ts'
import * as repo from './repository.ts'

/** Every few minutes: harvest the feeds that are due. */
export const HARVEST_DUE_JOB = 'interop.harvest-due'
/** A coordinator's "harvest now" for one feed. */
export const HARVEST_FEED_JOB = 'interop.harvest-feed'

/** A claim lasts this long; a harvester that died lets the feed go after it. */
const CLAIM_SECONDS = 15 * 60
/** One due-run harvests feeds for at most this long, then leaves the rest to the next. */
const BUDGET_MS = 4 * 60_000

/** The operator's fetch policy (FETCH_ALLOW_ADDRESSES) with the caller's extra options. */
function optionsFor(platform: Platform, options: HarvestOptions): HarvestOptions {
  return { ...options, fetch: { ...platform.config.fetch, ...options.fetch } }
}

async function runClaimed(
  platform: Platform,
  feed: repo.FeedRow,
  options: HarvestOptions,
): Promise<HarvestSummary> {
  let summary: HarvestSummary | undefined
  try {
    summary = await harvestFeed(platform, feed, optionsFor(platform, options))
    return summary
  } finally {
    // Caught up: wait the feed's interval. Pages left (or an error): try again sooner.
    const minutes = summary?.reachedEnd ? feed.intervalMinutes : Math.min(feed.intervalMinutes, 15)
    await repo.releaseFeed(platform.db, feed.id, {
      lastError: summary ? summary.error : 'the harvest stopped with an internal error',
      nextRunAt: new Date(Date.now() + minutes * 60_000),
    })
  }
}

/** Harvests every due feed (one at a time, each claimed), within the time budget. */
export async function harvestDueFeeds(
  platform: Platform,
  options: HarvestOptions = {},
): Promise<HarvestSummary[]> {
  const done: HarvestSummary[] = []
  const started = Date.now()
  while (Date.now() - started < BUDGET_MS) {
    const feed = await repo.claimFeed(platform.db, CLAIM_SECONDS)
    if (!feed) break
    try {
      done.push(await runClaimed(platform, feed, options))
    } catch (e) {
      platform.log.error({ err: e, feed: feed.id }, 'feed harvest failed')
    }
  }
  return done
}

/** Harvests one feed now unless another harvester holds it; undefined when it is held. */
export async function harvestFeedNow(
  platform: Platform,
  feedId: number,
  options: HarvestOptions = {},
): Promise<HarvestSummary | undefined> {
  const feed = await repo.claimFeed(platform.db, CLAIM_SECONDS, feedId)
  return feed ? runClaimed(platform, feed, options) : undefined
}

export function harvestJobs(platform: Platform): Record<string, JobHandler> {
  return {
    [HARVEST_DUE_JOB]: async () => {
      await harvestDueFeeds(platform)
    },
    [HARVEST_FEED_JOB]: async (payload) => {
      const feedId = Number((payload as { feedId?: unknown } | null)?.feedId)
      if (Number.isSafeInteger(feedId)) await harvestFeedNow(platform, feedId)
    },
  }
}
