import { createHash, randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../../platform/db/index.ts'
import { type Lang, translated, translator } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import type { CityContext, Result } from './organizations.ts'
import * as repo from './repository.ts'
import { STAFF_ROLES, type StaffRole } from './schema.ts'
import * as staffRepo from './staff-repository.ts'

export const INVITATION_DAYS = 7

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** The invitation form: an email address and a role. */
export const invitationSchema = z.object({
  email: z.string().trim().toLowerCase().max(254, 'errors.email').pipe(z.email('errors.email')),
  role: z.enum(STAFF_ROLES, { message: 'errors.role' }),
})

/** The role form on the staff page. */
export const roleSchema = z.object({ role: z.enum(STAFF_ROLES, { message: 'errors.role' }) })

/**
 * An admin invites an email address with a role: only a hash of the token is stored, the link in the
 * mail works once and for seven days.
 */
export async function inviteStaff(
  platform: Platform,
  city: CityContext,
  organization: { id: number; slug: string; name: Record<string, string | undefined> },
  inviter: { id: number; displayName: string },
  body: Record<string, unknown>,
  lang: Lang,
): Promise<Result<{ email: string }, 'invalid'>> {
  const parsed = invitationSchema.safeParse({ email: body.email ?? '', role: body.role ?? '' })
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: String(i.path[0]), key: i.message }))
    return { ok: false, error: 'invalid', fields }
  }
  const { email, role } = parsed.data
  const token = randomBytes(32).toString('base64url')
  await staffRepo.insertInvitation(platform.db, city.id, {
    organizationId: organization.id,
    email,
    role,
    tokenHash: hashToken(token),
    invitedBy: inviter.id,
    expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600_000),
  })
  await repo.recordChange(platform.db, city.id, organization.id, inviter.id, 'staff-invited', { email, role })
  const t = translator(lang)
  const values = {
    provider: translated(organization.name, lang, [city.defaultLanguage]).text,
    city: translated(city.name, lang, [city.defaultLanguage]).text,
    inviter: inviter.displayName,
    role: t(`organizations.role.${role}`),
    days: INVITATION_DAYS,
    link: `${platform.config.publicUrl}/${lang}/${city.slug}/providers/invitations/${token}`,
  }
  await platform.mail.send({
    to: email,
    cityId: city.id,
    subject: t('organizations.mail.invitation.subject', values),
    text: t('organizations.mail.invitation.body', values),
  })
  return { ok: true, value: { email } }
}

/** The invitation behind a link, if it is well-formed and belongs to this city. */
export async function findInvitation(platform: Platform, cityId: number, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined
  return staffRepo.findInvitation(platform.db, cityId, hashToken(token))
}

export type AcceptError = 'invalid' | 'wrong-person'

/** The signed-in invitee accepts: the invitation is used up and they join the staff with its role. */
export async function acceptInvitation(
  platform: Platform,
  cityId: number,
  token: string,
  person: { id: number; email: string },
): Promise<Result<{ organizationId: number; role: StaffRole }, AcceptError>> {
  const invitation = await findInvitation(platform, cityId, token)
  if (!invitation?.live) return { ok: false, error: 'invalid', fields: [] }
  if (invitation.email !== person.email.toLowerCase()) return { ok: false, error: 'wrong-person', fields: [] }
  const used = await platform.db.transaction(async (tx) => {
    const db = tx as unknown as Db
    const used = await staffRepo.consumeInvitation(db, cityId, hashToken(token), invitation.email, person.id)
    if (!used) return undefined
    // Joining with a lower role than one already held is a demotion: the last admin stays admin.
    const outcome = await changeStaff(db, cityId, used.organizationId, person.id, { role: used.role })
    if (outcome === 'not-staff')
      await staffRepo.upsertStaff(db, cityId, used.organizationId, person.id, used.role)
    await repo.recordChange(db, cityId, used.organizationId, person.id, 'staff-joined', { role: used.role })
    return used
  })
  if (!used) return { ok: false, error: 'invalid', fields: [] }
  return { ok: true, value: { organizationId: used.organizationId, role: used.role } }
}

type StaffChange = { role: StaffRole } | 'remove'

/**
 * Changes one person's role or takes them off the staff, inside the caller's transaction, unless
 * that would leave the organization without an admin. The organization's row is locked first, so
 * two admins demoting each other at the same moment are served one after the other: the second one
 * counts the admins after the first has committed (READ COMMITTED: each statement sees what was
 * committed before it started) and is refused. A single UPDATE with a counting subquery is not
 * enough: both statements would count two admins in their own snapshot and both succeed.
 */
async function changeStaff(
  db: Db,
  cityId: number,
  organizationId: number,
  userId: number,
  change: StaffChange,
): Promise<'done' | 'not-staff' | 'last-admin'> {
  if (!(await staffRepo.lockOrganization(db, cityId, organizationId))) return 'not-staff'
  const current = await staffRepo.roleIn(db, cityId, organizationId, userId)
  if (!current) return 'not-staff'
  const losesAdmin = current === 'admin' && (change === 'remove' || change.role !== 'admin')
  if (losesAdmin && (await staffRepo.countAdmins(db, cityId, organizationId)) <= 1) return 'last-admin'
  if (change === 'remove') await staffRepo.deleteStaff(db, cityId, organizationId, userId)
  else await staffRepo.changeRole(db, cityId, organizationId, userId, change.role)
  return 'done'
}

const lastAdmin = {
  ok: false as const,
  error: 'last-admin' as const,
  fields: [{ field: 'role', key: 'errors.lastAdmin' }],
}

/** Changes a staff member's role; refused when it would leave the organization without an admin. */
export async function changeStaffRole(
  platform: Platform,
  cityId: number,
  organizationId: number,
  actorId: number,
  userId: number,
  body: Record<string, unknown>,
): Promise<Result<void, 'invalid' | 'last-admin'>> {
  const parsed = roleSchema.safeParse({ role: body.role ?? '' })
  if (!parsed.success) return { ok: false, error: 'invalid', fields: [{ field: 'role', key: 'errors.role' }] }
  const { role } = parsed.data
  const outcome = await platform.db.transaction(async (tx) => {
    const db = tx as unknown as Db
    const outcome = await changeStaff(db, cityId, organizationId, userId, { role })
    if (outcome === 'done')
      await repo.recordChange(db, cityId, organizationId, actorId, 'role-changed', { userId, role })
    return outcome
  })
  if (outcome === 'not-staff') return { ok: false, error: 'invalid', fields: [] }
  if (outcome === 'last-admin') return lastAdmin
  return { ok: true, value: undefined }
}

/** Removes a person from the staff; never the last admin. */
export async function removeStaffMember(
  platform: Platform,
  cityId: number,
  organizationId: number,
  actorId: number,
  userId: number,
): Promise<Result<void, 'invalid' | 'last-admin'>> {
  const outcome = await platform.db.transaction(async (tx) => {
    const db = tx as unknown as Db
    const outcome = await changeStaff(db, cityId, organizationId, userId, 'remove')
    if (outcome === 'done')
      await repo.recordChange(db, cityId, organizationId, actorId, 'staff-removed', { userId })
    return outcome
  })
  if (outcome === 'not-staff') return { ok: false, error: 'invalid', fields: [] }
  if (outcome === 'last-admin') return lastAdmin
  return { ok: true, value: undefined }
}
