import { formatLocal, parseLocalDate, parseLocalDateTime, wallClockMs } from './local.ts'
import { floatingTime, localUntil, parseRrule, satisfiesMonthParts } from './rrule.ts'
import { isValidTimeZone, zonedToUtc } from './zone.ts'

/** When a learning opportunity takes place, in the local time of its zone. */
export interface Schedule {
  kind: 'once' | 'series' | 'self-paced'
  /** Local 'YYYY-MM-DDTHH:mm' (seconds optional); the first session of a series. */
  start?: string
  durationMinutes?: number
  /** RFC 5545 RRULE value without 'RRULE:', e.g. 'FREQ=WEEKLY;BYDAY=SA;COUNT=10'. */
  rrule?: string
  /** Extra sessions, as local date-times. */
  rdates?: string[]
  /** Cancelled sessions: local date-times, or dates 'YYYY-MM-DD' cancelling that whole local day. */
  exdates?: string[]
  /** IANA zone the local times are in. */
  timeZone: string
}

/** One materialised session. */
export interface Occurrence {
  start: Date
  end: Date
  /**
   * Local start 'YYYY-MM-DDTHH:mm' as the schedule names it. It identifies the session (exdates and
   * imported overrides match on it), so inside a DST gap it keeps the nominal 02:30 while `start`
   * is the real instant (03:30 local).
   */
  local: string
}

export interface ScheduleProblem {
  field: string
  message: string
}

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
const KINDS = new Set(['once', 'series', 'self-paced'])

const CHECKED_RULES = 20_000
const checkedRules = new Map<string, ScheduleProblem[]>()

/** Problems of a rule from a start in a zone; remembered, as a catalogue repeats the same few rules. */
function ruleProblems(rrule: string, start: string | undefined, timeZone: string): ScheduleProblem[] {
  const key = `${timeZone}\u0000${start ?? ''}\u0000${rrule}`
  const known = checkedRules.get(key)
  if (known) return known
  const problems: ScheduleProblem[] = []
  const parsed = parseRrule(rrule)
  if ('problem' in parsed) {
    problems.push({ field: 'rrule', message: parsed.problem })
  } else if (start) {
    const first = floatingTime(start)
    try {
      // ical.js checks combinations of BY parts (BYWEEKNO in a MONTHLY rule...) only when iterating.
      parsed.recur.iterator(first).next()
    } catch (error) {
      problems.push({ field: 'rrule', message: `invalid RRULE: ${(error as Error).message}` })
    }
    const until = localUntil(parsed.recur, isValidTimeZone(timeZone) ? timeZone : 'UTC')
    if (until && until.compare(first) < 0) {
      problems.push({ field: 'rrule', message: `UNTIL (${until.toString()}) is before start (${start})` })
    }
  }
  if (checkedRules.size >= CHECKED_RULES) checkedRules.clear()
  checkedRules.set(key, problems)
  return problems
}

/** Problems of the repeating parts of a series whose start, if any, is already checked. */
function seriesProblems(s: Schedule, startOk: boolean): ScheduleProblem[] {
  const problems: ScheduleProblem[] = []
  if (!s.rrule && !s.rdates?.length) {
    problems.push({ field: 'rrule', message: 'a series needs an rrule or at least one rdate' })
  }
  if (s.rrule) problems.push(...ruleProblems(s.rrule, startOk ? s.start : undefined, s.timeZone))
  s.rdates?.forEach((rdate, i) => {
    if (!parseLocalDateTime(rdate)) {
      problems.push({
        field: `rdates[${i}]`,
        message: `'${rdate}' is not a local date-time YYYY-MM-DDTHH:mm`,
      })
    }
  })
  s.exdates?.forEach((exdate, i) => {
    if (!parseLocalDateTime(exdate) && !parseLocalDate(exdate)) {
      const message = `'${exdate}' is neither a local date-time YYYY-MM-DDTHH:mm nor a date YYYY-MM-DD`
      problems.push({ field: `exdates[${i}]`, message })
    }
  })
  return problems
}

