import { rows, sql } from '../../platform/db/index.ts'
import { registerPersonalData } from '../../platform/personal-data.ts'

/**
 * A person's places on providers' staff, the invitations sent to their address and what they did
 * for a provider (its change log). Staff places and invitations to them are erased; the change log
 * stays for the provider and the city but loses its link to the person (user id and their address
 * in the details); invitations they sent and API keys they created stay, without their id.
 * The last admin of a provider cannot leave by deleting their account: they hand over first.
 */
export const organizationsPersonalData = registerPersonalData({
  module: 'organizations',
  async export(db, person) {
    const staff = await rows(
      db,
      sql`select s.organization_id::int as "organizationId", s.city_id::int as "cityId", o.name as "organizationName",
            s.role, s.created_at as "since"
          from organization_staff s join organizations o on o.id = s.organization_id
          where s.user_id = ${person.id} order by s.id`,
    )
    const invitations = await rows(
      db,
      sql`select i.organization_id::int as "organizationId", o.name as "organizationName", i.role,
            i.created_at as "createdAt", i.expires_at as "expiresAt", i.accepted_at as "acceptedAt"
          from organization_invitations i join organizations o on o.id = i.organization_id
          where i.email = ${person.email} or i.accepted_by_user_id = ${person.id} order by i.id`,
    )
    // What they did; the details may name the address they invited (someone else's): left out.
    const actions = await rows(
      db,
      sql`select organization_id::int as "organizationId", action, detail - 'email' as detail,
            created_at as "createdAt"
          from organization_changes where user_id = ${person.id} order by id`,
    )
    return { staff, invitations, actions }
  },
  async blockers(db, person) {
    // As staff changes do (staff.ts): lock the providers first, so an admin demoted at this moment
    // is counted after that change commits, and no provider is left without an admin.
    await db.execute(
      sql`select id from organizations where id in
            (select organization_id from organization_staff where user_id = ${person.id} and role = 'admin')
          order by id for update`,
    )
    const lastAdminOf = await rows<{ name: Record<string, string> }>(
      db,
      sql`select o.name from organization_staff s join organizations o on o.id = s.organization_id
          where s.user_id = ${person.id} and s.role = 'admin'
            and not exists (select 1 from organization_staff other
                            where other.organization_id = s.organization_id and other.role = 'admin'
                              and other.user_id <> ${person.id})
          order by o.id`,
    )
    return lastAdminOf.map((o) => ({ reason: 'last-admin', subject: o.name }))
  },
  async erase(db, person) {
    const id = person.id
    await db.execute(sql`delete from organization_staff where user_id = ${id}`)
    await db.execute(
      sql`delete from organization_invitations where email = ${person.email} or accepted_by_user_id = ${id}`,
    )
    await db.execute(
      sql`update organization_invitations set invited_by_user_id = null where invited_by_user_id = ${id}`,
    )
    await db.execute(sql`update organization_changes set user_id = null where user_id = ${id}`)
    await db.execute(
      sql`update organization_changes set detail = detail - 'email' where detail ->> 'email' = ${person.email}`,
    )
    await db.execute(
      sql`update organization_changes set detail = detail - 'userId' where detail ->> 'userId' = ${String(id)}`,
    )
    await db.execute(sql`update api_keys set created_by_user_id = null where created_by_user_id = ${id}`)
    return undefined
  },
})
