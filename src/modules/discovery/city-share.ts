/**
 * Whether a city holds most of the catalogue, which decides how a search asks for its city. The
 * search index starts with the city (btree_gin), so in a network a search reads only its city's
 * rows; but when one city holds nearly every row, its entry lists the whole catalogue and the index
 * scan spends more on skipping through that list than on anything else (15 ms of 40 at a million
 * opportunities). Then the city is checked on the rows the other conditions leave instead.
 */
import { type Db, rows, type SQL, sql } from '../../platform/db/index.ts'

/** Above this share of the catalogue the city is checked row by row, not looked up in the index. */
const MOST = 0.5
/** How long a city's share is trusted: the planner's statistics change slowly too. */
const TRUSTED_MS = 60_000

const known = new WeakMap<Db, Map<number, { most: boolean; until: number }>>()

/**
 * The city's share of the opportunities by the planner's statistics (its most common values), so it
 * costs a catalogue lookup, not a count; a city not among them, or a table not yet analysed, counts
 * as a minority.
 */
export async function holdsMost(db: Db, cityId: number, now: number): Promise<boolean> {
  let cities = known.get(db)
  if (!cities) {
    cities = new Map()
    known.set(db, cities)
  }
  const cached = cities.get(cityId)
  if (cached && cached.until > now) return cached.most
  const [found] = await rows<{ share: number | null }>(
    db,
    sql`select (s.most_common_freqs[array_position(s.most_common_vals::text::bigint[], ${cityId}::bigint)])::float8
          as share
        from pg_stats s
        where s.schemaname = current_schema() and s.tablename = 'opportunities' and s.attname = 'city_id'`,
  )
  const most = (found?.share ?? 0) > MOST
  cities.set(cityId, { most, until: now + TRUSTED_MS })
  return most
}

/** The condition that opportunity `o` is the city's, in the form that costs a search least. */
export async function inCity(db: Db, cityId: number, now = Date.now()): Promise<SQL> {
  // `+ 0` keeps the condition out of the index scan: it is checked on each row the index returns.
  return (await holdsMost(db, cityId, now)) ? sql`o.city_id + 0 = ${cityId}` : sql`o.city_id = ${cityId}`
}
