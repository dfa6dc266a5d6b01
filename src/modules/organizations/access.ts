import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { cityRolesOf } from '../accounts/index.ts'
import { currentCity } from '../cities/index.ts'
import type { CityContext } from './organizations.ts'
import { findOrganization, type OrganizationRow } from './repository.ts'
import type { StaffRole } from './schema.ts'
import { roleIn } from './staff-repository.ts'

/** What the signed-in person may do with one organization. */
export interface OrganizationAccess {
  coordinator: boolean
  role: StaffRole | undefined
  /** Admins of the organization and the city's coordinators manage its profile, staff and keys. */
  manage: boolean
}

const loaded = new WeakMap<Request, OrganizationRow>()

/** The viewer's rights over an organization of the city in the URL. */
export async function accessOf(
  c: Context<AppEnv>,
  platform: Platform,
  organizationId: number,
): Promise<OrganizationAccess> {
  const viewer = c.var.viewer
  const cityId = c.var.tenant?.id
  if (!viewer || cityId === undefined) return { coordinator: false, role: undefined, manage: false }
  const coordinator =
    viewer.isNetworkAdmin || (await cityRolesOf(platform.db, viewer.id, cityId)).includes('coordinator')
  const role = await roleIn(platform.db, cityId, organizationId, viewer.id)
  return { coordinator, role, manage: coordinator || role === 'admin' }
}

/**
 * Route guard for /providers/:slug/… management pages: a signed-in admin of that organization or a
 * coordinator of its city; an unknown slug (or one of another city) is a 404.
 */
export function requireOrganizationAdmin(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.var.viewer) return toSignIn(c)
    const org = await findOrganization(platform.db, currentCity(c).id, c.req.param('slug') ?? '')
    if (!org) return c.var.renderError(404)
    if (!(await accessOf(c, platform, org.id)).manage) return c.var.renderError(403)
    loaded.set(c.req.raw, org)
    await next()
  }
}

/** Sends an anonymous reader to sign in and come back (as the accounts guards do). */
function toSignIn(c: Context<AppEnv>) {
  const next = c.req.method === 'GET' ? c.req.path : `/${c.var.lang}`
  return c.redirect(`/${c.var.lang}/account/sign-in?next=${encodeURIComponent(next)}`, 303)
}

/** The organization loaded by requireOrganizationAdmin for this request. */
export function currentOrganization(c: { req: { raw: Request } }): OrganizationRow {
  const org = loaded.get(c.req.raw)
  if (!org) throw new Error('currentOrganization used outside requireOrganizationAdmin')
  return org
}

/** The city of the URL as the use cases need it. */
export function cityContext(c: { req: { raw: Request } }): CityContext {
  const city = currentCity(c)
  return {
    id: city.id,
    slug: city.slug,
    name: city.name,
    defaultLanguage: city.defaultLanguage,
    languages: city.languages,
  }
}
