/**
 * The map's queries: a city's frame, and every match of a search (not only a page of them) counted
 * into the cells of a grid over the view, one marker per cell, with the search's own WHERE
 * (searchScope), so the map and the list always agree on what matches.
 */
import { arrayOf, type Db, firstRow, rows, sql } from '../../../platform/db/index.ts'
import { parseSearch } from '../../../platform/search/index.ts'
import type { Filters } from '../filters.ts'
import { matchesWhere, searchScope } from '../scope.ts'
import { correctQuery } from '../words.ts'
import { type Bbox, cellAt, type Frame, frameOf, type View } from './projection.ts'

/** At most this many markers in one view (a grid of GRID_COLUMNS columns stays well under it). */
export const MAX_MARKERS = 200

/** One marker: the opportunities of one grid cell, drawn at their mean place. */
export interface Cluster {
  n: number
  lat: number
  lon: number
  /** The opportunity, when the cell holds only one. */
  id: number | null
  /** The extent of the cell's opportunities. */
  bbox: Bbox
}

export interface MapCounts {
  /** Every match of the search. */
  total: number
  /** Matches with no place (online ones): in the list, not on the map. */
  unplaced: number
  /** Matches with a place inside the view. */
  inView: number
}

type City = { id: number; timeZone: string }

/** The extent of a city's districts, or of its published opportunities' places when it has none. */
export async function cityFrame(db: Db, cityId: number): Promise<Frame | null> {
  const extent = await firstRow<{ minLon: number | null; minLat: number; maxLon: number; maxLat: number }>(
    db,
    sql`select min(bbox[1])::float8 as "minLon", min(bbox[2])::float8 as "minLat",
          max(bbox[3])::float8 as "maxLon", max(bbox[4])::float8 as "maxLat"
        from districts where city_id = ${cityId}`,
  )
  if (extent?.minLon != null) return frameOf([extent.minLon, extent.minLat, extent.maxLon, extent.maxLat])
  const places = await firstRow<{ minLon: number | null; minLat: number; maxLon: number; maxLat: number }>(
    db,
    sql`select min(lon)::float8 as "minLon", min(lat)::float8 as "minLat",
          max(lon)::float8 as "maxLon", max(lat)::float8 as "maxLat"
        from opportunities where city_id = ${cityId} and status = 'published' and lat is not null`,
  )
  return places?.minLon != null ? frameOf([places.minLon, places.minLat, places.maxLon, places.maxLat]) : null
}

/** The WHERE of a search with these words (as listMatches builds it for its list). */
async function whereOf(db: Db, city: City, filters: Filters, words: string | null, now: Date) {
  const scope = await searchScope(db, city, filters, words, now)
  return matchesWhere(scope)
}

/** How many matches there are, how many have no place, and how many lie in the view. */
async function countMatches(
  db: Db,
  where: Awaited<ReturnType<typeof whereOf>>,
  view: View,
): Promise<MapCounts> {
  const [minLon, minLat, maxLon, maxLat] = view.bbox
  const counted = await firstRow<MapCounts>(
    db,
    sql`select count(*)::int as total,
          count(*) filter (where o.lat is null or o.lon is null)::int as unplaced,
          count(*) filter (where o.lat between ${minLat} and ${maxLat}
            and o.lon between ${minLon} and ${maxLon})::int as "inView"
        from opportunities o where ${where}`,
  )
  return counted ?? { total: 0, unplaced: 0, inView: 0 }
}

/**
 * The markers of a search in a view: its matches with a place there, counted per cell of a grid
 * anchored at the frame's corner (so cells stay put while the view pans), the biggest first, at
 * most MAX_MARKERS. `words` are the search words to use (listMatches' correction); left out, the
 * filters' words are corrected here the same way when nothing matches them as typed.
 */
export async function mapMatches(
  db: Db,
  city: City,
  filters: Filters,
  now: Date,
  frame: Frame,
  view: View,
  words?: string | null,
): Promise<{ counts: MapCounts; clusters: Cluster[]; corrected: string | null }> {
  let searched = words === undefined ? filters.q : words
  let where = await whereOf(db, city, filters, searched, now)
  let counts = await countMatches(db, where, view)
  let corrected: string | null = words === undefined ? null : words === filters.q ? null : words
  if (words === undefined && counts.total === 0 && filters.q) {
    const query = parseSearch(filters.q)
    const better = query ? await correctQuery(db, city.id, query) : null
    if (better) {
      searched = better
      corrected = better
      where = await whereOf(db, city, filters, searched, now)
      counts = await countMatches(db, where, view)
    }
  }
  if (counts.inView === 0) return { counts, clusters: [], corrected }
  const [minLon, minLat, maxLon, maxLat] = view.bbox
  const cell = cellAt(frame, view.zoom)
  const found = await rows<{
    n: number
    lat: number
    lon: number
    id: number
    minLon: number
    minLat: number
    maxLon: number
    maxLat: number
  }>(
    db,
    sql`select count(*)::int as n, avg(o.lat)::float8 as lat, avg(o.lon)::float8 as lon,
          min(o.id)::int as id, min(o.lon)::float8 as "minLon", min(o.lat)::float8 as "minLat",
          max(o.lon)::float8 as "maxLon", max(o.lat)::float8 as "maxLat"
        from opportunities o
        where ${where} and o.lat between ${minLat} and ${maxLat} and o.lon between ${minLon} and ${maxLon}
        group by floor((o.lon - ${frame.minLon}) / ${cell.lon}), floor((o.lat - ${frame.minLat}) / ${cell.lat})
        order by n desc, id
        limit ${MAX_MARKERS}`,
  )
  return {
    counts,
    corrected,
    clusters: found.map((c) => ({
      n: c.n,
      lat: Number(c.lat),
      lon: Number(c.lon),
      id: c.n === 1 ? c.id : null,
      bbox: [Number(c.minLon), Number(c.minLat), Number(c.maxLon), Number(c.maxLat)],
    })),
  }
}

/** What the map shows of an opportunity: its title (every language), place and format. */
export interface PlacedFacts {
  id: number
  title: Record<string, string>
  lat: number | null
  lon: number | null
  format: string
}

/** The facts of these opportunities of a city, by id. */
export async function placedFacts(db: Db, cityId: number, ids: number[]): Promise<Map<number, PlacedFacts>> {
  if (ids.length === 0) return new Map()
  const found = await rows<PlacedFacts>(
    db,
    sql`select o.id::int as id, o.title, o.lat, o.lon, o.format from opportunities o
        where o.city_id = ${cityId} and o.id = any(${arrayOf(ids, 'int8')})`,
  )
  return new Map(
    found.map((f) => [
      f.id,
      { ...f, lat: f.lat === null ? null : Number(f.lat), lon: f.lon === null ? null : Number(f.lon) },
    ]),
  )
}
