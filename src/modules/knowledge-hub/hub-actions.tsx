import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { currentCity } from '../cities/index.ts'
import { reviewsIn } from './contributions.ts'
import { hubPath } from './paths.ts'

/** Whether the viewer curates anything from this city's hub (reviews contributions, sends issues). */
export async function curatesHere(c: Context<AppEnv>, platform: Platform): Promise<boolean> {
  const viewer = c.var.viewer
  if (!viewer) return false
  const scopes = await reviewsIn(platform, viewer, currentCity(c).id)
  return scopes.city || scopes.network
}

/**
 * The hub's ways to take part: send a resource, get the newsletter; curators also see their queues
 * (contributions to review, newsletter issues, and the links the weekly check found broken).
 */
export function HubActions(props: { c: Context<AppEnv>; curator: boolean }) {
  const { t, lang } = props.c.var
  const base = hubPath(lang, currentCity(props.c).slug)
  return (
    <ul class="hub-actions">
      <li>
        <a href={`${base}/submit`}>{t('knowledge-hub.contribute.title')}</a>
      </li>
      <li>
        <a href={`${base}/newsletter`}>{t('knowledge-hub.newsletter.subscribe.title')}</a>
      </li>
      {props.curator && (
        <>
          <li>
            <a href={`${base}/review`}>{t('knowledge-hub.review.title')}</a>
          </li>
          <li>
            <a href={`${base}/newsletter/issues`}>{t('knowledge-hub.newsletter.issues.title')}</a>
          </li>
          <li>
            <a href={`${base}/broken-links`}>{t('knowledge-hub.links.title')}</a>
          </li>
        </>
      )}
    </ul>
  )
}
