import ICAL from 'ical.js'
import { isValidTimeZone, zonedToUtc } from '../../../platform/time/index.ts'
import type { Occurrence } from './occurrences.ts'

type Component = InstanceType<typeof ICAL.Component>
type Time = InstanceType<typeof ICAL.Time>
type Period = InstanceType<typeof ICAL.Period>

/** One event of a calendar (a master VEVENT with its overrides) with the sessions it has. */
export interface CalendarEvent {
  uid: string
  title: string
  description: string
  location: string
  url: string | null
  geo: { lat: number; lon: number } | null
  /** Sessions within the window, sorted; overrides applied, cancelled ones dropped. */
  occurrences: Occurrence[]
  /** Whether the event repeats by a rule without end (its sessions stop at the window's end). */
  unbounded: boolean
  warnings: string[]
}

export interface CalendarRead {
  events: CalendarEvent[]
  /** Events that could not be read, with why (the rest are kept). */
  rejected: { uid: string; title: string; reason: string }[]
}

/** At most this many sessions are read per event (more is a data problem, reported). */
const OCCURRENCE_LIMIT = 2_000

/**
 * Reads an iCalendar file into events and their sessions between `window.from` and `window.to`:
 * RRULE, RDATE (date-times, dates and PERIODs, which keep their own end), EXDATE (a DATE exclusion
 * removes that whole day), RECURRENCE-ID overrides (moved or cancelled sessions). Times are
 * converted with the calendar's own VTIMEZONE when it has one for the TZID, else with the IANA zone
 * of that name; floating times are read in `defaultZone`. Throws SyntaxError-like errors only when
 * the file is not iCalendar at all.
 */
export function readCalendar(
  text: string,
  window: { from: Date; to: Date },
  defaultZone: string,
): CalendarRead {
  const root = new ICAL.Component(ICAL.parse(text.replace(/^\uFEFF/, '')))
  const calendars = root.name === 'vcalendar' ? [root] : root.getAllSubcomponents('vcalendar')
  if (calendars.length === 0) throw new Error('not an iCalendar file (no VCALENDAR)')
  const events: CalendarEvent[] = []
  const rejected: CalendarRead['rejected'] = []
  for (const calendar of calendars) {
    const wrZone = calendar.getFirstPropertyValue('x-wr-timezone')
    const floatingZone = typeof wrZone === 'string' && isValidTimeZone(wrZone) ? wrZone : defaultZone
    withZones(calendar, () => {
      const byUid = new Map<string, { master?: Component; overrides: Component[] }>()
      for (const vevent of calendar.getAllSubcomponents('vevent')) {
        const uid = String(vevent.getFirstPropertyValue('uid') ?? '').trim()
        if (!uid) {
          rejected.push({ uid: '', title: text1(vevent, 'summary'), reason: 'the event has no UID' })
          continue
        }
        const entry = byUid.get(uid) ?? { overrides: [] }
        if (vevent.hasProperty('recurrence-id')) entry.overrides.push(vevent)
        else entry.master = vevent
        byUid.set(uid, entry)
      }
      for (const [uid, entry] of byUid) {
        if (!entry.master) {
          // Overrides without their master: each is a session of its own.
          for (const o of entry.overrides) entry.master ??= o
          entry.overrides = entry.overrides.filter((o) => o !== entry.master)
        }
        try {
          events.push(readEvent(uid, entry.master!, entry.overrides, window, floatingZone))
        } catch (e) {
          rejected.push({ uid, title: text1(entry.master!, 'summary'), reason: (e as Error).message })
        }
      }
    })
  }
  return { events, rejected }
}

function text1(c: Component, name: string): string {
  const v = c.getFirstPropertyValue(name)
  return typeof v === 'string' ? v.trim() : ''
}

/**
 * Runs `work` with the calendar's VTIMEZONEs known to ical.js under their TZIDs, and puts back
 * whatever was registered before. Synchronous, so no other calendar can see them meanwhile.
 */
function withZones(calendar: Component, work: () => void) {
  const saved: [string, unknown][] = []
  const added: string[] = []
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtimezone.getFirstPropertyValue('tzid')
    // A VTIMEZONE without TZID or without rules (Zimbra writes such) is useless: skipped.
    if (typeof tzid !== 'string' || !tzid || vtimezone.getAllSubcomponents().length === 0) continue
    if (ICAL.TimezoneService.has(tzid)) saved.push([tzid, ICAL.TimezoneService.get(tzid)])
    ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone), tzid)
    added.push(tzid)
  }
  try {
    work()
  } finally {
    for (const tzid of added) ICAL.TimezoneService.remove(tzid)
    for (const [tzid, zone] of saved) ICAL.TimezoneService.register(zone as never, tzid)
  }
}

