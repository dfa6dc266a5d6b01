import type { Module } from '../../platform/module.ts'

/** Bookings, waitlists and attendance for opportunity sessions. */
export const registrationsModule: Module = {
  name: 'registrations',
}
