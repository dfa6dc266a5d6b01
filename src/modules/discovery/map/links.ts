/**
 * The map's addresses: its own (filters, then the part of the city shown), the list view of the
 * same search, and where each marker leads (one opportunity → its page; several → a closer view,
 * or the list of those at one place when zooming cannot tell them apart).
 */
import { haversineKm } from '../../../platform/geo/index.ts'
import { type FilterProblem, type Filters, filtersQuery, parseFilters } from '../filters.ts'
import type { Cluster } from './clusters.ts'
import { type Bbox, MAX_ZOOM, type View } from './projection.ts'

/** Opportunities closer together than this (in km) share a place: zooming will not part them. */
const ONE_PLACE_KM = 0.05

const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path)

/** A rectangle as the bbox parameter writes it (about a metre is precise enough). */
export function bboxParam(bbox: Bbox): string {
  return bbox.map((v) => String(Math.round(v * 100000) / 100000)).join(',')
}

/** Reads `bbox=west,south,east,north`; undefined when absent. */
export function parseBbox(
  raw: string | undefined,
): { ok: true; bbox?: Bbox } | { ok: false; problem: FilterProblem } {
  if (raw === undefined || raw.trim() === '') return { ok: true }
  const parts = raw.split(',').map((p) => p.trim())
  const values = parts.map(Number)
  const bad = (detail: string) => ({ ok: false as const, problem: { param: 'bbox', detail } })
  if (raw.length > 100 || parts.length !== 4 || parts.some((p) => p === '') || !values.every(Number.isFinite))
    return bad('bbox must be four numbers: west, south, east, north (for example -87.7,41.8,-87.6,41.9).')
  const [west = 0, south = 0, east = 0, north = 0] = values
  if (west < -180 || east > 180 || south < -90 || north > 90)
    return bad('bbox longitudes must be between -180 and 180, latitudes between -90 and 90.')
  if (west > east || south > north) return bad('bbox must give west before east and south before north.')
  return { ok: true, bbox: [west, south, east, north] }
}

/** The filters and the part of the city asked for, or every problem with them at once. */
export function parseMapRequest(
  params: URLSearchParams,
): { ok: true; filters: Filters; bbox?: Bbox } | { ok: false; problems: FilterProblem[] } {
  const parsed = parseFilters(params)
  const bboxValues = params.getAll('bbox')
  const bbox =
    bboxValues.length > 1
      ? { ok: false as const, problem: { param: 'bbox', detail: 'Give bbox once.' } }
      : parseBbox(bboxValues[0])
  const problems = [...(parsed.ok ? [] : parsed.problems), ...(bbox.ok ? [] : [bbox.problem])]
  if (!parsed.ok || !bbox.ok) return { ok: false, problems }
  return { ok: true, filters: parsed.filters, bbox: bbox.bbox }
}

/** The map of a search, showing this part of the city (the whole city without one). */
export function mapUrl(base: string, filters: Filters, bbox?: Bbox): string {
  const query = [filtersQuery(filters), bbox ? `bbox=${bboxParam(bbox)}` : ''].filter(Boolean).join('&')
  return withQuery(`${base}/map`, query)
}

/** The JSON of the map's markers (the island asks it for each view). */
export function mapJsonUrl(base: string, filters: Filters): string {
  return withQuery(`${base}/map.json`, filtersQuery(filters, { page: false }))
}

/** The list view of the same search. */
export function listUrl(base: string, filters: Filters): string {
  return withQuery(base, filtersQuery(filters))
}

/** What a marker does when followed. */
export type MarkerAction =
  | { kind: 'open'; href: string }
  | { kind: 'zoom'; href: string; bbox: Bbox }
  | { kind: 'list'; href: string }

/** Where a marker leads, in the view it is drawn in. */
export function markerAction(base: string, filters: Filters, cluster: Cluster, view: View): MarkerAction {
  if (cluster.id !== null) return { kind: 'open', href: `${base}/${cluster.id}` }
  const [west, south, east, north] = cluster.bbox
  const spanKm = haversineKm(south, west, north, east)
  if (spanKm >= ONE_PLACE_KM && view.zoom < MAX_ZOOM)
    return { kind: 'zoom', href: mapUrl(base, { ...filters, page: 1 }, cluster.bbox), bbox: cluster.bbox }
  // One place (or the deepest zoom): the list of what is around it. A search near a place of its
  // own cannot take a second place, so it gets the closest map instead.
  if (filters.near)
    return { kind: 'zoom', href: mapUrl(base, { ...filters, page: 1 }, cluster.bbox), bbox: cluster.bbox }
  const radiusKm = Math.max(0.1, Math.ceil((spanKm / 2 + ONE_PLACE_KM) * 10) / 10)
  const near = { lat: round5((south + north) / 2), lon: round5((west + east) / 2), radiusKm }
  return { kind: 'list', href: listUrl(base, { ...filters, near, page: 1 }) }
}

function round5(v: number) {
  return Math.round(v * 100000) / 100000
}
