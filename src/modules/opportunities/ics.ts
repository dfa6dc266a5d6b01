import ICAL from 'ical.js'
import { tzlib_get_ical_block } from 'timezones-ical-library'
import { translated } from '../../platform/i18n/index.ts'
import { utcToZoned } from '../../platform/time/index.ts'
import { type Series, seriesOf, type ZoneClock } from './ics-series.ts'
import type { OpportunityRow, SessionRow } from './repository.ts'

export interface CalendarInput {
  /** `revision` grows with every change of the opportunity or its sessions (it is the SEQUENCE). */
  opportunities: { row: OpportunityRow; sessions: SessionRow[]; revision: number; url: string }[]
  calendarName: string
  lang: string
  fallbackLanguages: string[]
  timeZone: string
  host: string
}

type Component = InstanceType<typeof ICAL.Component>
type Time = InstanceType<typeof ICAL.Time>

const zones = new Map<string, { block: string; clock: ZoneClock } | null>()

/** The zone's VTIMEZONE (from timezones-ical-library) and a clock reading local times through it. */
function zoneOf(timeZone: string) {
  if (!zones.has(timeZone)) {
    const found = tzlib_get_ical_block(timeZone)
    const block = Array.isArray(found) ? found[0] : undefined
    if (!block) zones.set(timeZone, null)
    else {
      const zone = new ICAL.Timezone(ICAL.Component.fromString(block))
      zones.set(timeZone, { block, clock: { timeZone, zone } })
    }
  }
  return zones.get(timeZone) ?? undefined
}

/** A local 'YYYY-MM-DDTHH:mm' as an ical.js time in the zone. */
function localTime(local: string, clock: ZoneClock): Time {
  const [date = '', time = ''] = local.split('T')
  const [year, month, day] = date.split('-').map(Number)
  const [hour, minute] = time.split(':').map(Number)
  return ICAL.Time.fromData({ year, month, day, hour, minute, second: 0 }, clock.zone)
}

/** DTSTART and the like: the local time under TZID, or UTC when the zone has no VTIMEZONE. */
function addTime(event: Component, name: string, at: Date | string, clock: ZoneClock | undefined) {
  if (!clock) {
    const instant = typeof at === 'string' ? new Date(at) : at
    event.addPropertyWithValue(name, ICAL.Time.fromJSDate(instant, true))
    return
  }
  const local = typeof at === 'string' ? at : utcToZoned(at, clock.timeZone).slice(0, 16)
  event.addPropertyWithValue(name, localTime(local, clock)).setParameter('tzid', clock.timeZone)
}

/** EXDATE or RDATE with every local time of the list in one property. */
function addTimes(event: Component, name: string, locals: string[], clock: ZoneClock) {
  if (locals.length === 0) return
  const property = new ICAL.Property(name)
  property.setValues(locals.map((l) => localTime(l, clock)))
  property.setParameter('tzid', clock.timeZone)
  event.addProperty(property)
}

interface Describe {
  uid: string
  sequence: number
  stamp: Date
  summary: string
  description: string
  url: string
  row: OpportunityRow
}

/** The properties every VEVENT of an opportunity shares: what, where, which version. */
function describe(event: Component, d: Describe) {
  event.addPropertyWithValue('uid', d.uid)
  event.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(d.stamp, true))
  event.addPropertyWithValue('last-modified', ICAL.Time.fromJSDate(d.stamp, true))
  event.addPropertyWithValue('sequence', d.sequence)
  event.addPropertyWithValue('summary', d.summary)
  event.addPropertyWithValue('description', d.description)
  event.addPropertyWithValue('url', d.url)
  const { row } = d
  const online = row.joinUrl ? `Online: ${row.joinUrl}` : 'Online'
  event.addPropertyWithValue('location', row.format !== 'online' && row.address ? row.address : online)
  if (row.format !== 'online' && row.lat !== null && row.lon !== null) {
    event.addPropertyWithValue('geo', [Number(row.lat), Number(row.lon)])
  }
}

