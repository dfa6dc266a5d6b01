import { LANGUAGES } from '../../platform/i18n/index.ts'

/** A problem found in one cell: the column, and either the model's reason or a message key of ours. */
export interface CellError {
  column: string
  detail?: string
  key?: string
}

const perLanguage = (name: string) => LANGUAGES.map((l) => `${name}_${l}`)

/** Every column of the import file, in template order: one per field of OpportunityInput, flattened. */
export const IMPORT_COLUMNS: readonly string[] = [
  'external_id',
  'publish',
  ...perLanguage('title'),
  ...perLanguage('description'),
  ...perLanguage('outcomes'),
  'building_block',
  'topics',
  'age_min',
  'age_max',
  'groups',
  'languages',
  'format',
  'venue_id',
  'address',
  'lat',
  'lon',
  'join_url',
  'schedule_kind',
  'start',
  'duration_minutes',
  'rrule',
  'rdates',
  'exdates',
  'free',
  'price',
  'currency',
  'concessions',
  'financial_help',
  'accessibility',
  'accessibility_note',
  'capacity',
  'image_url',
  ...perLanguage('image_alt'),
  'contact_email',
  'contact_phone',
]

/** The documented columns: translated ones share one explanation (`title_*`). */
export const DOCUMENTED_COLUMNS: readonly string[] = [
  ...new Set(IMPORT_COLUMNS.map((c) => c.replace(/_(en|ar|zh|fr|ru|es)$/, '_*'))),
]

/** The example row of the template: an in-person weekly series, published at once. */
export const EXAMPLE_ROW: Record<string, string> = {
  external_id: 'ROBOTS-2027-AUTUMN',
  publish: 'yes',
  title_en: 'Robotics for beginners',
  title_es: 'Robótica para principiantes',
  description_en: 'Build and program a small robot. No experience needed.',
  description_es: 'Construye y programa un pequeño robot. No hace falta experiencia.',
  outcomes_en: 'Program a robot to follow a line.',
  building_block: 'learning-technologies',
  topics: 'robotics;coding',
  age_min: '9',
  age_max: '14',
  groups: 'children;families',
  languages: 'en;es',
  format: 'in-person',
  address: '1230 W Greenleaf Ave, Chicago, IL',
  lat: '42.0106',
  lon: '-87.6627',
  schedule_kind: 'series',
  start: '2027-10-02T10:00',
  duration_minutes: '90',
  rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=8',
  free: 'yes',
  currency: 'USD',
  financial_help: 'no',
  accessibility: 'step-free;quiet-space',
  capacity: '12',
  image_url: '/static/images/robotics.jpg',
  image_alt_en: 'Two children wiring a small robot',
  contact_email: 'robots@example.org',
}

/** Reads a header row: trimmed, lower-case names, the byte-order mark removed. */
export function normaliseHeader(cells: string[]): string[] {
  return cells.map((c) =>
    c
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  )
}

const TRUE = new Set(['yes', 'y', 'true', '1'])
const FALSE = new Set(['no', 'n', 'false', '0'])

/** yes/no → boolean; empty → undefined; anything else stays text so the schema names the wrong type. */
function yesNo(value: string): boolean | string | undefined {
  const v = value.trim().toLowerCase()
  if (v === '') return undefined
  if (TRUE.has(v)) return true
  if (FALSE.has(v)) return false
  return value
}

/** A number; empty → the given blank; anything unreadable stays text so the schema says why. */
function num<B>(value: string, blank: B): number | string | B {
  const v = value.trim()
  if (v === '') return blank
  const n = Number(v)
  return Number.isFinite(n) ? n : value
}

const list = (value: string) =>
  value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

const orNull = (value: string) => (value.trim() === '' ? null : value)

/** A cell by column name; '' when the file has no such column or the row is short. */
type Cell = (cells: string[], column: string) => string

/** The translated columns of a field, `title` → [['ar', 'title_ar'], …]. */
const languageColumns = (name: string) => LANGUAGES.map((l) => [l, `${name}_${l}`] as const)
const TRANSLATED = {
  title: languageColumns('title'),
  description: languageColumns('description'),
  outcomes: languageColumns('outcomes'),
  image_alt: languageColumns('image_alt'),
}

function perLang(cells: string[], cell: Cell, name: keyof typeof TRANSLATED) {
  const out: Record<string, string> = {}
  for (const [l, column] of TRANSLATED[name]) {
    const v = cell(cells, column)
    if (v.trim() !== '') out[l] = v
  }
  return out
}

