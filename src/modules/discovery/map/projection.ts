/**
 * Where things go on the map: a city's frame (its districts' extent) projected equirectangularly
 * with the longitude squeezed by cos(latitude), so a kilometre is as long east–west as north–south.
 * Map units run from 0 to FRAME_WIDTH across the frame; the page, the JSON of points and the island
 * all use them, so zooming is only a change of the SVG's viewBox.
 */
import type { Polygonal } from '../../../platform/geo/index.ts'

export const FRAME_WIDTH = 1000
/** Zoom levels 0 (the whole city) to MAX_ZOOM, each twice the one before. */
export const MAX_ZOOM = 5
/** Cluster cells per view width: about 60 px each on a 600 px map. */
export const GRID_COLUMNS = 10

/** A city's extent in degrees and the scale that turns it into map units. */
export interface Frame {
  minLon: number
  minLat: number
  maxLon: number
  maxLat: number
  /** cos(middle latitude): how much shorter a degree of longitude is than one of latitude. */
  kx: number
  /** Map units per degree of latitude. */
  scale: number
  /** The frame's height in map units (its width is FRAME_WIDTH). */
  height: number
}

/** A rectangle in degrees: [minLon, minLat, maxLon, maxLat], as GeoJSON writes bounding boxes. */
export type Bbox = [number, number, number, number]

/** The frame of an extent, padded by 2 % so markers at its edge are not cut in half. */
export function frameOf([minLon, minLat, maxLon, maxLat]: Bbox): Frame {
  // A single point (or a line) still gets an area: about 1 km around it.
  const padLon = Math.max((maxLon - minLon) * 0.02, 0.006)
  const padLat = Math.max((maxLat - minLat) * 0.02, 0.0045)
  const box: Bbox = [minLon - padLon, minLat - padLat, maxLon + padLon, maxLat + padLat]
  const kx = Math.cos((((box[1] + box[3]) / 2) * Math.PI) / 180)
  const scale = FRAME_WIDTH / ((box[2] - box[0]) * kx)
  return {
    minLon: box[0],
    minLat: box[1],
    maxLon: box[2],
    maxLat: box[3],
    kx,
    scale,
    height: Math.ceil((box[3] - box[1]) * scale),
  }
}

/** A place in map units. */
export function project(frame: Frame, lat: number, lon: number): { x: number; y: number } {
  return { x: (lon - frame.minLon) * frame.kx * frame.scale, y: (frame.maxLat - lat) * frame.scale }
}

/** The place of a point in map units. */
export function unproject(frame: Frame, x: number, y: number): { lat: number; lon: number } {
  return { lon: frame.minLon + x / (frame.kx * frame.scale), lat: frame.maxLat - y / frame.scale }
}

/** What part of the frame is shown: a zoom level and the centre of the view in map units. */
export interface View {
  zoom: number
  x: number
  y: number
  /** The view's rectangle in map units. */
  box: { x: number; y: number; width: number; height: number }
  /** The same rectangle in degrees. */
  bbox: Bbox
}

/** The view at this zoom around this centre (kept inside the frame). */
export function viewAt(frame: Frame, zoom: number, cx: number, cy: number): View {
  const z = Math.min(Math.max(Math.round(zoom), 0), MAX_ZOOM)
  const width = FRAME_WIDTH / 2 ** z
  const height = frame.height / 2 ** z
  const x = Math.min(Math.max(cx - width / 2, 0), FRAME_WIDTH - width)
  const y = Math.min(Math.max(cy - height / 2, 0), frame.height - height)
  const topLeft = unproject(frame, x, y)
  const bottomRight = unproject(frame, x + width, y + height)
  return {
    zoom: z,
    x: x + width / 2,
    y: y + height / 2,
    box: { x, y, width, height },
    bbox: [topLeft.lon, bottomRight.lat, bottomRight.lon, topLeft.lat],
  }
}

