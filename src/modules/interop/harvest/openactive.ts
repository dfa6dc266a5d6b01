import { durationMinutes, expandOaSchedule, type OaSchedule, type Occurrence } from './occurrences.ts'

/**
 * What an outside OpenActive (Modelling Opportunity Data 2.0) item says about one opportunity,
 * without its sessions: the fields the catalogue can keep. `@type` is trusted over the RPDE kind.
 */
export interface Draft {
  /** The item's `@id` (stable across re-harvests), or the feed's id of it. */
  ref: string
  type: string
  title: string
  description: string
  url: string | null
  image: string | null
  /** Activity names and categories, as tags. */
  topics: string[]
  ageMin: number | null
  ageMax: number | null
  attendance: 'offline' | 'online' | 'mixed'
  place: { name: string; address: string; lat: number | null; lon: number | null } | null
  offers: { name: string; price: number; currency: string }[]
  free: boolean
  capacity: number | null
  accessibilityNote: string
  cancelled: boolean
}

/** A concrete session from a ScheduledSession item or a subEvent. */
export interface Session extends Occurrence {
  ref: string
  capacity: number | null
  cancelled: boolean
}

export type Normalised =
  | {
      type: 'opportunity'
      draft: Draft
      /** Sessions the item itself gives (its Schedule, subEvents, dates); null when it gives none. */
      occurrences: Occurrence[] | null
      warnings: string[]
    }
  | { type: 'session'; parentRef: string; parent: Draft | null; session: Session; warnings: string[] }
  | { type: 'rejected'; reasons: string[] }

/** Types that are opportunities of their own; ScheduledSession (and Slot) are sessions of one. */
const OPPORTUNITY_TYPES = new Set([
  'SessionSeries',
  'CourseInstance',
  'Event',
  'EventSeries',
  'HeadlineEvent',
  'OnDemandEvent',
  'Course',
])
const SESSION_TYPES = new Set(['ScheduledSession', 'Slot'])

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const arr = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])
const str = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : ''
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const type = (o: Json) => str(arr(o['@type'] ?? o.type)[0]).replace(/^(schema|oa):/, '')
const isUrl = (v: string) => /^https?:\/\/[^\s"'<>]+$/i.test(v)

/** Markup and entities out, control characters out: outside descriptions are often HTML. */
export function plain(text: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }
  return (
    text
      .replace(/<(br|\/p|\/li|\/h\d)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
        if (e[0] === '#') {
          const code = e[1]?.toLowerCase() === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1))
          return code > 31 && code < 0x110000 ? String.fromCodePoint(code) : ''
        }
        return entities[e.toLowerCase()] ?? m
      })
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/[ \t]+/g, ' ')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  )
}

function labels(v: unknown): string[] {
  return arr(v)
    .map((c) => (isObject(c) ? str(c.prefLabel ?? c.name) : str(c)))
    .filter(Boolean)
}

function imageOf(v: unknown): string | null {
  for (const i of arr(v)) {
    const url = isObject(i) ? str(i.url ?? i.contentUrl) : str(i)
    if (isUrl(url)) return url
  }
  return null
}

function placeOf(v: unknown): Draft['place'] {
  const place = arr(v).find(isObject)
  if (!place || type(place) === 'VirtualLocation') return null
  const address = place.address
  const parts = isObject(address)
    ? ['streetAddress', 'addressLocality', 'addressRegion', 'postalCode', 'addressCountry'].map((k) =>
        str(address[k]).replace(/^,\s*/, ''),
      )
    : [str(address)]
  const geo = isObject(place.geo) ? place.geo : {}
  const lat = num(geo.latitude) ?? (Number.parseFloat(str(geo.latitude)) || null)
  const lon = num(geo.longitude) ?? (Number.parseFloat(str(geo.longitude)) || null)
  return { name: str(place.name), address: parts.filter(Boolean).join(', '), lat, lon }
}

