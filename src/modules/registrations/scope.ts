import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { cityScope } from '../cities/index.ts'

export type C = Context<AppEnv>

/**
 * cityScope for this module's routes: loads the city unless an earlier middleware already did,
 * and answers 404 for paths whose "city" is a reserved word (e.g. /en/account/bookings).
 */
export function inCity(platform: Platform): MiddlewareHandler<AppEnv> {
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

/** A posted form as plain strings; repeated fields (checkboxes) as lists. */
export async function formBody(c: C): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true })
  const out: Record<string, string | string[]> = {}
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string')
    else if (typeof value === 'string') out[key] = value
  }
  return out
}

/** One string field of a posted form ('' when missing or repeated). */
export function field(body: Record<string, string | string[]>, name: string): string {
  const value = body[name]
  return typeof value === 'string' ? value : ''
}
