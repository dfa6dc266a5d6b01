import { type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { StaffRole } from './schema.ts'

export interface StaffRow {
  userId: number
  email: string
  displayName: string
  language: string
  role: StaffRole
}

export async function upsertStaff(
  db: Db,
  cityId: number,
  organizationId: number,
  userId: number,
  role: StaffRole,
) {
  await db.execute(
    sql`insert into organization_staff (city_id, organization_id, user_id, role)
        select ${cityId}, id, ${userId}, ${role} from organizations where id = ${organizationId} and city_id = ${cityId}
        on conflict (organization_id, user_id) do update set role = excluded.role`,
  )
}

export function staffRolesOf(db: Db, cityId: number, userId: number) {
  return rows<{ organizationId: number; role: StaffRole }>(
    db,
    sql`select organization_id::int as "organizationId", role from organization_staff
        where city_id = ${cityId} and user_id = ${userId}`,
  )
}

/** A person's staff roles in a city, with whether each organization publishes without review. */
export function staffMembershipsOf(db: Db, cityId: number, userId: number) {
  return rows<{ id: number; role: StaffRole; trusted: boolean }>(
    db,
    sql`select s.organization_id::int as id, s.role, o.status = 'trusted' as trusted
        from organization_staff s join organizations o on o.id = s.organization_id
        where s.city_id = ${cityId} and s.user_id = ${userId} and o.status in ('approved', 'trusted')`,
  )
}

export async function roleIn(db: Db, cityId: number, organizationId: number, userId: number) {
  const row = await firstRow<{ role: StaffRole }>(
    db,
    sql`select role from organization_staff
        where city_id = ${cityId} and organization_id = ${organizationId} and user_id = ${userId}`,
  )
  return row?.role
}

/** Staff with their account details (read from the accounts module's users table). */
export function listStaff(db: Db, cityId: number, organizationId: number, role?: StaffRole) {
  return rows<StaffRow>(
    db,
    sql`select u.id::int as "userId", u.email, u.display_name as "displayName", u.language, s.role
        from organization_staff s join users u on u.id = s.user_id
        where s.city_id = ${cityId} and s.organization_id = ${organizationId}
          ${role ? sql`and s.role = ${role}` : sql``}
        order by s.role, u.display_name, u.id`,
  )
}

/**
 * Locks the organization's row until the end of the transaction, so staff changes of one
 * organization run one after another. NO KEY UPDATE does not block inserts that only reference the
 * row (staff, venues, opportunities), only other staff changes. False when it is not in this city.
 */
export async function lockOrganization(db: Db, cityId: number, organizationId: number) {
  const row = await firstRow<{ id: number }>(
    db,
    sql`select id::int as id from organizations where city_id = ${cityId} and id = ${organizationId}
        for no key update`,
  )
  return row !== undefined
}

export async function countAdmins(db: Db, cityId: number, organizationId: number) {
  const row = await firstRow<{ n: number }>(
    db,
    sql`select count(*)::int as n from organization_staff
        where city_id = ${cityId} and organization_id = ${organizationId} and role = 'admin'`,
  )
  return row?.n ?? 0
}

export async function changeRole(
  db: Db,
  cityId: number,
  organizationId: number,
  userId: number,
  role: StaffRole,
) {
  await db.execute(
    sql`update organization_staff set role = ${role}
        where city_id = ${cityId} and organization_id = ${organizationId} and user_id = ${userId}`,
  )
}

export async function deleteStaff(db: Db, cityId: number, organizationId: number, userId: number) {
  await db.execute(
    sql`delete from organization_staff
        where city_id = ${cityId} and organization_id = ${organizationId} and user_id = ${userId}`,
  )
}

export async function insertInvitation(
  db: Db,
  cityId: number,
  inv: {
    organizationId: number
    email: string
    role: StaffRole
    tokenHash: string
    invitedBy: number
    expiresAt: Date
  },
) {
  await db.execute(
    sql`insert into organization_invitations (city_id, organization_id, email, role, token_hash,
                                              invited_by_user_id, expires_at)
        select ${cityId}, id, ${inv.email}, ${inv.role}, ${inv.tokenHash}, ${inv.invitedBy}, ${inv.expiresAt}
        from organizations where city_id = ${cityId} and id = ${inv.organizationId}`,
  )
}

export interface InvitationRow {
  id: number
  organizationId: number
  email: string
  role: StaffRole
  expiresAt: string
  acceptedAt: string | null
  live: boolean
}

const invitationColumns = sql`id::int as id, organization_id::int as "organizationId", email, role,
  expires_at as "expiresAt", accepted_at as "acceptedAt", (accepted_at is null and expires_at > now()) as live`

export function findInvitation(db: Db, cityId: number, tokenHash: string) {
  return firstRow<InvitationRow>(
    db,
    sql`select ${invitationColumns} from organization_invitations
        where city_id = ${cityId} and token_hash = ${tokenHash}`,
  )
}

/** Marks a live invitation for this email used; only one caller ever gets the row back. */
export function consumeInvitation(db: Db, cityId: number, tokenHash: string, email: string, userId: number) {
  return firstRow<InvitationRow>(
    db,
    sql`update organization_invitations set accepted_at = now(), accepted_by_user_id = ${userId}
        where city_id = ${cityId} and token_hash = ${tokenHash} and email = ${email}
          and accepted_at is null and expires_at > now()
        returning ${invitationColumns}`,
  )
}

export function listOpenInvitations(db: Db, cityId: number, organizationId: number) {
  return rows<InvitationRow>(
    db,
    sql`select ${invitationColumns} from organization_invitations
        where city_id = ${cityId} and organization_id = ${organizationId} and accepted_at is null
          and expires_at > now()
        order by id desc limit 200`,
  )
}
