/**
 * How far an opportunity is from the district a learner learns near, as minutes on foot. The
 * district stands for the learner's place: we never ask for an address.
 */
import type { Polygonal } from '../../../platform/geo/index.ts'

/** Walking speed assumed, in km/h (a common planning figure for adults). */
export const WALK_KMH = 5
/** Streets are not straight lines: the straight-line distance is stretched by this much. */
export const DETOUR = 1.3
/** Further than this on foot is not a reason to go (and earns no points). */
export const MAX_WALK_MINUTES = 45
/** The straight-line distance that takes MAX_WALK_MINUTES to walk. */
export const MAX_WALK_KM = (MAX_WALK_MINUTES / 60) * (WALK_KMH / DETOUR)

/** Minutes on foot for a straight-line distance, rounded, at least 1. */
export function walkingMinutes(km: number): number {
  return Math.max(1, Math.round(((km * DETOUR) / WALK_KMH) * 60))
}

/** Signed area and centroid of one ring (shoelace formula, in degrees: fine at a district's scale). */
function ring(points: number[][]): { area: number; x: number; y: number } {
  let area = 0
  let x = 0
  let y = 0
  for (let i = 0; i < points.length - 1; i++) {
    const [x0 = 0, y0 = 0] = points[i]!
    const [x1 = 0, y1 = 0] = points[i + 1]!
    const cross = x0 * y1 - x1 * y0
    area += cross
    x += (x0 + x1) * cross
    y += (y0 + y1) * cross
  }
  area /= 2
  return area === 0 ? { area: 0, x: 0, y: 0 } : { area, x: x / (6 * area), y: y / (6 * area) }
}

/**
 * The centre of a district: the area-weighted centroid of its outer rings (holes ignored), or the
 * middle of its first ring's points when it has no area. Returns [lat, lon].
 */
export function centroid(geometry: Polygonal): [number, number] | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let total = 0
  let x = 0
  let y = 0
  for (const polygon of polygons) {
    const outer = polygon[0]
    if (!outer || outer.length < 3) continue
    const r = ring(outer)
    const weight = Math.abs(r.area)
    total += weight
    x += r.x * weight
    y += r.y * weight
  }
  if (total > 0) return [y / total, x / total]
  const points = polygons[0]?.[0] ?? []
  if (points.length === 0) return null
  const mean = (k: 0 | 1) => points.reduce((sum, p) => sum + (p[k] ?? 0), 0) / points.length
  return [mean(1), mean(0)]
}
