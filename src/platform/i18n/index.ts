import { readdirSync, readFileSync } from 'node:fs'
import { IntlMessageFormat } from 'intl-messageformat'

/** The six official UN languages; English is the reference catalogue. */
export const LANGUAGES = ['en', 'ar', 'zh', 'fr', 'ru', 'es'] as const
export type Lang = (typeof LANGUAGES)[number]
export const DEFAULT_LANG: Lang = 'en'

/** Each language's own name, shown in the language switcher. */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  en: 'English',
  ar: 'العربية',
  zh: '中文',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

export function direction(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr'
}

type Catalogue = Record<string, string>
const catalogues = new Map<Lang, Catalogue>(LANGUAGES.map((l) => [l, {}]))
const namespaces = new Map<string, URL>()

/**
 * Loads a module's messages/<lang>.json files under a namespace: key `title` in namespace
 * `accounts` is looked up as `accounts.title`.
 */
export function registerMessages(namespace: string, folder: URL): void {
  if (namespaces.has(namespace)) return
  namespaces.set(namespace, folder)
  for (const file of readdirSync(folder)) {
    const lang = file.replace(/\.json$/, '')
    if (!isLang(lang)) continue
    const messages = JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as Catalogue
    const target = catalogues.get(lang)!
    for (const [key, value] of Object.entries(messages)) target[`${namespace}.${key}`] = value
  }
}

/** The flat catalogue of one language (for completeness tests). */
export function catalogue(lang: Lang): Readonly<Catalogue> {
  return catalogues.get(lang)!
}

export type Values = Record<string, string | number | Date>
export type T = (key: string, values?: Values) => string

const formats = new Map<string, IntlMessageFormat>()

/** Returns a translate function for one language, falling back to English per message. */
export function translator(lang: Lang): T {
  const own = catalogues.get(lang)!
  const fallback = catalogues.get(DEFAULT_LANG)!
  return (key, values) => {
    const useLang = own[key] !== undefined ? lang : DEFAULT_LANG
    const source = own[key] ?? fallback[key]
    if (source === undefined) throw new Error(`Missing message "${key}"`)
    if (!values && !source.includes('{')) return source
    const cacheKey = `${useLang}\u0000${key}`
    let format = formats.get(cacheKey)
    if (!format) {
      format = new IntlMessageFormat(source, useLang)
      formats.set(cacheKey, format)
    }
    return String(format.format(values))
  }
}

/** Per-language user content, e.g. { en: 'Library', es: 'Biblioteca' }. */
export type TranslatedText = Partial<Record<string, string>>

/**
 * Picks the best text for a reader: their language, then the given fallbacks (e.g. the city's
 * default), then English, then any language present. Returns the language actually used so the
 * page can mark it with `lang`.
 */
export function translated(
  field: TranslatedText | null | undefined,
  lang: string,
  fallbacks: readonly string[] = [],
): { text: string; lang: string } {
  if (!field) return { text: '', lang }
  for (const candidate of [lang, ...fallbacks, DEFAULT_LANG]) {
    const text = field[candidate]
    if (text) return { text, lang: candidate }
  }
  const first = Object.entries(field).find(([, v]) => v)
  return first ? { text: first[1]!, lang: first[0] } : { text: '', lang }
}

/** Chooses the best supported language from an Accept-Language header. */
export function negotiate(
  header: string | undefined,
  allowed: readonly Lang[] = LANGUAGES,
): Lang | undefined {
  if (!header) return undefined
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.find((p) => p.trim().startsWith('q='))
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 }
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const { tag } of ranked) {
    const base = tag.split('-')[0]
    if (isLang(base) && allowed.includes(base)) return base
  }
  return undefined
}

/** Route segment that matches only a supported language, e.g. `/${LANG_PARAM}/account`. */
export const LANG_PARAM = `:lang{(?:${LANGUAGES.join('|')})}`
