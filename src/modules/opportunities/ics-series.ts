import ICAL from 'ical.js'
import { utcToZoned, zonedToUtc } from '../../platform/time/index.ts'
import type { OpportunityRow, SessionRow } from './repository.ts'

type Time = InstanceType<typeof ICAL.Time>

/** The city's zone as its VTIMEZONE says it, so local times convert as a calendar reading ours would. */
export interface ZoneClock {
  timeZone: string
  zone: InstanceType<typeof ICAL.Timezone>
}

/** How an opportunity's sessions are written: one recurring event, its exceptions, and lone sessions. */
export interface Series {
  /** Local 'YYYY-MM-DDTHH:mm' times in the zone; absent when the schedule explains no session. */
  master?: { start: string; end: string; rrule?: string; rdates: string[]; exdates: string[] }
  /** Sessions of the series that moved or were cancelled, by the local start the rule gives them. */
  overrides: { recurrenceId: string; session: SessionRow }[]
  /** Sessions the schedule does not generate (kept from before an edit): events of their own. */
  single: SessionRow[]
}

/** Occurrences looked at, at most: years of a weekly class, far more than any calendar shows. */
const MAX_OCCURRENCES = 5000

const pad = (n: number) => String(n).padStart(2, '0')
const keyOf = (t: Time) => `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`

/** The schedule's exdates as a test on local starts: date-times exactly, plain dates the whole day. */
function excludedBy(exdates: readonly string[]) {
  const times = new Set(exdates.filter((e) => e.includes('T')).map((e) => e.slice(0, 16)))
  const days = new Set(exdates.filter((e) => !e.includes('T')))
  return (key: string) => times.has(key) || days.has(key.slice(0, 10))
}

/**
 * The rule as RFC 5545 wants it beside a DTSTART with TZID: UNTIL in UTC. A date UNTIL keeps its
 * whole local day and a floating one is read in the zone, as the schedule's expansion reads them.
 */
function ruleInUtc(rrule: string, timeZone: string): InstanceType<typeof ICAL.Recur> {
  const recur = ICAL.Recur.fromString(rrule)
  const until = recur.until
  if (until && until.zone !== ICAL.Timezone.utcTimezone) {
    const date = `${until.year}-${pad(until.month)}-${pad(until.day)}`
    const local = until.isDate
      ? `${date}T23:59:59`
      : `${date}T${pad(until.hour)}:${pad(until.minute)}:${pad(until.second)}`
    recur.until = ICAL.Time.fromJSDate(zonedToUtc(local, timeZone), true)
  }
  return recur
}

function localTime(key: string, clock: ZoneClock): Time {
  const [year, month, day, hour, minute] = key.split(/[-T:]/).map(Number)
  return ICAL.Time.fromData({ year, month, day, hour, minute, second: 0 }, clock.zone)
}

/** The occurrences a calendar program makes of the master event, by local start, with their instants. */
function* consumerOccurrences(master: NonNullable<Series['master']>, clock: ZoneClock) {
  const event = new ICAL.Component('vevent')
  const add = (name: string, key: string) =>
    event.addPropertyWithValue(name, localTime(key, clock)).setParameter('tzid', clock.timeZone)
  add('dtstart', master.start)
  add('dtend', master.end)
  if (master.rrule) event.addPropertyWithValue('rrule', ICAL.Recur.fromString(master.rrule))
  for (const rdate of master.rdates) add('rdate', rdate)
  const reader = new ICAL.Event(event)
  const iterator = reader.iterator()
  for (let i = 0, t = iterator.next(); t && i < MAX_OCCURRENCES; i++, t = iterator.next()) {
    const details = reader.getOccurrenceDetails(t)
    yield {
      key: keyOf(details.recurrenceId),
      start: details.startDate.toJSDate().getTime(),
      end: details.endDate.toJSDate().getTime(),
    }
  }
}

/**
 * Fits an opportunity's stored sessions to a recurring event: the schedule's start, rule and extra
 * dates make the master; what a calendar would generate from it but the opportunity does not hold
 * becomes an EXDATE, sessions whose times differ or that were cancelled become overrides, and
 * sessions the rule does not generate stand alone. A calendar program expanding the result sees
 * exactly the stored sessions. Published opportunities keep their rule open beyond the stored
 * sessions (the horizon job keeps adding them); others end with their last session.
 */
export function seriesOf(row: OpportunityRow, sessions: SessionRow[], clock?: ZoneClock): Series {
  const schedule = row.schedule
  const alone: Series = { overrides: [], single: sessions }
  if (!clock || sessions.length === 0 || schedule.kind === 'self-paced') return alone
  const { start: first, durationMinutes } = schedule
  if (!first || !durationMinutes) return alone
  const byLocal = new Map(sessions.map((s) => [s.localStart.slice(0, 16), s]))
  const lastStored = [...byLocal.keys()].sort().at(-1) ?? ''
  const isSeries = schedule.kind === 'series'
  const exdates = isSeries ? (schedule.exdates ?? []) : []
  const excluded = excludedBy(exdates)
  // Exdates beyond the stored sessions still have to reach the calendar.
  const lastExdate = exdates
    .map((e) => (e.includes('T') ? e.slice(0, 16) : `${e}T23:59`))
    .sort()
    .at(-1)
  const limit = lastExdate && lastExdate > lastStored ? lastExdate : lastStored
  const start = first.slice(0, 16)
  const startsAt = localTime(start, clock).toJSDate().getTime()
  const master: NonNullable<Series['master']> = {
    start,
    end: utcToZoned(new Date(startsAt + durationMinutes * 60_000), clock.timeZone).slice(0, 16),
    rdates: isSeries ? [...new Set((schedule.rdates ?? []).map((r) => r.slice(0, 16)))] : [],
    exdates: [],
  }
  if (isSeries && schedule.rrule) master.rrule = ruleInUtc(schedule.rrule, clock.timeZone).toString()
  const overrides: Series['overrides'] = []
  const used = new Set<number>()
  const seen = new Set<string>()
  let beyond = false
  let looked = 0
  let lastInstant = 0
  for (const o of consumerOccurrences(master, clock)) {
    looked++
    if (o.key > limit) {
      beyond = true
      break
    }
    if (seen.has(o.key)) continue
    seen.add(o.key)
    const stored = byLocal.get(o.key)
    if (!stored) {
      if (o.key <= lastStored || excluded(o.key)) master.exdates.push(o.key)
      continue
    }
    used.add(stored.id)
    lastInstant = Math.max(lastInstant, o.start, new Date(stored.startsAt).getTime())
    const moved =
      new Date(stored.startsAt).getTime() !== o.start || new Date(stored.endsAt).getTime() !== o.end
    if (stored.cancelled || moved) overrides.push({ recurrenceId: o.key, session: stored })
  }
  // A rule too long to check up to its last stored session: its sessions are written one by one.
  if (used.size === 0 || (!beyond && looked >= MAX_OCCURRENCES)) return alone
  if (beyond && master.rrule && row.status !== 'published') {
    // Nothing adds sessions to an opportunity no longer published: its series ends with what it has.
    const recur = ICAL.Recur.fromString(master.rrule)
    recur.count = null
    recur.until = ICAL.Time.fromJSDate(new Date(lastInstant), true)
    master.rrule = recur.toString()
  }
  return { master, overrides, single: sessions.filter((s) => !used.has(s.id)) }
}
