/**
 * An offline structured-data validator with our own rules, for the schema.org JSON-LD in our
 * pages: types and properties must exist in the schema.org vocabulary (the copy bundled in
 * @openactive/data-models, so nothing is fetched), each type has the properties we require and
 * recommend, and values are well formed: ISO 8601 dates and durations, absolute http(s) URLs,
 * ISO 4217 currencies, coordinates in range, enumeration members that exist, and text without HTML.
 */
import { createRequire } from 'node:module'

type Json = Record<string, unknown>

interface Vocabulary {
  /** Class → its direct superclasses. */
  classes: Map<string, string[]>
  /** Property → the classes it is declared for. */
  domains: Map<string, string[]>
  /** Enumeration members (e.g. EventScheduled) → their enumeration. */
  members: Map<string, string>
}

let vocabulary: Vocabulary | undefined

const local = (id: string) => id.replace(/^schema:/, '')
const ids = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).map((v) => local((v as { '@id': string })['@id']))

function loadVocabulary(): Vocabulary {
  if (vocabulary) return vocabulary
  const require = createRequire(import.meta.url)
  const graph = require('@openactive/data-models/src/dist/schemaOrgVocab.js')['@graph'] as Json[]
  const classes = new Map<string, string[]>()
  const domains = new Map<string, string[]>()
  const members = new Map<string, string>()
  for (const node of graph) {
    const id = local(String(node['@id']))
    const types = ids(
      Array.isArray(node['@type']) ? node['@type'].map((t) => ({ '@id': t })) : [{ '@id': node['@type'] }],
    )
    if (types.includes('rdfs:Class')) classes.set(id, ids(node['rdfs:subClassOf']))
    else if (types.includes('rdf:Property')) domains.set(id, ids(node['schema:domainIncludes']))
    else for (const t of types) if (!t.includes(':')) members.set(id, t)
    // Data types are classes too (schema:Text is typed schema:DataType and rdfs:Class).
    if (types.includes('schema:DataType')) classes.set(id, ids(node['rdfs:subClassOf']))
  }
  vocabulary = { classes, domains, members }
  return vocabulary
}

/** The type and every type it inherits from. */
function ancestors(type: string, v: Vocabulary): Set<string> {
  const seen = new Set<string>()
  const todo = [type]
  while (todo.length > 0) {
    const t = todo.pop()!
    if (seen.has(t)) continue
    seen.add(t)
    todo.push(...(v.classes.get(t) ?? []))
  }
  return seen
}

interface Rule {
  required: string[]
  recommended?: string[]
  /** At least one of these. */
  oneOf?: string[]
}

/** What each type must and should carry on our pages. */
export const RULES: Record<string, Rule> = {
  Course: {
    required: ['name', 'description', 'provider', 'url'],
    recommended: ['offers', 'hasCourseInstance', 'inLanguage'],
  },
  CourseInstance: { required: ['courseMode'], recommended: ['startDate', 'endDate', 'location'] },
  EducationEvent: {
    required: ['name', 'startDate', 'location', 'url'],
    recommended: [
      'endDate',
      'description',
      'organizer',
      'offers',
      'eventStatus',
      'eventAttendanceMode',
      'image',
    ],
  },
  Organization: { required: ['name', 'url'], recommended: ['description', 'logo'] },
  Place: { required: ['name'], oneOf: ['address', 'geo'] },
  PostalAddress: { required: ['streetAddress'] },
  GeoCoordinates: { required: ['latitude', 'longitude'] },
  VirtualLocation: { required: ['url'] },
  Offer: { required: ['price', 'priceCurrency'], recommended: ['url', 'category'] },
  ImageObject: { required: ['contentUrl'] },
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/
const HTML = /<\/?[a-z!][^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i
const DATE_PROPS = new Set([
  'startDate',
  'endDate',
  'datePublished',
  'dateModified',
  'validFrom',
  'validThrough',
])
const DURATION_PROPS = new Set(['duration', 'timeRequired', 'courseWorkload'])
const URL_PROPS = new Set(['url', 'sameAs', 'logo', 'contentUrl', 'thumbnailUrl', '@id'])
const ENUM_PROPS = new Set(['eventStatus', 'eventAttendanceMode', 'availability'])

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.href.length > 0
  } catch {
    return false
  }
}

export interface Report {
  errors: string[]
  warnings: string[]
}

/** Checks one JSON-LD document (or a list of them) against the vocabulary and our rules. */
export function validateStructuredData(data: unknown): Report {
  const v = loadVocabulary()
  const report: Report = { errors: [], warnings: [] }
  const docs = Array.isArray(data) ? data : [data]
  docs.forEach((doc, i) => {
    const context = (doc as Json)?.['@context']
    if (context !== 'https://schema.org' && context !== 'https://schema.org/') {
      report.errors.push(`[${i}]: @context must be https://schema.org, not ${JSON.stringify(context)}`)
    }
    checkNode(doc, `[${i}]`, v, report)
  })
  return report
}