/** A TEXT property ical.js does not know (RFC 7986 NAME, X-WR-…): typed so its value is escaped. */
function addText(component: Component, name: string, value: string) {
  const property = new ICAL.Property(name)
  property.resetType('text')
  property.setValue(value)
  component.addProperty(property)
}

function status(cancelled: boolean) {
  return cancelled ? 'CANCELLED' : 'CONFIRMED'
}

/** The VEVENTs of one opportunity: its series (master, moved and cancelled ones) and lone sessions. */
function eventsOf(series: Series, d: Omit<Describe, 'uid'>, host: string, clock: ZoneClock | undefined) {
  const events: Component[] = []
  const master = series.master
  if (master && clock) {
    const uid = `opportunity-${d.row.id}@${host}`
    const event = new ICAL.Component('vevent')
    describe(event, { ...d, uid })
    addTime(event, 'dtstart', master.start, clock)
    addTime(event, 'dtend', master.end, clock)
    if (master.rrule) event.addPropertyWithValue('rrule', ICAL.Recur.fromString(master.rrule))
    addTimes(event, 'rdate', master.rdates, clock)
    addTimes(event, 'exdate', master.exdates, clock)
    event.addPropertyWithValue('status', status(false))
    events.push(event)
    for (const o of series.overrides) {
      const override = new ICAL.Component('vevent')
      describe(override, { ...d, uid })
      addTime(override, 'recurrence-id', o.recurrenceId, clock)
      addTime(override, 'dtstart', new Date(o.session.startsAt), clock)
      addTime(override, 'dtend', new Date(o.session.endsAt), clock)
      override.addPropertyWithValue('status', status(o.session.cancelled))
      events.push(override)
    }
  }
  for (const session of series.single) {
    const event = new ICAL.Component('vevent')
    describe(event, { ...d, uid: `session-${session.id}@${host}` })
    addTime(event, 'dtstart', new Date(session.startsAt), clock)
    addTime(event, 'dtend', new Date(session.endsAt), clock)
    event.addPropertyWithValue('status', status(session.cancelled))
    events.push(event)
  }
  return events
}

/**
 * Renders opportunities' sessions as an RFC 5545 iCalendar feed: a VTIMEZONE for the city's zone,
 * one recurring VEVENT per opportunity whose sessions its schedule explains (RRULE, RDATE, EXDATE,
 * with overrides for moved or cancelled sessions), stable UIDs and a SEQUENCE that grows with
 * every change.
 */
export function opportunityCalendar(input: CalendarInput): string {
  // Content lines are at most 75 octets: ical.js counts the folded part without its leading space.
  ICAL.foldLength = 74
  const zone = zoneOf(input.timeZone)
  const clock = zone?.clock
  const calendar = new ICAL.Component('vcalendar')
  calendar.addPropertyWithValue('version', '2.0')
  calendar.addPropertyWithValue('prodid', '-//LearnCity//Learning opportunities//EN')
  calendar.addPropertyWithValue('calscale', 'GREGORIAN')
  calendar.addPropertyWithValue('method', 'PUBLISH')
  for (const name of ['name', 'x-wr-calname']) addText(calendar, name, input.calendarName)
  addText(calendar, 'x-wr-timezone', input.timeZone)
  if (zone) calendar.addSubcomponent(ICAL.Component.fromString(zone.block))
  for (const { row, sessions, revision, url } of input.opportunities) {
    const summary = translated(row.title, input.lang, input.fallbackLanguages).text
    const text = translated(row.description, input.lang, input.fallbackLanguages).text
    const series = seriesOf(row, sessions, clock)
    const d = {
      sequence: revision,
      stamp: new Date(row.updatedAt),
      summary,
      description: text ? `${text}\n${url}` : url,
      url,
      row,
    }
    for (const event of eventsOf(series, d, input.host, clock)) calendar.addSubcomponent(event)
  }
  return `${calendar.toString()}\r\n`
}
