import { inParallel } from '../../platform/async.ts'
import { type SafeFetchOptions, safeFetch } from '../../platform/http/safe-fetch.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
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

/** Checks one link: HEAD first, then GET for servers that refuse HEAD; 2xx (after redirects) is fine. */
export async function checkLink(url: string, options: SafeFetchOptions = {}): Promise<LinkOutcome> {
  const limits = { ...LINK_CHECK_LIMITS, ...options }
  let res = await safeFetch(url, { ...limits, method: 'HEAD' })
  if (
    !res.ok &&
    res.error !== 'timeout' &&
    res.error !== 'blocked-address' &&
    res.error !== 'unsupported-scheme'
  )
    res = await safeFetch(url, { ...limits, method: 'GET' })
  else if (res.ok && res.status >= 400) res = await safeFetch(url, { ...limits, method: 'GET' })
  if (!res.ok) return { url, ok: false, problem: `${res.error}: ${res.detail}` }
  if (res.status >= 200 && res.status < 300) return { url, ok: true }
  return { url, ok: false, problem: `HTTP ${res.status}` }
}

/** How long to wait before asking a failed link a second time: a server restarting is not a dead link. */
export const LINK_RECHECK_DELAY_MS = 30_000

export interface LinkCheckResult {
  checked: number
  broken: number
  /** Resources that were fine (or unchecked) last time and are broken now, per scope (city id or null). */
  newlyBroken: Map<number | null, { id: number; title: TranslatedText; error: string }[]>
}

/**
 * Checks the links of published resources (those checked longest ago first) and records for each
 * whether all its links answer. A link that fails is asked once more at the end of the run, after
 * `recheckDelayMs`, and only a second failure counts: the resource is then flagged broken.
 */
export async function checkResourceLinks(
  platform: Platform,
  options: SafeFetchOptions & { limit?: number; concurrency?: number; recheckDelayMs?: number } = {},
): Promise<LinkCheckResult> {
  // A test run never leaves the machine, whatever the links say.
  const fetchOptions: SafeFetchOptions =
    platform.config.env === 'test' ? { ...options, onlyLoopback: true } : options
  const due = await repo.listDueForLinkCheck(platform.db, options.limit ?? LINK_CHECK_BATCH)
  const concurrency = options.concurrency ?? 4
  const result: LinkCheckResult = { checked: due.length, broken: 0, newlyBroken: new Map() }

  const failing: { resource: (typeof due)[number]; urls: string[] }[] = []
  await inParallel(due, concurrency, async (resource) => {
    const failed: string[] = []
    for (const link of resource.links)
      if (!(await checkLink(link.url, fetchOptions)).ok) failed.push(link.url)
    if (failed.length > 0) failing.push({ resource, urls: failed })
    else await repo.recordLinkCheck(platform.db, resource.id, resource.links.length ? 'ok' : 'unknown', null)
  })
  if (failing.length > 0)
    await new Promise((r) => setTimeout(r, options.recheckDelayMs ?? LINK_RECHECK_DELAY_MS))
  await inParallel(failing, concurrency, async ({ resource, urls }) => {
    const outcomes: LinkOutcome[] = []
    for (const url of urls) outcomes.push(await checkLink(url, fetchOptions))
    const failed = outcomes.filter((o) => !o.ok)
    if (failed.length === 0) return repo.recordLinkCheck(platform.db, resource.id, 'ok', null)
    const error = failed.map((o) => `${o.url} — ${o.problem}`).join('\n')
    await repo.recordLinkCheck(platform.db, resource.id, 'broken', error)
    result.broken++
    if (resource.linkStatus === 'broken') return
    const scope = result.newlyBroken.get(resource.cityId) ?? []
    scope.push({ id: resource.id, title: resource.title, error })
    result.newlyBroken.set(resource.cityId, scope)
  })
  for (const list of result.newlyBroken.values()) list.sort((a, b) => a.id - b.id)
  return result
}
