/**
 * Live counts beside each filter: how many results picking that value would show, given the words
 * and every other filter (a list's own values are counted without that list, so picking a second
 * value shows what it adds). One statement: the opportunities the fixed part of the search keeps,
 * once, then one count per list.
 */
import { type Db, rows, sql } from '../../platform/db/index.ts'
import type { Filters } from './filters.ts'
import { FACETS, type Facet, facetsWhere, fromIndex, type SearchScope, searchScope } from './scope.ts'

/** Counts per value of each list; values with no result are absent. `free` counts under 'yes'. */
export type FacetCounts = Record<Facet, Map<string, number>>

/**
 * Counts are given while the words and the fixed filters leave at most this many opportunities.
 * Beyond it a count would visit every match (at a million opportunities a common word has tens of
 * thousands): the lists are shown without counts until the search is narrower.
 */
export const FACET_BASE_LIMIT = 500

/**
 * And the index's candidates (before age, price, distance and sessions are checked) are read up to
 * this many times the limit, so that a search whose checks turn most candidates away stays bounded.
 */
const CANDIDATES_PER_COUNTED = 2

/** The most topics counted: the rest are reachable by typing them. */
export const TOPIC_FACET_SIZE = 15

export async function facetCounts(
  db: Db,
  city: { id: number; timeZone: string },
  filters: Filters,
  words: string | null,
  now: Date,
  limit = FACET_BASE_LIMIT,
): Promise<FacetCounts | null> {
  return countFacets(db, await searchScope(db, city, filters, words, now), limit)
}

/** The counts of a search whose scope is built (the list's own, so it is looked up once). */
export async function countFacets(
  db: Db,
  scope: SearchScope,
  limit = FACET_BASE_LIMIT,
): Promise<FacetCounts | null> {
  const others = (facet: Facet) => facetsWhere(scope, facet)
  const found = await rows<{ facet: Facet; value: string; n: number }>(
    db,
    sql`with candidates as materialized (${fromIndex(
      scope,
      sql`o.id, o.building_block, o.topics, o.languages, o.format, o.accessibility, o.district_id,
            o.organization_id, o.free, o.price, o.age_min, o.age_max, o.lat, o.lon, o.search_filters`,
      [],
      limit * CANDIDATES_PER_COUNTED + 1,
    )}),
        o as materialized (
          select o.* from candidates o
          where ${sql.join([sql`true`, ...scope.checked], sql` and `)}
          limit ${limit + 1}
        )
        select 'more' as facet, '' as value, count(*)::int as n from o having count(*) > ${limit}
        union all
        select 'more', '', count(*)::int from candidates having count(*) > ${limit * CANDIDATES_PER_COUNTED}
        union all
        select 'block', building_block, count(*)::int as n from o
          where ${others('block')} group by 2
        union all
        (select 'topic', lower(t), count(*)::int from o cross join unnest(o.topics) as t
          where ${others('topic')} group by 2 order by 3 desc, 2 limit ${TOPIC_FACET_SIZE})
        union all
        select 'lang', l, count(*)::int from o cross join unnest(o.languages) as l
          where ${others('lang')} group by 2
        union all
        select 'format', format, count(*)::int from o where ${others('format')} group by 2
        union all
        select 'access', a, count(*)::int from o cross join unnest(o.accessibility) as a
          where ${others('access')} group by 2
        union all
        select 'district', lower(d.code), count(*)::int from o join districts d on d.id = o.district_id
          where ${others('district')} group by 2
        union all
        select 'sector', g.sector, count(*)::int from o join organizations g on g.id = o.organization_id
          where ${others('sector')} group by 2
        union all
        select 'free', 'yes', count(*)::int from o where o.free and ${others('free')} having count(*) > 0`,
  )
  if (found.some((r) => (r.facet as string) === 'more')) return null
  const counts = Object.fromEntries(FACETS.map((f) => [f, new Map<string, number>()])) as FacetCounts
  for (const r of found) counts[r.facet].set(r.value, r.n)
  return counts
}
