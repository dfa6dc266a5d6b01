import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANGUAGE_NAMES, LANGUAGES } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { Choices, Select, TextInput } from '../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { clientIp } from '../accounts/index.ts'
import { currentCity } from '../cities/index.ts'
import { readValues, text } from './contribution-input.ts'
import { confirmSubscription, requestSubscription, subscriptionForToken, unsubscribe } from './newsletter.ts'
import { hubPath } from './paths.ts'

type C = Context<AppEnv>

const k = (c: C, key: string, values?: Record<string, string | number>) =>
  c.var.t(`knowledge-hub.newsletter.${key}`, values)

function subscribeForm(c: C, values: Record<string, string>, errors: FormError[], status?: number) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  return page(
    c,
    { title: k(c, 'subscribe.title'), status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{k(c, 'subscribe.title')}</h1>
      <p>{k(c, 'subscribe.intro')}</p>
      <Form action={`${hubPath(lang, city.slug)}/newsletter`} csrf={csrfToken} novalidate>
        <TextInput
          id="email"
          type="email"
          label={k(c, 'subscribe.email')}
          hint={k(c, 'subscribe.emailHint')}
          errors={errors}
          value={values.email ?? ''}
          autocomplete="email"
          dir="ltr"
        />
        <Choices
          id="scope"
          type="radio"
          label={k(c, 'subscribe.scope')}
          errors={errors}
          options={[
            { value: 'city', label: k(c, 'subscribe.scopeCity') },
            { value: 'network', label: k(c, 'subscribe.scopeNetwork') },
          ]}
          checked={[values.scope || 'city']}
        />
        <Select
          id="language"
          label={k(c, 'subscribe.language')}
          errors={errors}
          value={values.language || lang}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        />
        <button type="submit" class="button">
          {k(c, 'subscribe.submit')}
        </button>
      </Form>
    </>,
  )
}

/** The sign-up form; a signed-in person finds their address filled in. */
export function subscribePage(c: C) {
  return subscribeForm(c, { email: c.var.viewer?.email ?? '', scope: 'city', language: c.var.lang }, [])
}

/** Asks for a subscription; the answer never says whether the address was known. */
export async function subscribePost(c: C, platform: Platform) {
  const city = currentCity(c)
  const body = readValues(await c.req.parseBody({ all: true }))
  const values = { email: text(body, 'email'), scope: text(body, 'scope'), language: text(body, 'language') }
  const result = await requestSubscription(
    platform,
    { id: city.id, slug: city.slug },
    { ...values, ip: clientIp(c, platform) },
  )
  if (result.ok) return c.redirect(`${hubPath(c.var.lang, city.slug)}/newsletter/check-email`, 303)
  if (result.error === 'invalid') {
    const errors = result.fields.map((f) => ({ field: f.field, message: k(c, `errors.${f.key}`) }))
    return subscribeForm(c, values, errors, 422)
  }
  return subscribeForm(c, values, [{ field: 'email', message: k(c, 'errors.rateLimited') }], 429)
}

/** Where a subscriber goes next: their inbox. */
export function checkEmailPage(c: C) {
  return page(
    c,
    { title: k(c, 'check.title') },
    <>
      <h1>{k(c, 'check.title')}</h1>
      <p>{k(c, 'check.body')}</p>
      <p>
        <a href={hubPath(c.var.lang, currentCity(c).slug)}>{k(c, 'backToHub')}</a>
      </p>
    </>,
  )
}

function tokenPage(c: C, purpose: 'confirm' | 'unsubscribe', status?: number) {
  const { lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const token = c.req.param('token') ?? ''
  return page(
    c,
    { title: k(c, `${purpose}.title`), status, alternates: false },
    <>
      <h1>{k(c, `${purpose}.title`)}</h1>
      <p>{k(c, `${purpose}.body`)}</p>
      <Form action={`${hubPath(lang, city.slug)}/newsletter/${purpose}/${token}`} csrf={csrfToken}>
        <button type="submit" class="button">
          {k(c, `${purpose}.button`)}
        </button>
      </Form>
    </>,
  )
}

function donePage(c: C, key: string) {
  return page(
    c,
    { title: k(c, `${key}.title`), alternates: false },
    <>
      <h1>{k(c, `${key}.title`)}</h1>
      <p role="status">{k(c, `${key}.body`)}</p>
      <p>
        <a href={hubPath(c.var.lang, currentCity(c).slug)}>{k(c, 'backToHub')}</a>
      </p>
    </>,
  )
}

/** The confirm link opens a page with a button, so a mail scanner opening links confirms nothing. */
export async function confirmPage(c: C, platform: Platform) {
  const found = await subscriptionForToken(platform, 'confirm', c.req.param('token') ?? '')
  if (!found || found.status === 'unsubscribed') return c.var.renderError(404)
  if (found.status === 'active') return donePage(c, 'confirmed')
  return tokenPage(c, 'confirm')
}

export async function confirmPost(c: C, platform: Platform) {
  if (!(await confirmSubscription(platform, c.req.param('token') ?? ''))) return c.var.renderError(404)
  return donePage(c, 'confirmed')
}

/** The unsubscribe link opens a page with a button (RFC 8058: a GET never unsubscribes). */
export async function unsubscribePage(c: C, platform: Platform) {
  const found = await subscriptionForToken(platform, 'unsubscribe', c.req.param('token') ?? '')
  if (!found) return c.var.renderError(404)
  if (found.status === 'unsubscribed') return donePage(c, 'unsubscribed')
  return tokenPage(c, 'unsubscribe')
}

/**
 * The button, and a mail client's one-click POST (body `List-Unsubscribe=One-Click`, no cookies,
 * no CSRF token: this path is exempt, the HMAC token is the proof).
 */
export async function unsubscribePost(c: C, platform: Platform) {
  if (!(await unsubscribe(platform, c.req.param('token') ?? ''))) return c.var.renderError(404)
  return donePage(c, 'unsubscribed')
}

/** Renders a curator form's field problems with the newsletter's messages. */
export function issueErrors(c: C, fields: { field: string; key: string }[]): FormError[] {
  return fields.map((f) => ({ field: f.field, message: k(c, `errors.${f.key}`) }))
}
