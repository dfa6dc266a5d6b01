import type { Context } from 'hono'
import { rotateCsrf } from '../../platform/http/csrf.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANG_PARAM } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { Checkbox, ErrorSummary, Field, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import * as accounts from './accounts.ts'
import * as repo from './repository.ts'
import { clearSessionCookie, clientIp, requireSignedIn, setSessionCookie } from './session.ts'

type C = Context<AppEnv>

async function form(c: C): Promise<Record<string, string>> {
  const body = await c.req.parseBody()
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']))
}

function toErrors(c: C, fields: accounts.FieldIssue[] | undefined): FormError[] {
  return (fields ?? []).map((f) => ({ field: f.field, message: c.var.t(`accounts.${f.key}`) }))
}

/** Only same-site relative paths are followed after sign-in (no open redirects). */
export function safeNext(next: string | undefined, lang: string): string {
  if (next && /^\/(?!\/)[^\\\s]*$/.test(next) && !next.startsWith('/\\')) return next
  return `/${lang}`
}

function SignUpPage(c: C, values: Record<string, string>, errors: FormError[]) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  return page(
    c,
    { title: t('accounts.signUp.title'), status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{t('accounts.signUp.title')}</h1>
      <p>{t('accounts.signUp.intro')}</p>
      <Form action={`/${lang}/account/sign-up`} csrf={csrfToken} novalidate>
        <Field
          name="displayName"
          label={t('accounts.fields.displayName')}
          hint={t('accounts.fields.displayNameHint')}
          value={values.displayName}
          errors={errors}
          autocomplete="nickname"
          dir="auto"
        />
        <Field
          name="email"
          type="email"
          label={t('accounts.fields.email')}
          value={values.email}
          errors={errors}
          autocomplete="email"
          dir="ltr"
        />
        <Field
          name="password"
          type="password"
          label={t('accounts.fields.password')}
          hint={t('accounts.fields.passwordHint')}
          errors={errors}
          autocomplete="new-password"
          dir="ltr"
        />
        <button type="submit" class="button">
          {t('accounts.signUp.submit')}
        </button>
      </Form>
      <p>
        <a href={`/${lang}/account/sign-in`}>{t('accounts.signUp.haveAccount')}</a>
      </p>
    </>,
  )
}

function SignInPage(c: C, values: Record<string, string>, errors: FormError[], notice?: string) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const next = values.next ?? c.req.query('next') ?? ''
  return page(
    c,
    { title: t('accounts.signIn.title'), status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <h1>{t('accounts.signIn.title')}</h1>
      <Form action={`/${lang}/account/sign-in`} csrf={csrfToken} novalidate>
        <input type="hidden" name="next" value={next} />
        <Field
          name="email"
          type="email"
          label={t('accounts.fields.email')}
          value={values.email}
          errors={errors}
          autocomplete="username"
          dir="ltr"
        />
        <Field
          name="password"
          type="password"
          label={t('accounts.fields.password')}
          errors={errors}
          autocomplete="current-password"
          dir="ltr"
        />
        <Checkbox name="remember" label={t('accounts.signIn.remember')} checked={values.remember === 'on'} />
        <button type="submit" class="button">
          {t('accounts.signIn.submit')}
        </button>
      </Form>
      <p>
        <a href={`/${lang}/account/forgot-password`}>{t('accounts.signIn.forgot')}</a>
      </p>
      <p>
        <a href={`/${lang}/account/sign-up`}>{t('accounts.signIn.noAccount')}</a>
      </p>
    </>,
  )
}

function MessagePage(c: C, titleKey: string, bodyKey: string, link?: { href: string; key: string }) {
  const { t } = c.var
  return page(
    c,
    { title: t(titleKey) },
    <>
      <h1>{t(titleKey)}</h1>
      <p>{t(bodyKey)}</p>
      {link && (
        <p>
          <a href={link.href}>{t(link.key)}</a>
        </p>
      )}
    </>,
  )
}

