import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../../platform/db/index.ts'
import type { Platform } from '../../platform/module.ts'
import { findOpportunity } from '../opportunities/index.ts'
import { manageTokenFor, newManageKey, readManageToken } from './manage-token.ts'
import { type BookingStatus, guestContact, OFFER_HOURS } from './model.ts'
import { scheduleReminder, sendBookingMail, sendOfferMail } from './notices.ts'
import * as repo from './repository.ts'

export type Result<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; fields?: { field: string; detail: string }[] }

/** Who books: a signed-in account, or a guest who gives a name and an email. */
export type Booker =
  | { kind: 'account'; userId: number; name: string; email: string }
  | { kind: 'guest'; name: string; email: string }

/** Who asks to change a place: its account, or whoever holds the guest's manage link. */
export type Owner = { userId: number } | { manageToken: string }

export interface BookingRequest {
  cityId: number
  opportunityId: number
  /** One session, or every upcoming session of the series. */
  session: number | 'all'
  booker: Booker
  /** The language of the page: the emails about this booking use it. */
  language: string
  /** When a session is full, take a place on its waitlist instead of failing. */
  joinWaitlist: boolean
}

export interface Booked {
  places: { registrationId: number; sessionId: number; status: BookingStatus }[]
  /** The guest's manage-my-booking token (only ever sent by email; derived from the stored key). */
  manageToken?: string
}

/** A long random token for links in emails. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** What the database keeps of a claim token: its sha256. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true
  }
  return false
}

/**
 * Books a session (or the whole series) of a published opportunity. Each session row is locked
 * while its seats are counted and the place inserted, so two people never take the last seat.
 */
export async function bookPlaces(
  platform: Platform,
  request: BookingRequest,
): Promise<Result<Booked, 'not-found' | 'invalid' | 'full' | 'already-booked' | 'no-sessions'>> {
  const { cityId, opportunityId, booker } = request
  const opportunity = await findOpportunity(platform.db, cityId, opportunityId)
  if (opportunity?.status !== 'published') return { ok: false, error: 'not-found' }
  let contact = { name: booker.name.trim(), email: booker.email.trim().toLowerCase() }
  if (booker.kind === 'guest') {
    const parsed = guestContact.safeParse(booker)
    if (!parsed.success) {
      return {
        ok: false,
        error: 'invalid',
        fields: parsed.error.issues.map((i) => ({ field: String(i.path[0]), detail: i.message })),
      }
    }
    contact = parsed.data
  }
  const manageKey = booker.kind === 'guest' ? newManageKey() : null
  const failure: { error?: 'full' | 'already-booked' | 'no-sessions' } = {}
  let places: Booked['places']
  try {
    places = await platform.db.transaction(async (tx) => {
      const sessions = await repo.lockSessions(
        tx,
        cityId,
        opportunityId,
        request.session === 'all' ? 'upcoming' : [request.session],
      )
      if (sessions.length === 0) failure.error = 'no-sessions'
      const made: Booked['places'] = []
      for (const session of sessions) {
        if (await repo.hasActivePlace(tx, cityId, session.id, contact.email)) {
          failure.error ??= 'already-booked'
          continue
        }
        const held = await repo.seatsHeld(tx, cityId, session.id)
        const free = session.capacity === null || held < session.capacity
        if (!free && !request.joinWaitlist) {
          failure.error ??= 'full'
          continue
        }
        const status: BookingStatus = free ? 'confirmed' : 'waitlisted'
        const registrationId = await repo.insertRegistration(tx, {
          cityId,
          opportunityId,
          sessionId: session.id,
          userId: booker.kind === 'account' ? booker.userId : null,
          name: contact.name,
          email: contact.email,
          language: request.language,
          status,
          manageKey,
        })
        made.push({ registrationId, sessionId: session.id, status })
      }
      return made
    })
  } catch (error) {
    // The partial unique index is the last line of defence against a double booking.
    if (isUniqueViolation(error)) return { ok: false, error: 'already-booked' }
    throw error
  }
  if (places.length === 0) return { ok: false, error: failure.error ?? 'no-sessions' }
  for (const place of places) {
    if (place.status === 'confirmed') await scheduleReminder(platform, cityId, place.registrationId)
  }
  await sendBookingMail(platform, cityId, places[0]!.registrationId, places)
  const manageToken = manageKey ? manageTokenFor(platform.config.sessionSecret, manageKey) : undefined
  return { ok: true, value: { places, manageToken } }
}

