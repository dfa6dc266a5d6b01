import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ATOM_TYPE, atomDocument, type FeedEntry, RSS_TYPE, rssDocument } from '../../platform/ui/feeds.ts'
import { currentCity } from '../cities/index.ts'
import { HUB_ROUTE } from './hub-route.ts'
import { hubPath, resourcePath } from './paths.ts'
import * as repo from './repository.ts'
import { resourceText } from './views.tsx'

type C = Context<AppEnv>

/** How many of the newest resources a feed carries. */
export const FEED_SIZE = 50

async function entries(c: C, platform: Platform) {
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const origin = platform.config.publicUrl
  const recent = await repo.listRecent(platform.db, city.id, FEED_SIZE)
  const items: FeedEntry[] = recent.map((r) => {
    const { title, summary } = resourceText(c, r)
    const published = new Date(r.publishedAt ?? r.updatedAt)
    return {
      url: `${origin}${resourcePath(lang, city.slug, r.id)}`,
      title: title.text,
      titleLang: title.lang,
      summary: summary.text,
      published,
      updated: new Date(Math.max(published.getTime(), new Date(r.updatedAt).getTime())),
      category: t(`knowledge-hub.type.${r.type}`),
    }
  })
  return {
    items,
    home: `${origin}${hubPath(lang, city.slug)}`,
    title: t('knowledge-hub.feed.title', { city: brand.name }),
    description: t('knowledge-hub.feed.description', { city: brand.name }),
    lang,
  }
}

/** RSS 2.0 of the newest published resources. */
async function rss(c: C, platform: Platform) {
  const feed = await entries(c, platform)
  return c.body(rssDocument({ ...feed, self: `${feed.home}/feed.rss` }), 200, { 'content-type': RSS_TYPE })
}

/** Atom 1.0 of the newest published resources. */
async function atom(c: C, platform: Platform) {
  const feed = await entries(c, platform)
  return c.body(atomDocument({ ...feed, self: `${feed.home}/feed.atom` }), 200, { 'content-type': ATOM_TYPE })
}

export function feedRoutes(app: App, platform: Platform): void {
  app.get(`${HUB_ROUTE}/feed.rss`, (c) => rss(c, platform))
  app.get(`${HUB_ROUTE}/feed.atom`, (c) => atom(c, platform))
}
