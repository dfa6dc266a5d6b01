import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export interface FieldError {
  /** JSON pointer or dotted path to the offending field, e.g. `/title/en`. */
  field: string
  detail: string
}

export interface Problem {
  type?: string
  title: string
  status: ContentfulStatusCode
  detail?: string
  errors?: FieldError[]
  [extension: string]: unknown
}

/** Sends an RFC 9457 problem document. */
export function problem(c: Context, p: Problem): Response {
  const body = { type: p.type ?? 'about:blank', ...p, instance: c.req.path }
  return c.json(body, p.status, { 'content-type': 'application/problem+json' })
}

/** Turns zod issues into field errors with JSON pointers. */
export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldError[] {
  return issues.map((i) => ({
    field: `/${i.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
    detail: i.message,
  }))
}