function ForgotPage(c: C, values: Record<string, string>, errors: FormError[]) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  return page(
    c,
    { title: t('accounts.forgot.title'), status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{t('accounts.forgot.title')}</h1>
      <p>{t('accounts.forgot.intro')}</p>
      <Form action={`/${lang}/account/forgot-password`} csrf={csrfToken} novalidate>
        <Field
          name="email"
          type="email"
          label={t('accounts.fields.email')}
          value={values.email}
          errors={errors}
          autocomplete="email"
          dir="ltr"
        />
        <button type="submit" class="button">
          {t('accounts.forgot.submit')}
        </button>
      </Form>
    </>,
  )
}

function ResetPage(c: C, token: string, errors: FormError[]) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  return page(
    c,
    { title: t('accounts.reset.title'), status: errors.length ? 400 : 200, alternates: false },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{t('accounts.reset.title')}</h1>
      <Form action={`/${lang}/account/reset-password`} csrf={csrfToken} novalidate>
        <input type="hidden" name="token" value={token} />
        <Field
          name="password"
          type="password"
          label={t('accounts.fields.newPassword')}
          hint={t('accounts.fields.passwordHint')}
          errors={errors}
          autocomplete="new-password"
          dir="ltr"
        />
        <button type="submit" class="button">
          {t('accounts.reset.submit')}
        </button>
      </Form>
    </>,
  )
}

