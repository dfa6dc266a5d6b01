import { hitRateLimit } from '../../../platform/http/rate-limit.ts'
import type { Platform } from '../../../platform/module.ts'
import type { BadgeActor } from '../achievements.ts'
import { claimWithCode, normaliseCode } from '../claims.ts'
import * as repo from '../repository.ts'

/** Why a claim failed, in words a learner can act on. */
export type ClaimProblem =
  | 'empty'
  | 'unknown'
  | 'creator'
  | 'holds'
  | 'expired'
  | 'used-up'
  | 'withdrawn'
  | 'too-many'

/** Claims per person per hour: plenty for a festival day, too few to guess 50-bit codes. */
const CLAIMS_PER_HOUR = 30

/**
 * A learner's claim with a code, as the page and the API make it: rate-limited per person, and a
 * code that cannot be used any more says whether it expired, was used up or withdrawn.
 */
export async function claimBadge(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  raw: string,
): Promise<{ ok: true; award: repo.AwardRow } | { ok: false; problem: ClaimProblem }> {
  if (raw.trim() === '') return { ok: false, problem: 'empty' }
  const limit = await hitRateLimit(platform.db, `badges.claim:user:${actor.userId}`, CLAIMS_PER_HOUR, 3600)
  if (!limit.allowed) return { ok: false, problem: 'too-many' }
  const result = await claimWithCode(platform, actor, cityId, raw.slice(0, 100))
  if (result.ok) return { ok: true, award: result.value }
  const detail = result.fields[0]?.detail ?? ''
  if (detail === 'this code was withdrawn') return { ok: false, problem: 'withdrawn' }
  if (/made/.test(detail)) return { ok: false, problem: 'creator' }
  if (/already/.test(detail)) return { ok: false, problem: 'holds' }
  if (/used up/.test(detail)) {
    const code = normaliseCode(raw)
    const found = code ? await repo.findClaimCode(platform.db, cityId, code) : undefined
    if (found?.revoked) return { ok: false, problem: 'withdrawn' }
    if (found?.expiresAt && new Date(found.expiresAt).getTime() <= Date.now())
      return { ok: false, problem: 'expired' }
    return { ok: false, problem: 'used-up' }
  }
  return { ok: false, problem: 'unknown' }
}
