import { formatLocal, type LocalDateTime, parseLocalDateTime, wallClockMs } from './local.ts'

const DAY_MS = 86_400_000

// Building a DateTimeFormat costs far more than using one; schedules convert hundreds of times per zone.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23: some ICU versions print midnight as '24' with hour12: false.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The wall-clock fields shown in a zone at an instant (milliseconds dropped). */
function wallClockAt(instantMs: number, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value)
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 0,
    day: fields.day ?? 0,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  }
}

/** UTC offset of the zone at an instant, asking Intl (slow: a formatToParts call). */
function exactOffsetAt(instantMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000
  return wallClockMs(wallClockAt(wholeSecond, timeZone)) - wholeSecond
}

const HOUR_MS = 3_600_000
const CACHED_HOURS = 100_000
/** Per zone: the offset in force through a whole UTC hour, or NaN when the offset changes within it. */
const hourOffsets = new Map<string, Map<number, number>>()

/**
 * UTC offset of the zone at an instant, in milliseconds (east of Greenwich is positive). An hour
 * whose first and last second have the same offset has it throughout (no zone changes its offset
 * twice within an hour), so that offset is remembered for the hour; hours with a transition are
 * always asked exactly. Expanding thousands of schedules then costs map lookups, not Intl calls.
 */
function offsetAt(instantMs: number, timeZone: string): number {
  const hour = Math.floor(instantMs / HOUR_MS)
  let zone = hourOffsets.get(timeZone)
  if (!zone) {
    zone = new Map()
    hourOffsets.set(timeZone, zone)
  }
  let offset = zone.get(hour)
  if (offset === undefined) {
    const first = exactOffsetAt(hour * HOUR_MS, timeZone)
    const last = exactOffsetAt((hour + 1) * HOUR_MS - 1000, timeZone)
    offset = first === last ? first : Number.NaN
    if (zone.size >= CACHED_HOURS) zone.clear()
    zone.set(hour, offset)
  }
  return Number.isNaN(offset) ? exactOffsetAt(instantMs, timeZone) : offset
}

/** Wall-clock fields of an instant in a zone, through the offset (whole seconds). */
function wallAt(instantMs: number, timeZone: string): LocalDateTime {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000
  const d = new Date(wholeSecond + offsetAt(wholeSecond, timeZone))
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  }
}

/**
 * Converts a wall-clock 'YYYY-MM-DDTHH:mm[:ss]' in an IANA zone to its UTC instant, resolving DST
 * gaps and overlaps as RFC 5545 §3.3.5 does.
 */
export function zonedToUtc(local: string, timeZone: string): Date {
  const fields = parseLocalDateTime(local)
  if (!fields) throw new RangeError(`Invalid local date-time: ${local}`)
  const wall = wallClockMs(fields)
  // The usual "guess the offset, then correct it twice" loop lands on the later instant of a
  // fall-back overlap in zones east of UTC (Europe/Paris) and walks backwards out of a spring-forward
  // gap in zones west of it (America/Chicago). The offsets a day either side bracket any transition
  // near this wall clock instead, and each candidate is checked against what the zone really shows.
  const before = offsetAt(wall - DAY_MS, timeZone)
  const after = offsetAt(wall + DAY_MS, timeZone)
  if (before === after) return new Date(wall - before)
  const matches = [wall - before, wall - after].filter(
    (instant) => wallClockMs(wallAt(instant, timeZone)) === wall,
  )
  // Overlap: the first occurrence, i.e. the earlier instant. Gap: the offset in force before the
  // gap, which moves the time forward by the length of the gap (02:30 becomes 03:30).
  return new Date(matches.length > 0 ? Math.min(...matches) : wall - before)
}

/** The wall-clock 'YYYY-MM-DDTHH:mm:ss' shown in an IANA zone at an instant. */
export function utcToZoned(date: Date, timeZone: string): string {
  const ms = date.getTime()
  if (Number.isNaN(ms)) throw new RangeError('Invalid date')
  const fields = wallAt(ms, timeZone)
  if (fields.year < 1 || fields.year > 9999) throw new RangeError(`Date out of range: ${date.toISOString()}`)
  return formatLocal(fields)
}

/** Whether the runtime knows this IANA time-zone name (aliases such as 'UTC' included). */
export function isValidTimeZone(tz: string): boolean {
  // Intl also accepts fixed offsets such as '+05:00', which are not IANA zones and carry no DST rules.
  if (typeof tz !== 'string' || tz === '' || /^[+-]/.test(tz)) return false
  try {
    formatterFor(tz)
    return true
  } catch {
    return false
  }
}