/** The fields of an opportunity item, falling back to its Course (instanceOfCourse) or series. */
function draftOf(data: Json, ref: string, fallbacks: Json[]): Draft {
  const pick = (key: string) =>
    [data, ...fallbacks].map((o) => o[key]).find((v) => v !== undefined && v !== null && v !== '')
  const age = arr(pick('ageRange')).find(isObject) ?? {}
  const offers = arr(pick('offers'))
    .filter(isObject)
    .flatMap((o) => {
      const price = num(o.price) ?? Number.parseFloat(str(o.price))
      return Number.isFinite(price)
        ? [{ name: plain(str(o.name)), price, currency: str(o.priceCurrency).toUpperCase() }]
        : []
    })
  const attendance = str(pick('eventAttendanceMode'))
  const place = placeOf(pick('location'))
  const accessibility = [
    ...labels(pick('accessibilitySupport')),
    plain(str(pick('accessibilityInformation'))),
  ].filter(Boolean)
  return {
    ref,
    type: type(data),
    title: plain(str(pick('name'))),
    description: plain(str(pick('description'))),
    url: isUrl(str(pick('url'))) ? str(pick('url')) : null,
    image: imageOf(pick('image')),
    topics: [...new Set([...labels(pick('activity')), ...labels(pick('category'))])],
    ageMin: num(age.minValue),
    ageMax: num(age.maxValue),
    attendance: /Online/i.test(attendance)
      ? 'online'
      : /Mixed/i.test(attendance)
        ? 'mixed'
        : place
          ? 'offline'
          : 'online',
    place,
    offers,
    free: pick('isAccessibleForFree') === true || (offers.length > 0 && offers.every((o) => o.price === 0)),
    capacity: num(pick('maximumAttendeeCapacity')),
    accessibilityNote: accessibility.join('. '),
    cancelled: /Cancelled/i.test(str(data.eventStatus)),
  }
}

/** A concrete date-time start and end of an item (start + duration when there is no end). */
function datesOf(o: Json): Occurrence | null {
  const start = str(o.startDate)
  if (!/T\d{2}:\d{2}/.test(start) || Number.isNaN(Date.parse(start))) return null
  const end = str(o.endDate)
  const minutes = durationMinutes(str(o.duration))
  const endMs = /T\d{2}:\d{2}/.test(end)
    ? Date.parse(end)
    : minutes !== null
      ? Date.parse(start) + minutes * 60_000
      : Number.NaN
  const startMs = Date.parse(start)
  return { start: new Date(startMs), end: new Date(Number.isNaN(endMs) || endMs < startMs ? startMs : endMs) }
}

/**
 * Reads one RPDE item's `data` (state "updated"): an opportunity with whatever sessions it gives, a
 * session of another item (ScheduledSession, by `superEvent` id or embedded), or a rejection with
 * reasons. `until` bounds schedules without an end.
 */
export function normaliseItem(item: { id: string; data: unknown }, until: Date): Normalised {
  const data = item.data
  if (!isObject(data)) return { type: 'rejected', reasons: ['the item has no data object'] }
  const t = type(data)
  const ref = str(data['@id'] ?? data.id) || item.id
  const warnings: string[] = []
  if (SESSION_TYPES.has(t)) {
    const when = datesOf(data)
    if (!when) return { type: 'rejected', reasons: [`the ${t} has no startDate with a time`] }
    const superEvent = data.superEvent
    const parentRef = isObject(superEvent) ? str(superEvent['@id'] ?? superEvent.id) : str(superEvent)
    if (!parentRef) return { type: 'rejected', reasons: [`the ${t} names no superEvent`] }
    const parent = isObject(superEvent) ? draftOf(superEvent, parentRef, []) : null
    return {
      type: 'session',
      parentRef,
      parent,
      session: {
        ref,
        ...when,
        capacity: num(data.maximumAttendeeCapacity),
        cancelled: /Cancelled|Postponed/i.test(str(data.eventStatus)),
      },
      warnings,
    }
  }
  if (!OPPORTUNITY_TYPES.has(t))
    return {
      type: 'rejected',
      reasons: [`items of type "${t.slice(0, 40) || '(none)'}" are not opportunities`],
    }
  const course = isObject(data.instanceOfCourse) ? data.instanceOfCourse : null
  const draft = draftOf(data, ref, course ? [course] : [])
  if (!draft.title) return { type: 'rejected', reasons: ['the item has no name'] }
  const occurrences: Occurrence[] = []
  let concrete = false
  for (const schedule of arr(data.eventSchedule).filter(isObject)) {
    if (type(schedule) === 'PartialSchedule') continue
    const expanded = expandOaSchedule(schedule as OaSchedule, until)
    if ('problem' in expanded) return { type: 'rejected', reasons: [expanded.problem] }
    concrete = true
    occurrences.push(...expanded.occurrences)
    warnings.push(...expanded.warnings)
  }
  for (const sub of arr(data.subEvent).filter(isObject)) {
    const when = datesOf(sub)
    if (when && !/Cancelled|Postponed/i.test(str(sub.eventStatus))) {
      concrete = true
      occurrences.push(when)
    }
  }
  if (!concrete) {
    const when = datesOf(data)
    if (when) {
      concrete = true
      occurrences.push(when)
    }
  }
  occurrences.sort((a, b) => a.start.getTime() - b.start.getTime())
  return { type: 'opportunity', draft, occurrences: concrete ? occurrences : null, warnings }
}
