export {
  BOOKING_STATUSES,
  type BookingStatus,
  OFFER_HOURS,
  REMINDER_HOURS,
  UNMET_REASONS,
  type UnmetReason,
} from './model.ts'
export { registrationsModule } from './module.ts'
export { bookPlaces, cancelPlace, claimOffer } from './registrations.ts'
export { hasSeatLeft, seatsLeft, unmetDemandByDistrict } from './repository.ts'
