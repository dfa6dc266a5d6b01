import { describe, expect, it } from 'vitest'
import { filtersOf } from '../../../../test/catalogue.ts'
import { loadConfig } from '../../../config.ts'
import { markerAction, parseBbox, parseMapRequest } from './links.ts'
import {
  cellAt,
  districtPath,
  FRAME_WIDTH,
  frameOf,
  MAX_ZOOM,
  project,
  simplify,
  unproject,
  viewAt,
  viewOf,
  wholeView,
} from './projection.ts'

// About Chicago: 0.43° of longitude by 0.39° of latitude.
const frame = frameOf([-87.94, 41.64, -87.52, 42.02])

describe('the map projection', () => {
  it('keeps a kilometre as long east–west as north–south', () => {
    const origin = project(frame, 41.85, -87.7)
    // 1 km north is 1/111.2 of a degree; 1 km east is that over cos(41.85°).
    const north = project(frame, 41.85 + 1 / 111.2, -87.7)
    const east = project(frame, 41.85, -87.7 + 1 / (111.2 * Math.cos((41.85 * Math.PI) / 180)))
    expect(Math.abs(east.x - origin.x) / Math.abs(north.y - origin.y)).toBeCloseTo(1, 2)
  })

  it('maps the frame onto 0…FRAME_WIDTH and back', () => {
    expect(project(frame, frame.maxLat, frame.minLon)).toEqual({ x: 0, y: 0 })
    expect(project(frame, frame.minLat, frame.maxLon).x).toBeCloseTo(FRAME_WIDTH, 6)
    const back = unproject(frame, 321, 456)
    const again = project(frame, back.lat, back.lon)
    expect(again.x).toBeCloseTo(321, 6)
    expect(again.y).toBeCloseTo(456, 6)
  })

  it('keeps every view inside the frame, at a zoom from 0 to MAX_ZOOM', () => {
    const corner = viewAt(frame, 2, -500, -500)
    expect(corner.box).toMatchObject({ x: 0, y: 0, width: FRAME_WIDTH / 4 })
    expect(viewAt(frame, 99, 500, 500).zoom).toBe(MAX_ZOOM)
    expect(viewAt(frame, -3, 0, 0)).toEqual(wholeView(frame))
  })

  it("reads a view back from its own bbox (the island's address bar) at the same zoom", () => {
    for (const zoom of [0, 1, 3, MAX_ZOOM]) {
      const view = viewAt(frame, zoom, 420, 380)
      const again = viewOf(frame, view.bbox)
      expect(again.zoom).toBe(zoom)
      expect(again.x).toBeCloseTo(view.x, 6)
      expect(again.y).toBeCloseTo(view.y, 6)
    }
    // A single place is shown as closely as the map goes.
    expect(viewOf(frame, [-87.65, 41.9, -87.65, 41.9]).zoom).toBe(MAX_ZOOM)
  })

  it('halves the cluster cell with each zoom level', () => {
    expect(cellAt(frame, 1).lon).toBeCloseTo(cellAt(frame, 0).lon / 2, 10)
    expect(cellAt(frame, 0).lat * frame.scale).toBeCloseTo(FRAME_WIDTH / 10, 6)
  })
})

describe('simplifying district outlines', () => {
  it('keeps the ends and every point farther than the tolerance from the line', () => {
    const line = [
      [0, 0],
      [1, 0.1],
      [2, -0.1],
      [3, 5],
      [4, 0],
      [5, 0],
    ]
    expect(simplify(line, 0.5)).toEqual([
      [0, 0],
      [2, -0.1],
      [3, 5],
      [4, 0],
      [5, 0],
    ])
    expect(simplify(line, 10)).toEqual([
      [0, 0],
      [5, 0],
    ])
  })

  it('writes a short relative path and leaves out rings smaller than the tolerance', () => {
    const d = districtPath(frame, {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [-87.9, 41.7],
            [-87.8, 41.7],
            [-87.8, 41.8],
            [-87.9, 41.8],
            [-87.9, 41.7],
          ],
        ],
        // A speck a few metres across.
        [
          [
            [-87.6, 41.9],
            [-87.59999, 41.9],
            [-87.59999, 41.90001],
            [-87.6, 41.9],
          ],
        ],
      ],
    })
    expect(d).toMatch(/^M[\d.]+ [\d.]+l[-\d. ]+z$/)
    expect(d.match(/M/g)).toHaveLength(1)
  })
})

