import {
  expandValidSchedule,
  isValidTimeZone,
  utcToZoned,
  validateSchedule,
} from '../../../platform/time/index.ts'

/** One session of an outside opportunity: when it starts and ends (instants). */
export interface Occurrence {
  start: Date
  end: Date
}

/** An OpenActive / schema.org Schedule as feeds write it (every field optional: feeds vary). */
export interface OaSchedule {
  '@type'?: string
  startDate?: string
  endDate?: string
  startTime?: string
  endTime?: string
  duration?: string
  repeatFrequency?: string
  repeatCount?: number
  byDay?: string[] | string
  byMonth?: number[] | number
  byMonthDay?: number[] | number
  scheduleTimezone?: string
  exceptDate?: string[] | string
}

const DAYS: Record<string, string> = {
  monday: 'MO',
  tuesday: 'TU',
  wednesday: 'WE',
  thursday: 'TH',
  friday: 'FR',
  saturday: 'SA',
  sunday: 'SU',
}

const list = <T>(v: T[] | T | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** ISO 8601 durations of the time of day (PT1H30M), in minutes; null when unreadable. */
export function durationMinutes(value: string | undefined): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value ?? '')
  if (!m || value === 'P' || value === 'PT') return null
  return (
    Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Math.round(Number(m[4] ?? 0) / 60)
  )
}

/** repeatFrequency (P1D, P7D, P2W, P1M, P1Y) as RRULE FREQ and INTERVAL. */
function frequency(value: string): string | null {
  const m = /^P(\d+)([DWMY])$/.exec(value)
  if (!m) return null
  const n = Number(m[1])
  if (n < 1) return null
  if (m[2] === 'D') return n % 7 === 0 ? `FREQ=WEEKLY;INTERVAL=${n / 7}` : `FREQ=DAILY;INTERVAL=${n}`
  return `FREQ=${{ W: 'WEEKLY', M: 'MONTHLY', Y: 'YEARLY' }[m[2]!]};INTERVAL=${n}`
}

