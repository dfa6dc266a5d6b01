import { type SafeFetchOptions, safeFetch } from '../../platform/http/safe-fetch.ts'
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

/**
 * Checks the links of published resources (those checked longest ago first) and records for each
 * whether all its links answer; returns how many resources were checked and how many are broken.
 */
export async function checkResourceLinks(
  platform: Platform,
  options: SafeFetchOptions & { limit?: number; concurrency?: number } = {},
): Promise<{ checked: number; broken: number }> {
  // A test run never leaves the machine, whatever the links say.
  const fetchOptions: SafeFetchOptions =
    platform.config.env === 'test' ? { ...options, onlyLoopback: true } : options
  const due = await repo.listDueForLinkCheck(platform.db, options.limit ?? LINK_CHECK_BATCH)
  let broken = 0
  let next = 0
  const worker = async () => {
    while (next < due.length) {
      const resource = due[next++]!
      const outcomes: LinkOutcome[] = []
      for (const link of resource.links) outcomes.push(await checkLink(link.url, fetchOptions))
      const failed = outcomes.filter((o) => !o.ok)
      const status: LinkStatus = outcomes.length === 0 ? 'unknown' : failed.length > 0 ? 'broken' : 'ok'
      if (status === 'broken') broken++
      const error = failed.map((o) => `${o.url} — ${o.problem}`).join('\n') || null
      await repo.recordLinkCheck(platform.db, resource.id, status, error)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker))
  return { checked: due.length, broken }
}