/** The closest view that shows all of a rectangle in degrees: the deepest zoom it fits in. */
export function viewOf(frame: Frame, [minLon, minLat, maxLon, maxLat]: Bbox): View {
  const a = project(frame, maxLat, minLon)
  const b = project(frame, minLat, maxLon)
  const width = Math.max(b.x - a.x, 1e-9)
  const height = Math.max(b.y - a.y, 1e-9)
  // The small epsilon keeps a view sent back exactly (the island's) at its own zoom.
  const zoom = Math.floor(Math.min(Math.log2(FRAME_WIDTH / width), Math.log2(frame.height / height)) + 1e-6)
  return viewAt(frame, zoom, (a.x + b.x) / 2, (a.y + b.y) / 2)
}

/** The whole city. */
export function wholeView(frame: Frame): View {
  return viewAt(frame, 0, FRAME_WIDTH / 2, frame.height / 2)
}

/** The size of a cluster cell at a zoom level, in degrees of longitude and latitude. */
export function cellAt(frame: Frame, zoom: number): { lon: number; lat: number } {
  const units = FRAME_WIDTH / GRID_COLUMNS / 2 ** zoom
  return { lon: units / (frame.kx * frame.scale), lat: units / frame.scale }
}

/** Squared distance from p to the segment a–b. */
function segmentDistance2(p: number[], a: number[], b: number[]): number {
  const [px = 0, py = 0] = p
  const [ax = 0, ay = 0] = a
  const [bx = 0, by = 0] = b
  const dx = bx - ax
  const dy = by - ay
  const length2 = dx * dx + dy * dy
  const t = length2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / length2))
  const ex = ax + t * dx - px
  const ey = ay + t * dy - py
  return ex * ex + ey * ey
}

/** Douglas–Peucker: the points of a line that keep it within `tolerance` of where it was. */
export function simplify(points: number[][], tolerance: number): number[][] {
  if (points.length <= 3) return points
  const keep = new Uint8Array(points.length)
  keep[0] = 1
  keep[points.length - 1] = 1
  const tolerance2 = tolerance * tolerance
  const stack: [number, number][] = [[0, points.length - 1]]
  while (stack.length > 0) {
    const [first, last] = stack.pop()!
    let farthest = -1
    let max = tolerance2
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(points[i]!, points[first]!, points[last]!)
      if (d > max) {
        max = d
        farthest = i
      }
    }
    if (farthest > 0) {
      keep[farthest] = 1
      stack.push([first, farthest], [farthest, last])
    }
  }
  return points.filter((_, i) => keep[i] === 1)
}

/**
 * An SVG path of a district in map units, simplified to `tolerance` units and written with
 * relative moves of whole units where they fit (a tenth of a unit is below a pixel even at the
 * deepest zoom's view of the paths' detail), so 77 districts stay a few tens of kilobytes.
 */
export function districtPath(frame: Frame, geometry: Polygonal, tolerance = 0.6): string {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  const parts: string[] = []
  for (const polygon of polygons)
    for (const ring of polygon) {
      const projected = ring.map(([lon = 0, lat = 0]) => {
        const p = project(frame, lat, lon)
        return [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10]
      })
      const kept = simplify(projected, tolerance)
      // A ring simplified below a triangle is smaller than the tolerance: not worth drawing.
      if (kept.length < 4) continue
      let [px = 0, py = 0] = kept[0]!
      const moves: string[] = []
      for (const [x = 0, y = 0] of kept.slice(1, -1)) {
        moves.push(num(x - px), num(y - py))
        px = x
        py = y
      }
      parts.push(`M${num(kept[0]![0]!)} ${num(kept[0]![1]!)}l${joined(moves)}z`)
    }
  return parts.join('')
}

/** Numbers of a path: a minus sign separates them as well as a space does. */
function joined(numbers: string[]): string {
  return numbers.reduce((out, n, i) => (i === 0 || n.startsWith('-') ? out + n : `${out} ${n}`), '')
}

/** A number as short as SVG allows (one decimal, no leading zero). */
function num(value: number): string {
  const rounded = Math.round(value * 10) / 10
  return String(rounded).replace(/^(-?)0\./, '$1.')
}
