import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { problem } from '../../../platform/http/problem.ts'
import { LANG_PARAM } from '../../../platform/i18n/index.ts'
import type { App, Module, Platform } from '../../../platform/module.ts'
import { cityScope, currentCity } from '../../cities/index.ts'
import { cityFrame, mapMatches } from './clusters.ts'
import { parseMapRequest } from './links.ts'
import { markersOf } from './markers.ts'
import { mapPage, searchBase } from './page.tsx'
import { viewOf, wholeView } from './projection.ts'

/**
 * GET …/map.json?{filters}&bbox=…&listed=…: the markers of the view that best shows bbox, for the
 * island. `listed` is how many results of the page's list lie in that view (the island counts
 * them), so the sentence it announces comes from the messages like every other.
 */
async function mapJson(c: Context<AppEnv>, platform: Platform) {
  const { t, lang } = c.var
  const params = new URL(c.req.url).searchParams
  const parsed = parseMapRequest(params)
  const listed = params.get('listed')
  const listedCount = listed === null ? null : Number(listed)
  const problems = parsed.ok ? [] : parsed.problems
  if (listedCount !== null && !(Number.isInteger(listedCount) && listedCount >= 0 && listedCount <= 1000))
    problems.push({ param: 'listed', detail: 'listed must be a whole number from 0 to 1000.' })
  if (!parsed.ok || problems.length > 0)
    return problem(c, {
      title: 'Some map parameters cannot be used',
      status: 400,
      errors: problems.map((p) => ({ field: p.param, detail: p.detail })),
    })
  const city = currentCity(c)
  const frame = await cityFrame(platform.db, city.id)
  if (!frame) return problem(c, { title: 'This city has no map', status: 404 })
  const view = parsed.bbox ? viewOf(frame, parsed.bbox) : wholeView(frame)
  const found = await mapMatches(platform.db, city, parsed.filters, new Date(), frame, view)
  const markers = await markersOf(
    platform.db,
    { cityId: city.id, base: searchBase(c), lang, fallbacks: [city.defaultLanguage], t },
    parsed.filters,
    frame,
    view,
    found.clusters,
  )
  const summary = [
    t('discovery-map.inView', { n: found.counts.inView }),
    listedCount === null ? '' : t('discovery-map.listedInView', { n: listedCount }),
  ]
  return c.json(
    {
      zoom: view.zoom,
      box: view.box,
      bbox: view.bbox,
      counts: found.counts,
      summary: summary.join(' ').trim(),
      markers,
    },
    200,
    { 'cache-control': 'no-store' },
  )
}

/** The map of search results over the city's districts. */
export const discoveryMapModule: Module = {
  name: 'discovery-map',
  messages: new URL('./messages/', import.meta.url),
  routes(app: App, platform: Platform) {
    const base = `/${LANG_PARAM}/:city{[a-z0-9-]+}/opportunities`
    const scope = cityScope(platform)
    // The opportunities module's pages may have loaded the city for these paths already.
    const city: MiddlewareHandler<AppEnv> = (c, next) => (c.var.tenant ? next() : scope(c, next))
    app.use(`${base}/map`, city)
    app.use(`${base}/map.json`, city)
    app.get(`${base}/map`, (c) => mapPage(c, platform))
    app.get(`${base}/map.json`, (c) => mapJson(c, platform))
  },
}
