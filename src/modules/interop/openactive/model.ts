/**
 * Our opportunities in the OpenActive Modelling Specification 2.0: SessionSeries (with their
 * ScheduledSessions in a split feed) and CourseInstance, for the opportunities whose topics name an
 * activity of the OpenActive Activity List. Which opportunities go where is `openActiveKind`.
 */
import ICAL from 'ical.js'
import { translated } from '../../../platform/i18n/index.ts'
import { utcToZoned, zonedToUtc } from '../../../platform/time/index.ts'
import type { OpportunitySource, SessionSource } from '../rpde/sources.ts'
import { ACTIVITY_LIST, activitiesOf } from './activities.ts'

export const OPENACTIVE_CONTEXT = 'https://openactive.io/'

/** An instant as OpenActive writes DateTimes: ISO 8601 in UTC, to the second. */
export function instant(value: string | Date): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export type OpenActiveKind = 'session-series' | 'course-instance'

/** Where the item is described: the site, the city, the language of its texts. */
export interface FeedContext {
  origin: string
  city: { slug: string; timeZone: string; defaultLanguage: string }
}

/** Published or cancelled: what the public opportunity page shows. */
export function isPublicOpportunity(o: Pick<OpportunitySource, 'status'>): boolean {
  return o.status === 'published' || o.status === 'cancelled'
}

function place(o: OpportunitySource): { lat: number; lon: number } | null {
  if (o.venueId !== null && o.venueLat !== null && o.venueLon !== null)
    return { lat: o.venueLat, lon: o.venueLon }
  if (o.lat !== null && o.lon !== null) return { lat: o.lat, lon: o.lon }
  return null
}

function hasEnd(rrule: string | undefined): boolean {
  return rrule === undefined || /(^|;)\s*(COUNT|UNTIL)=/i.test(rrule)
}

/**
 * The OpenActive feed an opportunity belongs in, or null: it must be public, held somewhere with
 * coordinates (in person or hybrid), priced (free or a price), and name an activity. A one-off or an
 * open-ended series is a SessionSeries (people book a session); a series with a last date (COUNT,
 * UNTIL, or dates only) is a CourseInstance. Self-paced learning has no sessions: none.
 */
export function openActiveKind(o: OpportunitySource): OpenActiveKind | null {
  if (!isPublicOpportunity(o) || o.format === 'online' || !place(o)) return null
  if (!o.free && o.price === null) return null
  if (activitiesOf(o.topics).length === 0) return null
  if (o.schedule.kind === 'once') return 'session-series'
  if (o.schedule.kind !== 'series') return null
  if (!hasEnd(o.schedule.rrule as string | undefined)) return 'session-series'
  return o.firstStart ? 'course-instance' : null
}

export function opportunityUrl(ctx: FeedContext, id: number): string {
  return `${ctx.origin}/${ctx.city.defaultLanguage}/${ctx.city.slug}/opportunities/${id}`
}

/** The @id of a session: its opportunity's page with a fragment, stable across edits. */
export function sessionId(ctx: FeedContext, opportunityId: number, session: number): string {
  return `${opportunityUrl(ctx, opportunityId)}#session-${session}`
}

function text(ctx: FeedContext, field: OpportunitySource['title'] | null): string {
  return translated(field, ctx.city.defaultLanguage).text
}

const DAYS: Record<string, string> = {
  MO: 'https://schema.org/Monday',
  TU: 'https://schema.org/Tuesday',
  WE: 'https://schema.org/Wednesday',
  TH: 'https://schema.org/Thursday',
  FR: 'https://schema.org/Friday',
  SA: 'https://schema.org/Saturday',
  SU: 'https://schema.org/Sunday',
}
const FREQUENCY: Record<string, string> = { DAILY: 'D', WEEKLY: 'W', MONTHLY: 'M', YEARLY: 'Y' }

function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

/**
 * An OpenActive Schedule for our schedule where one can say it exactly (a simple RRULE: frequency,
 * interval, weekdays, COUNT or UNTIL, EXDATEs), else a PartialSchedule (descriptive only).
 */
export function scheduleOf(
  ctx: FeedContext,
  o: OpportunitySource,
  eventType: 'ScheduledSession' | 'Event',
): Record<string, unknown> {
  const s = o.schedule as {
    kind: string
    start: string
    durationMinutes: number
    rrule?: string
    exdates?: string[]
  }
  const [date = '', time = '00:00'] = s.start.split('T')
  const [h = 0, m = 0] = time.split(':').map(Number)
  const startMinutes = h * 60 + m
  const common = {
    startDate: date,
    startTime: clock(startMinutes),
    endTime: clock(startMinutes + s.durationMinutes),
    duration: `PT${s.durationMinutes}M`,
    scheduleTimezone: ctx.city.timeZone,
  }
  if (s.kind === 'once')
    return {
      '@type': 'Schedule',
      scheduledEventType: eventType,
      ...common,
      repeatFrequency: 'P1D',
      repeatCount: 1,
    }
  if (!s.rrule) return { '@type': 'PartialSchedule', ...common }
  const recur = ICAL.Recur.fromString(s.rrule)
  const parts = recur.parts as Record<string, unknown[]>
  const unit = FREQUENCY[recur.freq]
  const byDay = (parts.BYDAY ?? []) as string[]
  const others = Object.keys(parts).filter((p) => p !== 'BYDAY')
  if (!unit || others.length > 0 || byDay.some((d) => !DAYS[d]))
    return { '@type': 'PartialSchedule', ...common }
  const schedule: Record<string, unknown> = {
    '@type': 'Schedule',
    scheduledEventType: eventType,
    ...common,
    repeatFrequency: `P${recur.interval || 1}${unit}`,
  }
  if (byDay.length > 0) schedule.byDay = byDay.map((d) => DAYS[d])
  if (recur.count) schedule.repeatCount = recur.count
  if (recur.until) schedule.endDate = recur.until.toString().slice(0, 10)
  const exdates = s.exdates ?? []
  if (exdates.length > 0)
    schedule.exceptDate = exdates.map((x) =>
      instant(zonedToUtc(x.includes('T') ? x : `${x}T${time}`, ctx.city.timeZone)),
    )
  return schedule
}