/** The instant of an ical.js time, by the rules in readCalendar's comment. */
function instant(t: Time, floatingZone: string): Date {
  if (t.zone === ICAL.Timezone.utcTimezone) return t.toJSDate()
  // ical.js keeps the TZID it could not resolve as an untyped `timezone` string.
  const tzid = (t as unknown as { timezone?: string }).timezone || t.zone?.tzid
  if (tzid && tzid !== 'floating' && ICAL.TimezoneService.has(tzid)) {
    const zoned = t.convertToZone(ICAL.Timezone.utcTimezone)
    return new Date(Date.UTC(zoned.year, zoned.month - 1, zoned.day, zoned.hour, zoned.minute, zoned.second))
  }
  const zone = tzid && tzid !== 'floating' && isValidTimeZone(tzid) ? tzid : floatingZone
  return zonedToUtc(localOf(t), zone)
}

function localOf(t: Time): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${t.year}-${p(t.month)}-${p(t.day)}T${p(t.hour)}:${p(t.minute)}:${p(t.second)}`
}

function readEvent(
  uid: string,
  master: Component,
  overrides: Component[],
  window: { from: Date; to: Date },
  floatingZone: string,
): CalendarEvent {
  const warnings: string[] = []
  const event = new ICAL.Event(master)
  for (const o of overrides) event.relateException(o)
  if (!master.hasProperty('dtstart')) throw new Error('the event has no DTSTART')
  const tzid = master.getFirstProperty('dtstart')?.getParameter('tzid')
  if (typeof tzid === 'string' && !ICAL.TimezoneService.has(tzid) && !isValidTimeZone(tzid))
    throw new Error(`unknown time zone "${tzid.slice(0, 60)}" and no VTIMEZONE for it`)
  const defaultMs = Math.max(0, event.duration.toSeconds() * 1000)
  const found = new Map<number, Occurrence>()
  const add = (start: Date, end: Date) => {
    if (end.getTime() <= window.from.getTime() || start.getTime() >= window.to.getTime()) return
    found.set(start.getTime(), { start, end: end.getTime() > start.getTime() ? end : start })
  }
  const unbounded =
    event.isRecurring() &&
    master.getAllProperties('rrule').some((p) => {
      const r = p.getFirstValue() as { count?: number | null; until?: unknown } | null
      return !r?.count && !r?.until
    })
  if (!event.isRecurring()) {
    if (!event.startDate) throw new Error('the event has no start')
    add(instant(event.startDate, floatingZone), instant(event.endDate ?? event.startDate, floatingZone))
  } else {
    const iterator = event.iterator()
    let steps = 0
    for (
      let next = iterator.next() as Time | Period | null;
      next;
      next = iterator.next() as Time | Period | null
    ) {
      if (++steps > OCCURRENCE_LIMIT * 5) break
      if (next instanceof ICAL.Period) {
        // An RDATE with a PERIOD value: its own start and end (ical.js cannot give details of it).
        const start = instant(next.start, floatingZone)
        const end = next.end
          ? instant(next.end, floatingZone)
          : new Date(start.getTime() + next.getDuration().toSeconds() * 1000)
        if (start.getTime() >= window.to.getTime() + 31 * 86400_000) break
        add(start, end)
        continue
      }
      const details = event.getOccurrenceDetails(next)
      const overridden = details.item !== event
      if (
        overridden &&
        String(details.item.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED'
      )
        continue
      const start = instant(details.startDate, floatingZone)
      const end = overridden ? instant(details.endDate, floatingZone) : new Date(start.getTime() + defaultMs)
      // Occurrences come in recurrence-id order; an override may move one before the window.
      if (instant(next, floatingZone).getTime() >= window.to.getTime() + 31 * 86400_000) break
      add(start, end)
      if (found.size > OCCURRENCE_LIMIT) {
        warnings.push(`more than ${OCCURRENCE_LIMIT} sessions in the window: only the first are kept`)
        break
      }
    }
  }
  const geo = master.getFirstPropertyValue('geo') as number[] | string | null
  const url = text1(master, 'url')
  return {
    uid,
    title: text1(master, 'summary'),
    description: text1(master, 'description'),
    location: text1(master, 'location'),
    url: /^https?:\/\//i.test(url) ? url : null,
    geo: Array.isArray(geo) && geo.length === 2 ? { lat: Number(geo[0]), lon: Number(geo[1]) } : null,
    occurrences: [...found.values()].sort((a, b) => a.start.getTime() - b.start.getTime()),
    unbounded,
    warnings,
  }
}