async function AccountPage(c: C, platform: Platform) {
  const { t, lang, formToken, viewer } = c.var
  const csrfToken = formToken()
  const sessions = await repo.listSessions(platform.db, viewer!.id)
  const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })
  return page(
    c,
    { title: t('accounts.account.title') },
    <>
      <h1>{t('accounts.account.title')}</h1>
      <p>{t('accounts.account.signedInAs', { name: viewer!.displayName, email: viewer!.email })}</p>
      <h2>{t('accounts.account.sessions')}</h2>
      <p>{t('accounts.account.sessionsIntro')}</p>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{t('accounts.account.sessions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.account.device')}</th>
              <th scope="col">{t('accounts.account.lastSeen')}</th>
              <th scope="col">{t('accounts.account.action')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr>
                <td dir="ltr">{s.userAgent || t('accounts.account.unknownDevice')}</td>
                <td>{when.format(new Date(s.lastSeenAt))}</td>
                <td>
                  {s.id === viewer!.sessionId ? (
                    t('accounts.account.thisDevice')
                  ) : (
                    <Form action={`/${lang}/account/sessions/${s.id}/revoke`} csrf={csrfToken}>
                      <button type="submit" class="button secondary">
                        {t('accounts.account.revoke')}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('accounts.myData.title')}</h2>
      <p>{t('accounts.myData.intro')}</p>
      <p>
        <a class="button secondary" href={`/${lang}/account/my-data`} download>
          {t('accounts.myData.download')}
        </a>
      </p>
      <h2>{t('accounts.account.deleteTitle')}</h2>
      <p>{t('accounts.account.deleteIntro')}</p>
      <p>
        <a href={`/${lang}/account/delete`}>{t('accounts.account.deleteLink')}</a>
      </p>
    </>,
  )
}

export function accountPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/account`

  app.get(`${base}/sign-up`, (c) => SignUpPage(c, {}, []))
  app.post(`${base}/sign-up`, async (c) => {
    const values = await form(c)
    const result = await accounts.signUp(
      platform,
      { email: values.email ?? '', password: values.password ?? '', displayName: values.displayName ?? '' },
      { lang: c.var.lang, ip: clientIp(c, platform) },
    )
    if (!result.ok) {
      if (result.error === 'rate-limited') return c.var.renderError(429)
      return SignUpPage(c, values, toErrors(c, result.fields))
    }
    return c.redirect(`/${c.var.lang}/account/check-email`, 303)
  })
  app.get(`${base}/check-email`, (c) =>
    MessagePage(c, 'accounts.checkEmail.title', 'accounts.checkEmail.body'),
  )

  app.get(`${base}/verify`, async (c) => {
    const result = await accounts.verifyEmail(platform, c.req.query('token') ?? '')
    const lang = c.var.lang
    if (!result.ok) {
      c.status(400)
      return MessagePage(c, 'accounts.verify.failedTitle', 'accounts.verify.failedBody', {
        href: `/${lang}/account/forgot-password`,
        key: 'accounts.verify.getNewLink',
      })
    }
    return MessagePage(c, 'accounts.verify.title', 'accounts.verify.body', {
      href: `/${lang}/account/sign-in`,
      key: 'accounts.verify.signIn',
    })
  })

  app.get(`${base}/sign-in`, (c) => SignInPage(c, {}, []))
  app.post(`${base}/sign-in`, async (c) => {
    const values = await form(c)
    const t = c.var.t
    const result = await accounts.signIn(
      platform,
      { email: values.email ?? '', password: values.password ?? '', remember: values.remember === 'on' },
      { ip: clientIp(c, platform), userAgent: c.req.header('user-agent') ?? '' },
    )
    if (!result.ok) {
      if (result.error === 'rate-limited') return c.var.renderError(429)
      if (result.error === 'invalid') return SignInPage(c, values, toErrors(c, result.fields))
      const key = result.error === 'unverified' ? 'errors.unverified' : 'errors.wrongCredentials'
      return SignInPage(c, values, [{ field: 'email', message: t(`accounts.${key}`) }])
    }
    setSessionCookie(c, platform, result.value)
    rotateCsrf(c, platform.config.sessionSecret, platform.config.secureCookies)
    return c.redirect(safeNext(values.next, c.var.lang), 303)
  })

  app.post(`${base}/sign-out`, async (c) => {
    const viewer = c.var.viewer
    if (viewer) await repo.deleteSession(platform.db, viewer.id, viewer.sessionId)
    clearSessionCookie(c, platform)
    rotateCsrf(c, platform.config.sessionSecret, platform.config.secureCookies)
    return c.redirect(`/${c.var.lang}/account/signed-out`, 303)
  })
  app.get(`${base}/signed-out`, (c) =>
    MessagePage(c, 'accounts.signedOut.title', 'accounts.signedOut.body', {
      href: `/${c.var.lang}/account/sign-in`,
      key: 'accounts.signedOut.signInAgain',
    }),
  )

  app.get(`${base}/forgot-password`, (c) => ForgotPage(c, {}, []))
  app.post(`${base}/forgot-password`, async (c) => {
    const values = await form(c)
    const result = await accounts.requestPasswordReset(platform, values.email ?? '', {
      lang: c.var.lang,
      ip: clientIp(c, platform),
    })
    if (!result.ok) {
      if (result.error === 'rate-limited') return c.var.renderError(429)
      return ForgotPage(c, values, toErrors(c, result.fields))
    }
    return c.redirect(`/${c.var.lang}/account/check-email`, 303)
  })

  app.get(`${base}/reset-password`, async (c) => {
    const token = c.req.query('token') ?? ''
    if (!(await repo.tokenIsLive(platform.db, accounts.hashToken(token), 'reset-password'))) {
      c.status(400)
      return MessagePage(c, 'accounts.reset.failedTitle', 'accounts.reset.failedBody', {
        href: `/${c.var.lang}/account/forgot-password`,
        key: 'accounts.verify.getNewLink',
      })
    }
    return ResetPage(c, token, [])
  })
  app.post(`${base}/reset-password`, async (c) => {
    const values = await form(c)
    const token = values.token ?? ''
    const result = await accounts.resetPassword(platform, token, values.password ?? '')
    if (!result.ok) {
      if (result.error === 'invalid') return ResetPage(c, token, toErrors(c, result.fields))
      c.status(400)
      return MessagePage(c, 'accounts.reset.failedTitle', 'accounts.reset.failedBody', {
        href: `/${c.var.lang}/account/forgot-password`,
        key: 'accounts.verify.getNewLink',
      })
    }
    clearSessionCookie(c, platform)
    return MessagePage(c, 'accounts.reset.doneTitle', 'accounts.reset.doneBody', {
      href: `/${c.var.lang}/account/sign-in`,
      key: 'accounts.verify.signIn',
    })
  })

  app.get(base, requireSignedIn, (c) => AccountPage(c, platform))
  app.post(`${base}/sessions/:id{[0-9]+}/revoke`, requireSignedIn, async (c) => {
    await repo.deleteSession(platform.db, c.var.viewer!.id, Number(c.req.param('id')))
    return c.redirect(`/${c.var.lang}/account`, 303)
  })
}
