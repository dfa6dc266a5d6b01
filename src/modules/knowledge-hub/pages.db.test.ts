import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { sql } from '../../platform/db/index.ts'
import { LANGUAGES } from '../../platform/i18n/index.ts'
import { parseSearch } from '../../platform/search/index.ts'
import { createCity } from '../cities/index.ts'
import { RESOURCE_TYPES, TOPICS } from './model.ts'
import { type BrowseFilters, browseResources, insertResource, type NewResource } from './repository.ts'
import { seedHubLibrary } from './seed.ts'

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

/** No payload reached the output as markup. */
function expectInert(body: string) {
  expect(body).not.toContain('<script>alert')
  expect(body).not.toContain('<img src=x')
  // The payload's text may appear escaped (&lt;img … in HTML, \u003cimg … in JSON-LD, %3Cimg … in a URL).
  const rest = body
    .replaceAll('&lt;img src=x onerror=', '')
    .replaceAll('\\u003cimg src=x onerror=', '')
    .replaceAll('%3Cimg%20src=x%20onerror=', '')
  expect(rest).not.toContain('onerror=')
  expect(body).not.toContain('href="javascript:')
}

/** The JSON-LD objects of a page. */
function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) =>
    JSON.parse(m[1]!),
  )
}

/** Titles of the resource cards on a browse page. */
function cardTitles(html: string): string[] {
  return [...html.matchAll(/<h3><a href="[^"]+\/hub\/resources\/\d+"[^>]*>([^<]*)<\/a><\/h3>/g)].map(
    (m) => m[1]!,
  )
}

const resource = (over: Partial<NewResource>): NewResource => ({
  cityId: null,
  title: { en: 'A resource' },
  summary: { en: 'About it.' },
  links: [{ url: 'https://example.org/r', rel: 'self' }],
  type: 'guide',
  publisher: 'Someone',
  year: 2024,
  languages: ['en'],
  topics: ['planning'],
  status: 'published',
  ...over,
})

