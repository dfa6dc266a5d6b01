import ICAL from 'ical.js'
import { utcToZoned, zonedToUtc } from '../../../platform/time/index.ts'
import type { Directory } from './directory.ts'
import { hsdsId } from './ids.ts'
import type { ServiceSource } from './repository.ts'

type Json = Record<string, unknown>

/** UTC offset in hours at an instant: HSDS 3.0 writes a schedule's zone as one number. */
function offsetHours(instant: Date, timeZone: string): number {
  const local = utcToZoned(instant, timeZone)
  return Math.round((Date.parse(`${local}Z`) - Math.floor(instant.getTime() / 1000) * 1000) / 36_000) / 100
}

const FREQUENCIES = new Set(['WEEKLY', 'MONTHLY'])

/**
 * The opportunity's schedule as an HSDS schedule: weekly and monthly rules field by field (freq,
 * interval, byday, bymonthday, count, until), other rules in words only; opening and closing time,
 * the dates of the first and last session, and always the exact rule and zone in the description,
 * since HSDS 3.0's numeric `timezone` cannot say when daylight saving starts.
 */
export function scheduleOf(d: Directory, s: ServiceSource, owner: Json): Json[] {
  const schedule = s.schedule as { kind: string; start?: string; durationMinutes?: number; rrule?: string }
  if (schedule.kind === 'self-paced' || !schedule.start || !schedule.durationMinutes) return []
  const start = zonedToUtc(schedule.start, d.timeZone)
  const end = utcToZoned(new Date(start.getTime() + schedule.durationMinutes * 60_000), d.timeZone)
  const rule =
    schedule.kind === 'series' && schedule.rrule ? ICAL.Recur.fromString(schedule.rrule) : undefined
  const fields: Json = {
    // One schedule row per owner: the service's, and its service at location's.
    id: hsdsId(d.cityId, 'schedule', s.id, 'service_id' in owner ? 0 : 1),
    ...owner,
    dtstart: schedule.start.slice(0, 10),
    timezone: offsetHours(start, d.timeZone),
    opens_at: schedule.start.slice(11, 16),
    closes_at: end.slice(11, 16),
    attending_type: { 'in-person': 'in person', online: 'online', hybrid: 'in person or online' }[s.format],
    description: rule
      ? `RRULE:${schedule.rrule} from ${schedule.start} (${d.timeZone}), ${schedule.durationMinutes} minutes`
      : `Once, ${schedule.start} (${d.timeZone}), ${schedule.durationMinutes} minutes`,
  }
  if (s.firstStart) fields.valid_from = utcToZoned(new Date(s.firstStart), d.timeZone).slice(0, 10)
  if (s.lastEnd) fields.valid_to = utcToZoned(new Date(s.lastEnd), d.timeZone).slice(0, 10)
  if (!rule) {
    fields.count = 1
  } else if (FREQUENCIES.has(rule.freq)) {
    fields.freq = rule.freq
    if (rule.interval > 1) fields.interval = rule.interval
    const byday = rule.parts.BYDAY
    if (byday?.length) fields.byday = byday.join(',')
    const bymonthday = rule.parts.BYMONTHDAY
    if (bymonthday?.length) fields.bymonthday = bymonthday.join(',')
    if (rule.count) fields.count = rule.count
    if (rule.until) {
      const until = rule.until
      fields.until = `${until.year}-${String(until.month).padStart(2, '0')}-${String(until.day).padStart(2, '0')}`
    }
    const wkst = /WKST=(MO|TU|WE|TH|FR|SA|SU)/i.exec(schedule.rrule ?? '')?.[1]
    if (wkst) fields.wkst = wkst.toUpperCase()
  }
  return [fields]
}
