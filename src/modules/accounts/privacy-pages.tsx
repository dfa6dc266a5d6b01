import type { Context } from 'hono'
import { rotateCsrf } from '../../platform/http/csrf.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANG_PARAM, type T, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import type { ErasureBlocker } from '../../platform/personal-data.ts'
import { ErrorSummary, Field, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { deleteMyAccount, exportFileName, exportMyData } from './privacy.ts'
import { clearSessionCookie, requireSignedIn } from './session.ts'

type C = Context<AppEnv>

/** The "what is removed, what is kept" lists, in the order the person reads them. */
const REMOVED = ['removed1', 'removed2', 'removed3', 'removed4', 'removed5'] as const
const KEPT = ['kept1', 'kept2', 'kept3'] as const

/** A blocker in the person's words: a known reason gets its message, any other the general one. */
export function blockerMessage(t: T, lang: string, blocker: ErasureBlocker): string {
  const name = translated(blocker.subject, lang).text
  if (blocker.reason === 'last-admin') return t('accounts.delete.lastAdmin', { name })
  if (blocker.reason === 'last-network-admin') return t('accounts.delete.lastNetworkAdmin')
  return t('accounts.delete.blockedOther', { name })
}

/** The download of the person's data: a JSON attachment named for today. */
export async function myDataResponse(c: C, platform: Platform): Promise<Response> {
  const result = await exportMyData(platform, c.var.viewer!.id)
  if (!result.ok) return c.var.renderError(404)
  return c.body(JSON.stringify(result.value, null, 2), 200, {
    'content-type': 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${exportFileName(new Date())}"`,
    'cache-control': 'no-store',
  })
}

function DeletePage(c: C, errors: FormError[], blockers: ErasureBlocker[] = []) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  return page(
    c,
    { title: t('accounts.delete.title'), status: errors.length ? 400 : 200, alternates: false },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{t('accounts.delete.title')}</h1>
      <p>{t('accounts.delete.intro')}</p>
      <p>
        <a href={`/${lang}/account/my-data`} download>
          {t('accounts.myData.download')}
        </a>
      </p>
      {blockers.length > 0 && (
        <section id="blockers" aria-labelledby="blockers-title">
          <h2 id="blockers-title">{t('accounts.delete.blockedTitle')}</h2>
          <ul>
            {blockers.map((b) => (
              <li>{blockerMessage(t, lang, b)}</li>
            ))}
          </ul>
        </section>
      )}
      <h2>{t('accounts.delete.removedTitle')}</h2>
      <ul>
        {REMOVED.map((key) => (
          <li>{t(`accounts.delete.${key}`)}</li>
        ))}
      </ul>
      <h2>{t('accounts.delete.keptTitle')}</h2>
      <ul>
        {KEPT.map((key) => (
          <li>{t(`accounts.delete.${key}`)}</li>
        ))}
      </ul>
      <p>
        <strong>{t('accounts.delete.final')}</strong>
      </p>
      <Form action={`/${lang}/account/delete`} csrf={csrfToken} novalidate>
        <Field
          name="password"
          type="password"
          label={t('accounts.fields.password')}
          hint={t('accounts.delete.passwordHint')}
          errors={errors}
          autocomplete="current-password"
          dir="ltr"
        />
        <button type="submit" class="button">
          {t('accounts.delete.submit')}
        </button>
      </Form>
      <p>
        <a href={`/${lang}/account`}>{t('accounts.delete.cancel')}</a>
      </p>
    </>,
  )
}

function DeletedPage(c: C) {
  const { t, lang } = c.var
  return page(
    c,
    { title: t('accounts.deleted.title') },
    <>
      <h1>{t('accounts.deleted.title')}</h1>
      <p>{t('accounts.deleted.body')}</p>
      <p>
        <a href={`/${lang}/account/sign-up`}>{t('accounts.deleted.signUp')}</a>
      </p>
    </>,
  )
}

/** "Download my data" and "Delete my account" as pages (forms work without JavaScript). */
export function privacyPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/account`
  app.get(`${base}/my-data`, requireSignedIn, (c) => myDataResponse(c, platform))
  app.get(`${base}/delete`, requireSignedIn, (c) => DeletePage(c, []))
  app.post(`${base}/delete`, requireSignedIn, async (c) => {
    const body = await c.req.parseBody()
    const password = typeof body.password === 'string' ? body.password : ''
    const { t, lang } = c.var
    const result = await deleteMyAccount(platform, c.var.viewer!.id, password, { lang })
    if (!result.ok) {
      if (result.error === 'rate-limited') return c.var.renderError(429)
      if (result.error === 'not-found') return c.var.renderError(404)
      if (result.error === 'blocked') {
        const blockers = result.blockers ?? []
        return DeletePage(
          c,
          blockers.map((b) => ({ field: 'blockers', message: blockerMessage(t, lang, b) })),
          blockers,
        )
      }
      const key = result.error === 'invalid' ? 'errors.passwordMissing' : 'delete.wrongPassword'
      return DeletePage(c, [{ field: 'password', message: t(`accounts.${key}`) }])
    }
    clearSessionCookie(c, platform)
    rotateCsrf(c, platform.config.sessionSecret, platform.config.secureCookies)
    return c.redirect(`/${lang}/account/deleted`, 303)
  })
  app.get(`${base}/deleted`, (c) => DeletedPage(c))
}