describe.each(engines)('knowledge hub pages on %s', (engine) => {
  let t: TestPlatform
  let agent: Agent
  let xssId: number
  let draftId: number
  let otherCityId: number
  let cityId: number

  beforeAll(async () => {
    t = await testPlatform(engine)
    const made = await createCity(t.platform, {
      slug: 'lakeside',
      name: { en: 'Lakeside' },
      defaultLanguage: 'en',
      timeZone: 'UTC',
    })
    const other = await createCity(t.platform, {
      slug: 'hilltown',
      name: { en: 'Hilltown' },
      defaultLanguage: 'en',
      timeZone: 'UTC',
    })
    if (!made.ok || !other.ok) throw new Error('city')
    cityId = made.value
    await seedHubLibrary(t.platform)
    const db = t.platform.db
    xssId = (await insertResource(
      db,
      resource({
        cityId,
        title: { en: `Gardening ${XSS}`, ar: `البستنة ${XSS}` },
        summary: { en: `Growing food ${XSS}` },
        publisher: XSS,
        links: [
          { url: 'javascript:alert(1)', rel: 'self' },
          { url: `https://example.org/?q="${XSS}`, rel: 'self' },
        ],
        languages: ['fr', 'es'],
      }),
    ))!
    draftId = (await insertResource(db, resource({ cityId, title: { en: 'Draft only' }, status: 'draft' })))!
    otherCityId = (await insertResource(
      db,
      resource({ cityId: other.value, title: { en: 'Hilltown only' } }),
    ))!
    for (let i = 0; i < 4; i++)
      await insertResource(db, resource({ cityId, title: { en: `Filler guide ${i}` } }))
    await db.execute(
      sql`update hub_resources set link_status = 'broken', link_error = ${`https://example.org/ — HTTP 404 ${XSS}`} where id = ${xssId}`,
    )
    agent = new Agent(t.app)
  })
  afterAll(() => t.close())

  it('lists the network’s and the city’s published resources, 20 a page, with stable page links', async () => {
    const first = await agent.get('/en/lakeside/hub')
    expect(first.status).toBe(200)
    const html = await first.text()
    expect(html).toContain('23 resources')
    expect(cardTitles(html)).toHaveLength(20)
    expect(html).toContain('Page 1 of 2')
    expect(html).not.toContain('Draft only')
    expect(html).not.toContain('Hilltown only')
    // Parts are on their series' page, not in the list.
    expect(html).not.toContain('video tutorial 3 of 7')
    const next = /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replaceAll('&amp;', '&')
    expect(next).toBe('/en/lakeside/hub?page=2')
    const second = await (await agent.get(next!)).text()
    expect(cardTitles(second)).toHaveLength(3)
    expect(second).toContain('7 parts')
    expect(second).toContain('6 parts')
    expect(second).toContain('rel="prev"')
  })

  it('filters by topic, type and language with plain GET parameters', async () => {
    const covid = cardTitles(await (await agent.get('/en/lakeside/hub?topic=covid-19-recovery')).text())
    expect(covid.sort()).toEqual([
      'Learning Cities’ COVID-19 recovery: from research to practice',
      'Video interview series: UNESCO learning cities’ response to COVID-19',
    ])
    const webinars = await (await agent.get('/en/lakeside/hub?type=webinar')).text()
    expect(webinars).toContain('6 resources')
    expect(webinars).toContain('<option value="webinar" selected="">')
    const french = cardTitles(await (await agent.get('/en/lakeside/hub?language=fr')).text())
    expect(french).toEqual([expect.stringContaining('Gardening')])
    const unknown = await (await agent.get('/en/lakeside/hub?language=unknown&type=network')).text()
    expect(unknown).toContain('5 resources')
  })

  it('shows next to each filter option how many resources it would show, given the other filters', async () => {
    const hub = await (await agent.get('/en/lakeside/hub')).text()
    // Picking a type lists the parts of series too: the six sessions; the set and its seven tutorials.
    expect(hub).toContain('<option value="webinar">Webinar (6)</option>')
    expect(hub).toContain('<option value="video-tutorial">Video tutorial (8)</option>')
    expect(hub).toContain(
      '<option value="families-communities">Learning in families and communities (2)</option>',
    )
    expect(hub).toContain('<option value="fr">French (1)</option>')
    expect(hub).toContain('<option value="unknown">Not known (18)</option>')
    expect(hub).toContain('<option value="planning">Planning (')
    // Another filter narrows the counts of the others, never its own.
    const french = await (await agent.get('/en/lakeside/hub?language=fr')).text()
    expect(french).toContain('<option value="guide">Guide (1)</option>')
    expect(french).toContain('<option value="webinar">Webinar (0)</option>')
    expect(french).toContain('<option value="en">English (4)</option>')
    expect(french).toContain('<option value="fr" selected="">French (1)</option>')
    const chinese = await (await agent.get('/zh/lakeside/hub?type=webinar')).text()
    expect(chinese).toContain('（6）</option>')

    // Each count is what picking that option shows, with other filters and a search on.
    const views: BrowseFilters[] = [
      {},
      { language: 'unknown', topic: 'planning' },
      { query: parseSearch('learning cities')! },
    ]
    for (const view of views) {
      const { facets } = await browseResources(t.platform.db, cityId, view, { limit: 1, offset: 0 })
      const options = [
        ...TOPICS.map((topic) => ['topic', topic, { ...view, topic }] as const),
        ...RESOURCE_TYPES.map((type) => ['type', type, { ...view, type }] as const),
        ...[...LANGUAGES, 'unknown'].map(
          (language) => ['language', language, { ...view, language }] as const,
        ),
      ]
      for (const [facet, value, picked] of options) {
        const shown = await browseResources(t.platform.db, cityId, picked, { limit: 1, offset: 0 })
        const count = facets[facet].get(value) ?? 0
        const label = `${JSON.stringify(view)} ${facet}=${value}`
        // With a search, an option whose exact matches are none falls back to similar words.
        if (shown.mode === 'fuzzy') expect(count, label).toBe(0)
        else expect(count, label).toBe(shown.total)
      }
    }
  })

  it('says when it ignored a filter it does not know, and still shows the list', async () => {
    const res = await agent.get('/en/lakeside/hub?topic=astrology&page=abc')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('was not a topic, type, language or page we know')
    expect(html).toContain('23 resources')
  })

  it('searches with stemming, finds typos through similar words, and searches Arabic and Chinese text', async () => {
    const stemmed = cardTitles(await (await agent.get('/en/lakeside/hub?q=tutorials')).text())
    expect(stemmed).toContain('Video tutorials on the Guidelines for Building Learning Cities')
    const typo = await (await agent.get('/en/lakeside/hub?q=guidlines')).text()
    expect(typo).toContain('Nothing matched “guidlines” exactly')
    expect(cardTitles(typo)).toContain('Guidelines for Building Learning Cities')
    const arabic = await (
      await agent.get(`/ar/lakeside/hub?q=${encodeURIComponent('المبادئ التوجيهية')}`)
    ).text()
    expect(arabic).toContain('dir="rtl"')
    expect(cardTitles(arabic)).toContain('المبادئ التوجيهية لبناء مدن التعلم')
    const chinese = cardTitles(
      await (await agent.get(`/zh/lakeside/hub?q=${encodeURIComponent('学习型城市')}`)).text(),
    )
    expect(chinese).toContain('建设学习型城市指南')
    const none = await (await agent.get('/en/lakeside/hub?q=xylophone')).text()
    expect(none).toContain('No resources match')
  })

  it('shows a resource with its facts, unknowns said plainly, its parts and JSON-LD', async () => {
    const list = await (await agent.get('/en/lakeside/hub?q=webinar+series')).text()
    const href =
      /<a href="(\/en\/lakeside\/hub\/resources\/\d+)"[^>]*>Learning Cities’ COVID-19 recovery: from research to practice</.exec(
        list,
      )?.[1]
    const html = await (await agent.get(href!)).text()
    expect(html).toContain('<dt>Languages</dt><dd>Not known</dd>')
    expect(html).toContain('<dt>Year</dt><dd>2020</dd>')
    expect(html).toContain('Recovery after COVID-19')
    expect(html).toContain(
      'href="https://uil.unesco.org/event/new-webinar-series-learning-cities-covid-19-recovery-research-practice"',
    )
    expect(html).toContain('Learning Cities’ COVID-19 recovery: November 2020 session')
    const [ld] = jsonLd(html)
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'EventSeries',
      name: 'Learning Cities’ COVID-19 recovery: from research to practice',
    })
    expect(ld!.subEvent).toHaveLength(6)
    const part =
      /<a href="(\/en\/lakeside\/hub\/resources\/\d+)"[^>]*>Learning Cities’ COVID-19 recovery: June 2020 session/.exec(
        html,
      )?.[1]
    const partHtml = await (await agent.get(part!)).text()
    expect(partHtml).toContain('Part of')
    expect(partHtml).toContain('(part 1)')
    expect(partHtml).toContain('We do not know an address of its own')
    expect(jsonLd(partHtml)[0]).toMatchObject({
      '@type': 'Event',
      superEvent: { '@id': `${t.config.publicUrl}${href}` },
    })
  })

  it('publishes video tutorials as VideoObject and unknown years as not known', async () => {
    const list = await (await agent.get('/en/lakeside/hub?type=video-tutorial')).text()
    const href =
      /<a href="(\/en\/lakeside\/hub\/resources\/\d+)"[^>]*>Guidelines for Building Learning Cities: video tutorial 2 of 7/.exec(
        list,
      )?.[1]
    const html = await (await agent.get(href!)).text()
    expect(html).toContain('<dt>Year</dt><dd>Not known</dd>')
    expect(jsonLd(html)[0]).toMatchObject({
      '@type': 'VideoObject',
      isPartOf: { name: 'Video tutorials on the Guidelines for Building Learning Cities' },
    })
  })

  it('finds no draft, no other city’s resource and no made-up id', async () => {
    expect((await agent.get(`/en/lakeside/hub/resources/${draftId}`)).status).toBe(404)
    expect((await agent.get(`/en/lakeside/hub/resources/${otherCityId}`)).status).toBe(404)
    expect((await agent.get('/en/lakeside/hub/resources/999999999')).status).toBe(404)
    expect((await agent.get(`/en/hilltown/hub/resources/${otherCityId}`)).status).toBe(200)
  })

  it('renders script in titles, summaries, publishers and links as text on every hub page and feed', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const pages = [
      '/en/lakeside/hub',
      '/en/lakeside/hub?language=fr',
      `/en/lakeside/hub?q=${encodeURIComponent(XSS)}`,
      '/en/lakeside/hub?q=gardening',
      `/en/lakeside/hub/resources/${xssId}`,
      `/ar/lakeside/hub/resources/${xssId}`,
      '/en/lakeside/hub/feed.rss',
      '/en/lakeside/hub/feed.atom',
      '/en/lakeside/hub/what-is-a-learning-city',
    ]
    for (const path of pages) {
      const res = await agent.get(path)
      expect(res.status, path).toBe(200)
      expectInert(await res.text())
    }
    const page = await (await agent.get(`/en/lakeside/hub/resources/${xssId}`)).text()
    expect(page).toContain('Gardening &lt;script&gt;')
    // The javascript: link is shown as text, never as a link.
    expect(page).toContain('<span dir="ltr">javascript:alert(1)</span>')
    expect(page).toContain('French and Spanish')
    const broken = await coordinator.agent.get('/en/lakeside/hub/broken-links')
    expect(broken.status).toBe(200)
    expectInert(await broken.text())
  })

  it('offers RSS 2.0 and Atom feeds of the newest resources, linked from the hub', async () => {
    const hub = await (await agent.get('/en/lakeside/hub')).text()
    expect(hub).toContain('<link rel="alternate" type="application/rss+xml"')
    expect(hub).toContain('href="/en/lakeside/hub/feed.atom"')
    const rss = await agent.get('/en/lakeside/hub/feed.rss')
    expect(rss.headers.get('content-type')).toContain('application/rss+xml')
    const rssText = await rss.text()
    expect(rssText).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<rss version="2.0"/)
    expect(rssText.match(/<item>/g)).toHaveLength(36)
    expect(rssText).toContain(`<link>${t.config.publicUrl}/en/lakeside/hub/resources/`)
    expect(rssText).not.toContain('Draft only')
    const atom = await agent.get('/fr/lakeside/hub/feed.atom')
    expect(atom.headers.get('content-type')).toContain('application/atom+xml')
    const atomText = await atom.text()
    expect(atomText).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">')
    expect(atomText).toContain('Lignes directrices pour la construction de villes apprenantes')
    expect(atomText.match(/<entry>/g)).toHaveLength(36)
  })

  it('explains what a learning city is in all six languages, linking into the hub, the catalogue and the dashboard', async () => {
    for (const lang of ['en', 'ar', 'zh', 'fr', 'ru', 'es']) {
      const html = await (await agent.get(`/${lang}/lakeside/hub/what-is-a-learning-city`)).text()
      expect(html).toContain(`href="/${lang}/lakeside/hub?topic=planning"`)
      expect(html).toContain(`href="/${lang}/lakeside/hub?topic=families-communities"`)
      expect(html.match(/<li><a href="[^"]+\?topic=/g)).toHaveLength(6)
      // Where to go next: the hub, the catalogue, the providers and the city's districts (its dashboard).
      const next = [
        `/${lang}/lakeside/hub`,
        `/${lang}/lakeside/opportunities`,
        `/${lang}/lakeside/providers`,
        `/${lang}/lakeside/districts`,
      ]
      for (const href of next) {
        expect(html, href).toContain(`href="${href}"`)
        expect((await agent.get(href)).status, href).toBe(200)
      }
    }
    const en = await (await agent.get('/en/lakeside/hub/what-is-a-learning-city')).text()
    expect(en).toContain('What is a learning city?')
    expect(en).toContain('the local economy grows')
  })

  it('shows broken links to the city’s coordinators, the network’s to network admins, and to no one else', async () => {
    await t.platform.db.execute(
      sql`update hub_resources set link_status = 'broken', link_error = 'https://www.lifewideeducation.uk/ — HTTP 404' where seed_key = 'lifewide-education'`,
    )
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    // The hub points its curators to the list; readers do not see the link.
    const link = 'href="/en/lakeside/hub/broken-links"'
    expect(await (await coordinator.agent.get('/en/lakeside/hub')).text()).toContain(link)
    expect(await (await agent.get('/en/lakeside/hub')).text()).not.toContain(link)
    const cityView = await (await coordinator.agent.get('/en/lakeside/hub/broken-links')).text()
    expect(cityView).toContain('Gardening')
    expect(cityView).not.toContain('Lifewide Education')
    const admin = await signedInPerson(t, { isNetworkAdmin: true })
    const networkView = await (await admin.agent.get('/en/lakeside/hub/broken-links')).text()
    expect(networkView).toContain('Resources shared across the network')
    expect(networkView).toContain('HTTP 404')
    expect(networkView).toContain('Lifewide Education')
    const learner = await signedInPerson(t)
    expect((await learner.agent.get('/en/lakeside/hub/broken-links')).status).toBe(403)
    const anonymous = await agent.get('/en/lakeside/hub/broken-links')
    expect(anonymous.status).toBe(303)
  })
})
