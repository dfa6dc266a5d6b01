import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM, translated } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { Choices, Select, TextInput } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireSignedIn } from '../../accounts/index.ts'
import { currentCity, requireCity } from '../../cities/index.ts'
import { clearPreferences, setPreferences } from './actions.ts'
import type { Problem } from './input.ts'
import { Reason } from './reasons.tsx'
import * as repo from './repository.ts'
import { whatNext } from './suggestions.ts'

type C = Context<AppEnv>

/** Problems as the error summary shows them, in the reader's language. */
export function formErrors(
  c: C,
  problems: Problem[],
  values: Record<string, string | number> = {},
): FormError[] {
  return problems.map((p) => ({
    field: p.field,
    message: c.var.t(`what-next.${p.key}`, { ...values, ...p.values }),
  }))
}

async function suggestionsPage(c: C, platform: Platform) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const base = `/${lang}/${city.slug}`
  const found = await whatNext(platform.db, city, c.var.viewer!.id, lang, new Date())
  const fallbacks = [city.defaultLanguage]
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  return page(
    c,
    { title: t('what-next.title') },
    <>
      <h1>{t('what-next.title')}</h1>
      <p class="lead">{t('what-next.intro')}</p>
      {found.knowsNothing && (
        <div class="notice">
          <p>{t('what-next.prompt')}</p>
          <p>
            <a href={`${base}/next/preferences`}>{t('what-next.setInterests')}</a>
          </p>
        </div>
      )}
      {found.suggestions.length === 0 ? (
        <p>
          {t('what-next.empty')} <a href={`${base}/opportunities`}>{t('what-next.search')}</a>
        </p>
      ) : (
        <ul class="cards">
          {found.suggestions.map((s) => {
            const title = translated(s.title, lang, fallbacks)
            return (
              <li class="card">
                <h2>
                  <a href={`${base}/opportunities/${s.id}`} lang={title.lang}>
                    {title.text}
                  </a>
                </h2>
                <p>{t('what-next.nextSession', { when: when.format(s.startsAt) })}</p>
                <p class="reason">
                  <span class="visually-hidden">{t('what-next.why')} </span>
                  <Reason fragments={s.reasons} t={t} lang={lang} fallbacks={fallbacks} />
                </p>
              </li>
            )
          })}
        </ul>
      )}
      {!found.knowsNothing && (
        <p>
          <a href={`${base}/next/preferences`}>{t('what-next.editPreferences')}</a>
        </p>
      )}
    </>,
  )
}

interface PreferenceValues {
  interests: string[]
  more: string
  district: string
}

async function preferencesPage(
  c: C,
  platform: Platform,
  options: { values?: PreferenceValues; errors?: FormError[] } = {},
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const viewer = c.var.viewer!
  const action = `/${lang}/${city.slug}/next/preferences`
  const [facts, topics, districts] = await Promise.all([
    repo.learnerFacts(platform.db, city.id, viewer.id),
    repo.topicsInUse(platform.db, city.id),
    repo.districtChoices(platform.db, city.id),
  ])
  const values = options.values ?? {
    interests: facts.interests,
    more: '',
    district: facts.districtCode ?? '',
  }
  const errors = options.errors ?? []
  const choices = [...new Set([...topics, ...facts.interests])].sort((a, b) => a.localeCompare(b, lang))
  const fallbacks = [city.defaultLanguage]
  const districtOptions = districts
    .map((d) => ({ value: d.code, label: translated(d.name, lang, fallbacks).text }))
    .sort((a, b) => a.label.localeCompare(b.label, lang))
  const notice = c.req.query('saved') ? 'saved' : c.req.query('deleted') ? 'deleted' : null
  return page(
    c,
    {
      title:
        errors.length > 0
          ? t('what-next.errorTitle', { title: t('what-next.prefs.title') })
          : t('what-next.prefs.title'),
      status: errors.length > 0 ? 400 : 200,
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      {notice && (
        <p class="notice" role="status">
          {t(`what-next.prefs.${notice}`)}
        </p>
      )}
      <h1>{t('what-next.prefs.title')}</h1>
      <p>{t('what-next.prefs.intro')}</p>
      <Form action={action} csrf={csrfToken} novalidate>
        {choices.length > 0 && (
          <Choices
            id="interests"
            type="checkbox"
            label={t('what-next.prefs.interests')}
            hint={t('what-next.prefs.interestsHint')}
            options={choices.map((topic) => ({ value: topic, label: topic }))}
            checked={values.interests}
            errors={errors}
          />
        )}
        <TextInput
          id="more"
          label={t('what-next.prefs.more')}
          hint={t('what-next.prefs.moreHint')}
          value={values.more}
          dir="auto"
          errors={errors}
        />
        <Select
          id="district"
          label={t('what-next.prefs.district')}
          hint={t('what-next.prefs.districtHint')}
          value={values.district}
          options={[{ value: '', label: t('what-next.prefs.noDistrict') }, ...districtOptions]}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('what-next.prefs.save')}
        </button>
      </Form>
      {facts.saved && (
        <Form action={`${action}/delete`} csrf={csrfToken}>
          <p>{t('what-next.prefs.deleteHint')}</p>
          <button type="submit" class="button secondary">
            {t('what-next.prefs.delete')}
          </button>
        </Form>
      )}
      <p>
        <a href={`/${lang}/${city.slug}/next`}>{t('what-next.prefs.back')}</a>
      </p>
    </>,
  )
}

/** "What next?" for signed-in learners: their suggestions, and the interests and district behind them. */
export function learnerPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/:city{[a-z0-9-]+}/next`
  app.use(base, requireCity(platform), requireSignedIn)
  app.use(`${base}/*`, requireCity(platform), requireSignedIn)
  app.get(base, (c) => suggestionsPage(c, platform))
  app.get(`${base}/preferences`, (c) => preferencesPage(c, platform))
  app.post(`${base}/preferences`, async (c) => {
    const city = currentCity(c)
    const result = await setPreferences(
      platform.db,
      city.id,
      c.var.viewer!.id,
      await c.req.parseBody({ all: true }),
    )
    if (!result.ok)
      return preferencesPage(c, platform, { values: result.typed, errors: formErrors(c, result.problems) })
    return c.redirect(`/${c.var.lang}/${city.slug}/next/preferences?saved=1`, 303)
  })
  app.post(`${base}/preferences/delete`, async (c) => {
    const city = currentCity(c)
    await clearPreferences(platform.db, city.id, c.var.viewer!.id)
    return c.redirect(`/${c.var.lang}/${city.slug}/next/preferences?deleted=1`, 303)
  })
}
