import booleanPointInPolygon from '@turf/boolean-point-in-polygon'

export type Polygonal =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }

/** [minLon, minLat, maxLon, maxLat] of a polygon or multipolygon. */
export function bbox(geometry: Polygonal): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY
  let minY = Number.POSITIVE_INFINITY
  let maxX = Number.NEGATIVE_INFINITY
  let maxY = Number.NEGATIVE_INFINITY
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat()
  for (const ring of rings) {
    for (const [x = 0, y = 0] of ring) {
      if (x < minX) minX = x
      if (y < minY) minY = y
      if (x > maxX) maxX = x
      if (y > maxY) maxY = y
    }
  }
  return [minX, minY, maxX, maxY]
}

export interface Area<K> {
  key: K
  geometry: Polygonal
  bbox: readonly number[]
}

/** The area containing a point (bounding box first, then the exact polygon test). */
export function locate<K>(areas: readonly Area<K>[], lat: number, lon: number): K | undefined {
  for (const area of areas) {
    const [minX = 0, minY = 0, maxX = 0, maxY = 0] = area.bbox
    if (lon < minX || lon > maxX || lat < minY || lat > maxY) continue
    if (booleanPointInPolygon([lon, lat], area.geometry)) return area.key
  }
  return undefined
}

/** Great-circle distance in kilometres. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLon = (lon2 - lon1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2
  return 6371.0088 * 2 * Math.asin(Math.sqrt(a))
}

/**
 * Projects polygons into an SVG viewBox (equirectangular, corrected for latitude) and returns
 * one path per area: enough for a server-rendered district map that needs no JavaScript.
 */
export function svgPaths<K>(
  areas: readonly Area<K>[],
  width = 600,
): { height: number; paths: { key: K; d: string }[] } {
  const all = areas.map((a) => a.bbox)
  const minX = Math.min(...all.map((b) => b[0] ?? 0))
  const minY = Math.min(...all.map((b) => b[1] ?? 0))
  const maxX = Math.max(...all.map((b) => b[2] ?? 0))
  const maxY = Math.max(...all.map((b) => b[3] ?? 0))
  const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180)
  const scale = width / ((maxX - minX) * kx)
  const height = Math.ceil((maxY - minY) * scale)
  const round = (v: number) => Math.round(v * 10) / 10
  const point = ([x = 0, y = 0]: number[]) => `${round((x - minX) * kx * scale)},${round((maxY - y) * scale)}`
  const paths = areas.map((a) => {
    const polys = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates
    const d = polys.map((poly) => poly.map((ring) => `M${ring.map(point).join('L')}Z`).join('')).join('')
    return { key: a.key, d }
  })
  return { height, paths }
}
