import { randomBytes } from 'node:crypto'
import QRCode from 'qrcode'
import type { Platform } from '../../platform/module.ts'
import { type BadgeActor, mayAward, type Result } from './achievements.ts'
import { issueCredential } from './awards.ts'
import * as repo from './repository.ts'

/** Letters and digits that cannot be mistaken for one another when read aloud or typed. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A 10-character claim code (about 50 bits), grouped for reading: ABCDE-FGHJK. */
export function newClaimCode(): string {
  const bytes = randomBytes(10)
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length])
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`
}

/** What a person typed, in the stored form (case, spaces and dashes do not matter). */
export function normaliseCode(raw: string): string | undefined {
  const bare = raw.toUpperCase().replace(/[\s-]/g, '')
  if (!/^[A-Z2-9]{10}$/.test(bare)) return undefined
  return `${bare.slice(0, 5)}-${bare.slice(5)}`
}

/** Creates a claim code for an event: one-time (maxUses 1) or limited-use, optionally until a date. */
export async function createClaimCode(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  achievementId: number,
  organizationId: number | null,
  options: { maxUses: number; expiresAt: Date | null },
): Promise<Result<repo.ClaimCodeRow>> {
  const achievement = await repo.findAchievement(platform.db, cityId, achievementId)
  if (!achievement || achievement.archived) return { ok: false, error: 'not-found', fields: [] }
  if (!(await mayAward(platform, actor, achievement, organizationId)))
    return { ok: false, error: 'forbidden', fields: [] }
  const fields = []
  if (!Number.isInteger(options.maxUses) || options.maxUses < 1 || options.maxUses > 10_000)
    fields.push({ field: '/maxUses', detail: 'must be a whole number from 1 to 10000' })
  if (
    options.expiresAt &&
    (Number.isNaN(options.expiresAt.getTime()) || options.expiresAt.getTime() <= Date.now())
  )
    fields.push({ field: '/expiresAt', detail: 'must be a date in the future' })
  if (fields.length) return { ok: false, error: 'invalid', fields }
  const code = newClaimCode()
  await repo.insertClaimCode(platform.db, {
    cityId,
    achievementId,
    organizationId,
    code,
    maxUses: options.maxUses,
    expiresAt: options.expiresAt,
    userId: actor.userId,
  })
  return { ok: true, value: (await repo.findClaimCode(platform.db, cityId, code))! }
}

/**
 * Withdraws a claim code: nobody can claim with it from then on; the badges it gave stay valid.
 * Only who may award the badge for the code's organization (for city badges the coordinators) may.
 */
export async function withdrawClaimCode(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  codeId: number,
): Promise<Result<repo.ClaimCodeRow>> {
  const found = Number.isSafeInteger(codeId)
    ? await repo.findClaimCodeById(platform.db, cityId, codeId)
    : undefined
  const achievement = found ? await repo.findAchievement(platform.db, cityId, found.achievementId) : undefined
  if (!found || !achievement) return { ok: false, error: 'not-found', fields: [] }
  if (!(await mayAward(platform, actor, achievement, found.organizationId)))
    return { ok: false, error: 'forbidden', fields: [] }
  if (!(await repo.withdrawClaimCode(platform.db, found.id, actor.userId)))
    return {
      ok: false,
      error: 'conflict',
      fields: [{ field: '/code', detail: 'this code was withdrawn already' }],
    }
  return { ok: true, value: (await repo.findClaimCodeById(platform.db, cityId, found.id))! }
}

/**
 * A signed-in learner claims a badge with a code. A use is taken first (so a limited code cannot be
 * overspent by claims at the same moment) and given back if the badge is not issued.
 */
export async function claimWithCode(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  raw: string,
): Promise<Result<repo.AwardRow>> {
  const invalid = (detail: string) => ({
    ok: false as const,
    error: 'invalid' as const,
    fields: [{ field: '/code', detail }],
  })
  const code = normaliseCode(raw)
  const found = code ? await repo.findClaimCode(platform.db, cityId, code) : undefined
  if (!found) return invalid('no such claim code')
  if (found.revoked) return invalid('this code was withdrawn')
  if (found.createdByUserId === actor.userId) return invalid('you cannot claim a code you made')
  const achievement = await repo.findAchievement(platform.db, cityId, found.achievementId)
  if (!achievement || achievement.archived) return invalid('no such claim code')
  if (await repo.holdsAchievement(platform.db, achievement.id, actor.userId))
    return invalid('you hold this badge already')
  if (!(await repo.takeClaimUse(platform.db, found.id)))
    return invalid('this code is used up, expired or withdrawn')
  const result = await issueCredential(platform, {
    achievement,
    organizationId: found.organizationId,
    recipientUserId: actor.userId,
    path: 'claim-code',
    source: `code:${found.id}`,
    awardedByUserId: null,
  })
  if (!result.ok) await repo.returnClaimUse(platform.db, found.id)
  return result
}

/** An SVG QR code of the claim page's address with the code filled in. */
export function claimQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}
