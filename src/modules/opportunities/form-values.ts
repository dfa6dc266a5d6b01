import type { OpportunityRow } from './repository.ts'

/** What the publishing form posts, kept as typed so a form with errors shows it again unchanged. */
export type FormValues = Record<string, string | string[]>

/** Form controls that post several values (checkbox groups). */
const MULTI = new Set(['groups', 'accessibility', 'weekdays'])

/** RFC 5545 weekday codes, Monday first, for the repeat builder. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const

/** The per-language text fields and the key each has in the form (`title-en`, `imageAlt-es`…). */
export const TRANSLATED_FIELDS = ['title', 'description', 'outcomes', 'imageAlt'] as const

/** Reads a parsed form body (`parseBody({ all: true })`) into strings and lists, dropping files. */
export function readForm(body: Record<string, unknown>): FormValues {
  const values: FormValues = {}
  for (const [key, raw] of Object.entries(body)) {
    if (key === '_csrf') continue
    const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string')
    values[key] = MULTI.has(key) ? list : (list.at(-1) ?? '')
  }
  return values
}

/** One value of the form as text ('' when absent). */
export function text(values: FormValues, key: string): string {
  const v = values[key]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

/** A multi-valued control's values. */
export function list(values: FormValues, key: string): string[] {
  const v = values[key]
  return Array.isArray(v) ? v : v ? [v] : []
}

/** Empty → null, a number → the number, anything else stays text so the schema reports it at its field. */
function numberOrText(value: string): number | string | null {
  const v = value.trim()
  if (v === '') return null
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v
}

function orNull(value: string): string | null {
  return value.trim() === '' ? null : value
}

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
}

function perLanguage(values: FormValues, field: string, languages: readonly string[]) {
  const out: Record<string, string> = {}
  for (const lang of languages) {
    const v = text(values, `${field}-${lang}`)
    if (v.trim()) out[lang] = v
  }
  return out
}

/** The RRULE the friendly builder describes, or the advanced rule when one is written. */
export function buildRrule(values: FormValues): string | undefined {
  const advanced = text(values, 'rrule').trim()
  if (advanced) return advanced.replace(/^RRULE:/i, '')
  const frequency = text(values, 'frequency')
  if (frequency !== 'weekly' && frequency !== 'monthly') return undefined
  const parts = [`FREQ=${frequency.toUpperCase()}`]
  const days = list(values, 'weekdays').filter((d) => (WEEKDAYS as readonly string[]).includes(d))
  if (frequency === 'weekly' && days.length > 0) parts.push(`BYDAY=${days.join(',')}`)
  const count = text(values, 'count').trim()
  const until = text(values, 'until').trim()
  if (count) parts.push(`COUNT=${count}`)
  else if (/^\d{4}-\d{2}-\d{2}$/.test(until)) parts.push(`UNTIL=${until.replaceAll('-', '')}`)
  return parts.join(';')
}

function scheduleOf(values: FormValues) {
  const kind = text(values, 'scheduleKind')
  if (kind === 'self-paced') return { kind }
  const timed = {
    kind,
    start: text(values, 'start').trim(),
    durationMinutes: numberOrText(text(values, 'durationMinutes')),
  }
  if (kind !== 'series') return timed
  const rrule = buildRrule(values)
  return {
    ...timed,
    ...(rrule ? { rrule } : {}),
    rdates: lines(text(values, 'rdates')),
    exdates: lines(text(values, 'exdates')),
  }
}

/** Turns the posted form into the raw input the opportunity schema validates. */
export function toRawInput(values: FormValues, languages: readonly string[]): Record<string, unknown> {
  const venue = text(values, 'venueId')
  const externalId = text(values, 'externalId').trim()
  return {
    ...(externalId ? { externalId } : {}),
    title: perLanguage(values, 'title', languages),
    description: perLanguage(values, 'description', languages),
    outcomes: perLanguage(values, 'outcomes', languages),
    buildingBlock: text(values, 'buildingBlock'),
    topics: text(values, 'topics')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ageMin: numberOrText(text(values, 'ageMin')),
    ageMax: numberOrText(text(values, 'ageMax')),
    groups: list(values, 'groups'),
    languages: text(values, 'languages')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    format: text(values, 'format'),
    venueId: venue === '' ? null : numberOrText(venue),
    address: orNull(text(values, 'address')),
    lat: numberOrText(text(values, 'lat')),
    lon: numberOrText(text(values, 'lon')),
    joinUrl: orNull(text(values, 'joinUrl')),
    schedule: scheduleOf(values),
    cost: {
      free: text(values, 'free') === 'on',
      price: numberOrText(text(values, 'price')),
      currency: text(values, 'currency').trim().toUpperCase() || 'USD',
      concessions: text(values, 'concessions'),
      financialHelp: text(values, 'financialHelp') === 'on',
    },
    accessibility: list(values, 'accessibility'),
    accessibilityNote: text(values, 'accessibilityNote'),
    capacity: numberOrText(text(values, 'capacity')),
    image: { url: text(values, 'imageUrl').trim(), alt: perLanguage(values, 'imageAlt', languages) },
    contactEmail: orNull(text(values, 'contactEmail')),
    contactPhone: orNull(text(values, 'contactPhone')),
  }
}

