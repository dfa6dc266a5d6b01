import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { ErrorSummary, Field, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import { currentOrganization } from './access.ts'
import { type ApiKeyRow, listApiKeys } from './api-keys.ts'
import { createOrganizationApiKey, revokeOrganizationApiKey } from './keys.ts'
import { API_SCOPES } from './schema.ts'
import { formErrors, manageNav } from './views.tsx'

type C = Context<AppEnv>

function KeyTable(props: { c: C; keys: ApiKeyRow[]; base: string }) {
  const { t, lang, formToken } = props.c.var
  const csrfToken = formToken()
  const city = currentCity(props.c)
  const date = new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  if (props.keys.length === 0) return <p>{t('organizations.apiKeys.none')}</p>
  return (
    <div class="table-wrap">
      <table>
        <caption>{t('organizations.apiKeys.list')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('organizations.apiKeys.name')}</th>
            <th scope="col">{t('organizations.apiKeys.prefix')}</th>
            <th scope="col">{t('organizations.apiKeys.scopes')}</th>
            <th scope="col">{t('organizations.apiKeys.lastUsed')}</th>
            <th scope="col">{t('organizations.apiKeys.created')}</th>
            <th scope="col">{t('organizations.review.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {props.keys.map((k) => (
            <tr>
              <td dir="auto">{k.name}</td>
              <td dir="ltr">
                <code>lc_{k.prefix}_…</code>
              </td>
              <td dir="ltr">{k.scopes.join(', ')}</td>
              <td>{k.lastUsedAt ? date.format(new Date(k.lastUsedAt)) : t('organizations.apiKeys.never')}</td>
              <td>{date.format(new Date(k.createdAt))}</td>
              <td>
                <form method="post" action={`${props.base}/${k.id}/revoke`} class="inline-form">
                  <input type="hidden" name="_csrf" value={csrfToken} />
                  <button type="submit" class="link-button">
                    {t('organizations.apiKeys.revoke', { name: k.name })}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** An organization's API keys; right after creation, the new key is shown this once. */
export async function apiKeysPage(
  c: C,
  platform: Platform,
  options: {
    created?: { name: string; key: string }
    values?: Record<string, string>
    errors?: FormError[]
  } = {},
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const org = currentOrganization(c)
  const base = `/${lang}/${city.slug}/providers/${org.slug}/api-keys`
  const keys = await listApiKeys(platform.db, city.id, org.id)
  const errors = options.errors ?? []
  const values = options.values ?? {}
  const revoked = c.req.query('revoked') === '1'
  // The key page must never be kept by a browser or proxy cache: it may hold a secret.
  c.header('Cache-Control', 'no-store')
  return page(
    c,
    {
      title: t('organizations.apiKeys.title'),
      nav: manageNav(c, org.slug),
      status: errors.length ? 400 : 200,
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      {revoked && (
        <p class="notice" role="status">
          {t('organizations.apiKeys.revoked')}
        </p>
      )}
      {options.created && (
        <div class="notice" role="status">
          <h2>{t('organizations.apiKeys.createdTitle', { name: options.created.name })}</h2>
          <p>{t('organizations.apiKeys.createdOnce')}</p>
          <p dir="ltr">
            <code id="new-api-key">{options.created.key}</code>
          </p>
        </div>
      )}
      <h1>{t('organizations.apiKeys.title')}</h1>
      <p>{t('organizations.apiKeys.intro')}</p>
      <KeyTable c={c} keys={keys} base={base} />
      <h2>{t('organizations.apiKeys.create')}</h2>
      <Form action={base} csrf={csrfToken} novalidate>
        <Field
          name="name"
          label={t('organizations.apiKeys.name')}
          value={values.name ?? ''}
          errors={errors}
          dir="auto"
        />
        <fieldset class={errors.some((e) => e.field === 'scopes') ? 'field field-error' : 'field'}>
          <legend>{t('organizations.apiKeys.scopes')}</legend>
          {errors
            .filter((e) => e.field === 'scopes')
            .map((e) => (
              <p class="error-message">{e.message}</p>
            ))}
          {API_SCOPES.map((scope, i) => (
            <div class="checkbox">
              <input
                id={i === 0 ? 'scopes' : `scopes-${scope.replace(':', '-')}`}
                name="scopes"
                type="checkbox"
                value={scope}
                checked={(values.scopes ?? 'opportunities:read').split(',').includes(scope)}
              />
              <label for={i === 0 ? 'scopes' : `scopes-${scope.replace(':', '-')}`}>
                {t(`organizations.apiKeys.scope.${scope.replace(':', '-')}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          {t('organizations.apiKeys.createButton')}
        </button>
      </Form>
    </>,
  )
}

/** Creates a key and shows it once, in this response only (never stored, never redirected). */
export async function createKeySubmit(c: C, platform: Platform) {
  const body = await c.req.parseBody({ all: true })
  const org = currentOrganization(c)
  const result = await createOrganizationApiKey(platform, c.var.tenant!.id, org.id, c.var.viewer!.id, body)
  if (!result.ok) {
    const scopes = ([] as unknown[]).concat(body.scopes ?? []).filter((s) => typeof s === 'string')
    const values = { name: typeof body.name === 'string' ? body.name : '', scopes: scopes.join(',') }
    return apiKeysPage(c, platform, { values, errors: formErrors(c.var.t, result.fields) })
  }
  return apiKeysPage(c, platform, { created: result.value })
}

/** Revokes one key of this organization. */
export async function revokeKeySubmit(c: C, platform: Platform) {
  const org = currentOrganization(c)
  const done = await revokeOrganizationApiKey(
    platform,
    c.var.tenant!.id,
    org.id,
    c.var.viewer!.id,
    Number(c.req.param('key')),
  )
  if (!done) return c.var.renderError(404)
  return c.redirect(`/${c.var.lang}/${c.var.tenant!.slug}/providers/${org.slug}/api-keys?revoked=1`, 303)
}