function checkValue(value: unknown, path: string, property: string, v: Vocabulary, report: Report) {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkValue(item, `${path}[${i}]`, property, v, report)
    return
  }
  if (value && typeof value === 'object') {
    checkNode(value, path, v, report)
    return
  }
  if (typeof value === 'string') {
    if (value.trim() === '') report.errors.push(`${path}: empty text`)
    if (HTML.test(value)) report.errors.push(`${path}: HTML in text: ${JSON.stringify(value.slice(0, 60))}`)
    if (DATE_PROPS.has(property) && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) {
      report.errors.push(`${path}: not an ISO 8601 date or date-time with its offset: ${value}`)
    }
    if (DURATION_PROPS.has(property) && !DURATION.test(value)) {
      report.errors.push(`${path}: not an ISO 8601 duration: ${value}`)
    }
    if ((URL_PROPS.has(property) || property === 'image') && !isHttpUrl(value)) {
      report.errors.push(`${path}: not an absolute http(s) URL: ${value}`)
    }
    if (ENUM_PROPS.has(property)) {
      const member = value.replace(/^https?:\/\/schema\.org\//, '')
      if (member === value || !v.members.has(member)) {
        report.errors.push(`${path}: not a schema.org enumeration member: ${value}`)
      }
    }
    if (property === 'priceCurrency' && !/^[A-Z]{3}$/.test(value)) {
      report.errors.push(`${path}: not an ISO 4217 currency code: ${value}`)
    }
    return
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) report.errors.push(`${path}: not a finite number`)
    if (property === 'latitude' && Math.abs(value) > 90) report.errors.push(`${path}: latitude out of range`)
    if (property === 'longitude' && Math.abs(value) > 180)
      report.errors.push(`${path}: longitude out of range`)
    if ((property === 'price' || property.startsWith('suggested')) && value < 0) {
      report.errors.push(`${path}: negative ${property}`)
    }
  }
}

function checkNode(node: unknown, path: string, v: Vocabulary, report: Report) {
  if (!node || typeof node !== 'object') {
    report.errors.push(`${path}: not an object`)
    return
  }
  const n = node as Json
  const types = (Array.isArray(n['@type']) ? n['@type'] : [n['@type']]).filter((t) => t !== undefined)
  if (types.length === 0) report.errors.push(`${path}: no @type`)
  const lineage = new Set<string>()
  for (const type of types) {
    if (typeof type !== 'string' || !v.classes.has(type)) {
      report.errors.push(`${path}: ${JSON.stringify(type)} is not a schema.org type`)
      continue
    }
    for (const a of ancestors(type, v)) lineage.add(a)
    const rule = RULES[type]
    if (!rule) report.warnings.push(`${path}: no rules for ${type}`)
    for (const p of rule?.required ?? [])
      if (n[p] === undefined) report.errors.push(`${path}: ${type} needs ${p}`)
    for (const p of rule?.recommended ?? [])
      if (n[p] === undefined) report.warnings.push(`${path}: ${type} should have ${p}`)
    if (rule?.oneOf && !rule.oneOf.some((p) => n[p] !== undefined)) {
      report.errors.push(`${path}: ${type} needs one of ${rule.oneOf.join(', ')}`)
    }
  }
  for (const [property, value] of Object.entries(n)) {
    if (property === '@type' || property === '@context') continue
    if (!property.startsWith('@')) {
      const domains = v.domains.get(property)
      if (!domains) report.errors.push(`${path}.${property}: not a schema.org property`)
      else if (lineage.size > 0 && !domains.some((d) => lineage.has(d))) {
        report.errors.push(`${path}.${property}: not a property of ${types.join(', ')}`)
      }
    }
    checkValue(value, `${path}.${property}`, property, v, report)
  }
  const start = typeof n.startDate === 'string' ? Date.parse(n.startDate) : Number.NaN
  const end = typeof n.endDate === 'string' ? Date.parse(n.endDate) : Number.NaN
  if (start > end) report.errors.push(`${path}: endDate before startDate`)
  const min = n.suggestedMinAge
  const max = n.suggestedMaxAge
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    report.errors.push(`${path}: suggestedMinAge above suggestedMaxAge`)
  }
}

/** The JSON-LD documents of an HTML page, parsed (throws on a script that is not JSON). */
export function jsonLdOf(html: string): unknown[] {
  const found: unknown[] = []
  for (const m of html.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)) {
    found.push(JSON.parse(m[1]!))
  }
  return found
}
