import { isLang, LANGUAGES, type Lang } from '../../platform/i18n/index.ts'
import { RESOURCE_TYPES, type ResourceType, TOPICS, type Topic } from './model.ts'

/** What the contribution form posts, kept as typed so a form with errors shows it again unchanged. */
export type ContributionValues = Record<string, string | string[]>

/** A field's problem as a message key under `knowledge-hub.contribute.errors`. */
export interface FieldIssue {
  field: string
  key: string
}

/** A contribution as it will be stored: text in one language, links checked, lists from known values. */
export interface Contribution {
  textLanguage: Lang
  title: string
  summary: string
  links: string[]
  type: ResourceType
  publisher: string
  year: number | null
  languages: Lang[]
  topics: Topic[]
  scope: 'city' | 'network'
  creditConsent: boolean
  creditName: string | null
}

export const LIMITS = { title: 200, summary: 2000, publisher: 200, creditName: 100, links: 5, url: 2000 }

/** Fields posted more than once (checkbox groups). */
const MULTI = new Set(['languages', 'topics'])

/** Reads a parsed form body (`parseBody({ all: true })`) into strings and lists, dropping files. */
export function readValues(body: Record<string, unknown>): ContributionValues {
  const values: ContributionValues = {}
  for (const [key, raw] of Object.entries(body)) {
    if (key === '_csrf') continue
    const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string')
    values[key] = MULTI.has(key) ? list : (list.at(-1) ?? '')
  }
  return values
}

export function text(values: ContributionValues, key: string): string {
  const v = values[key]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

export function list(values: ContributionValues, key: string): string[] {
  const v = values[key]
  return Array.isArray(v) ? v : v ? [v] : []
}

/** Control characters other than tab and newlines never belong in a contribution. */
const clean = (s: string) =>
  Array.from(s)
    .filter((ch) => {
      const code = ch.codePointAt(0) ?? 0
      return code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 127)
    })
    .join('')
    .trim()

/** Why a link cannot be accepted, or undefined when it is an absolute http(s) address. */
export function linkProblem(raw: string): 'url' | 'scheme' | 'long' | undefined {
  if (raw.length > LIMITS.url) return 'long'
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'url'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme'
  if (!url.hostname.includes('.') || /\s/.test(raw) || url.username || url.password) return 'url'
  return undefined
}

/** Checks the form of a contribution; every problem is reported at its field, in form order. */
export function parseContribution(
  values: ContributionValues,
  options: { allowNetwork: boolean } = { allowNetwork: true },
): { ok: true; value: Contribution } | { ok: false; fields: FieldIssue[] } {
  const fields: FieldIssue[] = []
  const textLanguage = text(values, 'textLanguage')
  if (!isLang(textLanguage)) fields.push({ field: 'textLanguage', key: 'textLanguage' })
  const title = clean(text(values, 'title'))
  if (!title) fields.push({ field: 'title', key: 'title' })
  else if (title.length > LIMITS.title) fields.push({ field: 'title', key: 'titleLong' })
  const summary = clean(text(values, 'summary'))
  if (!summary) fields.push({ field: 'summary', key: 'summary' })
  else if (summary.length > LIMITS.summary) fields.push({ field: 'summary', key: 'summaryLong' })

  const links = text(values, 'links')
    .split(/\r?\n/)
    .map((l) => clean(l))
    .filter(Boolean)
  if (links.length === 0) fields.push({ field: 'links', key: 'links' })
  else if (links.length > LIMITS.links) fields.push({ field: 'links', key: 'linksMany' })
  else {
    const problem = links.map(linkProblem).find(Boolean)
    if (problem) fields.push({ field: 'links', key: `link.${problem}` })
  }

  const type = text(values, 'type')
  if (!(RESOURCE_TYPES as readonly string[]).includes(type)) fields.push({ field: 'type', key: 'type' })
  const publisher = clean(text(values, 'publisher'))
  if (publisher.length > LIMITS.publisher) fields.push({ field: 'publisher', key: 'publisherLong' })
  const yearText = text(values, 'year').trim()
  const year = yearText === '' ? null : Number(yearText)
  const maxYear = new Date().getUTCFullYear() + 1
  if (year !== null && !(Number.isInteger(year) && year >= 1900 && year <= maxYear))
    fields.push({ field: 'year', key: 'year' })
  const languages = list(values, 'languages')
  if (!languages.every(isLang)) fields.push({ field: 'languages', key: 'languages' })
  const topics = list(values, 'topics')
  if (!topics.every((t) => (TOPICS as readonly string[]).includes(t)))
    fields.push({ field: 'topics', key: 'topics' })
  const scope = text(values, 'scope')
  if (scope !== 'city' && !(scope === 'network' && options.allowNetwork))
    fields.push({ field: 'scope', key: 'scope' })
  const creditConsent = text(values, 'creditConsent') === 'on'
  const creditName = clean(text(values, 'creditName'))
  if (creditConsent && !creditName) fields.push({ field: 'creditName', key: 'creditName' })
  else if (creditName.length > LIMITS.creditName) fields.push({ field: 'creditName', key: 'creditNameLong' })

  if (fields.length > 0) return { ok: false, fields }
  return {
    ok: true,
    value: {
      textLanguage: textLanguage as Lang,
      title,
      summary,
      links: [...new Set(links)],
      type: type as ResourceType,
      publisher,
      year,
      languages: LANGUAGES.filter((l) => languages.includes(l)),
      topics: TOPICS.filter((t) => topics.includes(t)),
      scope: scope as 'city' | 'network',
      creditConsent,
      creditName: creditConsent ? creditName : null,
    },
  }
}

/** Query parameters that only say where a click came from; they never make a different resource. */
const TRACKING = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|igshid|ref|ref_src|spm)$/i

/**
 * A link reduced to what identifies the page: no scheme, no `www.`, lower-case host, no default port,
 * no fragment, no tracking parameters, the rest of the query sorted, no trailing slash. Two links
 * with the same key point at the same resource.
 */
export function normaliseUrl(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  const host = url.hostname.toLowerCase().replace(/^www\./, '')
  const port = url.port && url.port !== '80' && url.port !== '443' ? `:${url.port}` : ''
  const params = [...url.searchParams]
    .filter(([k]) => !TRACKING.test(k))
    .sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)))
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : ''
  let path = url.pathname.replace(/\/+$/, '')
  if (/\/index\.html?$/i.test(path)) path = path.replace(/\/index\.html?$/i, '')
  return `${host}${port}${path}${query}`
}

/** The host of a link without `www.`, for a first, index-friendly filter of duplicate candidates. */
export function hostOf(raw: string): string | undefined {
  try {
    return new URL(raw).hostname.toLowerCase().replace(/^www\./, '')
  } catch {
    return undefined
  }
}
