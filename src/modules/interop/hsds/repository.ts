/**
 * The directory's rows, read straight from the catalogue's tables in one city: public providers
 * (approved or trusted), their published or cancelled opportunities, and the places those happen.
 */
import type { Translated } from '../../../platform/db/columns.ts'
import { type Db, firstRow, rows, type SQL, sql } from '../../../platform/db/index.ts'

const PUBLIC_ORG = sql`g.status in ('approved', 'trusted')`
const LISTED = sql`o.status in ('published', 'cancelled')`

export interface Paging {
  limit: number
  offset: number
}

export interface OrganizationSource {
  id: number
  slug: string
  name: Translated
  description: Translated
  website: string | null
  logoUrl: string | null
  contactEmail: string | null
  contactPhone: string | null
  updatedAt: string
}

export interface ServiceSource {
  id: number
  organizationId: number
  status: string
  title: Translated
  description: Translated
  outcomes: Translated
  buildingBlock: string
  ageMin: number | null
  ageMax: number | null
  languages: string[]
  format: string
  venueId: number | null
  address: string | null
  lat: number | null
  lon: number | null
  schedule: Record<string, unknown> & { kind: string }
  free: boolean
  price: string | null
  currency: string
  concessions: string
  contactEmail: string | null
  contactPhone: string | null
  updatedAt: string
  firstStart: string | null
  lastEnd: string | null
}

export interface LocationSource {
  kind: 'venue' | 'place'
  id: number
  name: Translated | null
  /** The one-line address. */
  address: string
  /** Its parts, where known (venues only; an opportunity's own address is one line). */
  address1: string | null
  address2: string | null
  locality: string | null
  region: string | null
  postalCode: string | null
  country: string | null
  lat: number
  lon: number
  website: string | null
  phone: string | null
  organizationId: number | null
}

/** Words anywhere in the text of these jsonb/text expressions, case-insensitively (no pattern syntax). */
function containing(words: string | undefined, ...fields: SQL[]): SQL {
  if (!words) return sql``
  const haystack = sql.join(
    fields.map((f) => sql`coalesce(${f}::text, '')`),
    sql` || ' ' || `,
  )
  return sql`and strpos(lower(${haystack}), lower(${words})) > 0`
}

export interface OrganizationFilter {
  search?: string
  ids?: number[]
}

const orgColumns = sql`g.id::int as id, g.slug, g.name, g.description, g.website, g.logo_url as "logoUrl",
  g.contact_email as "contactEmail", g.contact_phone as "contactPhone", g.updated_at as "updatedAt"`

function orgWhere(cityId: number, f: OrganizationFilter): SQL {
  return sql`where g.city_id = ${cityId} and ${PUBLIC_ORG}
    ${f.ids ? sql`and g.id = any(${`{${f.ids.join(',')}}`}::int8[])` : sql``}
    ${containing(f.search, sql`g.name`, sql`g.description`)}`
}

export async function organizations(db: Db, cityId: number, f: OrganizationFilter, paging: Paging) {
  const where = orgWhere(cityId, f)
  const [list, total] = await Promise.all([
    rows<OrganizationSource>(
      db,
      sql`select ${orgColumns} from organizations g ${where} order by g.id limit ${paging.limit} offset ${paging.offset}`,
    ),
    firstRow<{ n: number }>(db, sql`select count(*)::int as n from organizations g ${where}`),
  ])
  return { list, total: total?.n ?? 0 }
}

export interface ServiceFilter {
  search?: string
  organizationId?: number
  modifiedAfter?: Date
  /** Only services under this building block (a taxonomy term). */
  block?: string
  ids?: number[]
  /** Only services held at a place (for service_at_locations). */
  placed?: boolean
}

const serviceColumns = sql`o.id::int as id, o.organization_id::int as "organizationId", o.status, o.title,
  o.description, o.outcomes, o.building_block as "buildingBlock", o.age_min as "ageMin", o.age_max as "ageMax", o.languages, o.format,
  o.venue_id::int as "venueId", o.address, o.lat, o.lon, o.schedule, o.free, o.price::text as price, o.currency,
  o.concessions, o.contact_email as "contactEmail", o.contact_phone as "contactPhone", o.updated_at as "updatedAt",
  d.first_start as "firstStart", d.last_end as "lastEnd"`

/** An opportunity held at a venue, or at an address of its own with coordinates. */
const PLACED = sql`o.format <> 'online' and (o.venue_id is not null or (o.address is not null and o.lat is not null and o.lon is not null))`