/** Offers freed seats of a session to the waitlist, in order; returns the offers to send (inside a transaction). */
export async function offerFreedSeats(tx: Db, cityId: number, sessionId: number) {
  const session = await repo.bookableSession(tx, cityId, sessionId)
  const offers: { registrationId: number; token: string; expiresAt: Date }[] = []
  if (!session) return offers
  let held = await repo.seatsHeld(tx, cityId, sessionId)
  while (session.capacity === null || held < session.capacity) {
    const next = await repo.nextWaitlisted(tx, cityId, sessionId)
    if (!next) break
    const token = newToken()
    const expiresAt = new Date(Date.now() + OFFER_HOURS * 3600_000)
    await repo.markOffered(tx, cityId, next.id, hashToken(token), expiresAt)
    offers.push({ registrationId: next.id, token, expiresAt })
    held++
  }
  return offers
}

/** Sends each offer's claim link and schedules its expiry. */
export async function announceOffers(
  platform: Platform,
  cityId: number,
  offers: { registrationId: number; token: string; expiresAt: Date }[],
) {
  for (const offer of offers) {
    await platform.jobs.enqueue(
      EXPIRE_OFFER_JOB,
      { cityId, registrationId: offer.registrationId },
      { runAt: offer.expiresAt },
    )
    await sendOfferMail(platform, cityId, offer.registrationId, offer.token)
  }
}

export const EXPIRE_OFFER_JOB = 'registrations.expire-offer'

/** Whether the account, or the manage link, is the one the place was booked with. */
async function owns(platform: Platform, place: repo.RegistrationRow, owner: Owner): Promise<boolean> {
  if ('userId' in owner) return place.userId === owner.userId
  const lookup = readManageToken(platform.config.sessionSecret, owner.manageToken)
  if (!lookup) return false
  if ('key' in lookup) return place.manageKey === lookup.key
  return (await repo.manageTokenHashOf(platform.db, place.cityId, place.id)) === lookup.hash
}

/**
 * Cancels a place its owner holds. A freed seat goes to the first person on the waitlist, who is
 * emailed a claim link that works for OFFER_HOURS.
 */
export async function cancelPlace(
  platform: Platform,
  cityId: number,
  registrationId: number,
  owner: Owner,
): Promise<Result<void, 'not-found' | 'not-active'>> {
  const place = await repo.findRegistration(platform.db, cityId, registrationId)
  if (!place || !(await owns(platform, place, owner))) return { ok: false, error: 'not-found' }
  const outcome = await platform.db.transaction(async (tx) => {
    await repo.lockSession(tx, cityId, place.sessionId)
    const current = await repo.findRegistration(tx, cityId, registrationId, true)
    if (!current || !['confirmed', 'waitlisted', 'offered'].includes(current.status)) return undefined
    await repo.setStatus(tx, cityId, registrationId, 'cancelled')
    return current.status === 'waitlisted' ? [] : offerFreedSeats(tx, cityId, place.sessionId)
  })
  if (!outcome) return { ok: false, error: 'not-active' }
  await announceOffers(platform, cityId, outcome)
  return { ok: true, value: undefined }
}

/** Confirms an offered seat when its claim link is used in time. */
export async function claimOffer(
  platform: Platform,
  cityId: number,
  token: string,
): Promise<Result<{ registrationId: number }, 'invalid' | 'expired'>> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, error: 'invalid' }
  const place = await repo.findByOfferToken(platform.db, cityId, hashToken(token))
  if (!place) return { ok: false, error: 'invalid' }
  const claimed = await platform.db.transaction(async (tx) => {
    await repo.lockSession(tx, cityId, place.sessionId)
    const current = await repo.findRegistration(tx, cityId, place.id, true)
    if (current?.status !== 'offered' || !current.offerExpiresAt) return false
    if (new Date(current.offerExpiresAt).getTime() <= Date.now()) return false
    await repo.setStatus(tx, cityId, place.id, 'confirmed')
    return true
  })
  if (!claimed) return { ok: false, error: 'expired' }
  await scheduleReminder(platform, cityId, place.id)
  const places = [{ registrationId: place.id, sessionId: place.sessionId, status: 'confirmed' as const }]
  await sendBookingMail(platform, cityId, place.id, places)
  return { ok: true, value: { registrationId: place.id } }
}

/** Job: an offer nobody claimed in time lapses and the seat goes to the next person waiting. */
export async function expireOffer(platform: Platform, cityId: number, registrationId: number): Promise<void> {
  const place = await repo.findRegistration(platform.db, cityId, registrationId)
  if (place?.status !== 'offered') return
  const offers = await platform.db.transaction(async (tx) => {
    await repo.lockSession(tx, cityId, place.sessionId)
    const current = await repo.findRegistration(tx, cityId, registrationId, true)
    if (current?.status !== 'offered' || !current.offerExpiresAt) return []
    if (new Date(current.offerExpiresAt).getTime() > Date.now()) return []
    await repo.setStatus(tx, cityId, registrationId, 'expired')
    return offerFreedSeats(tx, cityId, place.sessionId)
  })
  await announceOffers(platform, cityId, offers)
}
