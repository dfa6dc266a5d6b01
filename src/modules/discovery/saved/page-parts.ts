/** What the saved searches' pages share: messages, links, posted fields and the city scope. */
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import type { Platform } from '../../../platform/module.ts'
import type { FormError } from '../../../platform/ui/forms.tsx'
import { cityScope, currentCity } from '../../cities/index.ts'
import type { SaveProblem } from './saved-searches.ts'

export type C = Context<AppEnv>

/** A saved-searches message in the reader's language. */
export const k = (c: C, key: string, values?: Record<string, string | number>) =>
  c.var.t(`saved-searches.${key}`, values)

/** cityScope, and 404 where the "city" is a reserved word (/en/account/saved-searches). */
export function inCity(platform: Platform): MiddlewareHandler<AppEnv> {
  const scope = cityScope(platform)
  return async (c, next) => {
    let passed = false
    const response = await scope(c, async () => {
      passed = c.var.tenant !== undefined
    })
    if (response) return response
    if (!passed) return c.var.renderError(404)
    await next()
  }
}

/** A posted form's one string field ('' when missing or repeated). */
export async function fields(c: C): Promise<(name: string) => string> {
  const body = await c.req.parseBody({ all: true })
  return (name) => {
    const value = body[name]
    return typeof value === 'string' ? value : ''
  }
}

export const base = (c: C) => `/${c.var.lang}/${currentCity(c).slug}`
/** The search page of a canonical query. */
export const searchUrl = (c: C, query: string) => `${base(c)}/opportunities${query ? `?${query}` : ''}`

/** Problems as the error summary lists them, by field (with the saved search's id on the list page). */
export function errorsOf(c: C, problems: SaveProblem[], id?: number): FormError[] {
  return problems.map((p) => ({
    field: id === undefined ? p.field : `${p.field}-${id}`,
    message: k(c, `errors.${p.key}`, p.values),
  }))
}
