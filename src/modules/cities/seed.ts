import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { Polygonal } from '../../platform/geo/index.ts'
import type { Platform } from '../../platform/module.ts'
import { addDistricts, createCity, type DistrictInput, districtLocator } from './cities.ts'
import { findCityBySlug, insertVenues, type VenueInput } from './repository.ts'

const folder = new URL('../../../seed/chicago/', import.meta.url)

function csv(name: string): Record<string, string>[] {
  return parse(readFileSync(new URL(name, folder)), { columns: true, skip_empty_lines: true, trim: true })
}

/** The City of Chicago's requested disclaimer, shown in the credits. */
export const CHICAGO_DISCLAIMER =
  'This site provides applications using data that has been modified for use from its original source, ' +
  'www.cityofchicago.org, the official website of the City of Chicago. The City of Chicago makes no claims as to ' +
  'the content, accuracy, timeliness, or completeness of any of the data provided at this site. The data provided ' +
  'at this site is subject to change at any time. It is understood that the data provided at this site is being ' +
  "used at one's own risk."

const titleCase = (s: string) =>
  s.toLowerCase().replace(/(^|[\s.'-])(\p{L})/gu, (_, p, c: string) => p + c.toUpperCase())
const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s))

/**
 * Seeds the demo city: Chicago's 77 community areas with 2020 population and facts, the 81 public
 * library branches and the public schools as venues, each assigned to its district by its coordinates.
 */
export async function seedChicago(platform: Platform): Promise<number> {
  const existing = await findCityBySlug(platform.db, 'chicago')
  if (existing) return existing.id
  const created = await createCity(platform, {
    slug: 'chicago',
    name: { en: 'Chicago', es: 'Chicago', fr: 'Chicago', ar: 'شيكاغو', zh: '芝加哥', ru: 'Чикаго' },
    defaultLanguage: 'en',
    timeZone: 'America/Chicago',
    theme: { primary: '#0b4f8a', primaryText: '#ffffff', background: '#ffffff', text: '#1f2328' },
    credits: { en: CHICAGO_DISCLAIMER },
  })
  if (!created.ok) throw new Error(`Could not create the demo city: ${created.error}`)
  const cityId = created.value

  const facts = new Map(csv('community_areas.csv').map((row) => [row.area_number, row]))
  const geo = JSON.parse(readFileSync(new URL('community_areas_simplified.geojson', folder), 'utf8')) as {
    features: { properties: { area_number: number }; geometry: Polygonal }[]
  }
  const districts: DistrictInput[] = geo.features.map((f) => {
    const code = String(f.properties.area_number)
    const row = facts.get(code)
    if (!row) throw new Error(`No facts for community area ${code}`)
    const { area_number: _n, name, name_upper: _u, population_2020, ...rest } = row
    return {
      code,
      name: { en: name },
      population: num(population_2020),
      geometry: f.geometry,
      facts: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, num(v)])),
    }
  })
  await addDistricts(platform, cityId, districts)

  const locate = await districtLocator(platform, cityId)
  const venue = (kind: string, row: Record<string, string>, name: string, externalId: string): VenueInput => {
    const lat = Number(row.lat)
    const lon = Number(row.lon)
    const street = titleCase(row.address ?? '')
    return {
      kind,
      externalId,
      name: { en: name },
      address: `${street}, Chicago, IL`,
      address1: street || null,
      locality: row.city ? titleCase(row.city) : 'Chicago',
      region: row.state || 'IL',
      postalCode: row.zip || null,
      country: 'US',
      lat,
      lon,
      districtId: locate(lat, lon)?.id ?? null,
      website: row.website || null,
      phone: row.phone || null,
    }
  }
  const libraries = csv('chicago_public_libraries.csv').map((r) =>
    venue('library', r, `${r.name} Library`, r.name ?? ''),
  )
  const schools = csv('chicago_public_schools_sy2018_19.csv').map((r) =>
    venue('school', r, r.name ?? '', r.school_id ?? ''),
  )
  for (let i = 0; i < schools.length; i += 200)
    await insertVenues(platform.db, cityId, schools.slice(i, i + 200))
  await insertVenues(platform.db, cityId, libraries)
  return cityId
}