/** Splits a simple rule back into the builder's controls; other rules go to the advanced field. */
function builderOf(rrule: string | undefined): FormValues {
  if (!rrule) return { frequency: 'none' }
  const parts = new Map(rrule.split(';').map((p) => p.split('=') as [string, string]))
  const simple =
    [...parts.keys()].every((k) => ['FREQ', 'BYDAY', 'COUNT', 'UNTIL'].includes(k)) &&
    (parts.get('FREQ') === 'WEEKLY' || (parts.get('FREQ') === 'MONTHLY' && !parts.has('BYDAY'))) &&
    (parts.get('BYDAY') ?? 'MO').split(',').every((d) => (WEEKDAYS as readonly string[]).includes(d)) &&
    /^(\d+)?$/.test(parts.get('COUNT') ?? '') &&
    /^(\d{8})?$/.test(parts.get('UNTIL') ?? '')
  if (!simple) return { frequency: 'none', rrule }
  const until = parts.get('UNTIL') ?? ''
  return {
    frequency: parts.get('FREQ')!.toLowerCase(),
    weekdays: parts.get('BYDAY')?.split(',') ?? [],
    count: parts.get('COUNT') ?? '',
    until: until ? `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}` : '',
  }
}

/** The form's values for an opportunity being edited. */
export function fromRow(row: OpportunityRow): FormValues {
  const values: FormValues = {
    externalId: row.externalId ?? '',
    buildingBlock: row.buildingBlock,
    topics: row.topics.join(', '),
    ageMin: row.ageMin?.toString() ?? '',
    ageMax: row.ageMax?.toString() ?? '',
    groups: row.groups,
    languages: row.languages.join(', '),
    format: row.format,
    venueId: row.venueId?.toString() ?? '',
    address: row.venueId ? '' : (row.address ?? ''),
    lat: row.venueId || row.lat === null ? '' : String(row.lat),
    lon: row.venueId || row.lon === null ? '' : String(row.lon),
    joinUrl: row.joinUrl ?? '',
    scheduleKind: row.schedule.kind,
    free: row.free ? 'on' : '',
    price: row.price === null ? '' : String(Number(row.price)),
    currency: row.currency,
    concessions: row.concessions,
    financialHelp: row.financialHelp ? 'on' : '',
    accessibility: row.accessibility,
    accessibilityNote: row.accessibilityNote,
    capacity: row.capacity?.toString() ?? '',
    imageUrl: row.imageUrl,
    contactEmail: row.contactEmail ?? '',
    contactPhone: row.contactPhone ?? '',
  }
  const texts = {
    title: row.title,
    description: row.description,
    outcomes: row.outcomes,
    imageAlt: row.imageAlt,
  }
  for (const [field, byLang] of Object.entries(texts)) {
    for (const [lang, value] of Object.entries(byLang)) if (value) values[`${field}-${lang}`] = value
  }
  const s = row.schedule
  if (s.kind !== 'self-paced') {
    values.start = s.start
    values.durationMinutes = String(s.durationMinutes)
  }
  if (s.kind === 'series') {
    Object.assign(values, builderOf(s.rrule))
    values.rdates = s.rdates.join('\n')
    values.exdates = s.exdates.join('\n')
  } else values.frequency = 'weekly'
  return values
}

/** Empty form values for a new opportunity in a city. */
export function blankValues(defaultLanguage: string): FormValues {
  return {
    languages: defaultLanguage,
    scheduleKind: 'once',
    frequency: 'weekly',
    currency: 'USD',
    free: 'on',
    durationMinutes: '60',
  }
}
