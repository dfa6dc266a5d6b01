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

/** The largest number of grid cells a radius is looked up by; a wider circle takes coarser cells. */
const MAX_CELLS = 16
const CELL_LEVELS = 7

/**
 * The grid cells of lc_search_filters that cover the box around a circle, at the finest size that
 * needs at most MAX_CELLS of them, or null when even the coarsest needs more.
 */
export function cellsAround(lat: number, lon: number, dLat: number, dLon: number): string[] | null {
  for (let k = 0; k < CELL_LEVELS; k++) {
    const size = 0.005 * 2 ** k
    // The same arithmetic as the SQL function (IEEE doubles), widened by a hair against rounding.
    const [r0, r1] = [Math.floor((lat - dLat) / size - 1e-9), Math.floor((lat + dLat) / size + 1e-9)]
    const [c0, c1] = [Math.floor((lon - dLon) / size - 1e-9), Math.floor((lon + dLon) / size + 1e-9)]
    if ((r1 - r0 + 1) * (c1 - c0 + 1) > MAX_CELLS) continue
    const cells: string[] = []
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) cells.push(`${k}:${r}:${c}`)
    return cells
  }
  return null
}
