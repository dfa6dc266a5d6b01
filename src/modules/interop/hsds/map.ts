/** Rows of the directory as HSDS 3.0 objects (Open Referral), with our integer ids as UUIDs. */
import type { Translated } from '../../../platform/db/columns.ts'
import { translated } from '../../../platform/i18n/index.ts'
import type { Directory } from './directory.ts'
import { hsdsId, type Kind } from './ids.ts'
import type { LocationSource, OrganizationSource, ServiceSource } from './repository.ts'
import { scheduleOf } from './schedule.ts'
import { attributeOf } from './taxonomy.ts'

type Json = Record<string, unknown>

const text = (d: Directory, field: Translated | null | undefined) => translated(field ?? {}, d.lang, []).text
const id = (d: Directory, kind: Kind, rowId: number, index = 0) => hsdsId(d.cityId, kind, rowId, index)
/** Optional fields are left out rather than written empty: HSDS formats (email, uri) reject ''. */
const present = (entries: [string, unknown][]): Json =>
  Object.fromEntries(entries.filter(([, v]) => v !== null && v !== undefined && v !== ''))

function absolute(d: Directory, url: string | null): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url, d.origin)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null
  } catch {
    return null
  }
}

/** A contact number as HSDS phones, tied to its owner (phone ids: the owner's row, one per kind). */
function phones(
  d: Directory,
  number: string | null,
  owner: { field: string; kind: Kind; rowId: number },
): Json[] {
  if (!number) return []
  const index = { organization: 1, service: 2, venue: 3, place: 4 }[owner.kind as string] ?? 0
  return [{ id: id(d, 'phone', owner.rowId, index), number, [owner.field]: id(d, owner.kind, owner.rowId) }]
}

export function organization(
  d: Directory,
  o: OrganizationSource,
  locations: Json[] = [],
  full = false,
): Json {
  const orgId = id(d, 'organization', o.id)
  return {
    ...present([
      ['id', orgId],
      ['name', text(d, o.name)],
      ['description', text(d, o.description)],
      ['email', o.contactEmail],
      ['website', absolute(d, o.website)],
      ['logo', absolute(d, o.logoUrl)],
      ['uri', `${d.origin}/${d.lang}/${d.citySlug}/providers/${o.slug}`],
    ]),
    // Required even when the provider wrote none.
    description: text(d, o.description),
    ...(full
      ? {
          phones: phones(d, o.contactPhone, { field: 'organization_id', kind: 'organization', rowId: o.id }),
          locations,
        }
      : {}),
  }
}

/**
 * The location's street address as one HSDS `address` (physical). A venue with its address in parts
 * gives them field by field; one with only its one-line address (and an opportunity's own address)
 * gives that line as `address_1` and the city's name as `city`. HSDS requires `state_province`,
 * `postal_code` and `country` as well: what is not known is written as an empty string, never guessed.
 */
function addressOf(d: Directory, l: LocationSource, locationId: string): Json {
  const kind = l.kind === 'venue' ? 1 : 2
  return {
    id: id(d, 'address', l.id, kind),
    location_id: locationId,
    address_1: l.address1 || l.address,
    ...(l.address1 && l.address2 ? { address_2: l.address2 } : {}),
    city: l.locality || d.cityName,
    state_province: l.region ?? '',
    postal_code: l.postalCode ?? '',
    country: l.country ?? '',
    address_type: 'physical',
  }
}

/**
 * A location; `full` adds its phones and addresses (the list form nested in service_at_location
 * lists has neither), `addresses` adds the addresses alone (the /locations list).
 */