/** The properties a SessionSeries and a CourseInstance share. */
function eventProperties(ctx: FeedContext, o: OpportunitySource): Record<string, unknown> {
  const where = place(o)
  const url = opportunityUrl(ctx, o.id)
  const out: Record<string, unknown> = {
    '@context': OPENACTIVE_CONTEXT,
    '@id': url,
    identifier: o.id,
    name: text(ctx, o.title),
    description: text(ctx, o.description),
    url,
    activity: activitiesOf(o.topics).map((a) => ({
      '@type': 'Concept',
      '@id': a.id,
      prefLabel: a.prefLabel,
      inScheme: ACTIVITY_LIST,
    })),
    organizer: {
      '@type': 'Organization',
      '@id': `${ctx.origin}/${ctx.city.defaultLanguage}/${ctx.city.slug}/providers/${o.organizationSlug}`,
      name: text(ctx, o.organizationName) || String(o.organizationSlug),
      url:
        o.organizationWebsite ??
        `${ctx.origin}/${ctx.city.defaultLanguage}/${ctx.city.slug}/providers/${o.organizationSlug}`,
    },
    location: {
      '@type': 'Place',
      name:
        (o.venueId !== null ? text(ctx, o.venueName) : '') ||
        o.venueAddress ||
        o.address ||
        text(ctx, o.title),
      geo: { '@type': 'GeoCoordinates', latitude: where?.lat, longitude: where?.lon },
    },
    offers: [
      {
        '@type': 'Offer',
        '@id': `${url}#offer`,
        price: o.free ? 0 : Number(o.price),
        priceCurrency: o.currency,
      },
    ],
    isAccessibleForFree: o.free,
    eventStatus:
      o.status === 'cancelled' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
    inLanguage: o.languages,
  }
  if (o.ageMin !== null || o.ageMax !== null)
    out.ageRange = {
      '@type': 'QuantitativeValue',
      minValue: o.ageMin ?? 0,
      ...(o.ageMax !== null ? { maxValue: o.ageMax } : {}),
    }
  if (o.accessibilityNote) out.accessibilityInformation = o.accessibilityNote
  if (o.capacity !== null) out.maximumAttendeeCapacity = o.capacity
  if (o.imageUrl) out.image = [{ '@type': 'ImageObject', url: new URL(o.imageUrl, ctx.origin).toString() }]
  return out
}

export function sessionSeriesData(ctx: FeedContext, o: OpportunitySource): Record<string, unknown> {
  return {
    '@type': 'SessionSeries',
    ...eventProperties(ctx, o),
    eventSchedule: [scheduleOf(ctx, o, 'ScheduledSession')],
  }
}

/** A course's first and last local dates and the days between them (OpenActive wants Dates here). */
function courseDates(ctx: FeedContext, o: OpportunitySource): Record<string, string> {
  if (!o.firstStart || !o.lastEnd) return {}
  const startDate = utcToZoned(new Date(o.firstStart), ctx.city.timeZone).slice(0, 10)
  const endDate = utcToZoned(new Date(o.lastEnd), ctx.city.timeZone).slice(0, 10)
  const days = Math.round((Date.parse(endDate) - Date.parse(startDate)) / 86_400_000)
  return { startDate, endDate, duration: `P${days}D` }
}

export function courseInstanceData(ctx: FeedContext, o: OpportunitySource): Record<string, unknown> {
  return {
    '@type': 'CourseInstance',
    ...eventProperties(ctx, o),
    ...courseDates(ctx, o),
    eventSchedule: [scheduleOf(ctx, o, 'Event')],
  }
}

/** A ScheduledSession of the split feed: its times and status; the rest comes from its superEvent. */
export function scheduledSessionData(ctx: FeedContext, s: SessionSource): Record<string, unknown> {
  const start = new Date(s.startsAt)
  const end = new Date(s.endsAt)
  const out: Record<string, unknown> = {
    '@context': OPENACTIVE_CONTEXT,
    '@type': 'ScheduledSession',
    '@id': sessionId(ctx, s.opportunity.id, s.sessionId),
    identifier: s.sessionId,
    superEvent: opportunityUrl(ctx, s.opportunity.id),
    startDate: instant(start),
    endDate: instant(end),
    duration: `PT${Math.round((end.getTime() - start.getTime()) / 60_000)}M`,
    eventStatus:
      s.cancelled || s.opportunity.status === 'cancelled'
        ? 'https://schema.org/EventCancelled'
        : 'https://schema.org/EventScheduled',
    url: opportunityUrl(ctx, s.opportunity.id),
  }
  const capacity = s.sessionCapacity ?? s.opportunity.capacity
  if (capacity !== null) out.maximumAttendeeCapacity = capacity
  return out
}
