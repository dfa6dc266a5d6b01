/**
 * What a search asks of an opportunity `o`, as SQL in parts: the conditions the search index
 * answers, the alternatives of its words, those checked on each row it returns, the list filters
 * (which the counts leave out one at a time) and the rank. The list (matches.ts), the counts
 * (facets.ts), the map and the digests all build on the same scope.
 */
import { arrayOf, type Db, rows, type SQL, sql } from '../../platform/db/index.ts'
import { parseSearch, type SearchQuery } from '../../platform/search/index.ts'
import { inCity } from './city-share.ts'
import { dateWindow } from './date-window.ts'
import { type Filters, TIME_OF_DAY_HOURS, WEEKDAYS } from './filters.ts'
import { cellsAround, hasLexemes, hasSessionSlots } from './lexemes.ts'
import { providersNamed, searchQuery, textMatch } from './words.ts'

const EARTH_RADIUS_KM = 6371

/** The filters a resident picks values of from a list, each counted by facetCounts. */
export const FACETS = ['block', 'topic', 'lang', 'format', 'access', 'district', 'sector', 'free'] as const
export type Facet = (typeof FACETS)[number]
/** Great-circle distance in km from a point to an opportunity's place (haversine). */
export function distanceFrom(lat: number, lon: number): SQL {
  return sql`(2 * ${EARTH_RADIUS_KM} * asin(sqrt(
      power(sin(radians(o.lat - ${lat}) / 2), 2)
      + cos(radians(${lat})) * cos(radians(o.lat)) * power(sin(radians(o.lon - ${lon}) / 2), 2))))`
}

/** The conditions on a session: in the span, on the days and at the times of day asked for. */
function sessionConditions(filters: Filters, span: { from: Date; to: Date | null }): SQL[] {
  const conditions = [sql`not s.cancelled`, sql`s.starts_at >= ${span.from.toISOString()}`]
  if (span.to) conditions.push(sql`s.starts_at < ${span.to.toISOString()}`)
  // local_start is the session's wall-clock start in the city ('YYYY-MM-DDTHH:mm').
  if (filters.days.length > 0) {
    const isoDays = filters.days.map((d) => WEEKDAYS.indexOf(d) + 1)
    conditions.push(
      sql`extract(isodow from s.local_start::timestamp)::int = any(${arrayOf(isoDays, 'int8')})`,
    )
  }
  if (filters.times.length > 0) {
    const hour = sql`substring(s.local_start from 12 for 2)::int`
    const ranges = filters.times.map((t) => {
      const [from, to] = TIME_OF_DAY_HOURS[t]
      return sql`(${hour} >= ${from} and ${hour} < ${to})`
    })
    conditions.push(sql`(${sql.join(ranges, sql` or `)})`)
  }
  return conditions
}

/** The condition of each list filter on its own, when it is set. */
function facetConditions(filters: Filters, resolved: Resolved): Partial<Record<Facet, SQL>> {
  const c: Partial<Record<Facet, SQL>> = {}
  if (filters.blocks.length > 0) c.block = hasLexemes('b:', filters.blocks)
  // Topics are stored as the provider typed them; filters compare them case-blind.
  if (filters.topics.length > 0)
    c.topic = sql`exists (select 1 from unnest(o.topics) as t where lower(t) = any(${arrayOf(filters.topics, 'text')}))`
  if (filters.free) c.free = hasLexemes('', ['free'])
  if (filters.languages.length > 0) c.lang = hasLexemes('l:', filters.languages)
  if (filters.formats.length > 0) c.format = hasLexemes('f:', filters.formats)
  // Every need asked for must be met.
  if (filters.access.length > 0) c.access = hasLexemes('a:', filters.access, '&')
  // No district of these codes: nothing matches.
  if (filters.districts.length > 0)
    c.district = resolved.districts.length > 0 ? hasLexemes('d:', resolved.districts.map(String)) : sql`false`
  if (filters.sectors.length > 0)
    // The providers of those sectors, through the index's 'o:' lexemes, so the index leaves out the
    // others (checked row by row, a rare sector read many rows for each it kept). A city with more
    // such providers than a lookup should name has them checked on each row the index returns.
    c.sector = resolved.sectorProviders
      ? resolved.sectorProviders.length > 0
        ? hasLexemes('o:', resolved.sectorProviders.map(String))
        : sql`false`
      : sql`coalesce((select true from organizations g
          where g.id = o.organization_id and g.sector = any(${arrayOf(filters.sectors, 'text')})), false)`
  return c
}