export function location(d: Directory, l: LocationSource, full = false, addresses = full): Json {
  const kind = l.kind === 'venue' ? 'venue' : 'place'
  const locationId = id(d, kind, l.id)
  const name = l.kind === 'venue' ? text(d, l.name) : l.address
  return {
    ...present([
      ['id', locationId],
      ['location_type', 'physical'],
      ['url', absolute(d, l.website)],
      ['organization_id', l.organizationId === null ? null : id(d, 'organization', l.organizationId)],
      ['name', name],
      // The one-line address as people write it; the parts are in `addresses`.
      ['description', l.address],
      ['latitude', Number(l.lat)],
      ['longitude', Number(l.lon)],
    ]),
    ...(addresses ? { addresses: [addressOf(d, l, locationId)] } : {}),
    ...(full ? { phones: phones(d, l.phone, { field: 'location_id', kind, rowId: l.id }) } : {}),
  }
}

/** The place a placed service is held at, as a location row. */
export function placeOf(s: ServiceSource): { kind: 'venue' | 'place'; id: number } | undefined {
  if (s.format === 'online') return undefined
  if (s.venueId !== null) return { kind: 'venue', id: s.venueId }
  if (s.address && s.lat !== null && s.lon !== null) return { kind: 'place', id: s.id }
  return undefined
}

function costOptions(d: Directory, s: ServiceSource): Json[] {
  const amount = s.free ? 0 : Number(s.price ?? 0)
  return [
    present([
      ['id', id(d, 'costOption', s.id)],
      ['service_id', id(d, 'service', s.id)],
      ['option', s.free ? 'Free' : 'Fee'],
      ['currency', s.currency],
      ['amount', amount],
      ['amount_description', s.concessions],
    ]),
  ]
}

function languages(d: Directory, s: ServiceSource): Json[] {
  const names = new Intl.DisplayNames([d.lang], { type: 'language' })
  return s.languages.slice(0, 255).map((code, i) => ({
    id: id(d, 'language', s.id, i),
    service_id: id(d, 'service', s.id),
    name: names.of(code) ?? code,
    code,
  }))
}

/** A service: one listed opportunity. `nested` adds its one-to-many parts (the full form). */
export function service(
  d: Directory,
  s: ServiceSource,
  org: OrganizationSource | undefined,
  nested?: { serviceAtLocations: Json[] },
): Json {
  const serviceId = id(d, 'service', s.id)
  const cancelled = s.status === 'cancelled'
  const base = present([
    ['id', serviceId],
    ['organization_id', id(d, 'organization', s.organizationId)],
    ['name', text(d, s.title)],
    ['description', text(d, s.description)],
    ['url', `${d.origin}/${d.lang}/${d.citySlug}/opportunities/${s.id}`],
    ['email', s.contactEmail],
    ['status', cancelled ? 'inactive' : 'active'],
    ['fees_description', s.free ? 'Free' : s.concessions || null],
    ['minimum_age', s.ageMin],
    ['maximum_age', s.ageMax],
    ['alert', cancelled ? 'Cancelled' : null],
    ['last_modified', new Date(s.updatedAt).toISOString()],
  ])
  if (org) base.organization = organization(d, org)
  if (!nested) return base
  return {
    ...base,
    phones: phones(d, s.contactPhone, { field: 'service_id', kind: 'service', rowId: s.id }),
    schedules: scheduleOf(d, s, { service_id: serviceId }),
    languages: languages(d, s),
    cost_options: costOptions(d, s),
    service_at_locations: nested.serviceAtLocations,
    attributes: [attributeOf(d, s.id, s.buildingBlock)],
  }
}

/** A service at a location: a placed opportunity at its venue or its own address. */
export function serviceAtLocation(
  d: Directory,
  s: ServiceSource,
  place: Json | undefined,
  full: boolean,
): Json {
  const at = placeOf(s)
  const salId = id(d, 'serviceAtLocation', s.id)
  return {
    id: salId,
    service_id: id(d, 'service', s.id),
    ...(at ? { location_id: id(d, at.kind, at.id) } : {}),
    ...(place ? { location: place } : {}),
    ...(full ? { schedules: scheduleOf(d, s, { service_at_location_id: salId }) } : {}),
  }
}
