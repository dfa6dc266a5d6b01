import { type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { CityRole } from './schema.ts'

export interface UserRow {
  id: number
  email: string
  passwordHash: string
  displayName: string
  language: string
  emailVerified: boolean
  isNetworkAdmin: boolean
}

const userColumns = sql`id::int as "id", email, password_hash as "passwordHash", display_name as "displayName",
  language, email_verified_at is not null as "emailVerified", is_network_admin as "isNetworkAdmin"`

export function findUserByEmail(db: Db, email: string) {
  return firstRow<UserRow>(db, sql`select ${userColumns} from users where email = ${email}`)
}

export function findUserById(db: Db, id: number) {
  return firstRow<UserRow>(db, sql`select ${userColumns} from users where id = ${id}`)
}

export async function insertUser(
  db: Db,
  user: {
    email: string
    passwordHash: string
    displayName: string
    language: string
    verified?: boolean
    isNetworkAdmin?: boolean
  },
): Promise<number | undefined> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into users (email, password_hash, display_name, language, email_verified_at, is_network_admin)
        values (${user.email}, ${user.passwordHash}, ${user.displayName}, ${user.language},
                ${user.verified ? sql`now()` : null}, ${user.isNetworkAdmin ?? false})
        on conflict (email) do nothing
        returning id::int as id`,
  )
  return row?.id
}

export async function markEmailVerified(db: Db, userId: number) {
  await db.execute(
    sql`update users set email_verified_at = coalesce(email_verified_at, now()) where id = ${userId}`,
  )
}

export async function setPassword(db: Db, userId: number, passwordHash: string) {
  await db.execute(sql`update users set password_hash = ${passwordHash} where id = ${userId}`)
}

export async function grantCityRole(db: Db, cityId: number, userId: number, role: CityRole) {
  await db.execute(
    sql`insert into city_roles (city_id, user_id, role) values (${cityId}, ${userId}, ${role}) on conflict do nothing`,
  )
}

export async function cityRolesOf(db: Db, userId: number, cityId: number): Promise<CityRole[]> {
  const list = await rows<{ role: CityRole }>(
    db,
    sql`select role from city_roles where user_id = ${userId} and city_id = ${cityId}`,
  )
  return list.map((r) => r.role)
}

/**
 * Who looks after a scope and is told when something there needs them: a city's coordinators, or
 * (for the network, `null`) the network admins. Verified addresses only.
 */
export function listCurators(db: Db, cityId: number | null) {
  return rows<{ email: string; language: string; displayName: string }>(
    db,
    cityId === null
      ? sql`select email, language, display_name as "displayName" from users
            where is_network_admin and email_verified_at is not null order by id`
      : sql`select u.email, u.language, u.display_name as "displayName"
            from city_roles r join users u on u.id = r.user_id
            where r.city_id = ${cityId} and r.role = 'coordinator' and u.email_verified_at is not null
            order by u.id`,
  )
}

export async function insertToken(
  db: Db,
  token: { tokenHash: string; userId: number; purpose: 'verify-email' | 'reset-password'; expiresAt: Date },
) {
  await db.execute(
    sql`insert into email_tokens (token_hash, user_id, purpose, expires_at)
        values (${token.tokenHash}, ${token.userId}, ${token.purpose}, ${token.expiresAt.toISOString()})`,
  )
}

/** Marks a token used and returns its user, only if it was unused, unexpired and of this purpose. */
export function consumeToken(db: Db, tokenHash: string, purpose: 'verify-email' | 'reset-password') {
  return firstRow<{ userId: number }>(
    db,
    sql`update email_tokens set used_at = now()
        where token_hash = ${tokenHash} and purpose = ${purpose} and used_at is null and expires_at > now()
        returning user_id::int as "userId"`,
  )
}

/** True when the token exists, is unused and unexpired (to show the reset form before consuming it). */
export async function tokenIsLive(db: Db, tokenHash: string, purpose: 'verify-email' | 'reset-password') {
  const row = await firstRow<{ ok: boolean }>(
    db,
    sql`select true as ok from email_tokens
        where token_hash = ${tokenHash} and purpose = ${purpose} and used_at is null and expires_at > now()`,
  )
  return Boolean(row)
}

export interface SessionRow {
  id: number
  userAgent: string
  ipAddress: string
  remember: boolean
  createdAt: string
  lastSeenAt: string
}

export async function insertSession(
  db: Db,
  s: {
    tokenHash: string
    userId: number
    userAgent: string
    ipAddress: string
    remember: boolean
    expiresAt: Date
  },
): Promise<number> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into sessions (token_hash, user_id, user_agent, ip_address, remember, expires_at)
        values (${s.tokenHash}, ${s.userId}, ${s.userAgent}, ${s.ipAddress}, ${s.remember}, ${s.expiresAt.toISOString()})
        returning id::int as id`,
  )
  return row!.id
}

/** The live session for a token hash with its user, refreshing last_seen_at at most once a minute. */
export function findLiveSession(db: Db, tokenHash: string) {
  return firstRow<UserRow & { sessionId: number; remember: boolean; lastSeenAt: string }>(
    db,
    sql`select s.id::int as "sessionId", s.remember, s.last_seen_at as "lastSeenAt",
          u.id::int as "id", u.email, u.password_hash as "passwordHash", u.display_name as "displayName",
          u.language, u.email_verified_at is not null as "emailVerified", u.is_network_admin as "isNetworkAdmin"
        from sessions s join users u on u.id = s.user_id
        where s.token_hash = ${tokenHash} and s.expires_at > now()`,
  )
}

export async function touchSession(db: Db, sessionId: number, expiresAt: Date) {
  await db.execute(
    sql`update sessions set last_seen_at = now(), expires_at = ${expiresAt.toISOString()} where id = ${sessionId}`,
  )
}

export function listSessions(db: Db, userId: number) {
  return rows<SessionRow>(
    db,
    sql`select id::int as id, user_agent as "userAgent", ip_address as "ipAddress", remember,
          created_at as "createdAt", last_seen_at as "lastSeenAt"
        from sessions where user_id = ${userId} and expires_at > now() order by last_seen_at desc`,
  )
}

export async function deleteSession(db: Db, userId: number, sessionId: number): Promise<boolean> {
  const list = await rows(
    db,
    sql`delete from sessions where id = ${sessionId} and user_id = ${userId} returning id`,
  )
  return list.length > 0
}

export async function deleteSessionsOf(db: Db, userId: number) {
  await db.execute(sql`delete from sessions where user_id = ${userId}`)
}