/**
 * The conditions on the opportunity itself that are not list filters: those the search index
 * answers (city, status, the place's cells) and those checked on each row it returns (age, price,
 * exact distance).
 */
function fixedConditions(inCity: SQL, filters: Filters): { indexed: SQL[]; checked: SQL[] } {
  const indexed: SQL[] = [inCity, sql`o.status = 'published'`]
  const c: SQL[] = []
  if (filters.age !== null)
    c.push(
      sql`(o.age_min is null or o.age_min <= ${filters.age}) and (o.age_max is null or o.age_max >= ${filters.age})`,
    )
  if (filters.maxPrice !== null) c.push(sql`(o.free or o.price <= ${filters.maxPrice})`)
  if (filters.near) {
    const { lat, lon, radiusKm } = filters.near
    // The grid cells around the circle first (in the index), then the exact distance.
    const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI)
    const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01)
    const cells = cellsAround(lat, lon, dLat, dLon)
    indexed.push(
      cells
        ? hasLexemes('g', cells)
        : sql`o.lat between ${lat - dLat} and ${lat + dLat} and o.lon between ${lon - dLon} and ${lon + dLon}`,
    )
    c.push(sql`${distanceFrom(lat, lon)} <= ${radiusKm}`)
  }
  return { indexed, checked: c }
}

/** Everything a search asks of an opportunity `o`, in parts: facetCounts leaves out one list at a time. */
export interface SearchScope {
  /** The conditions the search index answers (the city, the place's cells, the sessions' slots). */
  indexed: SQL[]
  /**
   * And one of these, each answered by the index with `indexed` (the words, or a provider they
   * name; without words, being in the index): see `fromIndex`.
   */
  alternatives: SQL[]
  /** Those checked on each row the index returns (age, price, distance, a fitting session). */
  checked: SQL[]
  facets: Partial<Record<Facet, SQL>>
  /** The search words' rank of `o`, or 0 without words. */
  rank: SQL
  /** Whether only opportunities with a session that fits are listed (a date, day or time is asked). */
  needsSession: boolean
  /** The condition on a session `s` of `o` that fits. */
  fits: SQL
}

/**
 * What a search's words, districts and sectors are in the city: the providers named, the districts'
 * ids, the providers of the sectors (null when more than MAX_SECTOR_PROVIDERS).
 */
interface Resolved {
  /**
   * The words' tsquery, as text: parsed once here, where in the search's own statement each row
   * that is ranked or rechecked parsed it again in every language (websearch_to_tsquery is not
   * immutable, so it is not folded into a constant).
   */
  tsquery: string | null
  providers: number[]
  districts: number[]
  sectorProviders: number[] | null
}

/** The most providers of the sectors asked for that the index is asked for by name. */
const MAX_SECTOR_PROVIDERS = 2000

/**
 * Looks up, in one statement, what the index is asked for: the words' tsquery, the city's providers
 * whose name has the words, the districts of the codes asked for and the providers of the sectors
 * (constants give the planner true estimates).
 */
async function resolve(
  db: Db,
  cityId: number,
  filters: Filters,
  query: SearchQuery | null,
): Promise<Resolved> {
  const none: Resolved = { tsquery: null, providers: [], districts: [], sectorProviders: [] }
  if (!query && filters.districts.length === 0 && filters.sectors.length === 0) return none
  const [found] = await rows<Resolved>(
    db,
    sql`select ${query ? sql`(${searchQuery(query)})::text` : sql`null::text`} as tsquery,
          ${query ? sql`array(${providersNamed(cityId, query)})` : sql`'{}'::bigint[]`}::int[] as providers,
          array(select d.id from districts d where d.city_id = ${cityId}
            and lower(d.code) = any(${arrayOf(filters.districts, 'text')}))::int[] as districts,
          array(select g.id from organizations g where g.city_id = ${cityId}
            and g.sector = any(${arrayOf(filters.sectors, 'text')}) limit ${MAX_SECTOR_PROVIDERS + 1})::int[]
            as "sectorProviders"`,
  )
  if (!found) return none
  const many = found.sectorProviders !== null && found.sectorProviders.length > MAX_SECTOR_PROVIDERS
  return { ...found, sectorProviders: many ? null : found.sectorProviders }
}

