/**
 * The span of time a search's date filters mean, on the city's wall clock: "this weekend" is
 * Saturday and Sunday there, whatever the server's zone and across daylight-saving changes.
 */
import { utcToZoned, zonedToUtc } from '../../platform/time/index.ts'
import { type Filters, MAX_RANGE_DAYS } from './filters.ts'

/** The local date 'YYYY-MM-DD' `days` after a local date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** The day of the week of a local date 'YYYY-MM-DD': 0 = Monday … 6 = Sunday. */
export const weekdayOf = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7

/** The instant a local date's day starts in a zone (midnight, or the first minute after a gap). */
const startOf = (date: string, timeZone: string) => zonedToUtc(`${date}T00:00`, timeZone)

/**
 * The span of time the date filters ask for, as instants: from `now` (never earlier: past sessions
 * are not offered) to the end of the last day asked for, on the city's wall clock. Null when no date
 * filter is set. "This weekend" is the coming Saturday and Sunday, or what is left of them when it
 * is the weekend already; "this week" runs to the end of Sunday.
 */
export function dateWindow(
  filters: Pick<Filters, 'when' | 'from' | 'to'>,
  now: Date,
  timeZone: string,
): { from: Date; to: Date } | null {
  const today = utcToZoned(now, timeZone).slice(0, 10)
  const weekday = weekdayOf(today)
  let first: string
  let last: string
  switch (filters.when) {
    case 'today':
      first = last = today
      break
    case 'tomorrow':
      first = last = addDays(today, 1)
      break
    case 'this-weekend':
      first = weekday >= 5 ? today : addDays(today, 5 - weekday)
      last = addDays(today, 6 - weekday)
      break
    case 'this-week':
      first = today
      last = addDays(today, 6 - weekday)
      break
    case 'next-7-days':
      first = today
      last = addDays(today, 6)
      break
    default:
      if (!filters.from && !filters.to) return null
      first = filters.from ?? today
      last = filters.to ?? addDays(first, MAX_RANGE_DAYS - 1)
  }
  const from = new Date(Math.max(now.getTime(), startOf(first, timeZone).getTime()))
  const to = startOf(addDays(last, 1), timeZone)
  return { from, to: to < from ? from : to }
}
