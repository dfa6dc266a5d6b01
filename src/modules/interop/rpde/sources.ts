/**
 * What each feed's items are made from: one SQL select per kind of source row, joined to the feed
 * items in the same statement (one snapshot), and the TypeScript shape of its rows.
 */

import type { Translated } from '../../../platform/db/columns.ts'
import { sql } from '../../../platform/db/index.ts'

/** An opportunity with its organizer, venue and first/last session, as the feeds describe it. */
export interface OpportunitySource {
  id: number
  status: string
  title: Translated
  description: Translated
  outcomes: Translated
  buildingBlock: string
  topics: string[]
  ageMin: number | null
  ageMax: number | null
  groups: string[]
  languages: string[]
  format: 'in-person' | 'online' | 'hybrid'
  address: string | null
  lat: number | null
  lon: number | null
  schedule: Record<string, unknown> & { kind: 'once' | 'series' | 'self-paced' }
  free: boolean
  price: string | null
  currency: string
  accessibility: string[]
  accessibilityNote: string
  capacity: number | null
  imageUrl: string
  publishedAt: string | null
  updatedAt: string
  organizationId: number
  organizationSlug: string | null
  organizationName: Translated | null
  organizationWebsite: string | null
  venueId: number | null
  venueName: Translated | null
  venueAddress: string | null
  venuePostalCode: string | null
  venueLat: number | null
  venueLon: number | null
  firstStart: string | null
  lastEnd: string | null
  sessionCount: number
}

/** The select list of an opportunity `o` (with `g` its organization and `v` its venue). */
export const opportunityColumns = sql`o.id::float8 as id, o.status, o.title, o.description, o.outcomes,
  o.building_block as "buildingBlock", o.topics, o.age_min as "ageMin", o.age_max as "ageMax", o.groups,
  o.languages, o.format, o.address, o.lat, o.lon, o.schedule, o.free, o.price::text as price, o.currency,
  o.accessibility, o.accessibility_note as "accessibilityNote", o.capacity, o.image_url as "imageUrl",
  o.published_at as "publishedAt", o.updated_at as "updatedAt",
  o.organization_id::float8 as "organizationId", g.slug as "organizationSlug", g.name as "organizationName",
  g.website as "organizationWebsite", o.venue_id::float8 as "venueId", v.name as "venueName",
  v.address as "venueAddress", v.postal_code as "venuePostalCode", v.lat as "venueLat", v.lon as "venueLon",
  d.first_start as "firstStart", d.last_end as "lastEnd", coalesce(d.n, 0)::int as "sessionCount"`

/** Joins of opportunityColumns onto an opportunity `o`. */
export const opportunityJoins = sql`left join organizations g on g.id = o.organization_id
  left join venues v on v.id = o.venue_id
  left join lateral (select min(s.starts_at) as first_start, max(s.ends_at) as last_end, count(*) as n
    from opportunity_sessions s where s.opportunity_id = o.id and not s.cancelled) d on true`

/** A session with the opportunity it belongs to. */
export interface SessionSource {
  sessionId: number
  startsAt: string
  endsAt: string
  cancelled: boolean
  sessionCapacity: number | null
  opportunity: OpportunitySource
}

export interface OrganizationSource {
  id: number
  slug: string
  name: Translated
  description: Translated
  sector: string
  website: string | null
  logoUrl: string | null
  status: string
  updatedAt: string
}

export const organizationColumns = sql`g.id::float8 as id, g.slug, g.name, g.description, g.sector,
  g.website, g.logo_url as "logoUrl", g.status, g.updated_at as "updatedAt"`

export interface VenueSource {
  id: number
  kind: string
  name: Translated
  address: string
  postalCode: string | null
  lat: number
  lon: number
  website: string | null
  phone: string | null
  updatedAt: string
}

export const venueColumns = sql`v.id::float8 as id, v.kind, v.name, v.address, v.postal_code as "postalCode",
  v.lat, v.lon, v.website, v.phone, v.updated_at as "updatedAt"`
