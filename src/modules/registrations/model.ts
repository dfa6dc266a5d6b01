import { z } from 'zod'

/** How long a freed seat is held for the person it is offered to. */
export const OFFER_HOURS = 24
/** How long before a session its reminder email goes out. */
export const REMINDER_HOURS = 24

/**
 * confirmed → cancelled; waitlisted → offered (a seat freed) → confirmed (claimed) or expired
 * (not claimed in time); waitlisted or offered → cancelled.
 */
export const BOOKING_STATUSES = ['confirmed', 'waitlisted', 'offered', 'cancelled', 'expired'] as const
export type BookingStatus = (typeof BOOKING_STATUSES)[number]

/** States that hold a place (a seat, or a place in the queue). */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['confirmed', 'waitlisted', 'offered']

export const UNMET_REASONS = ['full', 'too-far', 'too-costly', 'wrong-time', 'not-my-language'] as const
export type UnmetReason = (typeof UNMET_REASONS)[number]

/** The booking form's choice: one session, or the whole series (guests' contact: `guestContact`). */
export const bookingForm = z.object({
  session: z.union([z.literal('all'), z.coerce.number().int().positive()]),
})
export type BookingForm = z.infer<typeof bookingForm>

export const guestContact = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
})

export const unmetForm = z.object({ reason: z.enum(UNMET_REASONS) })

/** Attendance form of one session: the ids of the people who came. */
export const attendanceForm = z.object({ attended: z.array(z.coerce.number().int().positive()) })

/** The most places a session can have (the same bound as an opportunity's capacity). */
export const MAX_CAPACITY = 100_000

/** Reads digits typed in Arabic-Indic, Persian or full-width form as 0–9 ("١٢" is 12). */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g, (d) => {
    const code = d.charCodeAt(0)
    const zero = code >= 0xff10 ? 0xff10 : code >= 0x06f0 ? 0x06f0 : 0x0660
    return String(code - zero)
  })
}

/**
 * A session's own number of places from the provider's form: a whole number from 1 to MAX_CAPACITY,
 * or empty for the opportunity's capacity (null). A number below the places already taken is
 * accepted: those bookings are kept, and newcomers wait.
 */
export const sessionCapacityForm = z.object({
  capacity: z
    .string()
    .max(20)
    .transform((s) => asciiDigits(s).trim())
    .pipe(z.union([z.literal(''), z.string().regex(/^[0-9]{1,6}$/)]))
    .transform((s) => (s === '' ? null : Number(s)))
    .pipe(z.number().int().min(1).max(MAX_CAPACITY).nullable()),
})
