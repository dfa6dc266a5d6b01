/**
 * Checking an opportunity without the database: the one schema, the place and its district, and the
 * sessions of its schedule. The form, the API and the import all check through here.
 */
import { expandValidSchedule, type Occurrence, validateSchedule } from '../../platform/time/index.ts'
import type { VenuePlace } from '../cities/index.ts'
import { type OpportunityInput, opportunityInput } from './model.ts'
import type { OpportunityFields } from './repository.ts'

export type Result<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; fields?: { field: string; detail: string }[] }

/** Sessions are materialised this far ahead; a daily job extends the horizon (later: see README). */
export const HORIZON_DAYS = 550
const SESSION_LIMIT = 500

/** What checking needs to know of a city's places: its venues, and the district a point lies in. */
export interface Places {
  venue(id: number): VenuePlace | undefined
  locate(lat: number, lon: number): { id: number } | undefined
}

/** Validates raw input with the one opportunity schema; field paths become JSON pointers. */
export function parseOpportunity(raw: unknown): Result<OpportunityInput, 'invalid'> {
  const parsed = opportunityInput.safeParse(raw)
  if (parsed.success) return { ok: true, value: parsed.data }
  return {
    ok: false,
    error: 'invalid',
    fields: parsed.error.issues.map((i) => ({ field: `/${i.path.join('/')}`, detail: i.message })),
  }
}

/** Valid input made ready to write: the stored fields and the sessions its schedule has. */
export interface Prepared {
  fields: OpportunityFields
  sessions: Occurrence[]
}

export type Checked = Result<Prepared, 'invalid'>

/** Checks many raw inputs against the city's places; pure, so it can run anywhere. */
export function prepareWith(places: Places, timeZone: string, raws: unknown[]): Checked[] {
  return raws.map((raw) => {
    const parsed = parseOpportunity(raw)
    return parsed.ok ? toFields(parsed.value, timeZone, places) : parsed
  })
}

function toFields(input: OpportunityInput, timeZone: string, places: Places): Checked {
  let { lat, lon, address } = input
  let districtId: number | null = null
  if (input.venueId !== null) {
    const venue = places.venue(input.venueId)
    if (!venue)
      return {
        ok: false,
        error: 'invalid',
        fields: [{ field: '/venueId', detail: 'No such venue in this city' }],
      }
    lat = venue.lat
    lon = venue.lon
    address = venue.address
    districtId = venue.districtId
  } else if (lat !== null && lon !== null) {
    districtId = places.locate(lat, lon)?.id ?? null
  }
  const expansion = sessionsFor(input.schedule, timeZone)
  if (!expansion.ok) return expansion
  return {
    ok: true,
    value: {
      sessions: expansion.value,
      fields: {
        externalId: input.externalId ?? null,
        title: input.title,
        description: input.description,
        outcomes: input.outcomes,
        buildingBlock: input.buildingBlock,
        topics: [...new Set(input.topics.map((t) => t.toLowerCase()))],
        ageMin: input.ageMin,
        ageMax: input.ageMax,
        groups: input.groups,
        languages: input.languages,
        format: input.format,
        venueId: input.venueId,
        address,
        lat,
        lon,
        districtId,
        joinUrl: input.joinUrl,
        schedule: input.schedule,
        free: input.cost.free,
        price: input.cost.free || input.cost.price === null ? null : input.cost.price.toFixed(2),
        currency: input.cost.currency,
        concessions: input.cost.concessions,
        financialHelp: input.cost.financialHelp,
        accessibility: input.accessibility,
        accessibilityNote: input.accessibilityNote,
        capacity: input.capacity,
        imageUrl: input.image.url,
        imageAlt: input.image.alt,
        contactEmail: input.contactEmail,
        contactPhone: input.contactPhone,
      },
    },
  }
}

type Expansion = ReturnType<typeof expand>

/**
 * Expansions already made, by schedule, zone and minute: a provider's file repeats the same term
 * dates and times on many rows, and each repeat then costs one lookup. The sessions are shared
 * between rows, so nothing may change them. Emptied when full; a miss only costs an expansion.
 */
const expansions = new Map<string, Expansion>()
const EXPANSIONS_KEPT = 5_000

/**
 * The sessions of a schedule from a week ago to the horizon (measured from the start of the current
 * minute), or a field error when it cannot be read.
 */
export function sessionsFor(schedule: OpportunityInput['schedule'], timeZone: string, now = new Date()) {
  const minute = Math.floor(now.getTime() / 60_000) * 60_000
  const key = `${minute} ${timeZone} ${JSON.stringify(schedule)}`
  const known = expansions.get(key)
  if (known) return known
  const expansion = expand(schedule, timeZone, new Date(minute))
  if (expansions.size >= EXPANSIONS_KEPT) expansions.clear()
  expansions.set(key, expansion)
  return expansion
}

function expand(schedule: OpportunityInput['schedule'], timeZone: string, now: Date) {
  const problems = validateSchedule({ ...schedule, timeZone })
  if (problems.length > 0) {
    return {
      ok: false as const,
      error: 'invalid' as const,
      fields: problems.map((p) => ({ field: `/schedule/${p.field}`, detail: p.message })),
    }
  }
  try {
    const occurrences = expandValidSchedule(
      { ...schedule, timeZone },
      {
        from: new Date(now.getTime() - 7 * 86400_000),
        to: new Date(now.getTime() + HORIZON_DAYS * 86400_000),
      },
      SESSION_LIMIT,
    )
    return { ok: true as const, value: occurrences }
  } catch (error) {
    return {
      ok: false as const,
      error: 'invalid' as const,
      fields: [
        {
          field: '/schedule',
          detail: error instanceof Error ? error.message : 'The schedule cannot be read',
        },
      ],
    }
  }
}
