import { translated } from '../../platform/i18n/index.ts'
import { utcToZoned } from '../../platform/time/index.ts'
import { type AddressParts, postalAddress } from '../cities/index.ts'
import type { OpportunityRow, SessionRow } from './repository.ts'

export interface JsonLdInput {
  row: OpportunityRow
  sessions: SessionRow[]
  url: string
  lang: string
  fallbackLanguages: string[]
  organizer: { name: string; url: string }
  timeZone: string
  /** Sessions that ended before this instant are left out (defaults to the current time). */
  now?: Date
  /** The venue the opportunity is held at, with its address in parts (PostalAddress fields). */
  venue?: { address: string } & Partial<AddressParts>
}

const MAX_INSTANCES = 20
const COURSE_MODES: Record<string, string> = { 'in-person': 'onsite', online: 'online', hybrid: 'blended' }
const ATTENDANCE: Record<string, string> = {
  'in-person': 'https://schema.org/OfflineEventAttendanceMode',
  online: 'https://schema.org/OnlineEventAttendanceMode',
  hybrid: 'https://schema.org/MixedEventAttendanceMode',
}

/** Whether the session takes place, for Event's eventStatus. */
const statusOf = (row: OpportunityRow, cancelled: boolean) =>
  cancelled || row.status === 'cancelled'
    ? 'https://schema.org/EventCancelled'
    : 'https://schema.org/EventScheduled'

const pad = (n: number) => String(n).padStart(2, '0')

/** ISO 8601 with the zone's UTC offset at that instant, e.g. 2027-10-02T10:00:00-05:00. */
export function isoWithOffset(date: Date, timeZone: string): string {
  const local = utcToZoned(date, timeZone)
  const wholeSecond = Math.floor(date.getTime() / 1000) * 1000
  const offsetMinutes = Math.round((Date.parse(`${local}Z`) - wholeSecond) / 60_000)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** Place and/or VirtualLocation for the opportunity's format (an array for hybrid). */
function locationOf(row: OpportunityRow, pageUrl: string, venue?: JsonLdInput['venue']): unknown {
  // The venue's parts when the opportunity is at its address, else the opportunity's own one line.
  const parts = venue && venue.address === row.address ? venue : undefined
  const place =
    row.format !== 'online' && row.address
      ? {
          '@type': 'Place',
          name: row.address,
          address: postalAddress({ ...parts, address: row.address }),
          ...(row.lat !== null && row.lon !== null
            ? { geo: { '@type': 'GeoCoordinates', latitude: Number(row.lat), longitude: Number(row.lon) } }
            : {}),
        }
      : undefined
  const virtual =
    row.format !== 'in-person' ? { '@type': 'VirtualLocation', url: row.joinUrl ?? pageUrl } : undefined
  const both = [place, virtual].filter((l) => l !== undefined)
  return both.length > 1 ? both : both[0]
}

/** The CourseInstances: one per upcoming session, or a single undated online one when self-paced. */
function instancesOf(input: JsonLdInput): Record<string, unknown>[] {
  const { row, timeZone } = input
  if (row.schedule.kind === 'self-paced') return [{ '@type': 'CourseInstance', courseMode: 'online' }]
  const now = (input.now ?? new Date()).getTime()
  const location = locationOf(row, input.url, input.venue)
  return input.sessions
    .filter((s) => !s.cancelled && new Date(s.endsAt).getTime() >= now)
    .sort((a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime())
    .slice(0, MAX_INSTANCES)
    .map((s) => ({
      '@type': 'CourseInstance',
      courseMode: COURSE_MODES[row.format] ?? 'onsite',
      startDate: isoWithOffset(new Date(s.startsAt), timeZone),
      endDate: isoWithOffset(new Date(s.endsAt), timeZone),
      eventAttendanceMode: ATTENDANCE[row.format] ?? ATTENDANCE['in-person'],
      eventStatus: statusOf(row, false),
      ...(location ? { location } : {}),
    }))
}

/**
 * Builds the schema.org JSON-LD of one opportunity page: an EducationEvent for a one-off session,
 * a Course with its CourseInstances (one per upcoming session) otherwise.
 */
export function opportunityJsonLd(input: JsonLdInput): Record<string, unknown> {
  const { row, url, lang, fallbackLanguages } = input
  const text = (field: OpportunityRow['title']) => translated(field, lang, fallbackLanguages).text
  const outcomes = text(row.outcomes)
  const hasAge = row.ageMin !== null || row.ageMax !== null
  const organization = { '@type': 'Organization', name: input.organizer.name, url: input.organizer.url }
  const common = {
    '@context': 'https://schema.org',
    name: text(row.title),
    description: text(row.description),
    url,
    inLanguage: row.languages,
    ...(outcomes ? { teaches: outcomes } : {}),
    ...(hasAge
      ? {
          audience: {
            '@type': 'PeopleAudience',
            ...(row.ageMin !== null ? { suggestedMinAge: row.ageMin } : {}),
            ...(row.ageMax !== null ? { suggestedMaxAge: row.ageMax } : {}),
          },
        }
      : {}),
    ...(row.imageUrl
      ? {
          image: {
            '@type': 'ImageObject',
            contentUrl: new URL(row.imageUrl, new URL(url).origin).href,
            description: text(row.imageAlt),
          },
        }
      : {}),
    isAccessibleForFree: row.free,
    offers: {
      '@type': 'Offer',
      price: row.free ? 0 : Number(row.price ?? 0),
      priceCurrency: row.currency,
      category: row.free ? 'Free' : 'Paid',
      url,
    },
  }
  const session = row.schedule.kind === 'once' ? input.sessions[0] : undefined
  if (session) {
    const location = locationOf(row, url, input.venue)
    return {
      ...common,
      '@type': 'EducationEvent',
      organizer: organization,
      startDate: isoWithOffset(new Date(session.startsAt), input.timeZone),
      endDate: isoWithOffset(new Date(session.endsAt), input.timeZone),
      eventStatus: statusOf(row, session.cancelled),
      eventAttendanceMode: ATTENDANCE[row.format] ?? ATTENDANCE['in-person'],
      ...(location ? { location } : {}),
    }
  }
  const instances = instancesOf(input)
  return {
    ...common,
    '@type': 'Course',
    provider: organization,
    ...(row.topics.length > 0 ? { keywords: row.topics.join(', ') } : {}),
    about: row.buildingBlock,
    ...(instances.length > 0 ? { hasCourseInstance: instances } : {}),
  }
}

/** JSON text safe inside a <script type="application/ld+json"> element (no '</script>' break-out). */
export function jsonLdScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}