function schedule(cells: string[], cell: Cell) {
  const kind = cell(cells, 'schedule_kind').trim() || undefined
  if (kind === 'self-paced') return { kind }
  const timed = {
    kind,
    start: cell(cells, 'start').trim() || undefined,
    durationMinutes: num(cell(cells, 'duration_minutes'), undefined),
  }
  if (kind !== 'series') return timed
  return {
    ...timed,
    rrule: cell(cells, 'rrule').trim() || undefined,
    rdates: list(cell(cells, 'rdates')),
    exdates: list(cell(cells, 'exdates')),
  }
}

/** One file row turned into the raw OpportunityInput (validated later by the model's own schema). */
export interface ConvertedRow {
  externalId: string
  publish: boolean
  raw: Record<string, unknown>
  errors: CellError[]
}

/**
 * Converts rows of cells (by header) into the shape OpportunityInput parses. Only what the file
 * format itself needs is checked here (external id present, publish yes/no); every rule about the
 * opportunity stays in the model's schema. The header is read once for every row of the file.
 */
export function rowConverter(header: string[]): (cells: string[]) => ConvertedRow {
  const index = new Map(header.map((h, i) => [h, i]))
  const cell: Cell = (cells, column) => {
    const i = index.get(column)
    return i === undefined ? '' : (cells[i] ?? '')
  }
  return (cells) => {
    const errors: CellError[] = []
    const externalId = cell(cells, 'external_id').trim()
    if (externalId === '')
      errors.push({ column: 'external_id', key: 'opportunities.import.reason.noExternalId' })
    const publish = yesNo(cell(cells, 'publish'))
    if (typeof publish === 'string')
      errors.push({ column: 'publish', key: 'opportunities.import.reason.yesNo' })
    const raw = {
      externalId: externalId || undefined,
      title: perLang(cells, cell, 'title'),
      description: perLang(cells, cell, 'description'),
      outcomes: perLang(cells, cell, 'outcomes'),
      buildingBlock: cell(cells, 'building_block').trim() || undefined,
      topics: list(cell(cells, 'topics')),
      ageMin: num(cell(cells, 'age_min'), null),
      ageMax: num(cell(cells, 'age_max'), null),
      groups: list(cell(cells, 'groups')),
      languages: list(cell(cells, 'languages')),
      format: cell(cells, 'format').trim() || undefined,
      venueId: num(cell(cells, 'venue_id'), null),
      address: orNull(cell(cells, 'address')),
      lat: num(cell(cells, 'lat'), null),
      lon: num(cell(cells, 'lon'), null),
      joinUrl: orNull(cell(cells, 'join_url')),
      schedule: schedule(cells, cell),
      cost: {
        free: yesNo(cell(cells, 'free')),
        price: num(cell(cells, 'price'), null),
        currency: cell(cells, 'currency').trim() || undefined,
        concessions: cell(cells, 'concessions'),
        financialHelp: yesNo(cell(cells, 'financial_help')) ?? false,
      },
      accessibility: list(cell(cells, 'accessibility')),
      accessibilityNote: cell(cells, 'accessibility_note'),
      capacity: num(cell(cells, 'capacity'), null),
      image: { url: cell(cells, 'image_url').trim() || undefined, alt: perLang(cells, cell, 'image_alt') },
      contactEmail: orNull(cell(cells, 'contact_email')),
      contactPhone: orNull(cell(cells, 'contact_phone')),
    }
    return { externalId, publish: publish === true, raw, errors }
  }
}

/** One row converted (see rowConverter). */
export const rowToInput = (header: string[], cells: string[]): ConvertedRow => rowConverter(header)(cells)

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const NESTED: Record<string, string> = {
  'schedule/kind': 'schedule_kind',
  'image/url': 'image_url',
  'image/alt': 'image_alt_*',
}

/** The file column a use-case field error points at: `/schedule/durationMinutes` → `duration_minutes`. */
export function columnOf(pointer: string): string {
  const parts = pointer.split('/').filter((p) => p !== '' && !/^\d+$/.test(p))
  const [first = '', second, third] = parts
  if (['title', 'description', 'outcomes'].includes(first))
    return second ? `${first}_${second}` : `${first}_*`
  if (first === 'image' && second === 'alt') return third ? `image_alt_${third}` : 'image_alt_*'
  const nested = NESTED[`${first}/${second}`]
  if (nested) return nested
  if (first === 'schedule') return second ? snake(second) : 'schedule_kind'
  if (first === 'cost') return second ? snake(second) : 'free'
  return snake(first) || 'external_id'
}