function serviceWhere(cityId: number, f: ServiceFilter): SQL {
  return sql`where o.city_id = ${cityId} and ${LISTED} and ${PUBLIC_ORG}
    ${f.organizationId !== undefined ? sql`and o.organization_id = ${f.organizationId}` : sql``}
    ${f.modifiedAfter ? sql`and o.updated_at >= ${f.modifiedAfter.toISOString()}` : sql``}
    ${f.block !== undefined ? sql`and o.building_block = ${f.block}` : sql``}
    ${f.ids ? sql`and o.id = any(${`{${f.ids.join(',')}}`}::int8[])` : sql``}
    ${f.placed ? sql`and ${PLACED}` : sql``}
    ${containing(f.search, sql`o.title`, sql`o.description`, sql`o.address`)}`
}

export async function services(db: Db, cityId: number, f: ServiceFilter, paging: Paging) {
  const where = serviceWhere(cityId, f)
  const from = sql`from opportunities o join organizations g on g.id = o.organization_id and g.city_id = o.city_id`
  const [list, total] = await Promise.all([
    rows<ServiceSource>(
      db,
      sql`select ${serviceColumns} ${from}
          left join lateral (select min(s.starts_at) as first_start, max(s.ends_at) as last_end
            from opportunity_sessions s where s.city_id = o.city_id and s.opportunity_id = o.id and not s.cancelled) d on true
          ${where} order by o.id limit ${paging.limit} offset ${paging.offset}`,
    ),
    firstRow<{ n: number }>(db, sql`select count(*)::int as n ${from} ${where}`),
  ])
  return { list, total: total?.n ?? 0 }
}

export interface LocationFilter {
  search?: string
  venueIds?: number[]
  placeIds?: number[]
}

/**
 * The places of the directory: venues a public provider lists or a listed opportunity is held at,
 * and the own addresses of listed opportunities held elsewhere (each its own place).
 */
export async function locations(db: Db, cityId: number, f: LocationFilter, paging: Paging) {
  const byIds = f.venueIds !== undefined || f.placeIds !== undefined
  const venueIds = f.venueIds ?? []
  const placeIds = f.placeIds ?? []
  const union = sql`select 'venue' as kind, v.id::int as id, v.name, v.address, v.lat, v.lon, v.website, v.phone,
        v.organization_id::int as "organizationId", v.address_1 as "address1", v.address_2 as "address2",
        v.locality, v.region, v.postal_code as "postalCode", v.country
      from venues v
      where v.city_id = ${cityId}
        ${byIds ? sql`and v.id = any(${`{${venueIds.join(',')}}`}::int8[])` : sql``}
        and (exists (select 1 from opportunities o join organizations g on g.id = o.organization_id
                     where o.city_id = ${cityId} and o.venue_id = v.id and o.format <> 'online' and ${LISTED} and ${PUBLIC_ORG})
          or exists (select 1 from organization_venues ov join organizations g on g.id = ov.organization_id
                     where ov.city_id = ${cityId} and ov.venue_id = v.id and ${PUBLIC_ORG}))
        ${containing(f.search, sql`v.name`, sql`v.address`)}
    union all
    select 'place', o.id::int, null, o.address, o.lat, o.lon, null, null, o.organization_id::int,
        null, null, null, null, null, null
      from opportunities o join organizations g on g.id = o.organization_id
      where o.city_id = ${cityId} and ${LISTED} and ${PUBLIC_ORG} and o.format <> 'online' and o.venue_id is null
        and o.address is not null and o.lat is not null and o.lon is not null
        ${byIds ? sql`and o.id = any(${`{${placeIds.join(',')}}`}::int8[])` : sql``}
        ${containing(f.search, sql`o.address`)}`
  const [list, total] = await Promise.all([
    rows<LocationSource>(
      db,
      sql`select * from (${union}) as l order by kind desc, id limit ${paging.limit} offset ${paging.offset}`,
    ),
    firstRow<{ n: number }>(db, sql`select count(*)::int as n from (${union}) as l`),
  ])
  return { list, total: total?.n ?? 0 }
}

/** The venues each organization lists, for nesting its locations. */
export async function venuesOfOrganizations(db: Db, cityId: number, organizationIds: number[]) {
  if (organizationIds.length === 0) return new Map<number, number[]>()
  const found = await rows<{ organizationId: number; venueId: number }>(
    db,
    sql`select organization_id::int as "organizationId", venue_id::int as "venueId" from organization_venues
        where city_id = ${cityId} and organization_id = any(${`{${organizationIds.join(',')}}`}::int8[])
        order by venue_id`,
  )
  const byOrg = new Map<number, number[]>()
  for (const r of found) byOrg.set(r.organizationId, [...(byOrg.get(r.organizationId) ?? []), r.venueId])
  return byOrg
}
