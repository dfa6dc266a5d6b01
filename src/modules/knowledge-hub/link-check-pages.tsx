import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { JobHandler } from '../../platform/jobs/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { page } from '../../platform/ui/layout.tsx'
import { requireCityRole } from '../accounts/index.ts'
import { currentCity, listCities } from '../cities/index.ts'
import { mailCurators } from './curator-mail.ts'
import { HUB_ROUTE } from './hub-route.ts'
import {
  checkDueLinks,
  LINK_RECHECK_DELAY_MS,
  type LinkCheckResult,
  recheckLinks,
  type Suspect,
} from './link-check.ts'
import { hubPath, resourcePath } from './paths.ts'
import type { ResourceRow } from './repository.ts'
import * as repo from './repository.ts'
import { resourceText } from './views.tsx'

type C = Context<AppEnv>

export const LINK_CHECK_JOB = 'knowledge-hub.check-links'
/** The second look at the links that failed the weekly check, `LINK_RECHECK_DELAY_MS` later. */
export const LINK_RECHECK_JOB = 'knowledge-hub.recheck-links'

/** What the recheck job is given: the suspects of one weekly check. */
function suspectsOf(payload: unknown): Suspect[] {
  const list = (payload as { suspects?: unknown } | null)?.suspects
  if (!Array.isArray(list)) return []
  return list.flatMap((s) =>
    typeof s?.id === 'number' && typeof s?.linkStatus === 'string'
      ? [{ id: s.id, linkStatus: s.linkStatus }]
      : [],
  )
}

/**
 * The weekly job checks every published resource's links; the links that fail are asked again by a
 * second job a while later, which flags what still fails and tells the curators what newly broke.
 */
export function linkCheckJobs(platform: Platform): Record<string, JobHandler> {
  return {
    [LINK_CHECK_JOB]: async () => {
      const { checked, suspects } = await checkDueLinks(platform)
      if (suspects.length > 0)
        await platform.jobs.enqueue(
          LINK_RECHECK_JOB,
          { suspects },
          { runAt: new Date(Date.now() + LINK_RECHECK_DELAY_MS) },
        )
      platform.log.info({ checked, failing: suspects.length }, 'knowledge hub links checked')
    },
    [LINK_RECHECK_JOB]: async (payload) => {
      const result = await recheckLinks(platform, suspectsOf(payload))
      await mailNewlyBroken(platform, result.newlyBroken)
      platform.log.info({ broken: result.broken }, 'knowledge hub failing links asked again')
    },
  }
}

/**
 * One email per scope to its curators, listing the resources whose links broke since the last check
 * (those still broken from before are not mailed again: the broken-links page keeps them). Network
 * resources link to the broken-links page of the first city, where network admins see them too.
 */
export async function mailNewlyBroken(platform: Platform, newlyBroken: LinkCheckResult['newlyBroken']) {
  if (newlyBroken.size === 0) return
  const cities = await listCities(platform.db)
  for (const [scope, resources] of newlyBroken) {
    const city = scope === null ? cities[0] : cities.find((c) => c.id === scope)
    if (!city) continue
    await mailCurators(platform, scope, city, 'broken', (_t, lang) => ({
      count: resources.length,
      list: resources
        .map((r) => {
          const title = translated(r.title, lang, [city.defaultLanguage]).text
          const page = `${platform.config.publicUrl}${resourcePath(lang, city.slug, r.id)}`
          return `- ${title} (${page})\n  ${r.error.replaceAll('\n', '\n  ')}`
        })
        .join('\n'),
      link: `${platform.config.publicUrl}${hubPath(lang, city.slug)}/broken-links`,
    }))
  }
}

function BrokenTable(props: { c: C; caption: string; rows: ResourceRow[] }) {
  const { c, rows } = props
  const { t, lang } = c.var
  const city = currentCity(c)
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  return (
    <div class="table-wrap">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('knowledge-hub.links.resource')}</th>
            <th scope="col">{t('knowledge-hub.links.problem')}</th>
            <th scope="col">{t('knowledge-hub.links.checked')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colspan={3}>{t('knowledge-hub.links.none')}</td>
            </tr>
          ) : (
            rows.map((r) => {
              const { title } = resourceText(c, r)
              return (
                <tr>
                  <td>
                    <a href={resourcePath(lang, city.slug, r.id)} lang={title.lang} dir="auto">
                      {title.text}
                    </a>
                  </td>
                  <td>
                    <pre dir="ltr">{r.linkError ?? ''}</pre>
                  </td>
                  <td>{r.lastCheckedAt ? when.format(new Date(r.lastCheckedAt)) : ''}</td>
                </tr>
              )
            })
          )}
        </tbody>
      </table>
    </div>
  )
}

/** Curators' list of resources whose links did not answer: the city's for its coordinators, the network's for admins. */
async function brokenLinksPage(c: C, platform: Platform) {
  const { t, brand, viewer } = c.var
  const city = currentCity(c)
  const cityRows = await repo.listBroken(platform.db, city.id)
  const networkRows = viewer?.isNetworkAdmin ? await repo.listBroken(platform.db, null) : undefined
  return page(
    c,
    { title: t('knowledge-hub.links.title'), alternates: true },
    <>
      <h1>{t('knowledge-hub.links.title')}</h1>
      <p>{t('knowledge-hub.links.intro')}</p>
      <BrokenTable c={c} caption={t('knowledge-hub.links.city', { city: brand.name })} rows={cityRows} />
      {networkRows && <BrokenTable c={c} caption={t('knowledge-hub.links.network')} rows={networkRows} />}
    </>,
  )
}

export function linkCheckPages(app: App, platform: Platform): void {
  app.get(`${HUB_ROUTE}/broken-links`, requireCityRole(platform, 'coordinator'), (c) =>
    brokenLinksPage(c, platform),
  )
}
