import { sql } from 'drizzle-orm'
import { boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, updatedAt } from '../../platform/db/columns.ts'
import type { BookingStatus, UnmetReason } from './model.ts'

/**
 * One person's place on one session: confirmed, on the waitlist, offered a freed seat, or ended.
 * Guests leave only a name and an email. Their manage link's token is `manage_key` followed by an
 * HMAC of it under SESSION_SECRET (manage-token.ts): the database holds only the key, which opens nothing.
 */
export const registrations = pgTable(
  'registrations',
  {
    id: id(),
    cityId: cityId(),
    opportunityId: ref('opportunity_id').notNull(),
    sessionId: ref('session_id').notNull(),
    /** The account that booked; null for a guest. */
    userId: ref('user_id'),
    name: text('name').notNull(),
    /** Lower-cased; one active place per email and session. */
    email: text('email').notNull(),
    /** The language the person booked in: every email about this booking uses it. */
    language: text('language').notNull(),
    status: text('status').$type<BookingStatus>().notNull(),
    /**
     * The guest's manage key: random, shared by the places booked together, not secret by itself.
     * Every email derives the manage link from it with SESSION_SECRET.
     */
    manageKey: text('manage_key'),
    /** sha256 of a manage token issued before manage keys (those links keep working); null since. */
    manageTokenHash: text('manage_token_hash'),
    /** sha256 of the claim token sent with an offer, and when the offer lapses. */
    offerTokenHash: text('offer_token_hash'),
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    /** null until the provider takes attendance for the session. */
    attended: boolean('attended'),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('registrations_session_email_active_key')
      .on(t.sessionId, t.email)
      .where(sql`status in ('confirmed', 'waitlisted', 'offered')`),
    index('registrations_city_session_idx').on(t.cityId, t.sessionId, t.status),
    index('registrations_city_opportunity_idx').on(t.cityId, t.opportunityId),
    index('registrations_city_user_idx').on(t.cityId, t.userId),
    index('registrations_manage_token_idx').on(t.manageTokenHash),
    index('registrations_manage_key_idx').on(t.cityId, t.manageKey),
    index('registrations_offer_token_idx').on(t.offerTokenHash),
  ],
)

/** "Can't go / didn't book" answers for the equity map: no personal data, only where and why. */
export const unmetDemand = pgTable(
  'unmet_demand',
  {
    id: id(),
    cityId: cityId(),
    opportunityId: ref('opportunity_id').notNull(),
    sessionId: ref('session_id'),
    reason: text('reason').$type<UnmetReason>().notNull(),
    districtId: ref('district_id'),
    createdAt: createdAt(),
  },
  (t) => [index('unmet_demand_city_district_idx').on(t.cityId, t.districtId, t.reason)],
)