/** Lists what is wrong with a schedule, field by field; an empty list means it can be expanded. */
export function validateSchedule(s: Schedule): ScheduleProblem[] {
  const problems: ScheduleProblem[] = []
  if (!KINDS.has(s.kind)) {
    problems.push({ field: 'kind', message: `kind must be 'once', 'series' or 'self-paced'` })
  }
  if (!isValidTimeZone(s.timeZone)) {
    problems.push({ field: 'timeZone', message: `unknown time zone '${s.timeZone}' (expected an IANA name)` })
  }
  const timed = s.kind === 'once' || s.kind === 'series'
  let startOk = false
  if (timed && !s.start) {
    problems.push({ field: 'start', message: `start is required for a '${s.kind}' schedule` })
  } else if (s.start !== undefined) {
    startOk = parseLocalDateTime(s.start) !== undefined
    if (!startOk) {
      problems.push({
        field: 'start',
        message: `start '${s.start}' is not a local date-time YYYY-MM-DDTHH:mm`,
      })
    }
  }
  const minutes = s.durationMinutes
  if (timed && minutes === undefined) {
    problems.push({
      field: 'durationMinutes',
      message: `durationMinutes is required for a '${s.kind}' schedule`,
    })
  } else if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440)) {
    problems.push({ field: 'durationMinutes', message: 'durationMinutes must be an integer from 1 to 1440' })
  }
  if (s.kind === 'series') return [...problems, ...seriesProblems(s, startOk)]
  for (const field of ['rrule', 'rdates', 'exdates'] as const) {
    const value = s[field]
    if (value !== undefined && value.length > 0) {
      problems.push({ field, message: `only a series can have ${field}` })
    }
  }
  return problems
}

/** Tests a normalised local 'YYYY-MM-DDTHH:mm:ss' against the exdates (date-times or whole days). */
function exclusion(exdates: readonly string[]): (local: string) => boolean {
  const times = new Set<string>()
  const days = new Set<string>()
  for (const exdate of exdates) {
    const dateTime = parseLocalDateTime(exdate)
    if (dateTime) times.add(formatLocal(dateTime))
    else days.add(exdate)
  }
  return (local) => times.has(local) || days.has(local.slice(0, 10))
}

/** Local starts generated by the rule, in order, from the start up to a little past the window. */
function* ruleStarts(s: Schedule & { start: string; rrule: string }, window: { from: Date; to: Date }) {
  const { earliest, latest } = wallBounds(window)
  const remembered = rememberedStarts(s, earliest, latest)
  if (remembered) {
    for (let i = 0; i < remembered.walls.length; i++) {
      const wall = remembered.walls[i]!
      if (wall >= latest) return
      if (wall >= earliest) yield remembered.locals[i]!
    }
    return
  }
  for (const start of iterateRule(s, earliest, latest)) {
    if (start === 'reached') return
    yield start.local
  }
}

/**
 * Iterates the rule with ical.js: the starts whose wall clock lies in [earliest, latest), in order,
 * then 'reached' if the rule would go on past `latest` (nothing after the last start otherwise).
 */
function* iterateRule(s: Schedule & { start: string; rrule: string }, earliest: number, latest: number) {
  const parsed = parseRrule(s.rrule)
  if ('problem' in parsed) return
  const { recur } = parsed
  recur.until = localUntil(recur, s.timeZone)
  const iterator = recur.iterator(floatingTime(s.start))
  for (let t = iterator.next(); t; t = iterator.next()) {
    const wall = wallClockMs(t)
    if (wall >= latest) {
      yield 'reached' as const
      return
    }
    if (wall >= earliest && satisfiesMonthParts(recur, t)) yield { wall, local: formatLocal(t) }
  }
}

/**
 * Wall clock and instant differ by the zone offset (under 26 hours), so wall-clock bounds widened by
 * two days decide cheaply which occurrences are worth converting, and when to stop.
 */
