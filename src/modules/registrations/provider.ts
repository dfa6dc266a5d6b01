import type { Tenant, Viewer } from '../../platform/http/env.ts'
import type { T } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { utcToZoned } from '../../platform/time/index.ts'
import { actorForViewer, findOpportunity, type OpportunityRow } from '../opportunities/index.ts'
import { toCsv } from './csv.ts'
import { attendanceForm } from './model.ts'
import type { Result } from './registrations.ts'
import * as repo from './repository.ts'

/**
 * Loads an opportunity whose registrations the viewer may see: staff (editor or admin) of its
 * organization, city coordinators and network admins. Nobody else, whatever the URL says.
 */
export async function providerAccess(
  platform: Platform,
  viewer: Viewer,
  tenant: Tenant,
  opportunityId: number,
): Promise<Result<OpportunityRow, 'not-found' | 'forbidden'>> {
  const opportunity = await findOpportunity(platform.db, tenant.id, opportunityId)
  if (!opportunity) return { ok: false, error: 'not-found' }
  const actor = await actorForViewer(platform, viewer, tenant)
  const staff = actor.organizations.some(
    (o) => o.id === opportunity.organizationId && (o.role === 'editor' || o.role === 'admin'),
  )
  return actor.coordinator || staff ? { ok: true, value: opportunity } : { ok: false, error: 'forbidden' }
}

/** Attendance rate in whole percent, or null before any attendance was taken. */
export function attendanceRate(numbers: repo.OpportunityNumbers): number | null {
  const marked = numbers.attended + numbers.noShows
  return marked === 0 ? null : Math.round((numbers.attended / marked) * 100)
}

/** Sessions with their capacity, seats and waitlists, and the opportunity's numbers. */
export async function registrationsOverview(platform: Platform, opportunity: OpportunityRow) {
  const [sessions, numbers] = await Promise.all([
    repo.sessionSeats(platform.db, opportunity.cityId, opportunity.id),
    repo.numbersFor(platform.db, opportunity.cityId, opportunity.id),
  ])
  return { numbers, rate: attendanceRate(numbers), sessions }
}

/** One session of the opportunity with everyone registered on it. */
export async function sessionRegistrations(
  platform: Platform,
  opportunity: OpportunityRow,
  sessionId: number,
) {
  const [session] = await repo.sessionSeats(platform.db, opportunity.cityId, opportunity.id, sessionId)
  if (!session) return undefined
  return { session, places: await repo.listForSession(platform.db, opportunity.cityId, sessionId) }
}

/**
 * Saves a session's attendance from its form: ticked places attended, the other confirmed ones did
 * not. A cancelled session takes no attendance (nobody could come).
 */
export async function recordAttendance(
  platform: Platform,
  opportunity: OpportunityRow,
  sessionId: number,
  raw: unknown,
): Promise<Result<void, 'not-found' | 'invalid' | 'cancelled'>> {
  const found = await sessionRegistrations(platform, opportunity, sessionId)
  if (!found) return { ok: false, error: 'not-found' }
  if (found.session.cancelled) return { ok: false, error: 'cancelled' }
  const parsed = attendanceForm.safeParse(raw)
  if (!parsed.success) return { ok: false, error: 'invalid' }
  const userIds = await repo.saveAttendance(platform.db, opportunity.cityId, sessionId, parsed.data.attended)
  // Badges awarded on attendance listen for this (awarding twice is refused there).
  if (userIds.length > 0)
    await platform.events.emit('registration.attended', {
      cityId: opportunity.cityId,
      opportunityId: opportunity.id,
      sessionId,
      userIds,
    })
  return { ok: true, value: undefined }
}

/** Every registration of the opportunity as CSV, with spreadsheet formulas defused. */
export async function registrationsCsv(
  platform: Platform,
  opportunity: OpportunityRow,
  t: T,
  timeZone: string,
): Promise<string> {
  const places = await repo.listForOpportunity(platform.db, opportunity.cityId, opportunity.id)
  const local = (d: Date) => utcToZoned(new Date(d), timeZone).slice(0, 16).replace('T', ' ')
  const attended = (a: boolean | null) =>
    a === null ? '' : a ? t('registrations.csv.yes') : t('registrations.csv.no')
  return toCsv([
    [
      t('registrations.csv.session'),
      t('registrations.csv.name'),
      t('registrations.csv.email'),
      t('registrations.csv.status'),
      t('registrations.csv.bookedAt'),
      t('registrations.csv.attended'),
    ],
    ...places.map((p) => [
      local(p.startsAt),
      p.name,
      p.email,
      t(`registrations.status.${p.status}`),
      local(p.createdAt),
      attended(p.attended),
    ]),
  ])
}
