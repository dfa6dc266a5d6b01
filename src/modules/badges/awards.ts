import { randomUUID } from 'node:crypto'
import type { FieldError } from '../../platform/http/problem.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { findUserByEmail, findUserById, normaliseEmail } from '../accounts/index.ts'
import { findCityById } from '../cities/index.ts'
import { findOrganizationById } from '../organizations/index.ts'
import { type BadgeActor, mayAward, type Result } from './achievements.ts'
import {
  type AchievementClaim,
  type EvidenceClaim,
  openBadgeCredential,
  type Recipient,
} from './issue/credential.ts'
import { activeKey, ensureIssuer, issuerBaseUrl } from './issue/issuers.ts'
import { signCredential, signJwt } from './issue/sign.ts'
import { STATUS_LIST_LENGTH, statusListUrl } from './issue/status-list.ts'
import * as repo from './repository.ts'
import type { AchievementType, AwardPath } from './schema.ts'

const ACHIEVEMENT_TYPE: Record<AchievementType, AchievementClaim['achievementType']> = {
  participation: 'Badge',
  skill: 'Competency',
  pathway: 'LearningProgram',
  city: 'Award',
}

/** Public URLs of what a credential links to. */
export const urls = {
  credential: (p: Platform, uuid: string) => `${p.config.publicUrl}/credentials/${uuid}`,
  achievement: (p: Platform, id: number) => `${p.config.publicUrl}/achievements/${id}`,
  image: (p: Platform, id: number) => `${p.config.publicUrl}/achievements/${id}/image.png`,
}

/** The Open Badges Achievement of an achievement row, in one language. */
export function achievementClaim(platform: Platform, a: repo.AchievementRow, lang: string): AchievementClaim {
  const name = translated(a.name, lang)
  return {
    id: urls.achievement(platform, a.id),
    name: name.text,
    description: translated(a.description, name.lang).text,
    criteria: translated(a.criteria, name.lang).text,
    achievementType: ACHIEVEMENT_TYPE[a.type],
    imageUrl: a.hasImage ? urls.image(platform, a.id) : null,
    tags: [...a.tags, ...(a.level ? [`level:${a.level}`] : [])],
    alignments: a.alignments,
    inLanguage: name.lang,
  }
}

export interface Issue {
  achievement: repo.AchievementRow
  /** The awarding organization; null for the city's own badges. */
  organizationId: number | null
  recipientUserId: number
  /** A DID the learner gave; without one the credential names a salted hash of their email. */
  recipientDid?: string
  path: AwardPath
  source: string | null
  awardedByUserId: number | null
  /** Evidence the issuer reviewed, put in the credential (evidence award path). */
  evidence?: EvidenceClaim[]
  now?: Date
}

/**
 * Signs and stores an OpenBadgeCredential. Permissions are the caller's job; this refuses only what
 * cannot be issued (someone already holding it, a full status list).
 */
export async function issueCredential(platform: Platform, issue: Issue): Promise<Result<repo.AwardRow>> {
  const a = issue.achievement
  const city = await findCityById(platform.db, a.cityId)
  const org =
    issue.organizationId === null
      ? undefined
      : await findOrganizationById(platform.db, a.cityId, issue.organizationId)
  const user = await findUserById(platform.db, issue.recipientUserId)
  if (!city || !user || (issue.organizationId !== null && !org))
    return { ok: false, error: 'not-found', fields: [] }
  if (await repo.holdsAchievement(platform.db, a.id, user.id))
    return {
      ok: false,
      error: 'conflict',
      fields: [{ field: '/recipient', detail: `${user.email} already holds this badge` }],
    }
  const issuer = await ensureIssuer(platform, {
    city: { id: city.id, slug: city.slug },
    organization: org ? { id: org.id, slug: org.slug } : null,
  })
  const index = await repo.nextStatusIndex(platform.db, issuer.id)
  if (index >= STATUS_LIST_LENGTH)
    return {
      ok: false,
      error: 'conflict',
      fields: [{ field: '/issuer', detail: 'the issuer’s status list is full' }],
    }
  const now = issue.now ?? new Date()
  const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000)
  const validUntil = a.validDays ? new Date(issuedAt.getTime() + a.validDays * 86_400_000) : null
  const uuid = randomUUID()
  const lang = city.defaultLanguage
  const recipient: Recipient = issue.recipientDid ? { did: issue.recipientDid } : { email: user.email }
  const unsigned = openBadgeCredential({
    id: urls.credential(platform, uuid),
    issuer: {
      did: issuer.did,
      name: translated(org ? org.name : city.name, lang).text,
      url: `${platform.config.publicUrl}/${lang}/${city.slug}${org ? `/providers/${org.slug}` : ''}`,
    },
    achievement: achievementClaim(platform, a, lang),
    recipient,
    issuedAt,
    validUntil,
    status: {
      revocation: statusListUrl(platform, issuer, 'revocation'),
      suspension: statusListUrl(platform, issuer, 'suspension'),
      index,
    },
    evidence: issue.evidence,
  })
  const key = await activeKey(platform, issuer.id, 'Ed25519')
  const credential = await signCredential(
    platform.config.badges.keySecret,
    issuer.did,
    key,
    unsigned,
    issuedAt,
  )
  const id = await repo.insertAward(platform.db, {
    cityId: a.cityId,
    uuid,
    achievementId: a.id,
    issuerId: issuer.id,
    organizationId: issue.organizationId,
    recipientUserId: user.id,
    credential,
    jwt: null,
    statusIndex: index,
    path: issue.path,
    source: issue.source,
    awardedByUserId: issue.awardedByUserId,
    issuedAt,
    validUntil,
  })
  if (id === undefined)
    return {
      ok: false,
      error: 'conflict',
      fields: [{ field: '/recipient', detail: `${user.email} already holds this badge` }],
    }
  return { ok: true, value: (await repo.findAward(platform.db, a.cityId, id))! }
}

