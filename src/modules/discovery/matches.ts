/**
 * The published opportunities of a city that meet a search: its words (title, topics, description
 * and provider, with mistyped words corrected) and its filters, with each one's next session in the
 * span asked for and its distance from the place asked about.
 */
import { arrayOf, type Db, rows, type SQL, sql } from '../../platform/db/index.ts'
import type { Lang } from '../../platform/i18n/index.ts'
import { parseSearch, type SearchQuery } from '../../platform/search/index.ts'
import { inCity } from './city-share.ts'
import { dateWindow } from './date-window.ts'
import { type Filters, TIME_OF_DAY_HOURS, WEEKDAYS } from './filters.ts'
import { cellsAround, hasLexemes, hasSessionSlots } from './lexemes.ts'
import { correctQuery, providersNamed, searchQuery, textMatch } from './words.ts'

export const PAGE_SIZE = 20
const EARTH_RADIUS_KM = 6371

export interface Match {
  id: number
  /** The next session in the span asked for (from now when no date is asked), if it has one. */
  nextStart: Date | null
  nextSessionId: number | null
  /** Kilometres from the place asked about, when one is. */
  distanceKm: number | null
}

export interface MatchPage {
  matches: Match[]
  /** How many match, at most SEARCH_CAP. */
  total: number
  /** Whether more than SEARCH_CAP match (then `total` is SEARCH_CAP and the ranking is of the first found). */
  more: boolean
  /** The words searched for when some were corrected ("robtics" → "robotics"), else null. */
  corrected: string | null
}

/** The filters a resident picks values of from a list, each counted by facetCounts. */
export const FACETS = ['block', 'topic', 'lang', 'format', 'access', 'district', 'sector', 'free'] as const
export type Facet = (typeof FACETS)[number]
/** Great-circle distance in km from a point to an opportunity's place (haversine). */
function distanceFrom(lat: number, lon: number): SQL {
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
  const [only] = scope.alternatives
  if (scope.alternatives.length === 1 && only) return sql.join([...scope.indexed, only, ...rest], sql` and `)
  return sql.join([sql`o.id in (${fromIndex(scope, sql`o.id`, [])})`, ...rest], sql` and `)
}

/**
 * The most matches a search ranks, sorts and counts. A search that matches more (a common word
 * over a wide area, at a million opportunities tens of thousands) ranks the first this many the
 * index gives, reports "more than" that many and asks for narrower words or filters: ranking every
 * match would read every one of them, row by row.
 */
export const SEARCH_CAP = 1000

export interface ListedMatches extends MatchPage {
  /** The scope of the words searched for in the end (the corrected ones when corrected). */
  scope: SearchScope
}

/**
 * One page of the opportunities that meet a search, and how many there are in all (at most
 * SEARCH_CAP, and `more` when there are more). Searched words that no opportunity uses are
 * corrected when nothing matches them as typed. With a date, day or time filter only opportunities
 * with a session that fits are listed (self-paced ones have none); without one, self-paced ones are
 * listed too, after those with a next session.
 *
 * Relevance puts opportunities written in the reader's language (`lang`) first, then the best
 * match of the words, then the soonest; without words it is the soonest.
 */
export async function listMatches(
  db: Db,
  city: { id: number; timeZone: string },
  filters: Filters,
  now: Date,
  options: { lang?: Lang; pageSize?: number; cap?: number } = {},
): Promise<ListedMatches> {
  const paging = { pageSize: options.pageSize ?? PAGE_SIZE, cap: options.cap ?? SEARCH_CAP }
  const scope = await searchScope(db, city, filters, filters.q, now)
  const first = await pageOf(db, scope, filters, options.lang, paging)
  if (first.total > 0 || !filters.q) return { ...first, corrected: null, scope }
  const query = parseSearch(filters.q)
  const corrected = query ? await correctQuery(db, city.id, query) : null
  if (!corrected) return { ...first, corrected: null, scope }
  const again = await searchScope(db, city, filters, corrected, now)
  return { ...(await pageOf(db, again, filters, options.lang, paging)), corrected, scope: again }
}

async function pageOf(
  db: Db,
  scope: SearchScope,
  filters: Filters,
  lang: Lang | undefined,
  { pageSize, cap }: { pageSize: number; cap: number },
): Promise<{ matches: Match[]; total: number; more: boolean }> {
  const distance = filters.near ? distanceFrom(filters.near.lat, filters.near.lon) : sql`null::float8`
  const soonest = sql`next.starts_at asc nulls last, o.id asc`
  // The order's first keys (none for soonest first), then the next session and the id.
  const keys =
    filters.sort === 'nearest' && filters.near
      ? { order: sql`"distanceKm" asc`, upTo: sql`c."distanceKm" <= h."distanceKm"` }
      : filters.sort === 'soonest'
        ? null
        : {
            order: sql`"inLanguage" desc, rank desc`,
            upTo: sql`(c."inLanguage", c.rank) >= (h."inLanguage", h.rank)`,
          }
  const order = keys ? sql`${keys.order}, ${soonest}` : soonest
  // The extra candidate only tells that there are more: pages end at the cap.
  const offset = (filters.page - 1) * pageSize
  const limit = Math.max(0, Math.min(pageSize, cap - offset))
  // Sorted by relevance or distance, only the candidates up to the page's last by those keys, and
  // every one tied with it, can be on the page: only they need their next session looked up (the
  // tie-break). Soonest first needs every candidate's.
  const needed = keys
    ? sql`last_on_page as (
          select * from candidates order by ${keys.order} limit 1 offset ${Math.max(0, offset + limit - 1)}
        ),
        needed as (
          select c.* from candidates c
          where not exists (select 1 from last_on_page)
            or exists (select 1 from last_on_page h where ${keys.upTo})
        ),`
    : sql`needed as (select * from candidates),`
  // The candidates first (at most cap + 1, straight from the index), then their next
  // sessions, the order and the page: the session lookups and the sort touch only candidates.
  const found = await rows<Omit<Match, 'id'> & { id: number | null; total: number }>(
    db,
    sql`with candidates as materialized (${fromIndex(
      scope,
      sql`o.id, ${scope.rank} as rank, ${lang ? sql`(o.title ->> ${lang}) is not null` : sql`false`} as "inLanguage",
            ${distance} as "distanceKm"`,
      [...scope.checked, facetsWhere(scope)],
      cap + 1,
    )}),
        ${needed}
        listed as (
          select o.id::int as id, next.starts_at as "nextStart", next.id::int as "nextSessionId", o."distanceKm"
          from needed o
          left join lateral (
            select s.id, s.starts_at from opportunity_sessions s where ${scope.fits}
            order by s.starts_at limit 1
          ) as next on true
          order by ${order}
          limit ${limit} offset ${offset}
        )
        select listed.*, counted.total from (select count(*)::int as total from candidates) as counted
        left join listed on true`,
  )
  const counted = found[0]?.total ?? 0
  return {
    total: Math.min(counted, cap),
    more: counted > cap,
    matches: found.flatMap(({ total: _, id, ...m }) =>
      id === null
        ? []
        : [
            {
              ...m,
              id,
              nextStart: m.nextStart === null ? null : new Date(m.nextStart),
              distanceKm: m.distanceKm === null ? null : Number(m.distanceKm),
            },
          ],
    ),
  }
}
