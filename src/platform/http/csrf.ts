import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { randomToken } from '../random.ts'
import type { AppEnv } from './env.ts'

export const CSRF_FIELD = '_csrf'
const COOKIE = 'lc_csrf'

function sign(secret: string, value: string): string {
  return createHmac('sha256', secret).update(`csrf:${value}`).digest('base64url')
}

/** GET, HEAD and OPTIONS: the methods that carry no body to read and change nothing. */
export function readsOnly(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS'
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Signed double-submit token for HTML forms: a random cookie, and an HMAC of it in a hidden field.
 * Every POST/PUT/PATCH/DELETE that is not a JSON API call must carry the matching field, except on
 * `exempt` paths, whose secret token in the URL is the proof (e.g. RFC 8058 one-click unsubscribe,
 * which a mail provider posts without cookies).
 *
 * The token is made when a page first asks for it (`c.var.formToken()`, for a form): a reader who
 * only reads pages without forms gets no cookie, and no request pays for an HMAC it does not use.
 */
export function csrfProtection(
  secret: string,
  secure: boolean,
  exempt: readonly RegExp[] = [],
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const cookie = getCookie(c, COOKIE)
    const seed = cookie && /^[A-Za-z0-9_-]{20,64}$/.test(cookie) ? cookie : undefined
    c.set('formToken', () => c.get('formTokenMade') ?? issue(c, secret, seed ?? newSeed(c, secure)))
    const checked = !c.req.path.startsWith('/api/') && !exempt.some((pattern) => pattern.test(c.req.path))
    if (!readsOnly(c.req.method) && checked) {
      const type = c.req.header('content-type') ?? ''
      let submitted = c.req.header('x-csrf-token') ?? ''
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody()
        const field = body[CSRF_FIELD]
        if (typeof field === 'string') submitted = field
      }
      if (!seed || !submitted || !same(submitted, sign(secret, seed))) {
        c.status(403)
        return c.var.renderError(403, 'csrf')
      }
    }
    await next()
  }
}

/** Sets a new random seed cookie and returns the seed. */
function newSeed(c: Context<AppEnv>, secure: boolean): string {
  const seed = randomToken(24, 'base64url')
  setCookie(c, COOKIE, seed, { httpOnly: true, sameSite: 'Lax', secure, path: '/' })
  return seed
}

/** Makes the form token of a seed the one this request's pages carry. */
function issue(c: Context<AppEnv>, secret: string, seed: string): string {
  const token = sign(secret, seed)
  c.set('formTokenMade', token)
  return token
}

/** Starts a fresh CSRF seed, e.g. after sign-in, so a token seen before sign-in is useless after. */
export function rotateCsrf(c: Context<AppEnv>, secret: string, secure: boolean): void {
  issue(c, secret, newSeed(c, secure))
}

/**
 * For the session-authenticated JSON API, which carries no form token: true when a write comes from
 * another site (an `Origin` that is neither the request's nor the public URL's, or
 * `Sec-Fetch-Site: cross-site`). The session cookie is SameSite=Lax besides.
 */
export function fromAnotherSite(c: Context<AppEnv>, publicUrl: string): boolean {
  const origin = c.req.header('origin')
  const own = [new URL(c.req.url).origin, new URL(publicUrl).origin]
  return (origin !== undefined && !own.includes(origin)) || c.req.header('sec-fetch-site') === 'cross-site'
}
