/**
 * A search's filters in words, in a reader's language ("“robotics” · Free · This weekend · Online"):
 * the name a saved search gets when its owner gives none, and the line that says what each one is.
 */
import { type Lang, type T, type TranslatedText, translated } from '../../../platform/i18n/index.ts'
import type { Filters } from '../filters.ts'

/** The longest name a saved search has, given or made. */
export const NAME_MAX = 100

export interface Wording {
  t: T
  lang: Lang
  /** District names by lower-cased code; a code without one is shown as it is. */
  districts: Map<string, TranslatedText>
  /** The city's language, the fallback of district names. */
  fallback: string
}

/** The parts of a search in words, one per filter it sets (empty for "everything"). */
export function filterWords(filters: Filters, w: Wording): string[] {
  const { t, lang } = w
  const k = (key: string, values?: Record<string, string | number>) =>
    t(`saved-searches.words.${key}`, values)
  const or = (values: string[]) => new Intl.ListFormat(lang, { type: 'disjunction' }).format(values)
  const languageName = new Intl.DisplayNames([lang], { type: 'language' })
  const dayName = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' })
  // 2024-01-01 was a Monday: day i of the week (mo = 0) is 1 + i January 2024.
  const weekday = (i: number) => dayName.format(new Date(Date.UTC(2024, 0, 1 + i)))
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' })
  const day = (iso: string) => date.format(new Date(`${iso}T00:00:00Z`))
  const WEEK = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su']
  const parts: string[] = []
  if (filters.q) parts.push(filters.q)
  if (filters.blocks.length > 0) parts.push(or(filters.blocks.map((b) => t(`opportunities.block.${b}`))))
  if (filters.topics.length > 0) parts.push(k('topics', { topics: or(filters.topics) }))
  if (filters.age !== null) parts.push(k('age', { age: filters.age }))
  if (filters.free) parts.push(k('free'))
  if (filters.maxPrice !== null) parts.push(k('maxPrice', { price: filters.maxPrice }))
  if (filters.languages.length > 0)
    parts.push(k('languages', { languages: or(filters.languages.map((l) => languageName.of(l) ?? l)) }))
  if (filters.formats.length > 0)
    parts.push(or(filters.formats.map((f) => t(`opportunities.provide.format.${f}`))))
  if (filters.access.length > 0)
    parts.push(
      new Intl.ListFormat(lang, { type: 'conjunction' }).format(
        filters.access.map((a) => t(`opportunities.access.${a}`)),
      ),
    )
  if (filters.districts.length > 0)
    parts.push(
      k('districts', {
        districts: or(
          filters.districts.map((d) => {
            const name = w.districts.get(d)
            return name ? translated(name, lang, [w.fallback]).text : d.toUpperCase()
          }),
        ),
      }),
    )
  if (filters.near) parts.push(k('near', { km: filters.near.radiusKm }))
  if (filters.when) parts.push(k(`when.${filters.when}`))
  if (filters.from && filters.to) parts.push(k('between', { from: day(filters.from), to: day(filters.to) }))
  else if (filters.from) parts.push(k('from', { from: day(filters.from) }))
  else if (filters.to) parts.push(k('to', { to: day(filters.to) }))
  if (filters.days.length > 0) parts.push(or(filters.days.map((d) => weekday(WEEK.indexOf(d)))))
  if (filters.times.length > 0) parts.push(or(filters.times.map((time) => k(`time.${time}`))))
  if (filters.sectors.length > 0) parts.push(or(filters.sectors.map((s) => t(`organizations.sector.${s}`))))
  return parts
}

/** The search in one line, "everything" when it sets no filter. */
export function describeFilters(filters: Filters, w: Wording): string {
  const parts = filterWords(filters, w)
  return parts.length > 0 ? parts.join(' · ') : w.t('saved-searches.words.everything')
}

/** A name as typed, on one line: control characters and direction overrides become spaces. */
export function cleanName(given: string): string {
  return given
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The name a saved search gets when its owner gives none: the search in words, at most NAME_MAX. */
export function madeName(filters: Filters, w: Wording): string {
  const name = [...describeFilters(filters, w)]
  return name.length > NAME_MAX
    ? `${name
        .slice(0, NAME_MAX - 1)
        .join('')
        .trimEnd()}…`
    : name.join('')
}