/** A schema.org day (https://schema.org/Monday) or an iCal BYDAY value (MO, 1TU, -1FR) as BYDAY. */
function byDay(value: string): string | null {
  const name = value.replace(/^https?:\/\/schema\.org\//i, '').toLowerCase()
  if (DAYS[name]) return DAYS[name]
  return /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/i.test(value) ? value.toUpperCase() : null
}

const hhmm = (v: string | undefined) => (v && /^\d{2}:\d{2}(:\d{2})?$/.test(v) ? v.slice(0, 5) : null)

export interface Expanded {
  occurrences: Occurrence[]
  warnings: string[]
}

/**
 * The sessions of a repeating OpenActive Schedule (never a PartialSchedule, which only describes):
 * repeatFrequency, byDay, byMonth, byMonthDay, repeatCount and endDate (the last day sessions may
 * start on, inclusive) in scheduleTimezone, from startDate/startTime, up to `until` for rules without
 * end. exceptDate removes a session starting at that instant; when it matches none, a session on the
 * same local date is removed instead and a warning says so (publishers often write the local time
 * as if it were UTC). Returns a problem string when the schedule cannot be expanded.
 */
export function expandOaSchedule(s: OaSchedule, until: Date): Expanded | { problem: string } {
  const zone = s.scheduleTimezone ?? ''
  if (!isValidTimeZone(zone))
    return { problem: `the schedule's time zone "${zone.slice(0, 60)}" is not an IANA zone` }
  const startDate = /^\d{4}-\d{2}-\d{2}/.exec(s.startDate ?? '')?.[0]
  const startTime = hhmm(s.startTime)
  if (!startDate || !startTime) return { problem: 'the schedule needs a startDate and a startTime' }
  // Without repeatFrequency, days of the week mean weekly and days of the month monthly (as in
  // real feeds that leave it out).
  const implied = s.repeatFrequency
    ? s.repeatFrequency
    : list(s.byDay).length
      ? 'P1W'
      : list(s.byMonthDay).length
        ? 'P1M'
        : ''
  const freq = frequency(implied)
  if (!freq)
    return {
      problem: `repeatFrequency "${String(s.repeatFrequency ?? '').slice(0, 20)}" is not P1D, P1W, P1M or the like`,
    }
  let minutes = durationMinutes(s.duration)
  const endTime = hhmm(s.endTime)
  if (minutes === null && endTime) {
    const [sh, sm] = startTime.split(':').map(Number)
    const [eh, em] = endTime.split(':').map(Number)
    minutes = (eh! * 60 + em! - (sh! * 60 + sm!) + 1440) % 1440 || 1440
  }
  if (minutes === null || minutes < 1 || minutes > 1440)
    return { problem: 'the schedule needs a duration or an endTime (sessions of up to one day)' }
  const parts = [freq]
  const days = list(s.byDay).map((d) => byDay(String(d)))
  if (days.includes(null))
    return { problem: `byDay has a value that is not a day: ${JSON.stringify(s.byDay).slice(0, 80)}` }
  if (days.length) parts.push(`BYDAY=${days.join(',')}`)
  const months = list(s.byMonth).map(Number)
  if (months.length) parts.push(`BYMONTH=${months.join(',')}`)
  const monthDays = list(s.byMonthDay).map(Number)
  if (monthDays.length) parts.push(`BYMONTHDAY=${monthDays.join(',')}`)
  if (s.repeatCount !== undefined) {
    if (!Number.isInteger(s.repeatCount) || s.repeatCount < 1)
      return { problem: 'repeatCount must be a positive whole number' }
    parts.push(`COUNT=${s.repeatCount}`)
  }
  const endDate = /^\d{4}-\d{2}-\d{2}/.exec(s.endDate ?? '')?.[0]
  // RRULE allows COUNT or UNTIL; a Schedule may give both, and both then bound it.
  if (endDate && s.repeatCount === undefined) parts.push(`UNTIL=${endDate.replace(/-/g, '')}T235959`)
  const schedule = {
    kind: 'series' as const,
    start: `${startDate}T${startTime}`,
    durationMinutes: minutes,
    rrule: parts.join(';'),
    timeZone: zone,
  }
  const problems = validateSchedule(schedule)
  if (problems.length) return { problem: problems.map((p) => `${p.field}: ${p.message}`).join('; ') }
  // Two days of slack before the start: the wall clock and the instant differ by the zone's offset.
  const from = new Date(Date.parse(`${startDate}T00:00:00Z`) - 2 * 86400_000)
  let occurrences: Occurrence[] = expandValidSchedule(schedule, { from, to: until }, 10_000).map((o) => ({
    start: o.start,
    end: o.end,
  }))
  if (endDate && s.repeatCount !== undefined)
    occurrences = occurrences.filter((o) => utcToZoned(o.start, zone).slice(0, 10) <= endDate)
  const warnings: string[] = []
  for (const except of list(s.exceptDate).map(String)) {
    const at = Date.parse(except)
    const exact = /T\d{2}:\d{2}/.test(except) && occurrences.some((o) => o.start.getTime() === at)
    if (exact) {
      occurrences = occurrences.filter((o) => o.start.getTime() !== at)
      continue
    }
    const day =
      /T\d{2}:\d{2}/.test(except) && !Number.isNaN(at)
        ? utcToZoned(new Date(at), zone).slice(0, 10)
        : except.slice(0, 10)
    const before = occurrences.length
    occurrences = occurrences.filter((o) => utcToZoned(o.start, zone).slice(0, 10) !== day)
    if (occurrences.length < before && /T\d{2}:\d{2}/.test(except))
      warnings.push(
        `exceptDate ${except} matches no session exactly: the session on ${day} (local) is removed`,
      )
    else if (occurrences.length === before) warnings.push(`exceptDate ${except} matches no session`)
  }
  return { occurrences, warnings }
}
