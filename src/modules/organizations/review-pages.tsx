import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import { cityContext } from './access.ts'
import { REVIEW_ACTIONS, type ReviewAction, reviewOrganization } from './organizations.ts'
import * as repo from './repository.ts'
import { ORGANIZATION_STATUSES, type OrganizationStatus } from './schema.ts'

type C = Context<AppEnv>

/** Which decisions make sense from each status. */
const ACTIONS_FROM: Record<OrganizationStatus, ReviewAction[]> = {
  pending: ['approve', 'trust', 'suspend'],
  approved: ['trust', 'suspend'],
  trusted: ['approve', 'suspend'],
  suspended: ['approve', 'trust'],
}

/** The coordinators' queue: providers waiting for review first, then every other provider. */
export async function reviewQueuePage(c: C, platform: Platform) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const all = await repo.listOrganizationsByStatus(platform.db, city.id, ORGANIZATION_STATUSES)
  const done = c.req.query('done')
  const sections = [
    { key: 'pending', list: all.filter((o) => o.status === 'pending') },
    { key: 'others', list: all.filter((o) => o.status !== 'pending') },
  ]
  return page(
    c,
    { title: t('organizations.review.title') },
    <>
      {done && Object.hasOwn(REVIEW_ACTIONS, done) && (
        <p class="notice" role="status">
          {t(`organizations.review.done.${done}`)}
        </p>
      )}
      <h1>{t('organizations.review.title')}</h1>
      {sections.map(({ key, list }) => (
        <>
          <h2>{t(`organizations.review.${key}`, { count: list.length })}</h2>
          {list.length === 0 ? (
            <p>{t('organizations.review.empty')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('organizations.review.provider')}</th>
                    <th scope="col">{t('organizations.profile.sector')}</th>
                    <th scope="col">{t('organizations.review.status')}</th>
                    <th scope="col">{t('organizations.review.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((org) => {
                    const name = translated(org.name, lang, [city.defaultLanguage])
                    return (
                      <tr>
                        <td>
                          <a href={`/${lang}/${city.slug}/providers/${org.slug}`} lang={name.lang} dir="auto">
                            {name.text}
                          </a>
                        </td>
                        <td>{t(`organizations.sector.${org.sector}`)}</td>
                        <td>{t(`organizations.statusName.${org.status}`)}</td>
                        <td>
                          {ACTIONS_FROM[org.status].map((action) => (
                            <form
                              method="post"
                              action={`/${lang}/${city.slug}/admin/providers/${org.slug}/review`}
                              class="inline-form"
                            >
                              <input type="hidden" name="_csrf" value={csrfToken} />
                              <input type="hidden" name="action" value={action} />
                              <button type="submit" class="link-button">
                                {t(`organizations.review.action.${action}`, { provider: name.text })}
                              </button>
                            </form>
                          ))}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      ))}
    </>,
  )
}

/** Applies a coordinator's decision and returns to the queue. */
export async function reviewSubmit(c: C, platform: Platform) {
  const body = await c.req.parseBody()
  const action = typeof body.action === 'string' ? body.action : ''
  if (!Object.hasOwn(REVIEW_ACTIONS, action)) return c.var.renderError(400)
  const city = cityContext(c)
  const org = await repo.findOrganization(platform.db, city.id, c.req.param('slug') ?? '')
  if (!org) return c.var.renderError(404)
  await reviewOrganization(platform, city, org.id, c.var.viewer!.id, action as ReviewAction)
  return c.redirect(`/${c.var.lang}/${city.slug}/admin/providers?done=${action}`, 303)
}
