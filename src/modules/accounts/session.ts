import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { hashToken, type NewSession, sessionExpiry } from './accounts.ts'
import * as repo from './repository.ts'
import type { CityRole } from './schema.ts'

export const SESSION_COOKIE = 'lc_session'

/**
 * The client's address: the socket's, or with TRUST_PROXY the address the nearest proxy saw
 * (the last X-Forwarded-For entry, the only one a client cannot forge).
 */
export function clientIp(c: Context, platform?: Platform): string {
  if (platform?.config.trustProxy) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean)
    const last = hops.at(-1)
    if (last) return last
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

export function setSessionCookie(c: Context, platform: Platform, session: NewSession): void {
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    secure: platform.config.secureCookies,
    sameSite: 'Lax',
    path: '/',
    // Without "remember me" the cookie ends with the browser session; the server expiry still applies.
    maxAge: session.remember ? Math.floor((session.expiresAt.getTime() - Date.now()) / 1000) : undefined,
  })
}

export function clearSessionCookie(c: Context, platform: Platform): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: platform.config.secureCookies })
}

/** Loads the signed-in person from the session cookie and slides the session's expiry. */
export function sessionMiddleware(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE)
    if (token && token.length < 100) {
      const found = await repo.findLiveSession(platform.db, hashToken(token))
      if (found) {
        c.set('viewer', {
          id: found.id,
          email: found.email,
          displayName: found.displayName,
          emailVerified: found.emailVerified,
          isNetworkAdmin: found.isNetworkAdmin,
          sessionId: found.sessionId,
        })
        if (Date.now() - new Date(found.lastSeenAt).getTime() > 60_000) {
          await repo.touchSession(platform.db, found.sessionId, sessionExpiry(found.remember))
        }
      }
    }
    await next()
  }
}

function toSignIn(c: Context<AppEnv>) {
  const next = c.req.method === 'GET' ? c.req.path + new URL(c.req.url).search : `/${c.var.lang}`
  return c.redirect(`/${c.var.lang}/account/sign-in?next=${encodeURIComponent(next)}`, 303)
}

/** Route guard: a signed-in person. */
export const requireSignedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.viewer) return toSignIn(c)
  await next()
}

/** Route guard: a network administrator. */
export const requireNetworkAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.viewer) return toSignIn(c)
  if (!c.var.viewer.isNetworkAdmin) return c.var.renderError(403)
  await next()
}

/** Route guard: one of these roles in the city of the URL (network admins pass everywhere). */
export function requireCityRole(platform: Platform, ...roles: CityRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const viewer = c.var.viewer
    if (!viewer) return toSignIn(c)
    const cityId = c.var.tenant?.id
    if (cityId === undefined) throw new Error('requireCityRole used on a route without a city')
    if (!viewer.isNetworkAdmin) {
      const held = await repo.cityRolesOf(platform.db, viewer.id, cityId)
      if (!held.some((r) => roles.includes(r))) return c.var.renderError(403)
    }
    await next()
  }
}
