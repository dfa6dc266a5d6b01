import { z } from 'zod'
import type { FieldError } from '../../platform/http/problem.ts'
import { fieldErrors } from '../../platform/http/problem.ts'
import { LANGUAGES } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { cityRolesOf } from '../accounts/index.ts'
import { findOpportunity } from '../opportunities/index.ts'
import { findOrganization, staffRolesOf } from '../organizations/index.ts'
import { checkPng } from './image.ts'
import * as repo from './repository.ts'
import { ACHIEVEMENT_LEVELS, ACHIEVEMENT_TYPES } from './schema.ts'

/** Who acts: a signed-in person. */
export interface BadgeActor {
  userId: number
  isNetworkAdmin: boolean
}

export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; error: 'invalid' | 'forbidden' | 'not-found' | 'conflict'; fields: FieldError[] }

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)

/** Text per language: the six languages only, at least one of them filled in. */
const perLanguage = (max: number) =>
  z
    .partialRecord(z.enum(LANGUAGES), text(max))
    .transform((v) => Object.fromEntries(Object.entries(v).filter(([, s]) => s)) as Record<string, string>)
    .refine((v) => Object.keys(v).length > 0, 'is required in at least one language')

const httpUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => {
    try {
      const url = new URL(v)
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
      )
    } catch {
      return false
    }
  }, 'must be an http(s) address, e.g. http://data.europa.eu/esco/skill/…')

/** One boundary schema for achievements: the form, the API and the OpenAPI document use it. */
export const achievementInput = z.object({
  type: z.enum(ACHIEVEMENT_TYPES, 'must be one of participation, skill, pathway, city'),
  name: perLanguage(120),
  description: perLanguage(2000),
  criteria: perLanguage(2000),
  tags: z
    .array(text(40).min(1, 'must not be empty'))
    .max(20, 'at most 20 tags')
    .default([])
    .transform((tags) => [...new Set(tags)]),
  alignments: z
    .array(
      z.object({
        targetName: text(200).min(1, 'is required'),
        targetUrl: httpUrl,
        targetFramework: text(100).optional(),
      }),
    )
    .max(20, 'at most 20 alignments')
    .default([]),
  level: z
    .enum(ACHIEVEMENT_LEVELS, 'must be introductory, intermediate or advanced')
    .nullable()
    .default(null),
  validDays: z.number().int('must be whole days').min(1).max(3650).nullable().default(null),
  opportunityIds: z.array(z.number().int().positive()).max(50).default([]),
  /** Learners may apply with evidence, reviewed by the issuer. */
  acceptsEvidence: z.boolean().default(false),
})
export type AchievementInput = z.infer<typeof achievementInput>

/**
 * May the actor define achievements for this owner? Staff of the organization (any role), or for
 * the city's own badges (organizationId null) its coordinators; network admins always.
 */
export async function mayDefine(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  organizationId: number | null,
): Promise<boolean> {
  if (actor.isNetworkAdmin) return true
  if (organizationId === null)
    return (await cityRolesOf(platform.db, actor.userId, cityId)).includes('coordinator')
  return (await staffRolesOf(platform.db, cityId, actor.userId)).some(
    (r) => r.organizationId === organizationId,
  )
}

/**
 * May the actor award this achievement on behalf of this organization? Issuers and admins of an
 * organization that owns or shares it; for city badges the city's coordinators.
 */
export async function mayAward(
  platform: Platform,
  actor: BadgeActor,
  achievement: repo.AchievementRow,
  organizationId: number | null,
): Promise<boolean> {
  if (organizationId === null) {
    if (achievement.organizationId !== null) return false
    return (
      actor.isNetworkAdmin ||
      (await cityRolesOf(platform.db, actor.userId, achievement.cityId)).includes('coordinator')
    )
  }
  const allowed =
    achievement.organizationId === organizationId || achievement.sharedWith.includes(organizationId)
  if (!allowed) return false
  if (actor.isNetworkAdmin) return true
  return (await staffRolesOf(platform.db, achievement.cityId, actor.userId)).some(
    (r) => r.organizationId === organizationId && (r.role === 'issuer' || r.role === 'admin'),
  )
}

