import ical, { ICalEventStatus, escape as icalEscape } from 'ical-generator'
import { translated } from '../../platform/i18n/index.ts'
import type { OpportunityRow, SessionRow } from './repository.ts'

export interface CalendarInput {
  opportunities: { row: OpportunityRow; sessions: SessionRow[]; url: string }[]
  calendarName: string
  lang: string
  fallbackLanguages: string[]
  timeZone: string
  host: string
}

const SEQUENCE_EPOCH_MS = Date.UTC(2020, 0, 1)

/** Seconds since 2020-01-01 at the last change, so SEQUENCE grows whenever the opportunity changes. */
function sequenceOf(updatedAt: Date): number {
  return Math.max(0, Math.floor((new Date(updatedAt).getTime() - SEQUENCE_EPOCH_MS) / 1000))
}

/** Where the event happens: the address, or 'Online' with the join link, plus coordinates when known. */
function locationOf(row: OpportunityRow) {
  const geo =
    row.lat !== null && row.lon !== null ? { lat: Number(row.lat), lon: Number(row.lon) } : undefined
  const online = row.joinUrl ? `Online: ${row.joinUrl}` : 'Online'
  const title = row.format !== 'online' && row.address ? row.address : online
  return geo && row.format !== 'online' ? { title, geo } : { title }
}

/** Renders opportunities' sessions as an RFC 5545 iCalendar feed (UTC instants, stable UIDs). */
export function opportunityCalendar(input: CalendarInput): string {
  // ical-generator writes NAME/X-WR-CALNAME without escaping, so the name goes through its escape().
  const calendar = ical({
    prodId: '//LearnCity//Learning opportunities//EN',
    name: icalEscape(input.calendarName, false),
  })
  // Not calendar.timezone(): without a VTIMEZONE generator it writes DTSTART in the server's local clock
  // under a TZID. x() escapes its value; the times themselves stay in UTC.
  calendar.x('X-WR-TIMEZONE', input.timeZone)
  for (const { row, sessions, url } of input.opportunities) {
    const summary = translated(row.title, input.lang, input.fallbackLanguages).text
    const text = translated(row.description, input.lang, input.fallbackLanguages).text
    const description = text ? `${text}\n${url}` : url
    const sequence = sequenceOf(row.updatedAt)
    for (const session of sessions) {
      const cancelled = session.cancelled || row.status === 'cancelled'
      calendar.createEvent({
        id: `session-${session.id}@${input.host}`,
        sequence,
        stamp: new Date(row.updatedAt),
        start: new Date(session.startsAt),
        end: new Date(session.endsAt),
        summary,
        description,
        url,
        location: locationOf(row),
        status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      })
    }
  }
  return calendar.toString()
}
