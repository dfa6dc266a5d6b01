import { arrayOf, type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { ManageLookup } from './manage-token.ts'
import type { BookingStatus, UnmetReason } from './model.ts'

/** A session row locked for booking, with the seats it has (null: no limit). */
export interface LockedSession {
  id: number
  startsAt: Date
  capacity: number | null
}

export interface RegistrationRow {
  id: number
  cityId: number
  opportunityId: number
  sessionId: number
  userId: number | null
  name: string
  email: string
  language: string
  status: BookingStatus
  /** The guest's manage key (null for accounts): emails derive the manage link from it. */
  manageKey: string | null
  offerExpiresAt: Date | null
  attended: boolean | null
  reminderSentAt: Date | null
  createdAt: Date
  startsAt: Date
  endsAt: Date
  sessionCancelled: boolean
}

const registrationColumns = sql`r.id::int as id, r.city_id::int as "cityId", r.opportunity_id::int as "opportunityId",
  r.session_id::int as "sessionId", r.user_id::int as "userId", r.name, r.email, r.language, r.status,
  r.manage_key as "manageKey", r.offer_expires_at as "offerExpiresAt", r.attended, r.reminder_sent_at as "reminderSentAt",
  r.created_at as "createdAt", s.starts_at as "startsAt", s.ends_at as "endsAt", s.cancelled as "sessionCancelled"`

const fromJoined = sql`registrations r join opportunity_sessions s on s.id = r.session_id and s.city_id = r.city_id`

/**
 * Locks bookable sessions of an opportunity (upcoming, not cancelled) in id order, so concurrent
 * bookings of a session queue up behind each other and two bookings of a series cannot deadlock.
 */
export function lockSessions(
  tx: Db,
  cityId: number,
  opportunityId: number,
  sessionIds: number[] | 'upcoming',
) {
  return rows<LockedSession>(
    tx,
    sql`select s.id::int as id, s.starts_at as "startsAt", coalesce(s.capacity, o.capacity) as capacity
        from opportunity_sessions s join opportunities o on o.id = s.opportunity_id and o.city_id = s.city_id
        where s.city_id = ${cityId} and s.opportunity_id = ${opportunityId} and not s.cancelled and s.starts_at > now()
          and o.status = 'published'
          ${sessionIds === 'upcoming' ? sql`` : sql`and s.id = any(${arrayOf(sessionIds, 'int8')})`}
        order by s.id limit 500
        for update of s`,
  )
}

/** Sessions still open for booking, with their seats, for the booking page (no lock). */
export function openSessions(db: Db, cityId: number, opportunityId: number) {
  return rows<LockedSession>(
    db,
    sql`select s.id::int as id, s.starts_at as "startsAt", coalesce(s.capacity, o.capacity) as capacity
        from opportunity_sessions s join opportunities o on o.id = s.opportunity_id and o.city_id = s.city_id
        where s.city_id = ${cityId} and s.opportunity_id = ${opportunityId} and not s.cancelled and s.starts_at > now()
        order by s.starts_at limit 500`,
  )
}

/** One session still open for booking, with its seats (null: no limit); the caller holds its lock. */
export function bookableSession(tx: Db, cityId: number, sessionId: number) {
  return firstRow<LockedSession>(
    tx,
    sql`select s.id::int as id, s.starts_at as "startsAt", coalesce(s.capacity, o.capacity) as capacity
        from opportunity_sessions s join opportunities o on o.id = s.opportunity_id and o.city_id = s.city_id
        where s.city_id = ${cityId} and s.id = ${sessionId} and not s.cancelled and s.starts_at > now()
          and o.status = 'published'`,
  )
}

/** A session as the provider sees it: its own capacity, the one that applies, and its places. */
export interface SessionSeats {
  id: number
  startsAt: Date
  endsAt: Date
  cancelled: boolean
  /** Set for this session only (null: the opportunity's capacity applies). */
  ownCapacity: number | null
  /** The capacity that applies (null: no limit). */
  capacity: number | null
  /** Confirmed places and open offers. */
  held: number
  waiting: number
}

/** Every session of an opportunity (or one of them) with its capacity and places, by start. */
export function sessionSeats(db: Db, cityId: number, opportunityId: number, sessionId?: number) {
  return rows<SessionSeats>(
    db,
    sql`select s.id::int as id, s.starts_at as "startsAt", s.ends_at as "endsAt", s.cancelled,
          s.capacity as "ownCapacity", coalesce(s.capacity, o.capacity) as capacity,
          ${heldOn} as held,
          (select count(*) from registrations r where r.city_id = s.city_id and r.session_id = s.id
             and r.status = 'waitlisted')::int as waiting
        from opportunity_sessions s join opportunities o on o.id = s.opportunity_id and o.city_id = s.city_id
        where s.city_id = ${cityId} and s.opportunity_id = ${opportunityId}
          ${sessionId === undefined ? sql`` : sql`and s.id = ${sessionId}`}
        order by s.starts_at limit 1000`,
  )
}

/** Locks one session of an opportunity before its capacity changes (bookings wait on the same lock). */
export function lockOwnSession(tx: Db, cityId: number, opportunityId: number, sessionId: number) {
  return firstRow<{ id: number; startsAt: Date; cancelled: boolean }>(
    tx,
    sql`select id::int as id, starts_at as "startsAt", cancelled from opportunity_sessions
        where city_id = ${cityId} and opportunity_id = ${opportunityId} and id = ${sessionId}
        for update`,
  )
}

/**
 * Sets (or clears, with null) one session's capacity. The column is on the opportunities module's
 * table but only booking reads it, and it must change under the lock bookings take on that row.
 */
export async function setSessionCapacity(tx: Db, cityId: number, sessionId: number, capacity: number | null) {
  await tx.execute(
    sql`update opportunity_sessions set capacity = ${capacity} where city_id = ${cityId} and id = ${sessionId}`,
  )
}

/** Seats taken on a session `s`: confirmed places and open offers. */
const heldOn = sql`(select count(*) from registrations r where r.city_id = s.city_id and r.session_id = s.id
  and r.status in ('confirmed', 'offered'))::int`

/** Whether a session `s` of opportunity `o` has a seat left (no limit, or fewer held than its capacity). */
export const hasSeatLeft = sql`(coalesce(s.capacity, o.capacity) is null or coalesce(s.capacity, o.capacity) > ${heldOn})`

/** Seats left on each of these sessions (null: no limit), by session id. */
export async function seatsLeft(
  db: Db,
  cityId: number,
  sessionIds: number[],
): Promise<Map<number, number | null>> {
  if (sessionIds.length === 0) return new Map()
  const found = await rows<{ id: number; left: number | null }>(
    db,
    sql`select s.id::int as id, coalesce(s.capacity, o.capacity) - ${heldOn} as left
        from opportunity_sessions s join opportunities o on o.id = s.opportunity_id and o.city_id = s.city_id
        where s.city_id = ${cityId} and s.id = any(${arrayOf(sessionIds, 'int8')})`,
  )
  return new Map(found.map((f) => [f.id, f.left]))
}

/** Seats taken on a session: confirmed places and open offers. */
export async function seatsHeld(tx: Db, cityId: number, sessionId: number): Promise<number> {
  const row = await firstRow<{ n: number }>(
    tx,
    sql`select count(*)::int as n from registrations
        where city_id = ${cityId} and session_id = ${sessionId} and status in ('confirmed', 'offered')`,
  )
  return row?.n ?? 0
}

export async function hasActivePlace(tx: Db, cityId: number, sessionId: number, email: string) {
  const row = await firstRow<{ id: number }>(
    tx,
    sql`select id::int as id from registrations where city_id = ${cityId} and session_id = ${sessionId}
          and email = ${email} and status in ('confirmed', 'waitlisted', 'offered') limit 1`,
  )
  return row !== undefined
}

export async function insertRegistration(
  tx: Db,
  r: {
    cityId: number
    opportunityId: number
    sessionId: number
    userId: number | null
    name: string
    email: string
    language: string
    status: BookingStatus
    manageKey: string | null
  },
): Promise<number> {
  const row = await firstRow<{ id: number }>(
    tx,
    sql`insert into registrations (city_id, opportunity_id, session_id, user_id, name, email, language, status, manage_key)
        values (${r.cityId}, ${r.opportunityId}, ${r.sessionId}, ${r.userId}, ${r.name}, ${r.email}, ${r.language},
                ${r.status}, ${r.manageKey})
        returning id::int as id`,
  )
  return row!.id
}

export function findRegistration(db: Db, cityId: number, id: number, lock = false) {
  return firstRow<RegistrationRow>(
    db,
    sql`select ${registrationColumns} from ${fromJoined} where r.city_id = ${cityId} and r.id = ${id}
        ${lock ? sql`for update of r` : sql``}`,
  )
}

/** Locks one session row (whatever its state) before a place on it changes. */
export async function lockSession(tx: Db, cityId: number, sessionId: number) {
  await tx.execute(
    sql`select id from opportunity_sessions where city_id = ${cityId} and id = ${sessionId} for update`,
  )
}

export async function setStatus(tx: Db, cityId: number, id: number, status: BookingStatus) {
  await tx.execute(
    sql`update registrations set status = ${status}, updated_at = now(), offer_token_hash = null,
          cancelled_at = case when ${status} = 'cancelled' then now() else cancelled_at end
        where city_id = ${cityId} and id = ${id}`,
  )
}

/** The first person on a session's waitlist, locked. */
export function nextWaitlisted(tx: Db, cityId: number, sessionId: number) {
  return firstRow<{ id: number }>(
    tx,
    sql`select id::int as id from registrations
        where city_id = ${cityId} and session_id = ${sessionId} and status = 'waitlisted'
        order by created_at, id limit 1 for update`,
  )
}

export async function markOffered(tx: Db, cityId: number, id: number, tokenHash: string, expiresAt: Date) {
  await tx.execute(
    sql`update registrations set status = 'offered', offer_token_hash = ${tokenHash},
          offer_expires_at = ${expiresAt.toISOString()}, updated_at = now()
        where city_id = ${cityId} and id = ${id}`,
  )
}

/** The stored hash of a legacy manage token (issued before manage keys) of a place. */
export async function manageTokenHashOf(db: Db, cityId: number, id: number) {
  const row = await firstRow<{ hash: string | null }>(
    db,
    sql`select manage_token_hash as hash from registrations where city_id = ${cityId} and id = ${id}`,
  )
  return row?.hash ?? null
}

export function findByOfferToken(db: Db, cityId: number, tokenHash: string) {
  return firstRow<RegistrationRow>(
    db,
    sql`select ${registrationColumns} from ${fromJoined} where r.city_id = ${cityId} and r.offer_token_hash = ${tokenHash}`,
  )
}

/** The places a manage link opens: those booked together with its key (or a legacy token's hash). */
export function listByManage(db: Db, cityId: number, lookup: ManageLookup) {
  const match =
    'key' in lookup ? sql`r.manage_key = ${lookup.key}` : sql`r.manage_token_hash = ${lookup.hash}`
  return rows<RegistrationRow>(
    db,
    sql`select ${registrationColumns} from ${fromJoined}
        where r.city_id = ${cityId} and ${match} order by s.starts_at, r.id limit 500`,
  )
}

export function listForUser(db: Db, cityId: number, userId: number) {
  return rows<RegistrationRow>(
    db,
    sql`select ${registrationColumns} from ${fromJoined}
        where r.city_id = ${cityId} and r.user_id = ${userId} order by s.starts_at desc, r.id limit 500`,
  )
}

export function listForSession(db: Db, cityId: number, sessionId: number) {
  return rows<RegistrationRow>(
    db,
    sql`select ${registrationColumns} from ${fromJoined}
        where r.city_id = ${cityId} and r.session_id = ${sessionId}
        order by case r.status when 'confirmed' then 0 when 'offered' then 1 when 'waitlisted' then 2 else 3 end,
                 r.created_at, r.id
        limit 2000`,
  )
}

export function listForOpportunity(db: Db, cityId: number, opportunityId: number) {
  return rows<RegistrationRow>(
    db,
    sql`select ${registrationColumns} from ${fromJoined}
        where r.city_id = ${cityId} and r.opportunity_id = ${opportunityId} order by s.starts_at, r.created_at, r.id
        limit 20000`,
  )
}

/** Places still held on these sessions (everyone who should hear about a change to them). */
export function listActiveOnSessions(
  db: Db,
  cityId: number,
  opportunityId: number,
  sessionIds: number[] | 'upcoming',
) {
  return rows<RegistrationRow>(
    db,
    sql`select ${registrationColumns} from ${fromJoined}
        where r.city_id = ${cityId} and r.opportunity_id = ${opportunityId}
          and r.status in ('confirmed', 'waitlisted', 'offered')
          ${sessionIds === 'upcoming' ? sql`and not s.cancelled and s.starts_at > now()` : sql`and r.session_id = any(${arrayOf(sessionIds, 'int8')})`}
        order by s.starts_at, r.id limit 20000`,
  )
}

export async function markReminded(db: Db, cityId: number, id: number) {
  await db.execute(
    sql`update registrations set reminder_sent_at = now() where city_id = ${cityId} and id = ${id}`,
  )
}

/** Per session: seats held and people waiting, for the booking page. */
export function placesBySession(db: Db, cityId: number, opportunityId: number) {
  return rows<{ sessionId: number; held: number; waiting: number }>(
    db,
    sql`select session_id::int as "sessionId",
          count(*) filter (where status in ('confirmed', 'offered'))::int as held,
          count(*) filter (where status = 'waitlisted')::int as waiting
        from registrations where city_id = ${cityId} and opportunity_id = ${opportunityId}
        group by session_id`,
  )
}

/**
 * Records who came: the confirmed places listed attended, every other confirmed place a no-show.
 * Returns the accounts (places booked signed in) that attended.
 */
export async function saveAttendance(
  db: Db,
  cityId: number,
  sessionId: number,
  attendedIds: number[],
): Promise<number[]> {
  const saved = await rows<{ userId: number | null; attended: boolean }>(
    db,
    sql`update registrations set attended = (id = any(${arrayOf(attendedIds, 'int8')})), updated_at = now()
        where city_id = ${cityId} and session_id = ${sessionId} and status = 'confirmed'
        returning user_id::int as "userId", attended`,
  )
  return [...new Set(saved.flatMap((r) => (r.attended && r.userId !== null ? [r.userId] : [])))]
}

export interface OpportunityNumbers {
  bookings: number
  waiting: number
  attended: number
  noShows: number
}

/**
 * An opportunity's numbers over its sessions that were not cancelled: places on a cancelled session
 * are neither bookings nor waiting, and nobody could attend or miss it. Cancelled and expired places
 * never count.
 */
export async function numbersFor(db: Db, cityId: number, opportunityId: number): Promise<OpportunityNumbers> {
  const row = await firstRow<OpportunityNumbers>(
    db,
    sql`select count(*) filter (where r.status = 'confirmed')::int as bookings,
          count(*) filter (where r.status in ('waitlisted', 'offered'))::int as waiting,
          count(*) filter (where r.status = 'confirmed' and r.attended)::int as attended,
          count(*) filter (where r.status = 'confirmed' and r.attended = false)::int as "noShows"
        from ${fromJoined}
        where r.city_id = ${cityId} and r.opportunity_id = ${opportunityId} and not s.cancelled`,
  )
  return row ?? { bookings: 0, waiting: 0, attended: 0, noShows: 0 }
}

export async function insertUnmetDemand(
  db: Db,
  d: {
    cityId: number
    opportunityId: number
    sessionId: number | null
    reason: UnmetReason
    districtId: number | null
  },
) {
  await db.execute(
    sql`insert into unmet_demand (city_id, opportunity_id, session_id, reason, district_id)
        values (${d.cityId}, ${d.opportunityId}, ${d.sessionId}, ${d.reason}, ${d.districtId})`,
  )
}

/** Unmet demand of a city by district and reason (for the equity map). */
export function unmetDemandByDistrict(db: Db, cityId: number) {
  return rows<{ districtId: number | null; reason: UnmetReason; count: number }>(
    db,
    sql`select district_id::int as "districtId", reason, count(*)::int as count from unmet_demand
        where city_id = ${cityId} group by district_id, reason order by district_id, reason`,
  )
}
