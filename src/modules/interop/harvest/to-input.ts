import { createHash } from 'node:crypto'
import { utcToZoned } from '../../../platform/time/index.ts'
import type { Occurrence } from './occurrences.ts'
import type { Draft } from './openactive.ts'

/** What the coordinator set for a feed: what its items cannot say in terms of the catalogue. */
export interface FeedSettings {
  /** Language the feed's text is in. */
  language: string
  /** UNESCO building block the feed's opportunities belong to. */
  buildingBlock: string
  /** Price in the city's currency when the items give none (null: free). */
  price?: number | null
  currency?: string
  /** Venue of items that name no place of their own (null: they must be online). */
  venueId?: number | null
}

/** The catalogue keeps at most this many sessions per opportunity. */
const MAX_SESSIONS = 500
/** Picture shown when an item has none (the catalogue requires one). */
export const FALLBACK_IMAGE = '/static/demo/learning.svg'

/** The catalogue's external id of an outside item: its own id, or a digest of ids too long to keep. */
export function externalIdOf(ref: string): string {
  return ref.length <= 200 ? ref : `sha256:${createHash('sha256').update(ref).digest('hex')}`
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/**
 * The sessions kept: all of them when they fit, else the MAX_SESSIONS nearest to `now` going
 * forward (the earlier ones are history), and a warning.
 */
function keep(occurrences: Occurrence[], now: Date, warnings: string[]): Occurrence[] {
  if (occurrences.length <= MAX_SESSIONS) return occurrences
  const from = now.getTime() - 7 * 86400_000
  let first = occurrences.findIndex((o) => o.start.getTime() >= from)
  if (first < 0 || first + MAX_SESSIONS > occurrences.length) first = occurrences.length - MAX_SESSIONS
  warnings.push(
    `${occurrences.length} sessions: the catalogue keeps ${MAX_SESSIONS}, from ${occurrences[first]!.start.toISOString()}`,
  )
  return occurrences.slice(first, first + MAX_SESSIONS)
}

/**
 * The catalogue's schedule for outside sessions, in the city's zone: one session, or a series of
 * explicit dates (start + rdates), so each session keeps its exact instant whatever zone the
 * publisher wrote in. The catalogue has one length per opportunity: the most common one is used,
 * and sessions of another length are named in a warning.
 */
export function scheduleFor(occurrences: Occurrence[], timeZone: string, now: Date, warnings: string[]) {
  const kept = keep(occurrences, now, warnings)
  const lengths = new Map<number, number>()
  for (const o of kept) {
    const m = Math.round((o.end.getTime() - o.start.getTime()) / 60_000)
    lengths.set(m, (lengths.get(m) ?? 0) + 1)
  }
  let minutes = [...lengths.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0]
  const others = kept.filter((o) => Math.round((o.end.getTime() - o.start.getTime()) / 60_000) !== minutes)
  if (others.length > 0)
    warnings.push(
      `${others.length} session(s) have their own length (first: ${others[0]!.start.toISOString()} to ${others[0]!.end.toISOString()}); the catalogue keeps ${minutes} minutes for all`,
    )
  if (minutes < 1) {
    warnings.push('the sessions have no length: one hour is assumed')
    minutes = 60
  } else if (minutes > 1440) {
    warnings.push(`sessions of ${minutes} minutes are kept as one day each`)
    minutes = 1440
  }
  const locals = kept.map((o) => utcToZoned(o.start, timeZone).slice(0, 16))
  if (locals.length === 1) return { kind: 'once' as const, start: locals[0]!, durationMinutes: minutes }
  return {
    kind: 'series' as const,
    start: locals[0]!,
    durationMinutes: minutes,
    rdates: locals.slice(1),
    exdates: [],
  }
}

/**
 * The catalogue input (the opportunities module's one schema) for an outside opportunity with its
 * sessions; the schema then checks it like any other. Warnings say what did not fit.
 */
export function inputFor(
  draft: Draft,
  occurrences: Occurrence[],
  settings: FeedSettings,
  timeZone: string,
  now: Date,
): { raw: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = []
  const lang = settings.language
  const venueId = draft.place === null ? (settings.venueId ?? null) : null
  const online = draft.attendance !== 'offline' && !(venueId !== null && !draft.url)
  const inPerson = (draft.attendance !== 'online' && draft.place !== null) || venueId !== null
  const format = online && inPerson ? 'hybrid' : inPerson ? 'in-person' : 'online'
  if (!draft.description) warnings.push('no description: the name stands in for it')
  if (!draft.image) warnings.push('no image: a neutral picture stands in')
  const prices = draft.offers.filter((o) => o.price > 0)
  const lowest = prices.sort((a, b) => a.price - b.price)[0]
  const free = draft.free || (draft.offers.length > 0 ? !lowest : (settings.price ?? null) === null)
  const price = free ? null : (lowest?.price ?? settings.price ?? null)
  const place = draft.place
  const address = place ? [place.name, place.address].filter(Boolean).join(', ') : null
  const raw: Record<string, unknown> = {
    externalId: externalIdOf(draft.ref),
    title: { [lang]: clip(draft.title, 200) },
    description: { [lang]: clip(draft.description || draft.title, 10_000) },
    buildingBlock: settings.buildingBlock,
    topics: draft.topics.map((t) => clip(t, 60)).slice(0, 20),
    ageMin: draft.ageMin !== null ? Math.max(0, Math.min(120, Math.round(draft.ageMin))) : null,
    ageMax: draft.ageMax !== null ? Math.max(0, Math.min(120, Math.round(draft.ageMax))) : null,
    languages: [lang],
    format,
    venueId,
    address: inPerson && place ? clip(address || `${place.lat}, ${place.lon}`, 300) : null,
    lat: inPerson && place ? place.lat : null,
    lon: inPerson && place ? place.lon : null,
    joinUrl: online ? draft.url : null,
    schedule: scheduleFor(occurrences, timeZone, now, warnings),
    cost: {
      free,
      price,
      currency: (lowest?.currency || settings.currency || 'USD').toUpperCase(),
      concessions: clip(
        draft.offers
          .filter((o) => o.name)
          .map((o) => `${o.name}: ${o.price === 0 ? '0' : o.price.toFixed(2)} ${o.currency}`)
          .join(' · '),
        500,
      ),
    },
    accessibilityNote: clip(draft.accessibilityNote, 1000),
    capacity:
      draft.capacity !== null && draft.capacity >= 1 ? Math.min(100_000, Math.round(draft.capacity)) : null,
    image: { url: draft.image ?? FALLBACK_IMAGE, alt: { [lang]: clip(draft.title, 300) } },
  }
  if (draft.ageMin !== null && draft.ageMax !== null && draft.ageMax < draft.ageMin) raw.ageMax = null
  return { raw, warnings }
}
