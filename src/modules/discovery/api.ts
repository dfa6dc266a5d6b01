/**
 * The search API: the same filters as the search page's URL, answered as JSON with the page of
 * results, the total, the live facet counts and the corrected words; every bad parameter at once as
 * a 400 problem+json.
 */
import { z } from '@hono/zod-openapi'
import { problem } from '../../platform/http/problem.ts'
import { isLang, type Lang } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { findCityBySlug } from '../cities/index.ts'
import { filtersQuery, parseFilters } from './filters.ts'
import { PAGE_SIZE } from './matches.ts'
import { search } from './search.ts'

export const SEARCH_PATH = '/api/v1/cities/:city/search'

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
    const found = await search(platform.db, city, filters, now, {
      lang: readerLanguage(c.req.header('accept-language')),
    })
    const base = `${platform.config.publicUrl}/api/v1/cities/${city.slug}/search`
    const pageUrl = (page: number) => {
      const query = filtersQuery({ ...filters, page })
      return query ? `${base}?${query}` : base
    }
    const last = Math.max(1, Math.ceil(found.total / PAGE_SIZE))
    return c.json({
      total: found.total,
      // More than `total` match: only the first `total` found are ranked and paged.
      more: found.more,
      page: filters.page,
      pageSize: PAGE_SIZE,
      corrected: found.corrected,
      results: found.results.map((r) => ({
        id: r.id,
        url: `${platform.config.publicUrl}/en/${city.slug}/opportunities/${r.id}`,
        title: r.facts.title,
        nextSession: r.nextStart?.toISOString() ?? null,
        distanceKm: r.distanceKm === null ? null : Math.round(r.distanceKm * 10) / 10,
        cost: {
          free: r.facts.free,
          price: r.facts.price === null ? null : Number(r.facts.price),
          currency: r.facts.currency,
        },
        format: r.facts.format,
        languages: r.facts.languages,
        seatsLeft: r.seatsLeft,
      })),
      facets: Object.fromEntries(
        Object.entries(found.facets ?? {}).map(([k, v]) => [k, Object.fromEntries(v)]),
      ),
      links: {
        self: pageUrl(filters.page),
        next: filters.page < last ? pageUrl(filters.page + 1) : null,
        prev: filters.page > 1 ? pageUrl(filters.page - 1) : null,
      },
    })
  })
}
