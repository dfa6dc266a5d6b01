/**
 * Every filtered view of the search page has a calendar to subscribe to and RSS and Atom feeds, at
 * the same query string: /{lang}/{city}/opportunities/calendar.ics?{filters} (each match's sessions)
 * and …/feed.rss, …/feed.atom (the matches, soonest first). Bad parameters answer 400 in words.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { type Lang, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ATOM_TYPE, atomDocument, type Feed, RSS_TYPE, rssDocument } from '../../platform/ui/feeds.ts'
import { currentCity } from '../cities/index.ts'
import { calendarHeaders, calendarOf, findOpportunities } from '../opportunities/index.ts'
import { type Filters, filtersQuery, parseFilters } from './filters.ts'
import { listMatches } from './matches.ts'
import { search } from './search.ts'
import { SEARCH_ROUTE } from './search-page.tsx'

type C = Context<AppEnv>

/** How many matches a feed or calendar carries: the soonest ones. */
export const FEED_SIZE = 100

/**
 * The filters of a feed's URL (`filters`, for its links) and what it lists (`listed`: soonest first
 * unless another order is asked, from the first match), or the 400 to answer.
 */
function feedFilters(c: C): { filters: Filters; listed: Filters } | { response: Response } {
  const parsed = parseFilters(new URL(c.req.url).searchParams)
  if (!parsed.ok)
    return {
      response: c.text(parsed.problems.map((p) => `${p.param}: ${p.detail}`).join('\n'), 400),
    }
  const sort = parsed.filters.sort === 'relevance' ? 'soonest' : parsed.filters.sort
  return { filters: parsed.filters, listed: { ...parsed.filters, sort, page: 1 } }
}

/** The search in words, for a feed's description: "robotics; free; this weekend". */
function searchInWords(c: C, filters: Filters): string {
  const { t } = c.var
  const parts = [
    filters.q,
    filters.free ? t('discovery.filter.free') : null,
    filters.when ? t(`discovery.when.${filters.when}`) : null,
    ...filters.topics,
  ].filter((p): p is string => Boolean(p))
  return parts.length > 0 ? parts.join('; ') : t('discovery.feed.everything')
}

async function feedOf(
  c: C,
  platform: Platform,
  asked: { filters: Filters; listed: Filters },
  self: string,
): Promise<Feed> {
  const { filters } = asked
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const origin = platform.config.publicUrl
  const query = filtersQuery(filters, { page: false })
  const found = await search(platform.db, city, asked.listed, new Date(), {
    lang: lang as Lang,
    facets: false,
    pageSize: FEED_SIZE,
  })
  const fallbacks = [city.defaultLanguage]
  return {
    title: t('discovery.feed.title', { city: brand.name }),
    description: t('discovery.feed.description', { city: brand.name, search: searchInWords(c, filters) }),
    lang,
    home: `${origin}/${lang}/${city.slug}/opportunities${query ? `?${query}` : ''}`,
    self: `${origin}${self}${query ? `?${query}` : ''}`,
    items: found.results.map((r) => {
      const title = translated(r.facts.title, lang, fallbacks)
      const published = new Date(r.facts.publishedAt ?? r.facts.updatedAt)
      return {
        url: `${origin}/${lang}/${city.slug}/opportunities/${r.id}`,
        title: title.text,
        titleLang: title.lang,
        summary: translated(r.facts.description, lang, fallbacks).text,
        published,
        updated: new Date(Math.max(published.getTime(), new Date(r.facts.updatedAt).getTime())),
        category: t(`opportunities.block.${r.facts.buildingBlock}`),
      }
    }),
  }
}

export function searchFeeds(app: App, platform: Platform): void {
  app.get(`${SEARCH_ROUTE}/feed.rss`, async (c) => {
    const asked = feedFilters(c)
    if ('response' in asked) return asked.response
    const feed = await feedOf(c, platform, asked, c.req.path)
    return c.body(rssDocument(feed), 200, { 'content-type': RSS_TYPE })
  })
  app.get(`${SEARCH_ROUTE}/feed.atom`, async (c) => {
    const asked = feedFilters(c)
    if ('response' in asked) return asked.response
    const feed = await feedOf(c, platform, asked, c.req.path)
    return c.body(atomDocument(feed), 200, { 'content-type': ATOM_TYPE })
  })
  app.get(`${SEARCH_ROUTE}/calendar.ics`, async (c) => {
    const asked = feedFilters(c)
    if ('response' in asked) return asked.response
    const city = currentCity(c)
    const found = await listMatches(platform.db, city, asked.listed, new Date(), { pageSize: FEED_SIZE })
    const order = new Map(found.matches.map((m, i) => [m.id, i]))
    const rows = (
      await findOpportunities(
        platform.db,
        city.id,
        found.matches.map((m) => m.id),
      )
    ).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    const body = await calendarOf(platform.db, city, rows, {
      name: c.var.t('discovery.feed.title', { city: c.var.brand.name }),
      lang: c.var.lang,
      publicUrl: platform.config.publicUrl,
    })
    return c.body(body, 200, calendarHeaders(`${city.slug}-search.ics`))
  })
}
