import ICAL from 'ical.js'
import { parseLocalDateTime } from './local.ts'
import { utcToZoned } from './zone.ts'

type Recur = InstanceType<typeof ICAL.Recur>
type Time = InstanceType<typeof ICAL.Time>

const RULE_PARTS = new Set([
  'FREQ',
  'UNTIL',
  'COUNT',
  'INTERVAL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
])
// Sub-daily frequencies: no learning session repeats hourly, and they multiply occurrence counts.
const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'])
const POSITIVE_INTEGER = /^[1-9]\d*$/

/** Checks the rule's text for what ical.js silently accepts: unknown or repeated parts, COUNT=0, INTERVAL=0. */
function textProblem(rrule: string): string | undefined {
  if (/^RRULE:/i.test(rrule)) return "give the RRULE value without the 'RRULE:' prefix"
  const parts = new Map<string, string>()
  for (const part of rrule.split(';')) {
    // A trailing ';' is common in exported feeds and harmless.
    if (part === '') continue
    const [key = '', value, ...rest] = part.split('=')
    const name = key.toUpperCase()
    if (!value || rest.length > 0) return `malformed rule part '${part}' (expected NAME=value)`
    if (!RULE_PARTS.has(name)) return `unknown rule part ${name}`
    if (parts.has(name)) return `rule part ${name} appears twice`
    parts.set(name, value)
  }
  const freq = parts.get('FREQ')
  if (!freq) return 'FREQ is required'
  if (!FREQUENCIES.has(freq.toUpperCase())) {
    return `FREQ=${freq} is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY`
  }
  for (const name of ['COUNT', 'INTERVAL']) {
    const value = parts.get(name)
    if (value !== undefined && !POSITIVE_INTEGER.test(value)) return `${name} must be a positive integer`
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) return 'COUNT and UNTIL cannot both be given (RFC 5545)'
  return undefined
}

/** Parses an RRULE value, returning the rule or a human-readable reason it is unusable. */
export function parseRrule(rrule: string): { recur: Recur } | { problem: string } {
  const problem = textProblem(rrule)
  if (problem) return { problem }
  try {
    return { recur: ICAL.Recur.fromString(rrule) }
  } catch (error) {
    return { problem: `invalid RRULE: ${(error as Error).message}` }
  }
}

/** Floating ical.js time for a local 'YYYY-MM-DDTHH:mm[:ss]' already known to be valid. */
export function floatingTime(local: string): Time {
  const t = parseLocalDateTime(local)!
  return ICAL.Time.fromData({ ...t, isDate: false })
}

/**
 * The rule's UNTIL as a floating local time in the schedule's zone, so it can be compared with the
 * floating occurrences: a UTC UNTIL is converted, and a DATE UNTIL includes its whole local day.
 */
export function localUntil(recur: Recur, timeZone: string): Time | null {
  const until = recur.until
  if (!until) return null
  if (until.isDate) {
    return ICAL.Time.fromData({
      year: until.year,
      month: until.month,
      day: until.day,
      hour: 23,
      minute: 59,
      second: 59,
    })
  }
  if (until.zone === ICAL.Timezone.utcTimezone) {
    return floatingTime(utcToZoned(new Date(until.toUnixTime() * 1000), timeZone))
  }
  return ICAL.Time.fromData({
    year: until.year,
    month: until.month,
    day: until.day,
    hour: until.hour,
    minute: until.minute,
    second: until.second,
  })
}

/**
 * Whether an occurrence really lies in the rule's BYMONTH and BYMONTHDAY sets: ical.js 2.2 lets
 * impossible days overflow (BYMONTH=2;BYMONTHDAY=30 yields 2 March), so its output is checked.
 */
export function satisfiesMonthParts(recur: Recur, t: Time): boolean {
  const { BYMONTH: months, BYMONTHDAY: days } = recur.parts
  if (months && !months.includes(t.month)) return false
  if (!days) return true
  const length = ICAL.Time.daysInMonth(t.month, t.year)
  return days.some((d) => (d > 0 ? d : length + d + 1) === t.day)
}
