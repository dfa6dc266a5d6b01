import { sql } from 'drizzle-orm'
import {
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, translated, updatedAt } from '../../platform/db/columns.ts'

export interface Theme {
  primary: string
  primaryText: string
  background: string
  text: string
  logoUrl?: string
}

export const cities = pgTable(
  'cities',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: translated('name'),
    defaultLanguage: text('default_language').notNull(),
    languages: text('languages').array().notNull(),
    timeZone: text('time_zone').notNull(),
    theme: jsonb('theme').$type<Theme>().notNull(),
    credits: translated('credits'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('cities_slug_key').on(t.slug)],
)

export const districts = pgTable(
  'districts',
  {
    id: id(),
    cityId: cityId(),
    code: text('code').notNull(),
    name: translated('name'),
    population: integer('population'),
    /** GeoJSON Polygon or MultiPolygon in WGS84. */
    geometry: jsonb('geometry').$type<{ type: string; coordinates: unknown }>().notNull(),
    bbox: doublePrecision('bbox').array().notNull(),
    facts: jsonb('facts').$type<Record<string, number | string | null>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('districts_city_code_key').on(t.cityId, t.code)],
)

export const venues = pgTable(
  'venues',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id'),
    kind: text('kind').notNull(),
    externalId: text('external_id'),
    name: translated('name'),
    /** The one-line address people read (pages, search, pickers); kept as written, never derived. */
    address: text('address').notNull(),
    /** The address in parts (HSDS `address`, schema.org PostalAddress); each optional. */
    address1: text('address_1'),
    address2: text('address_2'),
    /** City, town or village (HSDS `city`, schema.org addressLocality). */
    locality: text('locality'),
    /** State, province or region (HSDS `state_province`, schema.org addressRegion). */
    region: text('region'),
    postalCode: text('postal_code'),
    /** ISO 3166-1 alpha-2, upper case (US, FR). */
    country: text('country'),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
    districtId: ref('district_id'),
    website: text('website'),
    phone: text('phone'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('venues_city_kind_external_key').on(t.cityId, t.kind, t.externalId),
    index('venues_city_district_idx').on(t.cityId, t.districtId),
    check('venues_country_iso', sql`${t.country} ~ '^[A-Z]{2}$'`),
  ],
)
