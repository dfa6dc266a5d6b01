/**
 * The city's admin area: one page at /{lang}/{city}/admin that links every coordinator page the
 * modules serve (badges, evidence review, webhooks, …), and a "City admin" link in the city
 * navigation, shown only to that city's coordinators (and network admins).
 */
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { isLang, LANG_PARAM, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { page } from '../../platform/ui/layout.tsx'
import { cityRolesOf, requireCityRole } from '../accounts/index.ts'
import { currentCity, findCityBySlug, requireCity } from '../cities/index.ts'

/** The coordinator pages, grouped, each a path under /{lang}/{city}/admin and its label's key. */
export const ADMIN_SECTIONS: { key: string; links: { path: string; key: string }[] }[] = [
  {
    key: 'catalogue',
    links: [
      { path: 'providers', key: 'providers' },
      { path: 'review', key: 'review' },
      { path: 'featured', key: 'featured' },
    ],
  },
  {
    key: 'badges',
    links: [
      { path: 'badges', key: 'badges' },
      { path: 'badges/evidence', key: 'evidence' },
    ],
  },
  {
    key: 'integrations',
    links: [
      { path: 'webhooks', key: 'webhooks' },
      { path: 'feeds', key: 'feeds' },
    ],
  },
  { key: 'site', links: [{ path: 'theme', key: 'theme' }] },
]

const ADMIN_NAV = {
  path: 'admin',
  labelKey: 'admin.nav.cityAdmin',
  audience: 'signed-in',
  order: 95,
} as const

/** A page of a city: /{lang}/{slug} or below (the slug is checked against the cities table). */
const CITY_PAGE = /^\/([a-z]{2})\/([a-z0-9-]{1,40})(?:\/|$)/

/**
 * Adds "City admin" to the city navigation of a signed-in coordinator of the city in the URL. Only
 * pages (GET under /{lang}/{city}) of signed-in people pay for the two lookups.
 */
export function adminNav(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const viewer = c.get('viewer')
    const match = viewer && c.req.method === 'GET' ? CITY_PAGE.exec(c.req.path) : null
    if (viewer && match && isLang(match[1])) {
      const city = await findCityBySlug(platform.db, match[2]!)
      if (
        city &&
        (viewer.isNetworkAdmin ||
          (await cityRolesOf(platform.db, viewer.id, city.id)).includes('coordinator'))
      )
        c.set('cityNav', [...c.var.cityNav, ADMIN_NAV])
    }
    await next()
  }
}

/** GET /{lang}/{city}/admin: every coordinator page of the city, in groups. */
export function cityAdminPages(app: App, platform: Platform): void {
  const path = `/${LANG_PARAM}/:city{[a-z0-9-]+}/admin`
  app.get(path, requireCity(platform), requireCityRole(platform, 'coordinator'), (c) => {
    const { t, lang } = c.var
    const city = currentCity(c)
    const name = translated(city.name, lang, [city.defaultLanguage])
    const base = `/${lang}/${city.slug}/admin`
    const title = t('admin.city.title', { city: name.text })
    c.header('cache-control', 'private, no-store')
    return page(
      c,
      { title },
      <>
        <h1>{title}</h1>
        <p>{t('admin.city.intro')}</p>
        {ADMIN_SECTIONS.map((section) => (
          <section aria-labelledby={`admin-${section.key}`}>
            <h2 id={`admin-${section.key}`}>{t(`admin.city.section.${section.key}`)}</h2>
            <ul>
              {section.links.map((link) => (
                <li>
                  <a href={`${base}/${link.path}`}>{t(`admin.city.link.${link.key}`)}</a>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {c.var.viewer?.isNetworkAdmin && (
          <section aria-labelledby="admin-network">
            <h2 id="admin-network">{t('admin.city.section.network')}</h2>
            <ul>
              <li>
                <a href={`/${lang}/admin/outbox`}>{t('admin.outbox.title')}</a>
              </li>
            </ul>
          </section>
        )}
      </>,
    )
  })
}
