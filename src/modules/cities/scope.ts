import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { RESERVED_SLUGS } from './cities.ts'
import { type CityRow, findCityBySlug } from './repository.ts'

const loaded = new WeakMap<Request, CityRow>()

/**
 * Tenant middleware for `/:lang/:city/…` routes: loads the city in the URL (404 if none), sets the
 * tenant every query filters on, and brands the page with the city's name and colours.
 */
export function cityScope(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const slug = c.req.param('city') ?? ''
    // /en/account/… and friends belong to other modules' routes, registered before this one.
    if (RESERVED_SLUGS.has(slug)) return next()
    const city = /^[a-z0-9-]{1,40}$/.test(slug) ? await findCityBySlug(platform.db, slug) : undefined
    if (!city) return c.var.renderError(404)
    loaded.set(c.req.raw, city)
    c.set('tenant', {
      id: city.id,
      slug: city.slug,
      defaultLanguage: city.defaultLanguage,
      languages: city.languages,
      timeZone: city.timeZone,
    })
    const name = translated(city.name, c.var.lang, [city.defaultLanguage])
    c.set('brand', {
      name: name.text,
      nameLang: name.lang,
      homeHref: `/${c.var.lang}/${city.slug}`,
      logoUrl: city.theme.logoUrl,
      colors: city.theme,
    })
    await next()
  }
}

/** The full city row loaded by cityScope for this request. */
export function currentCity(c: { req: { raw: Request } }): CityRow {
  const city = loaded.get(c.req.raw)
  if (!city) throw new Error('currentCity used outside cityScope')
  return city
}

/**
 * cityScope for a module's own routes under `/:lang/:city/…`: loads the city unless an earlier
 * middleware already did, and answers 404 where the "city" is a reserved word (e.g.
 * /en/account/bookings), which cityScope itself passes on to other routes.
 */
export function requireCity(platform: Platform): MiddlewareHandler<AppEnv> {
  const scope = cityScope(platform)
  return async (c, next) => {
    if (c.var.tenant) return next()
    let passed = false
    const response = await scope(c, async () => {
      passed = c.var.tenant !== undefined
    })
    if (response) return response
    if (!passed) return c.var.renderError(404)
    await next()
  }
}
