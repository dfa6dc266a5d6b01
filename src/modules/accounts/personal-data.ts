import { rows, sql } from '../../platform/db/index.ts'
import { registerPersonalData } from '../../platform/personal-data.ts'

/**
 * The account itself: profile, roles in cities, sessions, single-use email tokens, the mail the
 * platform kept a copy of, and the sign-in and reset counters keyed by the address. All of it is
 * erased, last of every module's part (the others still read the person's address). Secrets are
 * never exported: no password hash, no token or session hash, no mail bodies (they hold links).
 */
export const accountsPersonalData = registerPersonalData({
  module: 'accounts',
  async export(db, person) {
    const [profile] = await rows(
      db,
      sql`select id::int as id, email, display_name as "displayName", language,
            email_verified_at as "emailVerifiedAt", is_network_admin as "isNetworkAdmin", created_at as "createdAt"
          from users where id = ${person.id}`,
    )
    const cityRoles = await rows(
      db,
      sql`select city_id::int as "cityId", role, created_at as "createdAt"
          from city_roles where user_id = ${person.id} order by id`,
    )
    const sessions = await rows(
      db,
      sql`select user_agent as "userAgent", ip_address as "ipAddress", remember, created_at as "createdAt",
            last_seen_at as "lastSeenAt", expires_at as "expiresAt"
          from sessions where user_id = ${person.id} order by id`,
    )
    const mail = await rows(
      db,
      sql`select subject, status, created_at as "createdAt", sent_at as "sentAt"
          from mail_outbox where to_address = ${person.email} order by id`,
    )
    return { profile, cityRoles, sessions, mail }
  },
  async blockers(db, person) {
    // The network needs someone to administer it: its last admin hands over first. Admins deleting
    // their accounts at once take one lock (not each other's rows: that could deadlock) and are
    // counted one after the other.
    await db.execute(
      sql`select pg_advisory_xact_lock(hashtext('learncity:network-admins'))
          from users where id = ${person.id} and is_network_admin`,
    )
    const last = await rows(
      db,
      sql`select 1 from users me where me.id = ${person.id} and me.is_network_admin
            and not exists (select 1 from users other where other.is_network_admin and other.id <> me.id)`,
    )
    return last.length > 0 ? [{ reason: 'last-network-admin', subject: {} }] : []
  },
  async erase(db, person) {
    const id = person.id
    await db.execute(sql`delete from sessions where user_id = ${id}`)
    await db.execute(sql`delete from email_tokens where user_id = ${id}`)
    await db.execute(sql`delete from city_roles where user_id = ${id}`)
    // Every copy goes, queued ones too: their delivery job finds nothing and sends nothing about an
    // account that no longer exists. The confirmation of the deletion is queued after this.
    await db.execute(sql`delete from mail_outbox where to_address = ${person.email}`)
    await db.execute(
      sql`delete from rate_limits where key in (${`sign-in:email:${person.email}`}, ${`reset:email:${person.email}`})`,
    )
    await db.execute(sql`delete from users where id = ${id}`)
    return undefined
  },
})
