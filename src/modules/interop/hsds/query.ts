import type { FieldError } from '../../../platform/http/problem.ts'
import { isUuid } from './ids.ts'

/** Items per page when per_page is left out, and the most it may ask. */
export const PER_PAGE = 50
export const MAX_PER_PAGE = 100
const MAX_PAGE = 1_000_000
const MAX_SEARCH = 200

/** What a list endpoint accepts. */
export interface ListQuery {
  page: number
  perPage: number
  search?: string
  organizationId?: string
  modifiedAfter?: Date
  taxonomyTermId?: string
  taxonomyId?: string
  full: boolean
}

export type ListParam =
  | 'search'
  | 'organization_id'
  | 'modified_after'
  | 'full'
  | 'taxonomy_term_id'
  | 'taxonomy_id'

/** Parameters of the HSDS 3.0 API this directory does not offer, with what to do instead. */
const UNSUPPORTED: Record<string, string> = {
  postcode: 'Searching by postcode is not offered: use search with words of the address',
  proximity: 'Searching by distance is not offered: leave proximity out',
  minimal: 'Minimal lists are not offered: leave minimal out and read id and last_modified from each item',
  full_service: 'Organizations do not nest their services: list /services?organization_id=… instead',
}

const INTEGER = /^[1-9][0-9]{0,6}$/
// ISO 8601 date-time with a zone, as HSDS's last_modified is written.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 32 || text.charCodeAt(i) === 127) return true
  return false
}

/** Reads a list endpoint's query string, or every problem with it, one per parameter. */
export function parseListQuery(
  params: URLSearchParams,
  allowed: readonly ListParam[],
): { ok: true; value: ListQuery } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const known = new Set<string>(['page', 'per_page', 'format', ...allowed])
  for (const name of new Set(params.keys())) {
    if (known.has(name)) continue
    errors.push({
      field: name,
      detail: UNSUPPORTED[name] ?? `Not a parameter of this list: use ${[...known].join(', ')}`,
    })
  }
  const single = (name: string): string | undefined => {
    const all = params.getAll(name)
    if (all.length > 1) errors.push({ field: name, detail: `Give ${name} once` })
    return all[0]
  }
  const integer = (name: string, fallback: number, max: number): number => {
    const raw = single(name)
    if (raw === undefined) return fallback
    if (!INTEGER.test(raw) || Number(raw) > max) {
      errors.push({ field: name, detail: `Use a whole number from 1 to ${max}` })
      return fallback
    }
    return Number(raw)
  }
  const value: ListQuery = {
    page: integer('page', 1, MAX_PAGE),
    perPage: integer('per_page', PER_PAGE, MAX_PER_PAGE),
    full: false,
  }
  const format = single('format')
  if (format !== undefined && format !== 'json') {
    errors.push({ field: 'format', detail: 'Only json is offered: leave format out or use format=json' })
  }
  const search = allowed.includes('search') ? single('search') : undefined
  if (search !== undefined) {
    const trimmed = search.trim()
    if (trimmed.length === 0 || trimmed.length > MAX_SEARCH || hasControl(trimmed)) {
      errors.push({ field: 'search', detail: `Use 1 to ${MAX_SEARCH} characters of plain text` })
    } else value.search = trimmed
  }
  const organization = allowed.includes('organization_id') ? single('organization_id') : undefined
  if (organization !== undefined) {
    if (!isUuid(organization.toLowerCase())) {
      errors.push({
        field: 'organization_id',
        detail: 'Use the id (a UUID) of an organization of this directory',
      })
    } else value.organizationId = organization.toLowerCase()
  }
  for (const [name, key, list] of [
    ['taxonomy_term_id', 'taxonomyTermId', 'taxonomy_terms'],
    ['taxonomy_id', 'taxonomyId', 'taxonomies'],
  ] as const) {
    const raw = allowed.includes(name) ? single(name) : undefined
    if (raw === undefined) continue
    if (!isUuid(raw.toLowerCase()))
      errors.push({ field: name, detail: `Use the id (a UUID) of an item of /${list}` })
    else value[key] = raw.toLowerCase()
  }
  const after = allowed.includes('modified_after') ? single('modified_after') : undefined
  if (after !== undefined) {
    const date = DATE_TIME.test(after) ? new Date(after) : undefined
    if (!date || Number.isNaN(date.getTime())) {
      errors.push({
        field: 'modified_after',
        detail: 'Use a date and time with its zone, e.g. 2026-11-01T00:00:00Z',
      })
    } else value.modifiedAfter = date
  }
  const full = allowed.includes('full') ? single('full') : undefined
  if (full !== undefined) {
    if (full !== 'true' && full !== 'false') errors.push({ field: 'full', detail: 'Use true or false' })
    else value.full = full === 'true'
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value }
}

/** A single-object endpoint takes no parameter but format. */
export function parseItemQuery(params: URLSearchParams): FieldError[] {
  const errors: FieldError[] = []
  for (const name of new Set(params.keys())) {
    if (name !== 'format')
      errors.push({ field: name, detail: 'This address takes no parameters: leave it out' })
    else if (params.getAll(name).some((v) => v !== 'json')) {
      errors.push({ field: 'format', detail: 'Only json is offered: leave format out or use format=json' })
    }
  }
  return errors
}
