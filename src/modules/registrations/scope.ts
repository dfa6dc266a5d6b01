import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'

export type C = Context<AppEnv>

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
