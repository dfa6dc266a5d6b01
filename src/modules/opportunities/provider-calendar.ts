import { translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { cityScope, currentCity } from '../cities/index.ts'
import { findOrganization } from '../organizations/index.ts'
import { calendarHeaders, calendarOf } from './calendar.ts'
import { requireTenant } from './provider-shared.tsx'
import * as repo from './repository.ts'

/** Providers the public may see; pending and suspended ones have no public calendar. */
const PUBLIC_STATUSES = new Set(['approved', 'trusted'])

/**
 * One provider's calendar: every session of its published opportunities (and of cancelled ones,
 * marked CANCELLED, so subscribers see the cancellation).
 */
export function providerCalendarRoute(app: App, platform: Platform, path: string): void {
  app.use(path, cityScope(platform), requireTenant)
  app.get(path, async (c) => {
    const city = currentCity(c)
    const org = await findOrganization(platform.db, city.id, c.req.param('slug') ?? '')
    if (!org || !PUBLIC_STATUSES.has(org.status)) return c.var.renderError(404)
    const rows = (await repo.listForOrganization(platform.db, city.id, org.id)).filter(
      (r) => r.status === 'published' || r.status === 'cancelled',
    )
    const name = translated(org.name, c.var.lang, [city.defaultLanguage]).text
    const body = await calendarOf(platform.db, city, rows, {
      name,
      lang: c.var.lang,
      publicUrl: platform.config.publicUrl,
    })
    return c.body(body, 200, calendarHeaders(`${org.slug}.ics`))
  })
}
