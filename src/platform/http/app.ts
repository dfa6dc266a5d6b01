import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join, relative as relativePath, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie, setCookie } from 'hono/cookie'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { DEFAULT_LANG, isLang, negotiate, translator } from '../i18n/index.ts'
import type { Platform } from '../module.ts'
import { randomToken } from '../random.ts'
import { errorPage } from '../ui/error-page.tsx'
import { csrfProtection, readsOnly } from './csrf.ts'
import type { AppEnv } from './env.ts'
import { fieldErrors, problem } from './problem.ts'

export const LANG_COOKIE = 'lc_lang'
const MAX_BODY_BYTES = 1024 * 1024
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024

function tooLarge(c: Context, limit: number) {
  return problem(c, {
    type: 'https://learncity.org/problems/too-large',
    title: 'Request body too large',
    status: 413,
    detail: `Send at most ${limit} bytes.`,
  })
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  js: 'text/javascript; charset=utf-8',
}

/**
 * Static files are read once at start from src/platform/ui/static into memory and served by exact
 * path: a request can only ever reach a file that is in this map (no path traversal).
 */
function loadStatic(): Map<string, { body: Buffer; type: string; etag: string }> {
  const root = new URL('../ui/static/', import.meta.url)
  const files = new Map<string, { body: Buffer; type: string; etag: string }>()
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const relative = join(relativePath(fileURLToPath(root), entry.parentPath), entry.name)
      .split(sep)
      .join('/')
    const type = TYPES[extname(entry.name).slice(1)]
    if (!type) continue
    const body = readFileSync(join(entry.parentPath, entry.name))
    files.set(`/static/${relative}`, {
      body,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
    })
  }
  return files
}
const staticFiles = loadStatic()

/** The origin of a map tile URL template (config.ts has checked it is an https URL). */
function tileOrigin(template: string): string {
  return new URL(template.replace(/\{[zxy]\}/g, '0')).origin
}

/** The language of a request: the URL's first segment, else the remembered cookie, else the browser's. */
export function requestLanguage(c: Context<AppEnv>) {
  const first = c.req.path.split('/')[1]
  if (isLang(first)) return first
  const remembered = getCookie(c, LANG_COOKIE)
  if (isLang(remembered)) return remembered
  return negotiate(c.req.header('accept-language')) ?? DEFAULT_LANG
}

/**
 * Creates the Hono app with every cross-cutting concern; modules add their routes after.
 * `csrfExempt`: paths whose POSTs are authorised by a secret token in the URL instead (see csrf.ts).
 */
export function createHttpApp(
  platform: Platform,
  options: { csrfExempt?: readonly RegExp[] } = {},
): OpenAPIHono<AppEnv> {
  const { config, log } = platform
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return problem(c, {
          type: 'https://learncity.org/problems/validation',
          title: 'Your request has invalid fields',
          status: 422,
          detail: 'Correct the fields listed in errors and send the request again.',
          errors: fieldErrors(result.error.issues),
        })
      }
    },
  })

  /** The CSP nonce of a response, under the key Hono's own NONCE uses (pages read it from there). */
  const NONCE = (c: Context<AppEnv>) => {
    let nonce = c.get('secureHeadersNonce')
    if (!nonce) {
      nonce = randomToken(16, 'base64')
      c.set('secureHeadersNonce', nonce)
    }
    return `'nonce-${nonce}'`
  }

  app.use(requestId())
  app.use(async (c, next) => {
    const started = performance.now()
    await next()
    log.info(
      {
        reqId: c.var.requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    )
  })
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", NONCE],
        styleSrc: ["'self'", NONCE],
        // Map tiles come from the configured tile server only; without one nothing external is loaded.
        imgSrc: ["'self'", 'data:', ...(config.mapTileUrl ? [tileOrigin(config.mapTileUrl)] : [])],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: config.secureCookies ? 'max-age=31536000; includeSubDomains' : false,
      referrerPolicy: 'strict-origin-when-cross-origin',
      permissionsPolicy: { camera: [], microphone: [], geolocation: ['self'] },
      // A route that sets its own header keeps it (e.g. `default-src 'none'` on uploaded files and images).
      overwrite: false,
    }),
  )
  // Uploads (paths ending in /import, and /apply where a learner attaches evidence, which checks its
  // own 5 MB limit) may be large files; everything else is small.
  const smallBodies = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => tooLarge(c, MAX_BODY_BYTES) })
  const uploads = bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: (c) => tooLarge(c, MAX_UPLOAD_BYTES) })
  // GET, HEAD and OPTIONS are answered without reading a body: the limits are skipped there, as
  // asking for the body at all builds a whole fetch Request around the Node request.
  app.use((c, next) => {
    if (readsOnly(c.req.method)) return next()
    return /\/(import|apply)$/.test(c.req.path) ? uploads(c, next) : smallBodies(c, next)
  })
  app.use(async (c, next) => {
    const lang = requestLanguage(c)
    c.set('lang', lang)
    c.set('t', translator(lang))
    c.set('viewer', undefined)
    c.set('brand', {
      name: 'LearnCity',
      nameLang: 'en',
      homeHref: `/${lang}`,
      colors: { primary: '#1d4ed8', primaryText: '#ffffff', background: '#ffffff', text: '#1f2328' },
    })
    c.set('renderError', (status, kind) => errorPage(c, status, kind))
    if (isLang(c.req.path.split('/')[1]) && getCookie(c, LANG_COOKIE) !== lang) {
      setCookie(c, LANG_COOKIE, lang, {
        path: '/',
        maxAge: 365 * 24 * 3600,
        sameSite: 'Lax',
        secure: config.secureCookies,
      })
    }
    await next()
  })
  app.use(csrfProtection(config.sessionSecret, config.secureCookies, options.csrfExempt))

  app.get('/static/*', (c, next) => {
    const file = staticFiles.get(c.req.path)
    if (!file) return next()
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304)
    return c.body(new Uint8Array(file.body), 200, {
      'content-type': file.type,
      'cache-control': 'public, max-age=3600',
      etag: file.etag,
      'x-content-type-options': 'nosniff',
    })
  })

  return app
}

/** Installs the 404 and 500 handlers: problem+json under /api, the error page elsewhere. */
export function finishHttpApp(app: OpenAPIHono<AppEnv>, platform: Platform): void {
  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) {
      return problem(c, { title: 'Not found', status: 404, detail: `No resource at ${c.req.path}` })
    }
    return errorPage(c, 404)
  })
  app.onError((error, c) => {
    // Errors Hono raises on purpose (malformed JSON, bad content type) are the client's, not ours.
    if (error instanceof HTTPException && error.status < 500) {
      return problem(c, {
        title: error.message || 'Bad request',
        status: error.status as 400,
        detail: error.message,
      })
    }
    platform.log.error({ reqId: c.var.requestId, err: error }, 'unhandled error')
    if (c.req.path.startsWith('/api/') || !c.var.t) {
      return problem(c, {
        title: 'Internal server error',
        status: 500,
        detail: `Something went wrong on our side. Quote request id ${c.var.requestId} when you report it.`,
      })
    }
    return errorPage(c, 500)
  })
}