/**
 * Manual award: an issuer of the organization picks learners by the email of their account. Every
 * address is checked first; nothing is issued when one is wrong. Nobody awards themselves.
 */
export async function awardManually(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  achievementId: number,
  organizationId: number | null,
  emails: string[],
): Promise<Result<repo.AwardRow[]>> {
  const achievement = await repo.findAchievement(platform.db, cityId, achievementId)
  if (!achievement || achievement.archived) return { ok: false, error: 'not-found', fields: [] }
  if (!(await mayAward(platform, actor, achievement, organizationId)))
    return { ok: false, error: 'forbidden', fields: [] }
  const fields: FieldError[] = []
  const recipients: number[] = []
  const given = [...new Set(emails.map((e) => e.trim()).filter(Boolean))]
  if (given.length === 0) fields.push({ field: '/emails', detail: 'name at least one learner by email' })
  if (given.length > 200) fields.push({ field: '/emails', detail: 'at most 200 learners at once' })
  for (const [i, raw] of given.slice(0, 200).entries()) {
    const email = normaliseEmail(raw)
    if (!email) {
      fields.push({ field: `/emails/${i}`, detail: `${raw.slice(0, 100)} is not an email address` })
      continue
    }
    const user = await findUserByEmail(platform.db, email)
    if (!user) fields.push({ field: `/emails/${i}`, detail: `no account with the email ${email}` })
    else if (user.id === actor.userId)
      fields.push({ field: `/emails/${i}`, detail: 'you cannot award yourself' })
    else if (await repo.holdsAchievement(platform.db, achievementId, user.id))
      fields.push({ field: `/emails/${i}`, detail: `${email} already holds this badge` })
    else recipients.push(user.id)
  }
  if (fields.length) return { ok: false, error: 'invalid', fields }
  const issued: repo.AwardRow[] = []
  for (const recipientUserId of recipients) {
    const result = await issueCredential(platform, {
      achievement,
      organizationId,
      recipientUserId,
      path: 'manual',
      source: null,
      awardedByUserId: actor.userId,
    })
    if (result.ok) issued.push(result.value)
  }
  return { ok: true, value: issued }
}

/**
 * Automatic award on attendance: every live achievement linked to the opportunity goes to each
 * account holder marked attended, once (someone who holds it already is skipped).
 */
export async function awardForAttendance(
  platform: Platform,
  event: { cityId: number; opportunityId: number; sessionId: number; userIds: number[] },
): Promise<number> {
  let issued = 0
  for (const achievement of await repo.achievementsForOpportunity(
    platform.db,
    event.cityId,
    event.opportunityId,
  )) {
    for (const userId of event.userIds) {
      const result = await issueCredential(platform, {
        achievement,
        organizationId: achievement.organizationId,
        recipientUserId: userId,
        path: 'attendance',
        source: `session:${event.sessionId}`,
        awardedByUserId: null,
      })
      if (result.ok) issued++
    }
  }
  return issued
}

/** The VC-JWT form of an award, signed on first request with the issuer's current RSA key and kept. */
export async function awardJwt(platform: Platform, award: repo.AwardRow): Promise<string> {
  if (award.jwt) return award.jwt
  const issuer = (await repo.findIssuerById(platform.db, award.issuerId))!
  const key = await activeKey(platform, issuer.id, 'RSA')
  const kid = `${issuerBaseUrl(platform, issuer.path)}/jwks/${key.fragment}`
  const jwt = await signJwt(platform.config.badges.keySecret, key, kid, award.credential)
  await repo.saveAwardJwt(platform.db, award.id, jwt)
  return jwt
}

/**
 * Revokes (for good) or suspends an award, or lifts a suspension; only who may award it may. The
 * issuer's status lists show the change from the next request.
 */
export async function changeAwardStatus(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  awardId: number,
  to: 'revoked' | 'suspended' | 'active',
  reason: string | null,
): Promise<Result<repo.AwardRow>> {
  const award = await repo.findAward(platform.db, cityId, awardId)
  if (!award) return { ok: false, error: 'not-found', fields: [] }
  const achievement = (await repo.findAchievement(platform.db, cityId, award.achievementId))!
  if (!(await mayAward(platform, actor, achievement, award.organizationId)))
    return { ok: false, error: 'forbidden', fields: [] }
  if (award.status === 'revoked' || award.status === to)
    return {
      ok: false,
      error: 'conflict',
      fields: [{ field: '/status', detail: `the badge is ${award.status} already` }],
    }
  if (to === 'active' && award.status !== 'suspended')
    return {
      ok: false,
      error: 'conflict',
      fields: [{ field: '/status', detail: 'only a suspended badge is reinstated' }],
    }
  await repo.setAwardStatus(platform.db, award.id, to, reason?.slice(0, 500) || null)
  return { ok: true, value: (await repo.findAward(platform.db, cityId, awardId))! }
}

/** The learner shows or hides their own badge's public page (hidden unless they choose). */
export async function setVisibility(
  platform: Platform,
  userId: number,
  uuid: string,
  visibility: 'private' | 'public',
): Promise<Result<repo.AwardRow>> {
  const award = await repo.findAwardByUuid(platform.db, uuid)
  if (!award || award.recipientUserId !== userId) return { ok: false, error: 'not-found', fields: [] }
  await repo.setAwardVisibility(platform.db, award.id, visibility)
  return { ok: true, value: { ...award, visibility } }
}
