export type { Occurrence, Schedule, ScheduleProblem } from './schedule.ts'
export { expandSchedule, expandValidSchedule, validateSchedule } from './schedule.ts'
export { isValidTimeZone, utcToZoned, zonedToUtc } from './zone.ts'
