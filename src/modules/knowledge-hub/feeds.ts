import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { App, Platform } from '../../platform/module.ts'
import { xmlEscape as x } from '../../platform/ui/xml.ts'
import { currentCity } from '../cities/index.ts'
import { HUB_ROUTE } from './hub-route.ts'
import { hubPath, resourcePath } from './paths.ts'
import * as repo from './repository.ts'
import { resourceText } from './views.tsx'

type C = Context<AppEnv>

/** How many of the newest resources a feed carries. */
export const FEED_SIZE = 50

interface FeedEntry {
  url: string
  title: string
  titleLang: string
  summary: string
  published: Date
  updated: Date
  category: string
}

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
  const self = `${feed.home}/feed.rss`
  const latest = feed.items[0]?.published ?? new Date(0)
  const body = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${x(feed.title)}</title>
<link>${x(feed.home)}</link>
<description>${x(feed.description)}</description>
<language>${x(feed.lang)}</language>
<lastBuildDate>${latest.toUTCString()}</lastBuildDate>
<atom:link href="${x(self)}" rel="self" type="application/rss+xml"/>
${feed.items
  .map(
    (e) => `<item>
<title>${x(e.title)}</title>
<link>${x(e.url)}</link>
<guid isPermaLink="true">${x(e.url)}</guid>
<pubDate>${e.published.toUTCString()}</pubDate>
<category>${x(e.category)}</category>
<description>${x(e.summary)}</description>
</item>`,
  )
  .join('\n')}
</channel>
</rss>
`
  return c.body(body, 200, { 'content-type': 'application/rss+xml; charset=utf-8' })
}

/** Atom 1.0 of the newest published resources. */
async function atom(c: C, platform: Platform) {
  const feed = await entries(c, platform)
  const self = `${feed.home}/feed.atom`
  const updated = feed.items.reduce((max, e) => (e.updated > max ? e.updated : max), new Date(0))
  const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(feed.lang)}">
<title>${x(feed.title)}</title>
<subtitle>${x(feed.description)}</subtitle>
<id>${x(self)}</id>
<link rel="self" type="application/atom+xml" href="${x(self)}"/>
<link rel="alternate" type="text/html" href="${x(feed.home)}"/>
<updated>${updated.toISOString()}</updated>
${feed.items
  .map(
    (e) => `<entry>
<title xml:lang="${x(e.titleLang)}">${x(e.title)}</title>
<id>${x(e.url)}</id>
<link rel="alternate" type="text/html" href="${x(e.url)}"/>
<published>${e.published.toISOString()}</published>
<updated>${e.updated.toISOString()}</updated>
<author><name>${x(feed.title)}</name></author>
<category term="${x(e.category)}"/>
<summary>${x(e.summary)}</summary>
</entry>`,
  )
  .join('\n')}
</feed>
`
  return c.body(body, 200, { 'content-type': 'application/atom+xml; charset=utf-8' })
}

export function feedRoutes(app: App, platform: Platform): void {
  app.get(`${HUB_ROUTE}/feed.rss`, (c) => rss(c, platform))
  app.get(`${HUB_ROUTE}/feed.atom`, (c) => atom(c, platform))
}
