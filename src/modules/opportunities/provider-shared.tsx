import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { actorForViewer } from './actor.ts'
import type { Actor } from './opportunities.ts'

export type C = Context<AppEnv>

/** The signed-in person's rights in the city of the URL (routes run after requireSignedIn). */
export function actorOf(c: C, platform: Platform): Promise<Actor> {
  return actorForViewer(platform, c.var.viewer!, c.var.tenant!)
}

/** Whether the page should offer editing an organization's opportunities (the use cases check again). */
export function editsOrganization(actor: Actor, organizationId: number): boolean {
  return actor.coordinator || actor.organizations.some((o) => o.id === organizationId && o.role !== 'issuer')
}

/** Whether the page should offer "publish" rather than "submit for review". */
export function publishesDirectly(actor: Actor, organizationId: number): boolean {
  return (
    actor.coordinator ||
    actor.organizations.some((o) => o.id === organizationId && o.trusted && o.role !== 'issuer')
  )
}

/** Outcomes a redirect reports with `?done=`; anything else is ignored. */
const DONE = new Set([
  'draft',
  'submitted',
  'published',
  'cancelled',
  'archived',
  'saved',
  'session',
  'returned',
  'notAllowed',
])

/** The confirmation after a post/redirect/get, read from `?done=`. */
export function DoneNotice(props: { c: C }) {
  const done = props.c.req.query('done')
  if (!done || !DONE.has(done)) return null
  return (
    <p class="notice" role="status">
      {props.c.var.t(`opportunities.provide.done.${done}`)}
    </p>
  )
}

/** Base path of the provider pages in this city and language. */
export function provideBase(c: C): string {
  return `/${c.var.lang}/${c.var.tenant!.slug}/provide`
}

/** A date and time in the city's zone, in the reader's language. */
export function formatWhen(c: C, when: Date | string | null): string {
  if (!when) return ''
  return new Intl.DateTimeFormat(c.var.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: c.var.tenant!.timeZone,
  }).format(new Date(when))
}

/** Reads a note typed in a form: trimmed, or undefined when empty; false when too long. */
export function noteOf(value: unknown): string | undefined | false {
  const note = typeof value === 'string' ? value.trim() : ''
  if (note.length > 2000) return false
  return note || undefined
}

/** 404 when cityScope found no city (the slug is a reserved word such as `account`). */
export const requireTenant: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.tenant) return c.var.renderError(404)
  await next()
}
