/**
 * What the badges' session JSON APIs share (the console's and the evidence API): the signed-in
 * person or a 401, the cross-site write refusal, JSON-only bodies, and problem+json answers.
 * A badge is awarded and reviewed by a person, never by a key, so these APIs take the session only.
 */
import type { Context } from 'hono'
import { fromAnotherSite } from '../../platform/http/csrf.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import { type FieldError, problem } from '../../platform/http/problem.ts'
import type { Platform } from '../../platform/module.ts'
import { type CityRow, findCityBySlug } from '../cities/index.ts'
import type { BadgeActor, Result } from './achievements.ts'

type C = Context<AppEnv>
export const PROBLEMS = 'https://learncity.org/problems'
/** The path every city's badge API routes start with. */
export const CITY_API = '/api/v1/cities/:city{[a-z0-9-]+}'

const STATUS = { invalid: 422, forbidden: 403, 'not-found': 404, conflict: 409 } as const
const TITLE = {
  invalid: 'Your request has invalid fields',
  forbidden: 'You may not do that',
  'not-found': 'Not found',
  conflict: 'Not possible now',
} as const

/** A use case's failure as problem+json with every field error. */
export function failure(c: C, result: Result<unknown> & { ok: false }) {
  return problem(c, {
    type: `${PROBLEMS}/${result.error}`,
    title: TITLE[result.error],
    status: STATUS[result.error],
    errors: result.fields,
  })
}

export const invalid = (c: C, errors: FieldError[]) =>
  failure(c, { ok: false, error: 'invalid', fields: errors })

export const forbidden = (c: C) => failure(c, { ok: false, error: 'forbidden', fields: [] })

export const notFound = (c: C) =>
  problem(c, { type: `${PROBLEMS}/not-found`, title: 'Not found', status: 404 })

/** The signed-in person, or the problem to answer with (401; 403 for a write from another origin). */
export function sessionActor(c: C, platform: Platform): { actor: BadgeActor } | { response: Response } {
  const viewer = c.var.viewer
  if (!viewer)
    return {
      response: problem(c, {
        type: `${PROBLEMS}/unauthenticated`,
        title: 'Sign in first',
        status: 401,
        detail: 'This API works with the session of a signed-in person.',
      }),
    }
  if (c.req.method !== 'GET') {
    if (fromAnotherSite(c, platform.config.publicUrl))
      return {
        response: problem(c, { type: `${PROBLEMS}/forbidden`, title: 'Not from this site', status: 403 }),
      }
  }
  return { actor: { userId: viewer.id, isNetworkAdmin: viewer.isNetworkAdmin } }
}

/** The signed-in person and the city a session route names, or the answer refusing it (401, 403, 404). */
export async function cityRoute(
  c: C,
  platform: Platform,
): Promise<{ auth: { actor: BadgeActor }; city: CityRow } | { response: Response }> {
  const auth = sessionActor(c, platform)
  if ('response' in auth) return auth
  const city = await cityOf(c, platform)
  if (!city) return { response: notFound(c) }
  return { auth, city }
}

/** The JSON object of a write, or the problem (415 not JSON, 400 unreadable). */
export async function jsonBody(c: C): Promise<{ body: Record<string, unknown> } | { response: Response }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json')
    return {
      response: problem(c, { type: `${PROBLEMS}/unsupported-media-type`, title: 'Send JSON', status: 415 }),
    }
  try {
    const body = await c.req.json()
    if (body && typeof body === 'object' && !Array.isArray(body)) return { body }
  } catch {}
  return {
    response: problem(c, {
      type: `${PROBLEMS}/bad-json`,
      title: 'The body is not a JSON object',
      status: 400,
    }),
  }
}

/** The city of the URL. */
export function cityOf(c: C, platform: Platform): Promise<CityRow | undefined> {
  return findCityBySlug(platform.db, c.req.param('city') ?? '')
}

/** An organization id from a query string or body: a positive integer, null for the city, or invalid. */
export function orgOf(raw: unknown, fallback: number | null): number | null | 'invalid' {
  if (raw === undefined || raw === '') return fallback
  if (raw === null || raw === 'city') return null
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && /^\d{1,12}$/.test(raw)
        ? Number(raw)
        : Number.NaN
  return Number.isInteger(n) && n > 0 ? n : 'invalid'
}

/** A numeric path parameter (ids are at most 12 digits; anything else is 0, which no row has). */
export function idParam(c: C, name: string): number {
  const raw = c.req.param(name) ?? ''
  return /^\d{1,12}$/.test(raw) ? Number(raw) : 0
}

/** The session security scheme of the OpenAPI document (registered once, by whichever API comes first). */
export const SESSION_SCHEME = {
  type: 'apiKey',
  in: 'cookie',
  name: 'lc_session',
  description: 'The session of a signed-in person (sign in on the site)',
} as const