async function check(
  platform: Platform,
  cityId: number,
  organizationId: number | null,
  raw: unknown,
  image: Uint8Array | null,
): Promise<Result<{ input: AchievementInput; image: Buffer | null }>> {
  const parsed = achievementInput.safeParse(raw)
  const fields = parsed.success ? [] : fieldErrors(parsed.error.issues)
  if (parsed.success) {
    if ((parsed.data.type === 'city') !== (organizationId === null)) {
      fields.push({
        field: '/type',
        detail:
          organizationId === null
            ? 'the city’s own badges have type city'
            : 'only the city defines city badges',
      })
    }
    for (const [i, id] of parsed.data.opportunityIds.entries()) {
      const found = await findOpportunity(platform.db, cityId, id)
      if (!found || (organizationId !== null && found.organizationId !== organizationId)) {
        fields.push({ field: `/opportunityIds/${i}`, detail: `no opportunity ${id} of this provider` })
      }
    }
  }
  if (image) {
    const checked = checkPng(image)
    if (!checked.ok) {
      fields.push({
        field: '/image',
        detail: {
          'too-large': 'must be at most 256 KB',
          'not-png': 'must be a PNG image',
          'bad-size': 'must be at most 2048 pixels wide and high',
        }[checked.problem],
      })
    }
  }
  if (!parsed.success || fields.length) return { ok: false, error: 'invalid', fields }
  return { ok: true, value: { input: parsed.data, image: image ? Buffer.from(image) : null } }
}

/** Defines an achievement for an organization, or for the city when organizationId is null. */
export async function defineAchievement(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  organizationId: number | null,
  raw: unknown,
  image: Uint8Array | null = null,
): Promise<Result<number>> {
  if (!(await mayDefine(platform, actor, cityId, organizationId)))
    return { ok: false, error: 'forbidden', fields: [] }
  const checked = await check(platform, cityId, organizationId, raw, image)
  if (!checked.ok) return checked
  const id = await repo.insertAchievement(
    platform.db,
    cityId,
    organizationId,
    checked.value.input,
    checked.value.image,
    actor.userId,
  )
  return { ok: true, value: id }
}

/** Changes an achievement; only who may define for its owner may. A new image replaces the old. */
export async function changeAchievement(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  id: number,
  raw: unknown,
  image: Uint8Array | null = null,
): Promise<Result<number>> {
  const found = await repo.findAchievement(platform.db, cityId, id)
  if (!found) return { ok: false, error: 'not-found', fields: [] }
  if (!(await mayDefine(platform, actor, cityId, found.organizationId)))
    return { ok: false, error: 'forbidden', fields: [] }
  const checked = await check(platform, cityId, found.organizationId, raw, image)
  if (!checked.ok) return checked
  await repo.updateAchievement(platform.db, cityId, id, checked.value.input, checked.value.image)
  return { ok: true, value: id }
}

/** Lets another provider of the city award an achievement (asked by who may define it). */
export async function shareAchievement(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  id: number,
  organizationSlug: string,
): Promise<Result<number>> {
  const found = await repo.findAchievement(platform.db, cityId, id)
  if (!found) return { ok: false, error: 'not-found', fields: [] }
  if (!(await mayDefine(platform, actor, cityId, found.organizationId)))
    return { ok: false, error: 'forbidden', fields: [] }
  const org = await findOrganization(platform.db, cityId, organizationSlug)
  if (!org || org.id === found.organizationId)
    return {
      ok: false,
      error: 'invalid',
      fields: [{ field: '/organization', detail: 'no other provider by that name' }],
    }
  await repo.shareAchievement(platform.db, cityId, id, org.id)
  return { ok: true, value: org.id }
}

/** Archives an achievement (asked by who may define it): no new awards or claims; issued ones stay valid. */
export async function archiveAchievement(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  id: number,
): Promise<Result<number>> {
  const found = await repo.findAchievement(platform.db, cityId, id)
  if (!found || found.archived) return { ok: false, error: 'not-found', fields: [] }
  if (!(await mayDefine(platform, actor, cityId, found.organizationId)))
    return { ok: false, error: 'forbidden', fields: [] }
  await repo.archiveAchievement(platform.db, cityId, id)
  return { ok: true, value: id }
}
