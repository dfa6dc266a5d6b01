/**
 * What every console page shares: who owns the badges of the URL (a provider under
 * /provide/{org id}/badges or the city under /admin/badges), the actor, and small view helpers.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { translated } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { findOrganizationById } from '../../organizations/index.ts'
import { type BadgeActor, mayDefine } from '../achievements.ts'
import * as repo from '../repository.ts'

export type C = Context<AppEnv>

/** Whose badges the page is about: an organization, or the city itself (organizationId null). */
export interface Owner {
  organizationId: number | null
  /** The page path of this owner's badges, e.g. /en/chicago/provide/4/badges. */
  base: string
  /** The organization's or city's name in the reader's language. */
  name: { text: string; lang: string }
}

const owners = new WeakMap<Request, Owner>()

/** The signed-in person as the badge use cases see them (routes run after requireSignedIn). */
export function actorOf(c: C): BadgeActor {
  return { userId: c.var.viewer!.id, isNetworkAdmin: c.var.viewer!.isNetworkAdmin }
}

/**
 * Loads the owner of the URL and lets in only who may define its badges: staff of the organization
 * (any role), or for the city's badges its coordinators. Others get 403, unknown providers 404.
 */
export function ownerScope(platform: Platform, kind: 'provider' | 'city'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const tenant = c.var.tenant!
    const { lang } = c.var
    let owner: Owner
    if (kind === 'provider') {
      const raw = c.req.param('org') ?? ''
      const org =
        raw.length <= 12 ? await findOrganizationById(platform.db, tenant.id, Number(raw)) : undefined
      if (!org) return c.var.renderError(404)
      owner = {
        organizationId: org.id,
        base: `/${lang}/${tenant.slug}/provide/${org.id}/badges`,
        name: translated(org.name, lang, [tenant.defaultLanguage]),
      }
    } else {
      owner = {
        organizationId: null,
        base: `/${lang}/${tenant.slug}/admin/badges`,
        name: { text: c.var.brand.name, lang: c.var.brand.nameLang },
      }
    }
    if (!(await mayDefine(platform, actorOf(c), tenant.id, owner.organizationId)))
      return c.var.renderError(403)
    owners.set(c.req.raw, owner)
    await next()
  }
}

/** The owner ownerScope loaded for this request. */
export function currentOwner(c: C): Owner {
  const owner = owners.get(c.req.raw)
  if (!owner) throw new Error('currentOwner used outside ownerScope')
  return owner
}

/** Whether an achievement is one the owner may see here: its own, or shared with it. */
export function belongsTo(a: repo.AchievementRow, owner: Owner): boolean {
  if (owner.organizationId === null) return a.organizationId === null
  return a.organizationId === owner.organizationId || a.sharedWith.includes(owner.organizationId)
}

/** The live achievement of the URL's :id if it is the owner's (or shared with it). */
export async function achievementOf(c: C, platform: Platform): Promise<repo.AchievementRow | undefined> {
  const raw = c.req.param('id') ?? ''
  if (raw.length > 12) return undefined
  const a = await repo.findAchievement(platform.db, c.var.tenant!.id, Number(raw))
  return a && !a.archived && belongsTo(a, currentOwner(c)) ? a : undefined
}

/** An achievement's name in the reader's language (with the language used, for `lang`). */
export function nameOf(c: C, a: repo.AchievementRow) {
  return translated(a.name, c.var.lang, [c.var.tenant!.defaultLanguage])
}

/** An email shown to staff without giving all of it away: a•••@example.org. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at < 1) return '•••'
  return `${email[0]}•••${email.slice(at)}`
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

/** Outcomes a redirect reports with `?done=`; anything else is ignored. */
const DONE = new Set(['saved', 'archived', 'shared', 'awarded', 'status', 'code', 'withdrawn'])

/** The confirmation after a post/redirect/get, read from `?done=`. */
export function DoneNotice(props: { c: C }) {
  const done = props.c.req.query('done')
  if (!done || !DONE.has(done)) return null
  return (
    <p class="notice" role="status">
      {props.c.var.t(`badge-console.done.${done}`)}
    </p>
  )
}

/** The claim page's address with the code filled in (what the QR code holds). */
export function claimUrl(platform: Platform, c: C, code: string): string {
  return `${platform.config.publicUrl}/${c.var.lang}/${c.var.tenant!.slug}/badges/claim?code=${encodeURIComponent(code)}`
}
