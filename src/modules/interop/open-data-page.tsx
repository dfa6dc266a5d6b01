/**
 * /{lang}/{city}/open-data: every feed the city publishes with its format, address and licence,
 * and, for OpenActive consumers, the dataset site (schema.org Dataset with one DataDownload per
 * OpenActive feed, as JSON-LD in the page).
 */
import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANG_PARAM } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { jsonLdScript } from '../../platform/ui/json-ld.ts'
import { page } from '../../platform/ui/layout.tsx'
import { cityScope, currentCity } from '../cities/index.ts'
import { OPEN_DATA_LICENSE, type OpenDataFeed, openDataFeeds } from './feeds.ts'

type C = Context<AppEnv>

const LICENSE_NAMES: Record<string, string> = {
  [OPEN_DATA_LICENSE]: 'CC BY 4.0',
  'https://creativecommons.org/licenses/by-sa/4.0/': 'CC BY-SA 4.0',
  'https://creativecommons.org/publicdomain/zero/1.0/': 'CC0 1.0',
}

/** The OpenActive dataset site: a schema.org Dataset whose distribution lists the OpenActive feeds. */
function datasetSite(
  origin: string,
  pageUrl: string,
  city: { slug: string; name: string },
  lang: string,
  feeds: OpenDataFeed[],
  description: string,
): Record<string, unknown> {
  return {
    '@context': ['https://schema.org/', 'https://openactive.io/'],
    '@type': 'Dataset',
    '@id': pageUrl,
    url: pageUrl,
    name: city.name,
    description,
    license: OPEN_DATA_LICENSE,
    inLanguage: [lang],
    schemaVersion: 'https://openactive.io/modelling-opportunity-data/2.0/',
    publisher: { '@type': 'Organization', name: city.name, url: `${origin}/${lang}/${city.slug}` },
    distribution: feeds
      .filter((f) => f.openActiveKind)
      .map((f) => ({
        '@type': 'DataDownload',
        name: f.openActiveKind,
        additionalType: `https://openactive.io/${f.openActiveKind}`,
        encodingFormat: 'application/vnd.openactive.rpde+json; version=1',
        contentUrl: `${origin}${f.path(city.slug)}`,
        identifier: f.openActiveKind,
      })),
  }
}

export async function openDataPageView(c: C, platform: Platform) {
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const origin = platform.config.publicUrl
  const pageUrl = `${origin}/${lang}/${city.slug}/open-data`
  const feeds = openDataFeeds
  const jsonLd = datasetSite(
    origin,
    pageUrl,
    { slug: city.slug, name: brand.name },
    lang,
    feeds,
    t('interop.page.intro', { city: brand.name }),
  )
  return page(
    c,
    { title: t('interop.page.title') },
    <>
      <script type="application/ld+json">{raw(jsonLdScript(jsonLd))}</script>
      <h1>{t('interop.page.title')}</h1>
      <p>{t('interop.page.intro', { city: brand.name })}</p>
      <div class="table-wrap">
        <table>
          <caption>{t('interop.page.caption', { count: feeds.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('interop.page.feed')}</th>
              <th scope="col">{t('interop.page.format')}</th>
              <th scope="col">{t('interop.page.address')}</th>
              <th scope="col">{t('interop.page.license')}</th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => {
              const url = `${origin}${f.path(city.slug)}`
              const license = f.license ?? OPEN_DATA_LICENSE
              return (
                <tr id={`feed-${f.id}`}>
                  <th scope="row">
                    {t(f.titleKey)}
                    <br />
                    <span class="hint">{t(f.descriptionKey)}</span>
                  </th>
                  <td>
                    {f.specification ? <a href={f.specification}>{f.format}</a> : f.format}
                    <br />
                    <span class="hint">{f.mediaType}</span>
                  </td>
                  <td>
                    <a href={url}>{url}</a>
                  </td>
                  <td>
                    <a href={license} rel="license">
                      {LICENSE_NAMES[license] ?? license}
                    </a>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <h2>{t('interop.page.rpde.title')}</h2>
      <p>{t('interop.page.rpde.how')}</p>
      <p>{t('interop.page.rpde.deleted')}</p>
      <h2>{t('interop.page.openactive.title')}</h2>
      <p>{t('interop.page.openactive.which')}</p>
      <h2>{t('interop.page.credit.title')}</h2>
      <p>{t('interop.page.credit.text', { city: brand.name })}</p>
      <p>
        {t('interop.page.credit.activities')}{' '}
        <a href="https://openactive.io/activity-list">OpenActive Activity List</a> (
        <a href={OPEN_DATA_LICENSE}>CC BY 4.0</a>)
      </p>
    </>,
  )
}

export function openDataPage(app: App, platform: Platform): void {
  const path = `/${LANG_PARAM}/:city{[a-z0-9-]+}/open-data`
  app.use(path, cityScope(platform))
  app.get(path, (c) => openDataPageView(c, platform))
}
