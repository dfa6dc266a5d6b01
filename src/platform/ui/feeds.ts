/**
 * RSS 2.0 and Atom 1.0 documents from one description of a feed, so every feed of the system (the
 * knowledge hub's newest resources, a search's matches) is written the same, valid, escaped way.
 */
import { xmlEscape as x } from './xml.ts'

export interface FeedEntry {
  url: string
  title: string
  /** The language the title is written in (it may not be the feed's). */
  titleLang: string
  summary: string
  published: Date
  updated: Date
  category: string
}

export interface Feed {
  title: string
  description: string
  lang: string
  /** The web page the feed follows. */
  home: string
  /** The feed's own address. */
  self: string
  items: FeedEntry[]
}

export function rssDocument(feed: Feed): string {
  const latest = new Date(Math.max(0, ...feed.items.map((e) => e.published.getTime())))
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${x(feed.title)}</title>
<link>${x(feed.home)}</link>
<description>${x(feed.description)}</description>
<language>${x(feed.lang)}</language>
<lastBuildDate>${latest.toUTCString()}</lastBuildDate>
<atom:link href="${x(feed.self)}" rel="self" type="application/rss+xml"/>
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
}

export function atomDocument(feed: Feed): string {
  const updated = new Date(Math.max(0, ...feed.items.map((e) => e.updated.getTime())))
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(feed.lang)}">
<title>${x(feed.title)}</title>
<subtitle>${x(feed.description)}</subtitle>
<id>${x(feed.self)}</id>
<link rel="self" type="application/atom+xml" href="${x(feed.self)}"/>
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
}

export const RSS_TYPE = 'application/rss+xml; charset=utf-8'
export const ATOM_TYPE = 'application/atom+xml; charset=utf-8'
