import { LANG_PARAM, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { page } from '../../platform/ui/layout.tsx'
import { requireSignedIn } from '../accounts/index.ts'
import { cityScope, currentCity } from '../cities/index.ts'
import { findOrganizationById, type OrganizationRow } from '../organizations/index.ts'
import type { Actor } from './opportunities.ts'
import { providerCalendarRoute } from './provider-calendar.ts'
import { editorRoutes } from './provider-editor.tsx'
import { manageRoutes, TransitionButton } from './provider-manage.tsx'
import { type DashboardRow, dashboardRows } from './provider-queries.ts'
import { reviewRoutes } from './provider-review.tsx'
import {
  actorOf,
  type C,
  DoneNotice,
  formatWhen,
  provideBase,
  publishesDirectly,
  requireTenant,
} from './provider-shared.tsx'

function OrganizationSection(props: { c: C; actor: Actor; org: OrganizationRow; rows: DashboardRow[] }) {
  const { c, org, rows, actor } = props
  const { t, lang } = c.var
  const city = currentCity(c)
  const name = translated(org.name, lang, [city.defaultLanguage])
  const base = provideBase(c)
  const k = (key: string) => t(`opportunities.provide.dashboard.${key}`)
  return (
    <section aria-labelledby={`org-${org.id}`}>
      <h2 id={`org-${org.id}`} lang={name.lang}>
        {name.text}
      </h2>
      <p>
        <a class="button" href={`${base}/${org.id}/new`}>
          {k('create')}
        </a>{' '}
        <a href={`${base}/${org.id}/import`}>{k('import')}</a>
      </p>
      <ul class="actions">
        <li>
          <a href={`${base}/${org.id}/badges`}>{k('badges')}</a>
        </li>
        {actor.organizations.some((o) => o.id === org.id && o.role === 'admin') && (
          <li>
            <a href={`${base}/${org.id}/webhooks`}>{k('webhooks')}</a>
          </li>
        )}
      </ul>
      {rows.length === 0 ? (
        <p>{k('empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              {t('opportunities.provide.dashboard.caption', { name: name.text })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{k('colTitle')}</th>
                <th scope="col">{k('colStatus')}</th>
                <th scope="col">{k('colNext')}</th>
                <th scope="col">{k('colChanged')}</th>
                <th scope="col">{k('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => {
                const title = translated(o.title, lang, [city.defaultLanguage])
                return (
                  <tr>
                    <th scope="row" lang={title.lang}>
                      {title.text}
                    </th>
                    <td>{t(`opportunities.status.${o.status}`)}</td>
                    <td>{o.nextSession ? formatWhen(c, o.nextSession) : '—'}</td>
                    <td>
                      {formatWhen(c, o.lastChangeAt ?? o.updatedAt)}
                      {o.lastChangeBy && (
                        <>
                          {' · '}
                          <span dir="auto">{o.lastChangeBy}</span>
                        </>
                      )}
                    </td>
                    <td>
                      <ul class="actions">
                        <li>
                          <a href={`${base}/opportunities/${o.id}/edit`}>{k('edit')}</a>
                        </li>
                        <li>
                          <a href={`/${lang}/${city.slug}/opportunities/${o.id}`}>{k('preview')}</a>
                        </li>
                        <li>
                          <a href={`${base}/opportunities/${o.id}`}>{k('manage')}</a>
                        </li>
                        <li>
                          <a href={`${base}/opportunities/${o.id}/history`}>{k('history')}</a>
                        </li>
                        {o.status === 'draft' && (
                          <li>
                            <TransitionButton
                              c={c}
                              id={o.id}
                              action={publishesDirectly(actor, o.organizationId) ? 'publish' : 'submit'}
                              back="dashboard"
                            />
                          </li>
                        )}
                      </ul>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

async function dashboard(c: C, platform: Platform) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const actor = await actorOf(c, platform)
  const editable = actor.organizations.filter((o) => o.role !== 'issuer')
  const orgs = (
    await Promise.all(editable.map((o) => findOrganizationById(platform.db, city.id, o.id)))
  ).filter((o): o is OrganizationRow => o !== undefined)
  const rows = await dashboardRows(
    platform.db,
    city.id,
    orgs.map((o) => o.id),
  )
  const title = t('opportunities.provide.dashboard.title')
  return page(
    c,
    { title },
    <>
      <DoneNotice c={c} />
      <h1>{title}</h1>
      {actor.coordinator && (
        <p>
          <a href={`/${lang}/${city.slug}/admin/review`}>
            {t('opportunities.provide.dashboard.reviewQueue')}
          </a>
        </p>
      )}
      {orgs.length === 0 ? (
        <>
          <p>{t('opportunities.provide.dashboard.noRole')}</p>
          <p>{t('opportunities.provide.dashboard.askAdmin')}</p>
          <p>
            <a href={`/${lang}/${city.slug}/providers/new`}>
              {t('opportunities.provide.dashboard.register')}
            </a>
          </p>
        </>
      ) : (
        orgs.map((org) => (
          <OrganizationSection
            c={c}
            actor={actor}
            org={org}
            rows={rows.filter((r) => r.organizationId === org.id)}
          />
        ))
      )}
    </>,
  )
}

/** Provider dashboard, publishing form with preview, the coordinator review queue and provider calendars. */
export function providerPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/:city{[a-z0-9-]+}/provide`
  app.use(base, cityScope(platform), requireTenant, requireSignedIn)
  app.use(`${base}/*`, cityScope(platform), requireTenant, requireSignedIn)
  app.get(base, (c) => dashboard(c, platform))
  editorRoutes(app, platform, base)
  manageRoutes(app, platform, base)
  reviewRoutes(app, platform, `/${LANG_PARAM}/:city{[a-z0-9-]+}/admin/review`)
  providerCalendarRoute(
    app,
    platform,
    `/${LANG_PARAM}/:city{[a-z0-9-]+}/providers/:slug{[a-z0-9-]+}/calendar.ics`,
  )
}
