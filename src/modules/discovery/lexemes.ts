/**
 * The filter and session lexemes of the search index (`o.search_filters`, lc_search_filters in
 * migration 0017; `o.search_sessions`, lc_search_sessions in migration 0031) and the conditions that
 * ask for them.
 */
import { type SQL, sql } from '../../platform/db/index.ts'
import { utcToZoned } from '../../platform/time/index.ts'
import { addDays, weekdayOf } from './date-window.ts'
import { TIMES_OF_DAY, type TimeOfDay, WEEKDAYS, type Weekday } from './filters.ts'

/**
 * The condition that `o.search_filters` (lexemes of the row's filter values, lc_search_filters in
 * migration 0017), or `o.search_sessions`, has any of the values with this prefix, or all of them.
 * The GIN index over the city, the words and these lexemes intersects every such condition in one
 * scan.
 */
export function hasLexemes(
  prefix: string,
  values: readonly string[],
  join: '|' | '&' = '|',
  column: 'search_filters' | 'search_sessions' = 'search_filters',
): SQL {
  // A quoted lexeme takes any character; quotes and backslashes inside are doubled.
  const quoted = values.map((v) => `'${`${prefix}${v}`.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`)
  return sql`${sql.raw(`o.${column}`)} @@ ${quoted.join(` ${join} `)}::tsquery`
}

/** The most local dates a span is looked up by in the index; a longer one by weekdays and times. */
const MAX_SLOT_DATES = 62

/** The local dates ('YYYY-MM-DD') a span of instants [from, to) touches in a zone, or null past the most. */
function localDates(span: { from: Date; to: Date }, timeZone: string): string[] | null {
  if (span.to <= span.from) return []
  const last = utcToZoned(new Date(span.to.getTime() - 1), timeZone).slice(0, 10)
  const dates: string[] = []
  for (let date = utcToZoned(span.from, timeZone).slice(0, 10); date <= last; date = addDays(date, 1)) {
    if (dates.length === MAX_SLOT_DATES) return null
    dates.push(date)
  }
  return dates
}

/**
 * The condition on `o.search_sessions` (lc_session_slots in migration 0031) that an opportunity
 * has a session on the local dates of the span (a short one; a long one, and none, by weekday), on
 * the days and at the times of day asked for. It holds for every opportunity with a session that
 * fits and may hold for a few more (sessions since passed, the span's first and last hours): the
 * search checks the sessions of what the index returns.
 */
export function hasSessionSlots(
  days: readonly Weekday[],
  times: readonly TimeOfDay[],
  span: { from: Date; to: Date } | null,
  timeZone: string,
): SQL {
  const isoDays = days.map((d) => WEEKDAYS.indexOf(d) + 1)
  const at = (slots: string[]) =>
    times.length === 0 ? slots : slots.flatMap((s) => times.map((t) => `${s}:${t}`))
  const dates = span ? localDates(span, timeZone) : null
  if (dates) {
    const kept = isoDays.length === 0 ? dates : dates.filter((d) => isoDays.includes(weekdayOf(d) + 1))
    return kept.length === 0 ? sql`false` : hasLexemes('date:', at(kept), '|', 'search_sessions')
  }
  if (isoDays.length > 0) return hasLexemes('dow:', at(isoDays.map(String)), '|', 'search_sessions')
  // Any time of day: any session to come.
  return hasLexemes('tod:', times.length > 0 ? times : TIMES_OF_DAY, '|', 'search_sessions')
}

/**
 * The largest number of grid cells a radius is looked up by; a wider circle takes coarser cells.
 * Each cell is one more term of the index lookup (cheap); each row in a cell outside the circle is
 * one more row read and turned away (dear), so finer cells pay.
 */
const MAX_CELLS = 48
const CELL_LEVELS = 7

/**
 * The grid cells of lc_search_filters that meet the ellipse around a circle (dLat, dLon: its half
 * height and width in degrees), at the finest size that needs at most MAX_CELLS of them, or null
 * when even the coarsest needs more. Cells of the surrounding box that the circle does not reach
 * (its corners) are left out.
 */
export function cellsAround(lat: number, lon: number, dLat: number, dLon: number): string[] | null {
  for (let k = 0; k < CELL_LEVELS; k++) {
    const size = 0.005 * 2 ** k
    // The same arithmetic as the SQL function (IEEE doubles), widened by a hair against rounding.
    const [r0, r1] = [Math.floor((lat - dLat) / size - 1e-9), Math.floor((lat + dLat) / size + 1e-9)]
    const [c0, c1] = [Math.floor((lon - dLon) / size - 1e-9), Math.floor((lon + dLon) / size + 1e-9)]
    // A first bound before the corners are cut: the ellipse covers π/4 of its box.
    if ((r1 - r0 + 1) * (c1 - c0 + 1) * 0.6 > MAX_CELLS) continue
    const cells: string[] = []
    for (let r = r0; r <= r1; r++)
      for (let c = c0; c <= c1; c++)
        if (meets(lat, lon, dLat, dLon, r * size, c * size, size)) cells.push(`${k}:${r}:${c}`)
    if (cells.length <= MAX_CELLS) return cells
  }
  return null
}

/**
 * Whether the cell with this south-west corner reaches into the ellipse, widened by 2 % (the
 * ellipse stands for a circle on the sphere; the exact distance is checked on each row after).
 */
function meets(
  lat: number,
  lon: number,
  dLat: number,
  dLon: number,
  south: number,
  west: number,
  size: number,
) {
  const nearestLat = Math.min(Math.max(lat, south), south + size)
  const nearestLon = Math.min(Math.max(lon, west), west + size)
  const y = (nearestLat - lat) / (dLat * 1.02)
  const x = (nearestLon - lon) / (dLon * 1.02)
  return x * x + y * y <= 1
}