describe('the map request', () => {
  it('reads bbox as west, south, east, north and says what is wrong with a bad one', () => {
    expect(parseBbox('-87.7,41.8,-87.6,41.9')).toEqual({ ok: true, bbox: [-87.7, 41.8, -87.6, 41.9] })
    expect(parseBbox(undefined)).toEqual({ ok: true })
    for (const [raw, says] of [
      ['1,2,3', 'four numbers'],
      ['a,b,c,d', 'four numbers'],
      ['1,,2,3', 'four numbers'],
      ['Infinity,1,2,3', 'four numbers'],
      ['-200,1,2,3', 'between -180 and 180'],
      ['2,1,1,3', 'west before east'],
    ] as const) {
      const parsed = parseBbox(raw)
      expect(parsed.ok, raw).toBe(false)
      if (!parsed.ok) expect(parsed.problem.detail).toContain(says)
    }
  })

  it('reports bad filters and a bad bbox together', () => {
    const parsed = parseMapRequest(new URLSearchParams('age=x&bbox=1&bbox=2'))
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.problems.map((p) => p.param)).toEqual(['age', 'bbox'])
  })

  it('sends a single marker to its opportunity, a spread one closer, one place to the list there', () => {
    const filters = filtersOf('free=yes')
    const base = '/en/chicago/opportunities'
    const view = wholeView(frame)
    const one = { n: 1, lat: 41.9, lon: -87.7, id: 7, bbox: [-87.7, 41.9, -87.7, 41.9] as const }
    expect(markerAction(base, filters, { ...one, bbox: [...one.bbox] }, view).href).toBe(`${base}/7`)
    const spread = markerAction(
      base,
      filters,
      { n: 4, lat: 41.9, lon: -87.7, id: null, bbox: [-87.71, 41.89, -87.69, 41.91] },
      view,
    )
    expect(spread).toMatchObject({
      kind: 'zoom',
      href: `${base}/map?free=yes&bbox=-87.71,41.89,-87.69,41.91`,
    })
    const together = {
      n: 3,
      lat: 41.9,
      lon: -87.7,
      id: null,
      bbox: [-87.7, 41.9, -87.7, 41.9] as [number, number, number, number],
    }
    expect(markerAction(base, filters, together, view)).toEqual({
      kind: 'list',
      href: `${base}?free=yes&lat=41.9&lon=-87.7&radius=0.1`,
    })
    // A search near a place of its own keeps it: the closest map instead.
    expect(markerAction(base, filtersOf('lat=41.9&lon=-87.7'), together, view).kind).toBe('zoom')
  })
})

describe('the tile server setting', () => {
  it('takes an https template with {z}, {x} and {y}, and refuses anything else', () => {
    expect(loadConfig({ MAP_TILE_URL: 'https://tile.example.org/{z}/{x}/{y}.png' }).mapTileUrl).toBe(
      'https://tile.example.org/{z}/{x}/{y}.png',
    )
    expect(loadConfig({}).mapTileUrl).toBeUndefined()
    for (const bad of [
      'http://tile.example.org/{z}/{x}/{y}.png',
      'https://tile.example.org/{z}/{x}.png',
      'https://{s}.tile.example.org/{z}/{x}/{y}.png',
      "https://tile.example.org/{z}/{x}/{y}.png'; script-src *",
      'https://user:pw@tile.example.org/{z}/{x}/{y}.png',
    ])
      expect(() => loadConfig({ MAP_TILE_URL: bad }), bad).toThrow(
        /MAP_TILE_URL must be an https:\/\/ URL template/,
      )
  })
})
