/** Wall-clock fields of a local ('floating') date-time, with no zone attached. */
export interface LocalDateTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Days in a month of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0
}

function validDate(year: number, month: number, day: number): boolean {
  // Year 0 and below would need era handling in Intl output; no schedule needs them.
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** Parses 'YYYY-MM-DDTHH:mm' or 'YYYY-MM-DDTHH:mm:ss', rejecting impossible dates and times. */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const m = DATE_TIME.exec(text)
  if (!m) return undefined
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m
    .slice(1)
    .map((v) => Number(v ?? 0))
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined
  return { year, month, day, hour, minute, second }
}

/** Parses a calendar date 'YYYY-MM-DD' as local midnight. */
export function parseLocalDate(text: string): LocalDateTime | undefined {
  const m = DATE.exec(text)
  if (!m) return undefined
  const [year = 0, month = 0, day = 0] = m.slice(1).map(Number)
  if (!validDate(year, month, day)) return undefined
  return { year, month, day, hour: 0, minute: 0, second: 0 }
}

/** Milliseconds of the wall-clock fields read as if they were UTC: a zone-free, sortable number. */
export function wallClockMs(t: LocalDateTime): number {
  const d = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  d.setUTCFullYear(t.year, t.month - 1, t.day)
  d.setUTCHours(t.hour, t.minute, t.second, 0)
  return d.getTime()
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** Formats wall-clock fields as 'YYYY-MM-DDTHH:mm:ss' (or without seconds). */
export function formatLocal(t: LocalDateTime, seconds = true): string {
  const date = `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`
  const time = `${pad(t.hour)}:${pad(t.minute)}`
  return seconds ? `${date}T${time}:${pad(t.second)}` : `${date}T${time}`
}
