import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM, translated } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { TextInput } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireCityRole } from '../../accounts/index.ts'
import { currentCity, requireCity } from '../../cities/index.ts'
import { featureOpportunity, unfeatureOpportunity } from './actions.ts'
import { formErrors } from './pages.tsx'
import * as repo from './repository.ts'

type C = Context<AppEnv>

async function featuredPage(
  c: C,
  platform: Platform,
  options: { values?: { opportunity: string; until: string }; errors?: FormError[] } = {},
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const base = `/${lang}/${city.slug}/admin/featured`
  const featured = await repo.listFeatured(platform.db, city.id)
  const errors = options.errors ?? []
  const values = options.values ?? { opportunity: '', until: '' }
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: city.timeZone })
  const now = Date.now()
  const notice = c.req.query('added') ? 'added' : c.req.query('removed') ? 'removed' : null
  const title = t('what-next.featured.title')
  return page(
    c,
    {
      title: errors.length > 0 ? t('what-next.errorTitle', { title }) : title,
      status: errors.length > 0 ? 400 : 200,
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      {notice && (
        <p class="notice" role="status">
          {t(`what-next.featured.${notice}`)}
        </p>
      )}
      <h1>{title}</h1>
      <p>{t('what-next.featured.intro')}</p>
      <h2>{t('what-next.featured.current')}</h2>
      {featured.length === 0 ? (
        <p>{t('what-next.featured.none')}</p>
      ) : (
        <ul class="cards">
          {featured.map((f) => {
            const name = translated(f.title, lang, [city.defaultLanguage])
            // The day shown is the last one featured: the end instant is the next midnight.
            const until = f.until ? new Date(f.until) : null
            const lastDay = until ? day.format(new Date(until.getTime() - 1)) : null
            const state =
              f.status !== 'published'
                ? t('what-next.featured.notPublished')
                : until && until.getTime() <= now
                  ? t('what-next.featured.ended', { date: lastDay! })
                  : lastDay
                    ? t('what-next.featured.until', { date: lastDay })
                    : t('what-next.featured.noEnd')
            return (
              <li class="card">
                <h3>
                  <a href={`/${lang}/${city.slug}/opportunities/${f.opportunityId}`} lang={name.lang}>
                    {name.text}
                  </a>
                </h3>
                <p>{state}</p>
                <Form action={`${base}/${f.opportunityId}/remove`} csrf={csrfToken}>
                  <button type="submit" class="button secondary">
                    {t('what-next.featured.remove')}
                    <span class="visually-hidden" lang={name.lang}>
                      {' '}
                      {name.text}
                    </span>
                  </button>
                </Form>
              </li>
            )
          })}
        </ul>
      )}
      <h2>{t('what-next.featured.add')}</h2>
      <Form action={base} csrf={csrfToken} novalidate>
        <TextInput
          id="opportunity"
          label={t('what-next.featured.opportunity')}
          hint={t('what-next.featured.opportunityHint', {
            example: `${platform.config.publicUrl}/${lang}/${city.slug}/opportunities/42`,
          })}
          value={values.opportunity}
          dir="ltr"
          errors={errors}
        />
        <TextInput
          id="until"
          type="date"
          label={t('what-next.featured.untilLabel')}
          hint={t('what-next.featured.untilHint')}
          value={values.until}
          dir="ltr"
          errors={errors}
        />
        <button type="submit" class="button">
          {t('what-next.featured.submit')}
        </button>
      </Form>
    </>,
  )
}

/** Coordinators feature their city's published opportunities, with an optional last day, and remove them. */
export function featuredPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/:city{[a-z0-9-]+}/admin/featured`
  const coordinator = requireCityRole(platform, 'coordinator')
  app.use(base, requireCity(platform), coordinator)
  app.use(`${base}/*`, requireCity(platform), coordinator)
  app.get(base, (c) => featuredPage(c, platform))
  app.post(base, async (c) => {
    const city = currentCity(c)
    const body = await c.req.parseBody()
    const result = await featureOpportunity(platform.db, city, c.var.viewer!.id, body, new Date())
    if (!result.ok) {
      const values = {
        opportunity: typeof body.opportunity === 'string' ? body.opportunity.slice(0, 2000) : '',
        until: typeof body.until === 'string' ? body.until.slice(0, 20) : '',
      }
      const name = translated(city.name, c.var.lang, [city.defaultLanguage]).text
      return featuredPage(c, platform, { values, errors: formErrors(c, result.problems, { city: name }) })
    }
    return c.redirect(`/${c.var.lang}/${city.slug}/admin/featured?added=1`, 303)
  })
  app.post(`${base}/:opportunity{[0-9]{1,12}}/remove`, async (c) => {
    const city = currentCity(c)
    await unfeatureOpportunity(platform.db, city.id, Number(c.req.param('opportunity')))
    return c.redirect(`/${c.var.lang}/${city.slug}/admin/featured?removed=1`, 303)
  })
}
