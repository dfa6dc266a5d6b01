import { fetchExternal } from '../../../platform/fetch/index.ts'
import type { T } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { type InputProblem, type Verification, verifyInput } from './input.ts'
import type { Check, Problem, Report } from './report.ts'
import { createRemoteResolver, type RemoteLookup } from './resolver.ts'
import type { VerifierDeps } from './verify.ts'

/** The largest credential or baked image accepted (the platform's body limit is the same). */
export const MAX_INPUT_BYTES = 1024 * 1024
/** A key or status list is small; anything bigger is refused by the fetcher. */
const MAX_DOCUMENT_BYTES = 512 * 1024

const lookups = new WeakMap<Platform, RemoteLookup>()

/**
 * The install's one resolver for did:web and https keys and status lists: every fetch goes through
 * the platform's safe fetcher (no private addresses unless the operator allows them, bounded time
 * and size), and what it fetched is cached for ten minutes.
 */
export function platformLookup(platform: Platform): RemoteLookup {
  let lookup = lookups.get(platform)
  if (!lookup) {
    lookup = createRemoteResolver({
      fetchJson: async (url) => {
        const res = await fetchExternal(url, {
          ...platform.config.fetch,
          timeoutMs: 8000,
          maxBytes: MAX_DOCUMENT_BYTES,
          headers: { accept: 'application/did+json, application/ld+json, application/json' },
        })
        return res.ok ? res.json() : undefined
      },
    })
    lookups.set(platform, lookup)
  }
  return lookup
}

/** Verifies what a person brought, with this install's resolver. */
export function verifyForPlatform(
  platform: Platform,
  input: Uint8Array | string,
  lang?: string,
): Promise<Verification> {
  const deps: VerifierDeps = { lookup: platformLookup(platform) }
  return verifyInput(input, deps, { lang })
}

/** The message for one problem, in the reader's language, with its facts filled in. */
export function problemMessage(t: T, problem: Problem): string {
  const d = problem.detail ?? {}
  return t(`badge-verify.problem.${problem.code}`, {
    url: d.url ?? '',
    date: d.date ?? '',
    term: d.term ?? '',
    type: d.type ?? '',
    field: d.field ?? '',
    claims: d.claims ?? '',
    purpose: d.purpose ?? '',
    controller: d.controller ?? '',
    issuer: d.issuer ?? '',
    alg: d.alg ?? '',
    reason: d.reason ?? '',
  })
}

export function inputMessage(t: T, problem: InputProblem): string {
  return t(`badge-verify.input.${problem}`)
}

/** A report as the API sends it: every check with its outcome and messages. */
export function reportJson(t: T, report: Report): Record<string, unknown> {
  const checkJson = (c: Check) => ({
    id: c.id,
    outcome: c.outcome,
    problems: c.problems.map((p) => ({
      code: p.code,
      message: problemMessage(t, p),
      ...(p.detail ? { detail: p.detail } : {}),
    })),
  })
  return {
    verdict: report.verdict,
    format: report.format,
    ...(report.baked ? { baked: report.baked } : {}),
    checks: report.checks.map(checkJson),
    badge: report.badge,
    nested: report.nested.map((n) => reportJson(t, n)),
  }
}
