/**
 * The published opportunities of a city that meet a search: its words (title, topics, description
 * and provider, with mistyped words corrected) and its filters, with each one's next session in the
 * span asked for and its distance from the place asked about.
 */
import { type Db, rows, sql } from '../../platform/db/index.ts'
import type { Lang } from '../../platform/i18n/index.ts'
import { parseSearch } from '../../platform/search/index.ts'
import type { Filters } from './filters.ts'
import { distanceFrom, facetsWhere, fromIndex, type SearchScope, searchScope } from './scope.ts'
import { correctQuery } from './words.ts'

export const PAGE_SIZE = 20

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
