import { rows, sql } from '../../platform/db/index.ts'
import { registerPersonalData } from '../../platform/personal-data.ts'
import { announceOffers, offerFreedSeats } from './registrations.ts'

/**
 * A person's bookings, waitlist places and attendance, booked while signed in. On deletion they are
 * erased; a seat the person held goes to the session's waitlist as a cancellation would. Guest bookings
 * (made signed out, without the account) are not linked to it and keep their own manage link.
 */
export const registrationsPersonalData = registerPersonalData({
  module: 'registrations',
  async export(db, person) {
    const bookings = await rows(
      db,
      sql`select r.id::int as id, r.city_id::int as "cityId", r.opportunity_id::int as "opportunityId",
            r.session_id::int as "sessionId", o.title as "opportunityTitle", s.starts_at as "sessionStartsAt",
            r.name, r.email, r.language, r.status, r.attended, r.created_at as "bookedAt",
            r.cancelled_at as "cancelledAt"
          from registrations r
          left join opportunity_sessions s on s.id = r.session_id
          left join opportunities o on o.id = r.opportunity_id
          where r.user_id = ${person.id} order by r.id`,
    )
    return { bookings }
  },
  async erase(db, person) {
    const held = await rows<{ cityId: number; sessionId: number }>(
      db,
      sql`delete from registrations where user_id = ${person.id}
          returning city_id::int as "cityId", session_id::int as "sessionId", status`,
    )
    const freed = new Map<string, { cityId: number; sessionId: number }>()
    for (const h of held) freed.set(`${h.cityId}:${h.sessionId}`, h)
    const offers: { cityId: number; list: Awaited<ReturnType<typeof offerFreedSeats>> }[] = []
    for (const { cityId, sessionId } of freed.values())
      offers.push({ cityId, list: await offerFreedSeats(db, cityId, sessionId) })
    return async (platform) => {
      for (const o of offers) await announceOffers(platform, o.cityId, o.list)
    }
  },
})
