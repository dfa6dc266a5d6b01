/**
 * The search API: the same filters as the search page's URL, answered as JSON with the page of
 * results, the total, the live facet counts and the corrected words; every bad parameter at once as
 * a 400 problem+json.
 */
import { z } from '@hono/zod-openapi'
import { arrayOf, type Db, rows, sql } from '../../platform/db/index.ts'
import { problem } from '../../platform/http/problem.ts'
import { isLang, type Lang } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { findCityBySlug } from '../cities/index.ts'
import { seatsLeft } from '../registrations/index.ts'
import { facetCounts } from './facets.ts'
import { filtersQuery, parseFilters } from './filters.ts'
import { listMatches, type Match, PAGE_SIZE } from './matches.ts'

export const SEARCH_PATH = '/api/v1/cities/:city/search'

interface ResultFacts {
  id: number
  title: Record<string, string>
  free: boolean
  price: string | null
  currency: string
  format: string
  languages: string[]
}

/** The facts of each result the API shows beside its place in the order. */
async function resultFacts(db: Db, cityId: number, matches: Match[]) {
  if (matches.length === 0) return new Map<number, ResultFacts>()
  const found = await rows<ResultFacts>(
    db,
    sql`select o.id::int as id, o.title, o.free, o.price, o.currency, o.format, o.languages
        from opportunities o
        where o.city_id = ${cityId} and o.id = any(${arrayOf(
          matches.map((m) => m.id),
          'int8',
        )})`,
  )
  return new Map(found.map((f) => [f.id, f]))
}

/** The reader's language from Accept-Language, when it is one of the six. */
function readerLanguage(header: string | undefined): Lang | undefined {
  const first = header?.split(',')[0]?.split(';')[0]?.trim().slice(0, 2).toLowerCase()
  return isLang(first) ? first : undefined
}

export function searchApi(app: App, platform: Platform): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/v1/cities/{city}/search',
    summary: "Search a city's published opportunities (words and filters, as on the search page)",
    description:
      'Query parameters are those of the search page (q, block, topic, age, free, max_price, lang, format, ' +
      'access, district, lat, lon, radius, when, from, to, time, day, sector, sort, page); see docs/discovery.md.',
    tags: ['Discovery'],
    request: { params: z.object({ city: z.string().openapi({ param: { name: 'city', in: 'path' } }) }) },
    responses: {
      200: { description: 'One page of results with the total, facet counts and corrected words' },
      400: { description: 'Bad parameters, each with what to do instead (problem+json)' },
      404: { description: 'No such city (problem+json)' },
    },
  })
  app.get(SEARCH_PATH, async (c) => {
    const city = await findCityBySlug(platform.db, c.req.param('city'))
    if (!city) return problem(c, { title: 'City not found', status: 404 })
    const parsed = parseFilters(new URL(c.req.url).searchParams)
    if (!parsed.ok)
      return problem(c, {
        title: 'Some search parameters cannot be used',
        status: 400,
        errors: parsed.problems.map((p) => ({ field: p.param, detail: p.detail })),
      })
    const filters = parsed.filters
    const now = new Date()
    const found = await listMatches(platform.db, city, filters, now, {
      lang: readerLanguage(c.req.header('accept-language')),
    })
    const [facets, facts, seats] = await Promise.all([
      facetCounts(platform.db, city, filters, found.corrected ?? filters.q, now),
      resultFacts(platform.db, city.id, found.matches),
      seatsLeft(
        platform.db,
        city.id,
        found.matches.flatMap((m) => (m.nextSessionId === null ? [] : [m.nextSessionId])),
      ),
    ])
    const base = `${platform.config.publicUrl}/api/v1/cities/${city.slug}/search`
    const pageUrl = (page: number) => {
      const query = filtersQuery({ ...filters, page })
      return query ? `${base}?${query}` : base
    }
    const last = Math.max(1, Math.ceil(found.total / PAGE_SIZE))
    return c.json({
      total: found.total,
      page: filters.page,
      pageSize: PAGE_SIZE,
      corrected: found.corrected,
      results: found.matches.map((m) => {
        const f = facts.get(m.id)
        return {
          id: m.id,
          url: `${platform.config.publicUrl}/en/${city.slug}/opportunities/${m.id}`,
          title: f?.title,
          nextSession: m.nextStart?.toISOString() ?? null,
          distanceKm: m.distanceKm === null ? null : Math.round(m.distanceKm * 10) / 10,
          cost: { free: f?.free, price: f?.price == null ? null : Number(f.price), currency: f?.currency },
          format: f?.format,
          languages: f?.languages,
          seatsLeft: m.nextSessionId === null ? null : (seats.get(m.nextSessionId) ?? null),
        }
      }),
      facets: Object.fromEntries(Object.entries(facets).map(([k, v]) => [k, Object.fromEntries(v)])),
      links: {
        self: pageUrl(filters.page),
        next: filters.page < last ? pageUrl(filters.page + 1) : null,
        prev: filters.page > 1 ? pageUrl(filters.page - 1) : null,
      },
    })
  })
}
