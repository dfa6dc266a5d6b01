/** What the saved searches' pages share: messages, links and posted fields. */
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import type { FormError } from '../../../platform/ui/forms.tsx'
import { currentCity } from '../../cities/index.ts'
import type { SaveProblem } from './saved-searches.ts'

export type C = Context<AppEnv>

/** A saved-searches message in the reader's language. */
export const k = (c: C, key: string, values?: Record<string, string | number>) =>
  c.var.t(`saved-searches.${key}`, values)

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
