import { arrayOf, type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { Polygonal } from '../../platform/geo/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { Theme } from './schema.ts'

export interface CityRow {
  id: number
  slug: string
  name: TranslatedText
  defaultLanguage: string
  languages: string[]
  timeZone: string
  theme: Theme
  credits: TranslatedText
}

const cityColumns = sql`id::int as id, slug, name, default_language as "defaultLanguage", languages,
  time_zone as "timeZone", theme, credits`

export function findCityBySlug(db: Db, slug: string) {
  return firstRow<CityRow>(db, sql`select ${cityColumns} from cities where slug = ${slug}`)
}

export function listCities(db: Db) {
  return rows<CityRow>(db, sql`select ${cityColumns} from cities order by slug`)
}

export async function insertCity(db: Db, city: Omit<CityRow, 'id'>): Promise<number | undefined> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into cities (slug, name, default_language, languages, time_zone, theme, credits)
        values (${city.slug}, ${JSON.stringify(city.name)}::jsonb, ${city.defaultLanguage},
                ${arrayOf(city.languages, 'text')},
                ${city.timeZone}, ${JSON.stringify(city.theme)}::jsonb, ${JSON.stringify(city.credits)}::jsonb)
        on conflict (slug) do nothing returning id::int as id`,
  )
  return row?.id
}

export async function updateTheme(db: Db, cityId: number, theme: Theme, name?: TranslatedText) {
  await db.execute(
    sql`update cities set theme = ${JSON.stringify(theme)}::jsonb,
          name = coalesce(${name ? JSON.stringify(name) : null}::jsonb, name), updated_at = now()
        where id = ${cityId}`,
  )
}

export interface DistrictRow {
  id: number
  code: string
  name: TranslatedText
  population: number | null
  geometry: Polygonal
  bbox: number[]
  facts: Record<string, number | string | null>
}

export function listDistricts(db: Db, cityId: number) {
  return rows<DistrictRow>(
    db,
    sql`select id::int as id, code, name, population, geometry, bbox, facts
        from districts where city_id = ${cityId} order by length(code), code`,
  )
}

/** A city's districts without their boundaries: what lists and pickers need. */
export function listDistrictNames(db: Db, cityId: number) {
  return rows<Pick<DistrictRow, 'code' | 'name' | 'bbox'>>(
    db,
    sql`select code, name, bbox from districts where city_id = ${cityId} order by length(code), code`,
  )
}

export function findDistrict(db: Db, cityId: number, code: string) {
  return firstRow<DistrictRow>(
    db,
    sql`select id::int as id, code, name, population, geometry, bbox, facts
        from districts where city_id = ${cityId} and code = ${code}`,
  )
}

export async function insertDistrict(db: Db, cityId: number, d: Omit<DistrictRow, 'id'>) {
  await db.execute(
    sql`insert into districts (city_id, code, name, population, geometry, bbox, facts)
        values (${cityId}, ${d.code}, ${JSON.stringify(d.name)}::jsonb, ${d.population},
                ${JSON.stringify(d.geometry)}::jsonb,
                ${arrayOf(d.bbox, 'float8')},
                ${JSON.stringify(d.facts)}::jsonb)
        on conflict (city_id, code) do nothing`,
  )
}

/** A venue's address in parts (HSDS address, schema.org PostalAddress); null where not known. */
export interface AddressParts {
  address1: string | null
  address2: string | null
  /** City, town or village. */
  locality: string | null
  /** State, province or region. */
  region: string | null
  postalCode: string | null
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null
}

export interface VenueInput extends Partial<AddressParts> {
  kind: string
  externalId: string
  name: TranslatedText
  /** The one-line address people read. */
  address: string
  postalCode: string | null
  lat: number
  lon: number
  districtId: number | null
  website: string | null
  phone: string | null
}

/** Inserts venues in one statement per batch (idempotent by kind + external id). */
export async function insertVenues(db: Db, cityId: number, venues: VenueInput[]) {
  if (venues.length === 0) return
  await db.execute(
    sql`insert into venues (city_id, kind, external_id, name, address, address_1, address_2, locality, region,
                            postal_code, country, lat, lon, district_id, website, phone)
        select ${cityId}, v.kind, v.external_id, v.name, v.address, v.address_1, v.address_2, v.locality, v.region,
               v.postal_code, v.country, v.lat, v.lon, v.district_id, v.website, v.phone
        from jsonb_to_recordset(${JSON.stringify(
          venues.map((v) => ({
            ...v,
            external_id: v.externalId,
            address_1: v.address1 ?? null,
            address_2: v.address2 ?? null,
            postal_code: v.postalCode,
            district_id: v.districtId,
          })),
        )}::jsonb) as v(kind text, external_id text, name jsonb, address text, address_1 text, address_2 text,
                        locality text, region text, postal_code text, country text, lat float8, lon float8,
                        district_id bigint, website text, phone text)
        on conflict (city_id, kind, external_id) do nothing`,
  )
}

export interface DistrictStats {
  districtId: number
  venues: number
}

export function venueCountsByDistrict(db: Db, cityId: number) {
  return rows<{ districtId: number; kind: string; n: number }>(
    db,
    sql`select district_id::int as "districtId", kind, count(*)::int as n from venues
        where city_id = ${cityId} group by district_id, kind`,
  )
}

export function cityTotals(db: Db, cityId: number) {
  return firstRow<{ districts: number; population: number; venues: number }>(
    db,
    sql`select (select count(*)::int from districts where city_id = ${cityId}) as districts,
               (select coalesce(sum(population), 0)::int from districts where city_id = ${cityId}) as population,
               (select count(*)::int from venues where city_id = ${cityId}) as venues`,
  )
}

export interface VenuePlace {
  id: number
  name: TranslatedText
  lat: number
  lon: number
  /** The one-line address people read. */
  address: string
  districtId: number | null
}

/** A venue's place with its address in parts. */
export interface VenueWithAddress extends VenuePlace, AddressParts {}

export async function findVenue(
  db: Db,
  cityId: number,
  venueId: number,
): Promise<VenueWithAddress | undefined> {
  return (await findVenues(db, cityId, [venueId]))[0]
}

/** Venues of a city by id with their address parts, in one query (unknown ids are left out). */
export function findVenues(db: Db, cityId: number, venueIds: number[]) {
  if (venueIds.length === 0) return Promise.resolve([] as VenueWithAddress[])
  return rows<VenueWithAddress>(
    db,
    sql`select id::int as id, name, lat, lon, address, district_id::int as "districtId",
               address_1 as "address1", address_2 as "address2", locality, region,
               postal_code as "postalCode", country
        from venues
        where city_id = ${cityId} and id = any(${arrayOf(venueIds, 'int8')})`,
  )
}

/** Every venue of a city with its place (a bulk import checks rows against them without a query each). */
export function listVenuePlaces(db: Db, cityId: number) {
  return rows<VenuePlace>(
    db,
    sql`select id::int as id, name, lat, lon, address, district_id::int as "districtId" from venues
        where city_id = ${cityId}`,
  )
}

export function listVenues(db: Db, cityId: number, kind?: string) {
  return rows<{ id: number; kind: string; name: TranslatedText; address: string; districtId: number | null }>(
    db,
    sql`select id::int as id, kind, name, address, district_id::int as "districtId" from venues
        where city_id = ${cityId} ${kind ? sql`and kind = ${kind}` : sql``} order by kind, name->>'en'`,
  )
}

export interface VenueChoice {
  id: number
  kind: string
  name: TranslatedText
  address: string
  districtId: number | null
  /** The name of the venue's district, when it has one. */
  district: TranslatedText | null
  /** Whether the venue matches every word searched for (always true without words). */
  matched: boolean
}

/** `%word%` for ILIKE, with the pattern characters of the word escaped. */
const containing = (word: string) => `%${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`

/**
 * A city's venues for a picker, with their district's name. With words, only the venues whose name
 * (in any language), address or district name contains every word, ignoring case; the venues in
 * `keep` (the one already chosen) are returned either way, with `matched` saying whether they match.
 */
export function searchVenues(
  db: Db,
  cityId: number,
  search: { words?: readonly string[]; keep?: readonly number[] } = {},
) {
  const words = search.words ?? []
  const keep = search.keep ?? []
  const matches = words.length
    ? sql.join(
        words.map(
          (word) => sql`(v.address ilike ${containing(word)}
            or exists (select 1 from jsonb_each_text(v.name) n where n.value ilike ${containing(word)})
            or exists (select 1 from jsonb_each_text(d.name) n where n.value ilike ${containing(word)}))`,
        ),
        sql` and `,
      )
    : sql`true`
  return rows<VenueChoice>(
    db,
    sql`select v.id::int as id, v.kind, v.name, v.address, v.district_id::int as "districtId",
               d.name as district, ${matches} as matched
        from venues v left join districts d on d.id = v.district_id and d.city_id = v.city_id
        where v.city_id = ${cityId}
          and (${matches}${keep.length ? sql` or v.id = any(${arrayOf(keep, 'int8')})` : sql``})
        order by v.id`,
  )
}

export function findCityById(db: Db, id: number) {
  return firstRow<CityRow>(db, sql`select ${cityColumns} from cities where id = ${id}`)
}
