import { inParallel } from '../../platform/async.ts'
import { FetchError, type FetchOptions, fetchExternal } from '../../platform/fetch/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import type { LinkStatus } from './model.ts'
import * as repo from './repository.ts'

/** Limits of one link check: every link gets at most this long, and little of its body is read. */
export const LINK_CHECK_LIMITS = { timeoutMs: 10_000, maxBytes: 64 * 1024, maxRedirects: 5 }

/** Resources checked per run (oldest check first); a weekly run covers a large library. */
export const LINK_CHECK_BATCH = 2000

export interface LinkOutcome {
  url: string
  ok: boolean
  /** e.g. "HTTP 404", "timeout: no answer within the time limit". */
  problem?: string
}

/** What the link check may pass to the fetcher: its address policy and limits. */
export type LinkCheckOptions = Omit<FetchOptions, 'method' | 'truncate' | 'signal'>

/** Failures a GET would meet again after HEAD met them: not asked twice. */
const FINAL = new Set([
  'timeout',
  'blocked-address',
  'unsupported-scheme',
  'credentials-in-url',
  'invalid-url',
])

/** One request of a check: its status, or the fetcher's failure. */
async function ask(url: string, method: 'HEAD' | 'GET', options: LinkCheckOptions) {
  try {
    const res = await fetchExternal(url, {
      ...LINK_CHECK_LIMITS,
      ...options,
      headers: { 'user-agent': 'LearnCity link checker', ...options.headers },
      method,
      // Only the status matters: the start of a long page is read, the rest is not.
      truncate: true,
    })
    return { status: res.status }
  } catch (e) {
    if (e instanceof FetchError) return { failure: e }
    throw e
  }
}

/** Checks one link: HEAD first, then GET for servers that refuse HEAD; 2xx (after redirects) is fine. */
export async function checkLink(url: string, options: LinkCheckOptions = {}): Promise<LinkOutcome> {
  let res = await ask(url, 'HEAD', options)
  if (res.failure ? !FINAL.has(res.failure.code) : res.status >= 400) res = await ask(url, 'GET', options)
  if (res.failure) return { url, ok: false, problem: `${res.failure.code}: ${res.failure.message}` }
  if (res.status >= 200 && res.status < 300) return { url, ok: true }
  return { url, ok: false, problem: `HTTP ${res.status}` }
}

/**
 * How long to wait before asking a failed resource's links a second time: a server restarting or down
 * for a few minutes is not a dead link. The second check is a job of its own, so nothing waits meanwhile.
 */
export const LINK_RECHECK_DELAY_MS = 15 * 60_000

/** A resource whose links failed the first check, with what the check before had found. */
export interface Suspect {
  id: number
  linkStatus: LinkStatus
}

export interface LinkCheckResult {
  /** Resources asked a second time and still failing: now flagged broken. */
  broken: number
  /** Resources that were fine (or unchecked) before and are broken now, per scope (city id or null). */
  newlyBroken: Map<number | null, { id: number; title: TranslatedText; error: string }[]>
}

type CheckOptions = LinkCheckOptions & { limit?: number; concurrency?: number }

/**
 * The operator's address policy (FETCH_ALLOW_ADDRESSES, as for feeds) with the caller's options;
 * a test run never leaves the machine, whatever the links say.
 */
function fetchOptionsFor(platform: Platform, options: CheckOptions): LinkCheckOptions {
  const { limit: _limit, concurrency: _concurrency, ...fetchOptions } = options
  const merged = { ...platform.config.fetch, ...fetchOptions }
  return platform.config.env === 'test' ? { ...merged, onlyLoopback: true } : merged
}

/** Every link of a resource, asked in turn; the ones that failed. */
async function failedLinks(links: readonly { url: string }[], options: LinkCheckOptions) {
  const failed: LinkOutcome[] = []
  for (const link of links) {
    const outcome = await checkLink(link.url, options)
    if (!outcome.ok) failed.push(outcome)
  }
  return failed
}

/**
 * The first check: the links of published resources (those checked longest ago first). A resource
 * whose links all answer is recorded ok at once; one with a failing link is a suspect, left as it was
 * until `recheckLinks` asks again.
 */
export async function checkDueLinks(
  platform: Platform,
  options: CheckOptions = {},
): Promise<{ checked: number; suspects: Suspect[] }> {
  const fetchOptions = fetchOptionsFor(platform, options)
  const due = await repo.listDueForLinkCheck(platform.db, options.limit ?? LINK_CHECK_BATCH)
  const suspects: Suspect[] = []
  await inParallel(due, options.concurrency ?? 4, async (resource) => {
    if ((await failedLinks(resource.links, fetchOptions)).length > 0)
      suspects.push({ id: resource.id, linkStatus: resource.linkStatus })
    else await repo.recordLinkCheck(platform.db, resource.id, resource.links.length ? 'ok' : 'unknown', null)
  })
  suspects.sort((a, b) => a.id - b.id)
  return { checked: due.length, suspects }
}

/**
 * The second check of the suspects' links (still published ones): a resource whose links answer now
 * is recorded ok; one that fails again is flagged broken, with one line per failed link. Returns the
 * resources broken now that were not broken before the first check, per scope.
 */
export async function recheckLinks(
  platform: Platform,
  suspects: readonly Suspect[],
  options: CheckOptions = {},
): Promise<LinkCheckResult> {
  const fetchOptions = fetchOptionsFor(platform, options)
  const before = new Map(suspects.map((s) => [s.id, s.linkStatus]))
  const resources = await repo.listForLinkCheck(platform.db, [...before.keys()])
  const result: LinkCheckResult = { broken: 0, newlyBroken: new Map() }
  await inParallel(resources, options.concurrency ?? 4, async (resource) => {
    const failed = await failedLinks(resource.links, fetchOptions)
    if (failed.length === 0) return repo.recordLinkCheck(platform.db, resource.id, 'ok', null)
    const error = failed.map((o) => `${o.url} — ${o.problem}`).join('\n')
    await repo.recordLinkCheck(platform.db, resource.id, 'broken', error)
    result.broken++
    if (before.get(resource.id) === 'broken') return
    const scope = result.newlyBroken.get(resource.cityId) ?? []
    scope.push({ id: resource.id, title: resource.title, error })
    result.newlyBroken.set(resource.cityId, scope)
  })
  for (const list of result.newlyBroken.values()) list.sort((a, b) => a.id - b.id)
  return result
}