function wallBounds(window: { from: Date; to: Date }) {
  return { earliest: window.from.getTime() - 2 * DAY_MS, latest: window.to.getTime() + 2 * DAY_MS }
}

/** What one rule generated from one start in one zone: its starts within [from, reached). */
interface RuleRun {
  from: number
  reached: number
  /** The rule ran out (COUNT or UNTIL) before `reached`: nothing lies beyond. */
  complete: boolean
  walls: number[]
  locals: string[]
}

const CACHED_RULES = 20_000
const CACHED_STARTS = 2_000
const ruleRuns = new Map<string, RuleRun>()

/**
 * The rule's starts from `earliest` to `latest`, computed once per rule, start and zone and then
 * remembered: a catalogue repeats the same few schedules (term dates, usual times) thousands of
 * times, and iterating a rule is the dearest part of expanding it. The result is exactly what
 * iterating would give; rules with more starts than are worth keeping are not remembered.
 */
function rememberedStarts(s: Schedule & { start: string; rrule: string }, earliest: number, latest: number) {
  const key = `${s.timeZone}\u0000${s.start}\u0000${s.rrule}`
  const known = ruleRuns.get(key)
  if (known && known.from <= earliest && (known.complete || known.reached >= latest)) return known
  const run: RuleRun = { from: earliest, reached: latest, complete: true, walls: [], locals: [] }
  for (const start of iterateRule(s, earliest, latest)) {
    if (start === 'reached') {
      run.complete = false
      break
    }
    if (run.walls.length >= CACHED_STARTS) return undefined
    run.walls.push(start.wall)
    run.locals.push(start.local)
  }
  if (ruleRuns.size >= CACHED_RULES) ruleRuns.clear()
  ruleRuns.set(key, run)
  return run
}

/**
 * The occurrences starting within [from, to), sorted and deduplicated, at most `limit`; throws a
 * RangeError for a schedule that validateSchedule rejects.
 */
export function expandSchedule(s: Schedule, window: { from: Date; to: Date }, limit = 1000): Occurrence[] {
  const problems = validateSchedule(s)
  if (problems.length > 0) {
    throw new RangeError(`Invalid schedule: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`)
  }
  return expandValidSchedule(s, window, limit)
}

/** expandSchedule for a schedule the caller has just checked with validateSchedule (and found no problem). */
export function expandValidSchedule(
  s: Schedule,
  window: { from: Date; to: Date },
  limit = 1000,
): Occurrence[] {
  if (s.kind === 'self-paced' || !s.start || limit < 1) return []
  const from = window.from.getTime()
  const to = window.to.getTime()
  const durationMs = (s.durationMinutes ?? 0) * MINUTE_MS
  const excluded = exclusion(s.exdates ?? [])
  // Keyed by instant: two local names for one instant (a DST-gap time and its shifted twin) are one session.
  const found = new Map<number, Occurrence>()
  const add = (local: string) => {
    if (excluded(local)) return
    const start = zonedToUtc(local, s.timeZone)
    const ms = start.getTime()
    if (ms < from || ms >= to || found.has(ms)) return
    found.set(ms, { start, end: new Date(ms + durationMs), local: local.slice(0, 16) })
  }
  const start = formatLocal(parseLocalDateTime(s.start)!)
  if (s.kind === 'series' && s.rrule) {
    // The rule comes first and stops at `limit`: the extra rdates below can only displace its later ones.
    for (const local of ruleStarts({ ...s, start, rrule: s.rrule }, window)) {
      add(local)
      if (found.size >= limit) break
    }
  } else {
    // Without a rule the start is still the first session, as DTSTART is in RFC 5545.
    add(start)
  }
  for (const rdate of s.rdates ?? []) add(formatLocal(parseLocalDateTime(rdate)!))
  return [...found.values()].sort((a, b) => a.start.getTime() - b.start.getTime()).slice(0, limit)
}
