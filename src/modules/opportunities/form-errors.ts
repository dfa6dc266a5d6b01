import type { T } from '../../platform/i18n/index.ts'
import type { FormError } from '../../platform/ui/forms.tsx'
import { type FormValues, text } from './form-values.ts'

/** Field ids in the order the form shows them, so the error summary reads top to bottom. */
const ORDER = [
  'title',
  'description',
  'outcomes',
  'buildingBlock',
  'topics',
  'externalId',
  'ageMin',
  'ageMax',
  'groups',
  'languages',
  'format',
  'venueId',
  'address',
  'lat',
  'lon',
  'joinUrl',
  'scheduleKind',
  'start',
  'durationMinutes',
  'frequency',
  'rrule',
  'rdates',
  'exdates',
  'free',
  'price',
  'currency',
  'concessions',
  'accessibility',
  'accessibilityNote',
  'capacity',
  'imageUrl',
  'imageAlt',
  'contactEmail',
  'contactPhone',
] as const
type Base = (typeof ORDER)[number]

const SIMPLE = new Set<string>(ORDER)
/** Fields whose error message repeats the technical problem (a rule or a date list the provider typed). */
const WITH_PROBLEM = new Set<Base>(['rrule', 'rdates', 'exdates'])

/** The form field a JSON-pointer error of the opportunity schema belongs to: `/title/en` → `title-en`. */
export function fieldFor(
  pointer: string,
  values: FormValues,
  languages: readonly string[],
): { id: string; base: Base; lang?: string } {
  const [head = '', second, third] = pointer.split('/').slice(1)
  const inCity = (l: string | undefined) => (l && languages.includes(l) ? l : languages[0]!)
  if (head === 'title' || head === 'description' || head === 'outcomes') {
    const lang = inCity(second)
    return { id: `${head}-${lang}`, base: head, lang }
  }
  if (head === 'image') {
    if (second !== 'alt') return { id: 'imageUrl', base: 'imageUrl' }
    const lang = inCity(third)
    return { id: `imageAlt-${lang}`, base: 'imageAlt', lang }
  }
  if (head === 'schedule') {
    const part = (second ?? '').replace(/\[\d+\]$/, '')
    if (part === 'rrule') {
      const id = text(values, 'rrule').trim() ? 'rrule' : 'frequency'
      return { id, base: id as Base }
    }
    if (part === 'start' || part === 'durationMinutes' || part === 'rdates' || part === 'exdates') {
      return { id: part, base: part }
    }
    return { id: 'scheduleKind', base: 'scheduleKind' }
  }
  if (head === 'cost') {
    const part = second === 'price' || second === 'currency' || second === 'concessions' ? second : 'free'
    return { id: part, base: part }
  }
  if (SIMPLE.has(head)) return { id: head, base: head as Base }
  // Anything else (an archived opportunity's status) is shown against the first field.
  const lang = languages[0]!
  return { id: `title-${lang}`, base: 'title', lang }
}

/** One message per field, in the reader's language, in the order of the form. */
export function formErrors(
  fields: { field: string; detail: string }[] | undefined,
  values: FormValues,
  languages: readonly string[],
  t: T,
  lang: string,
): FormError[] {
  const names = new Intl.DisplayNames([lang], { type: 'language' })
  const seen = new Map<string, { base: Base; error: FormError }>()
  for (const f of fields ?? []) {
    const target = fieldFor(f.field, values, languages)
    if (seen.has(target.id)) continue
    const params = {
      language: target.lang ? (names.of(target.lang) ?? target.lang) : '',
      problem: f.detail,
    }
    const key =
      f.field === '/status'
        ? 'opportunities.provide.errors.archived'
        : `opportunities.provide.errors.${target.base}`
    const message = WITH_PROBLEM.has(target.base) ? t(key, params) : t(key, { language: params.language })
    seen.set(target.id, { base: target.base, error: { field: target.id, message } })
  }
  return [...seen.values()].sort((a, b) => ORDER.indexOf(a.base) - ORDER.indexOf(b.base)).map((e) => e.error)
}
