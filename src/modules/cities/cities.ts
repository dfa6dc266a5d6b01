import { type Area, bbox, locate, type Polygonal } from '../../platform/geo/index.ts'
import { LANGUAGES, type TranslatedText } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { AA_TEXT, contrastRatio, isHexColor } from '../../platform/ui/contrast.ts'
import * as repo from './repository.ts'
import type { Theme } from './schema.ts'

export type Result<T, E extends string> =
  | { ok: true; value: T }
  | {
      ok: false
      error: E
      fields: { field: string; key: string; values?: Record<string, string | number> }[]
    }

export const DEFAULT_THEME: Theme = {
  primary: '#1d4ed8',
  primaryText: '#ffffff',
  background: '#ffffff',
  text: '#1f2328',
}

export interface NewCity {
  slug: string
  name: TranslatedText
  defaultLanguage: string
  languages?: string[]
  timeZone: string
  theme?: Theme
  credits?: TranslatedText
}

/** Path words that can never be a city, since other routes use them. */
export const RESERVED_SLUGS = new Set(['account', 'admin', 'api', 'about', 'static', 'healthz', 'network'])

/** Checks a city's settings; returns message keys per field. */
export function validateCity(input: NewCity) {
  const fields: { field: string; key: string }[] = []
  if (!/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(input.slug) || RESERVED_SLUGS.has(input.slug)) {
    fields.push({ field: 'slug', key: 'errors.slug' })
  }
  if (!Object.values(input.name).some((v) => v?.trim())) fields.push({ field: 'name', key: 'errors.name' })
  const languages = input.languages ?? [...LANGUAGES]
  if (!languages.every((l) => (LANGUAGES as readonly string[]).includes(l)) || languages.length === 0) {
    fields.push({ field: 'languages', key: 'errors.languages' })
  }
  if (!languages.includes(input.defaultLanguage))
    fields.push({ field: 'defaultLanguage', key: 'errors.defaultLanguage' })
  try {
    new Intl.DateTimeFormat('en', { timeZone: input.timeZone })
  } catch {
    fields.push({ field: 'timeZone', key: 'errors.timeZone' })
  }
  return fields
}

/** Creates a city (tenant). */
export async function createCity(
  platform: Platform,
  input: NewCity,
): Promise<Result<number, 'invalid' | 'taken'>> {
  const fields = validateCity(input)
  if (fields.length > 0) return { ok: false, error: 'invalid', fields }
  const id = await repo.insertCity(platform.db, {
    slug: input.slug,
    name: input.name,
    defaultLanguage: input.defaultLanguage,
    languages: input.languages ?? [...LANGUAGES],
    timeZone: input.timeZone,
    theme: input.theme ?? DEFAULT_THEME,
    credits: input.credits ?? {},
  })
  if (!id) return { ok: false, error: 'taken', fields: [{ field: 'slug', key: 'errors.slugTaken' }] }
  return { ok: true, value: id }
}

/**
 * Saves a city's look (name per language, logo, colours) only when text on the colours reaches
 * WCAG AA (4.5:1): contrast is checked, never trusted.
 */
export async function saveTheme(
  platform: Platform,
  cityId: number,
  theme: Theme,
  name?: TranslatedText,
): Promise<Result<Theme, 'invalid'>> {
  const fields: Result<Theme, 'invalid'> & { ok: false } = { ok: false, error: 'invalid', fields: [] }
  if (name) {
    const entries = Object.entries(name)
    if (!entries.some(([, v]) => v?.trim()))
      fields.fields.push({ field: `name_${entries[0]?.[0] ?? 'en'}`, key: 'errors.name' })
    for (const [lang, value] of entries) {
      if ((value ?? '').length > 80) fields.fields.push({ field: `name_${lang}`, key: 'errors.nameLong' })
    }
  }
  for (const key of ['primary', 'primaryText', 'background', 'text'] as const) {
    if (!isHexColor(theme[key])) fields.fields.push({ field: key, key: 'errors.color' })
  }
  if (theme.logoUrl && !/^(https:\/\/|\/)[^\s"'<>]*$/.test(theme.logoUrl)) {
    fields.fields.push({ field: 'logoUrl', key: 'errors.logoUrl' })
  }
  if (fields.fields.length > 0) return fields
  const header = contrastRatio(theme.primary, theme.primaryText)
  if (header < AA_TEXT) {
    fields.fields.push({
      field: 'primaryText',
      key: 'errors.contrastHeader',
      values: { ratio: header },
    })
  }
  const body = contrastRatio(theme.background, theme.text)
  if (body < AA_TEXT)
    fields.fields.push({ field: 'text', key: 'errors.contrastBody', values: { ratio: body } })
  const links = contrastRatio(theme.background, theme.primary)
  if (links < AA_TEXT) {
    fields.fields.push({ field: 'primary', key: 'errors.contrastLinks', values: { ratio: links } })
  }
  if (fields.fields.length > 0) return fields
  const cleanName = name
    ? Object.fromEntries(
        Object.entries(name)
          .filter(([, v]) => v?.trim())
          .map(([k, v]) => [k, v!.trim()]),
      )
    : undefined
  await repo.updateTheme(platform.db, cityId, theme, cleanName)
  return { ok: true, value: theme }
}

export interface DistrictInput {
  code: string
  name: TranslatedText
  population: number | null
  geometry: Polygonal
  facts?: Record<string, number | string | null>
}

/** Stores a city's districts (GeoJSON boundaries with population). */
export async function addDistricts(platform: Platform, cityId: number, districts: DistrictInput[]) {
  locatorsOf(platform).delete(cityId)
  for (const d of districts) {
    await repo.insertDistrict(platform.db, cityId, { ...d, bbox: bbox(d.geometry), facts: d.facts ?? {} })
  }
}

type Locator = (lat: number, lon: number) => { id: number; code: string } | undefined

/** A district's boundary, keyed by its id and code. */
export type DistrictArea = Area<{ id: number; code: string }>
// Per database (tests run several side by side), then per city.
const locatorsByDb = new WeakMap<object, Map<number, { loadedAt: number; locate: Locator }>>()
function locatorsOf(platform: Platform) {
  let map = locatorsByDb.get(platform.db)
  if (!map) {
    map = new Map()
    locatorsByDb.set(platform.db, map)
  }
  return map
}
/** Boundaries change rarely (seed or operator); another process's change shows within this time. */
const LOCATOR_TTL_MS = 60_000

/**
 * A point-in-district locator over a city's boundaries, for assigning districts at write time.
 * Cached per city, because loading 77 boundaries for every saved opportunity would dominate imports.
 */
export async function districtLocator(platform: Platform, cityId: number): Promise<Locator> {
  const locators = locatorsOf(platform)
  const cached = locators.get(cityId)
  if (cached && Date.now() - cached.loadedAt < LOCATOR_TTL_MS) return cached.locate
  const areas = await districtAreas(platform, cityId)
  const locateIn: Locator = (lat, lon) => locate(areas, lat, lon)
  // An empty city is not cached: its districts are usually about to be added.
  if (areas.length > 0) locators.set(cityId, { loadedAt: Date.now(), locate: locateIn })
  return locateIn
}

/** A city's district boundaries as plain data (e.g. to locate points in another thread). */
export async function districtAreas(platform: Platform, cityId: number): Promise<DistrictArea[]> {
  const districts = await repo.listDistricts(platform.db, cityId)
  return districts.map((d) => ({ key: { id: d.id, code: d.code }, geometry: d.geometry, bbox: d.bbox }))
}
