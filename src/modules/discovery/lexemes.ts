/**
 * The filter lexemes of the search index (`o.search_filters`, lc_search_filters in migration 0017)
 * and the conditions that ask for them.
 */
import { type SQL, sql } from '../../platform/db/index.ts'

/**
 * The condition that `o.search_filters` (lexemes of the row's filter values, lc_search_filters in
 * migration 0017) has any of the values with this prefix, or all of them. The GIN index over the
 * city, the words and these lexemes intersects every such condition in one scan.
 */
export function hasLexemes(prefix: string, values: readonly string[], join: '|' | '&' = '|'): SQL {
  // A quoted lexeme takes any character; quotes and backslashes inside are doubled.
  const quoted = values.map((v) => `'${`${prefix}${v}`.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`)
  return sql`o.search_filters @@ ${quoted.join(` ${join} `)}::tsquery`
}

/**
 * The largest number of grid cells a radius is looked up by; a wider circle takes coarser cells.
 * Each cell is one more term of the index lookup (cheap); each row in a cell outside the circle is
 * one more row read and turned away (dear), so finer cells pay.
 */
const MAX_CELLS = 48
const CELL_LEVELS = 7

/**
 * The grid cells of lc_search_filters that meet the ellipse around a circle (dLat, dLon: its half
 * height and width in degrees), at the finest size that needs at most MAX_CELLS of them, or null
 * when even the coarsest needs more. Cells of the surrounding box that the circle does not reach
 * (its corners) are left out.
 */
export function cellsAround(lat: number, lon: number, dLat: number, dLon: number): string[] | null {
  for (let k = 0; k < CELL_LEVELS; k++) {
    const size = 0.005 * 2 ** k
    // The same arithmetic as the SQL function (IEEE doubles), widened by a hair against rounding.
    const [r0, r1] = [Math.floor((lat - dLat) / size - 1e-9), Math.floor((lat + dLat) / size + 1e-9)]
    const [c0, c1] = [Math.floor((lon - dLon) / size - 1e-9), Math.floor((lon + dLon) / size + 1e-9)]
    // A first bound before the corners are cut: the ellipse covers π/4 of its box.
    if ((r1 - r0 + 1) * (c1 - c0 + 1) * 0.6 > MAX_CELLS) continue
    const cells: string[] = []
    for (let r = r0; r <= r1; r++)
      for (let c = c0; c <= c1; c++)
        if (meets(lat, lon, dLat, dLon, r * size, c * size, size)) cells.push(`${k}:${r}:${c}`)
    if (cells.length <= MAX_CELLS) return cells
  }
  return null
}

/**
 * Whether the cell with this south-west corner reaches into the ellipse, widened by 2 % (the
 * ellipse stands for a circle on the sphere; the exact distance is checked on each row after).
 */
function meets(
  lat: number,
  lon: number,
  dLat: number,
  dLon: number,
  south: number,
  west: number,
  size: number,
) {
  const nearestLat = Math.min(Math.max(lat, south), south + size)
  const nearestLon = Math.min(Math.max(lon, west), west + size)
  const y = (nearestLat - lat) / (dLat * 1.02)
  const x = (nearestLon - lon) / (dLon * 1.02)
  return x * x + y * y <= 1
}
