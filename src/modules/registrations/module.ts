import type { Module } from '../../platform/module.ts'
import { bookingPages } from './booking-pages.tsx'
import { learnerPages } from './learner-pages.tsx'
import { noticeOpportunityChanged, noticeSessionsCancelled, REMIND_JOB, sendReminder } from './notices.ts'
import { registrationsPersonalData } from './personal-data.ts'
import { providerPages } from './provider-pages.tsx'
import { EXPIRE_OFFER_JOB, expireOffer } from './registrations.ts'

const SESSIONS_CANCELLED_JOB = 'registrations.notice-sessions-cancelled'
const OPPORTUNITY_CHANGED_JOB = 'registrations.notice-opportunity-changed'

type PlacePayload = { cityId: number; registrationId: number }

/** Bookings, waitlists and attendance for opportunity sessions. */
export const registrationsModule: Module = {
  nav: [{ path: 'bookings', labelKey: 'registrations.mine.title', audience: 'signed-in', order: 50 }],
  name: 'registrations',
  personalData: registrationsPersonalData,
  messages: new URL('./messages/', import.meta.url),
  routes(app, platform) {
    bookingPages(app, platform)
    providerPages(app, platform)
    learnerPages(app, platform)
  },
  jobs: (platform) => ({
    [REMIND_JOB]: (payload) => {
      const p = payload as PlacePayload
      return sendReminder(platform, p.cityId, p.registrationId)
    },
    [EXPIRE_OFFER_JOB]: (payload) => {
      const p = payload as PlacePayload
      return expireOffer(platform, p.cityId, p.registrationId)
    },
    [SESSIONS_CANCELLED_JOB]: (payload) =>
      noticeSessionsCancelled(platform, payload as Parameters<typeof noticeSessionsCancelled>[1]),
    [OPPORTUNITY_CHANGED_JOB]: (payload) =>
      noticeOpportunityChanged(platform, payload as Parameters<typeof noticeOpportunityChanged>[1]),
  }),
  // Emails go out from durable jobs, so a crash after the change loses no notice.
  subscribe(platform) {
    platform.events.on('opportunity.sessions-cancelled', async (event) => {
      await platform.jobs.enqueue(SESSIONS_CANCELLED_JOB, event)
    })
    platform.events.on('opportunity.changed', async (event) => {
      await platform.jobs.enqueue(OPPORTUNITY_CHANGED_JOB, event)
    })
  },
}
