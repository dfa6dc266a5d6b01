/**
 * One search as the page, the API and the feeds answer it: the page of matches, the facet counts
 * beside the filters, and the facts each result shows (title, provider, cost, format, languages,
 * seats left on its next session).
 */
import { arrayOf, type Db, rows, sql } from '../../platform/db/index.ts'
import type { Lang, TranslatedText } from '../../platform/i18n/index.ts'
import { seatsLeft } from '../registrations/index.ts'
import { countFacets, FACET_BASE_LIMIT, type FacetCounts } from './facets.ts'
import type { Filters } from './filters.ts'
import { listMatches, type Match } from './matches.ts'

export interface ResultFacts {
  id: number
  title: TranslatedText
  description: TranslatedText
  buildingBlock: string
  free: boolean
  price: string | null
  currency: string
  format: string
  languages: string[]
  organizationName: TranslatedText
  publishedAt: string | null
  updatedAt: string
}

export interface Result extends Match {
  facts: ResultFacts
  /** Places left on the next session; null when it has no limit or there is no next session. */
  seatsLeft: number | null
}

export interface SearchAnswer {
  results: Result[]
  /** How many match, at most SEARCH_CAP (then `more` says there are more). */
  total: number
  more: boolean
  corrected: string | null
  /** Null when not asked for (feeds). */
  facets: FacetCounts | null
}

/** The facts of the opportunities a page of matches lists. */
async function resultFacts(db: Db, cityId: number, matches: Match[]) {
  if (matches.length === 0) return new Map<number, ResultFacts>()
  const found = await rows<ResultFacts>(
    db,
    sql`select o.id::int as id, o.title, o.description, o.building_block as "buildingBlock", o.free, o.price,
          o.currency, o.format, o.languages, g.name as "organizationName", o.published_at as "publishedAt",
          o.updated_at as "updatedAt"
        from opportunities o join organizations g on g.id = o.organization_id
        where o.city_id = ${cityId} and o.id = any(${arrayOf(
          matches.map((m) => m.id),
          'int8',
        )})`,
  )
  return new Map(found.map((f) => [f.id, f]))
}

export async function search(
  db: Db,
  city: { id: number; timeZone: string },
  filters: Filters,
  now: Date,
  options: { lang?: Lang; facets?: boolean; pageSize?: number } = {},
): Promise<SearchAnswer> {
  const found = await listMatches(db, city, filters, now, { lang: options.lang, pageSize: options.pageSize })
  const sessionIds = found.matches.flatMap((m) => (m.nextSessionId === null ? [] : [m.nextSessionId]))
  // More results than counts are given for: the counts would say so too (their base, the words and
  // the fixed filters, keeps at least as many), so they are not read.
  const counted = options.facets !== false && found.total <= FACET_BASE_LIMIT
  const [facets, facts, seats] = await Promise.all([
    counted ? countFacets(db, found.scope) : undefined,
    resultFacts(db, city.id, found.matches),
    seatsLeft(db, city.id, sessionIds),
  ])
  return {
    total: found.total,
    more: found.more,
    corrected: found.corrected,
    facets: facets ?? null,
    results: found.matches.flatMap((m) => {
      const f = facts.get(m.id)
      if (!f) return []
      return [
        { ...m, facts: f, seatsLeft: m.nextSessionId === null ? null : (seats.get(m.nextSessionId) ?? null) },
      ]
    }),
  }
}