/** The scope of a search with these words (already corrected, or null for none). */
export async function searchScope(
  db: Db,
  city: { id: number; timeZone: string },
  filters: Filters,
  words: string | null,
  now: Date,
): Promise<SearchScope> {
  const query = parseSearch(words)
  const [resolved, cityCondition] = await Promise.all([
    resolve(db, city.id, filters, query),
    inCity(db, city.id),
  ])
  const window = dateWindow(filters, now, city.timeZone)
  const needsSession = window !== null || filters.days.length > 0 || filters.times.length > 0
  const { indexed, checked } = fixedConditions(cityCondition, filters)
  // Without words too, only rows the search index holds (all but imports of the last seconds,
  // which the indexing job adds): the index is what a filter is looked up in.
  const text =
    resolved.tsquery !== null
      ? textMatch(resolved.tsquery, resolved.providers)
      : { where: [sql`o.search_document is not null`], rank: sql`0::float4` }
  const fits = sql`s.city_id = ${city.id} and s.opportunity_id = o.id
    and ${sql.join(sessionConditions(filters, window ?? { from: now, to: null }), sql` and `)}`
  if (needsSession) {
    // The index narrows to opportunities with sessions on those dates, days and times; each one's
    // sessions are then checked exactly. A subquery with a limit, not exists: the planner would turn
    // exists into a join that reads every session of the span first (it cannot estimate the day and
    // time conditions), where checking the few rows the index leaves is what is cheap.
    indexed.push(hasSessionSlots(filters.days, filters.times, window, city.timeZone))
    checked.push(sql`coalesce((select true from opportunity_sessions s where ${fits} limit 1), false)`)
  }
  return {
    indexed,
    alternatives: text.where,
    checked,
    facets: facetConditions(filters, resolved),
    rank: text.rank,
    needsSession,
    fits,
  }
}

/** The conditions of the list filters but one (or all of them), joined for a WHERE (true for none). */
export function facetsWhere(scope: SearchScope, without?: Facet): SQL {
  const facets = Object.entries(scope.facets)
    .filter(([name]) => name !== without)
    .map(([, condition]) => condition)
  return sql.join([sql`true`, ...facets], sql` and `)
}

/**
 * A select of `columns` from the opportunities `o` the search index gives for a scope, with more
 * conditions (`where`), at most `limit` of them. Each of the scope's alternatives is its own index
 * scan and the union takes the rows of all: one WHERE with them OR-ed spans two of the index's
 * columns, and the planner read the whole table instead (5 s at a million opportunities).
 */
export function fromIndex(scope: SearchScope, columns: SQL, where: SQL[], limit?: number): SQL {
  const upTo = limit === undefined ? sql`` : sql` limit ${limit}`
  const arms = scope.alternatives.map(
    (alternative) => sql`select ${columns} from opportunities o
      where ${sql.join([...scope.indexed, alternative, ...where], sql` and `)}${upTo}`,
  )
  if (arms.length === 1) return arms[0]!
  return sql`${sql.join(
    arms.map((arm) => sql`(${arm})`),
    sql` union `,
  )}${upTo}`
}

/** The WHERE of every condition of a scope on opportunities `o` (the map and the digests count with it). */
export function matchesWhere(scope: SearchScope): SQL {
  const rest = [...scope.checked, facetsWhere(scope)]
  if (scope.alternatives.length === 1)
    return sql.join([...scope.indexed, ...scope.alternatives, ...rest], sql` and `)
  return sql.join([sql`o.id in (${fromIndex(scope, sql`o.id`, [])})`, ...rest], sql` and `)
}
