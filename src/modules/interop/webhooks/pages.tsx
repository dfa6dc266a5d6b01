/**
 * Webhook pages: an organization's admins under /{lang}/{city}/provide/{org}/webhooks (its own
 * items), the city's coordinators under /{lang}/{city}/admin/webhooks (every public item). The same
 * views for both; plain forms (no script), CSRF, an error summary.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM, translated } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { Choices, TextInput } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireCityRole, requireSignedIn } from '../../accounts/index.ts'
import { currentCity, requireCity } from '../../cities/index.ts'
import { findOrganizationById, staffRolesOf } from '../../organizations/index.ts'
import { WEBHOOK_EVENTS } from '../schema-webhooks.ts'
import { deliveryLog, enable, redeliver, sendTestEvent } from './deliver.ts'
import {
  createSubscription,
  deleteSubscription,
  type FieldProblem,
  findSubscription,
  listSubscriptions,
  rotateSecret,
  type Scope,
  type SubscriptionRow,
  updateSubscription,
} from './subscriptions.ts'

type C = Context<AppEnv>
type Values = { url?: string; description?: string; events?: string[] }

interface Side {
  scope: Scope
  /** The path of the list page, in the reader's language. */
  base: string
  /** Heading context: the organization's name, or null for the city. */
  organization: string | null
}

const SIDE = new WeakMap<Request, Side>()
const sideOf = (c: C) => SIDE.get(c.req.raw)!

function formErrors(c: C, fields: FieldProblem[]): FormError[] {
  const seen = new Set<string>()
  return fields.flatMap((f) => {
    const name = f.field.replace(/^\//, '').split('/')[0]!
    if (!['url', 'description', 'events'].includes(name) || seen.has(name)) return []
    seen.add(name)
    const key = name === 'url' && f.code ? `webhooks.errors.url-${f.code}` : `webhooks.errors.${name}`
    return [{ field: name, message: c.var.t(key) }]
  })
}

function readForm(body: Record<string, unknown>): Values {
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 2000) : '')
  const events = ([] as unknown[]).concat(body.events ?? []).filter((e): e is string => typeof e === 'string')
  return { url: text(body.url), description: text(body.description), events }
}

function SecretNotice(props: { c: C; secret: string }) {
  const { t } = props.c.var
  return (
    <div class="notice" role="status">
      <h2>{t('webhooks.secret.title')}</h2>
      <p>{t('webhooks.secret.intro')}</p>
      <p>
        <code dir="ltr" id="webhook-secret">
          {props.secret}
        </code>
      </p>
    </div>
  )
}

function SubscriptionFields(props: { c: C; v: Values; errors: FormError[] }) {
  const { t } = props.c.var
  const { v, errors } = props
  return (
    <>
      <TextInput
        id="url"
        type="url"
        label={t('webhooks.form.url')}
        hint={t('webhooks.form.urlHint')}
        value={v.url ?? ''}
        dir="ltr"
        errors={errors}
      />
      <TextInput
        id="description"
        label={t('webhooks.form.description')}
        value={v.description ?? ''}
        errors={errors}
      />
      <Choices
        id="events"
        type="checkbox"
        label={t('webhooks.form.events')}
        hint={t('webhooks.form.eventsHint')}
        options={WEBHOOK_EVENTS.map((e) => ({ value: e, label: `${t(`webhooks.event.${e}`)} (${e})` }))}
        checked={v.events ?? []}
        errors={errors}
      />
    </>
  )
}

async function listPage(
  c: C,
  platform: Platform,
  state: { values?: Values; errors?: FormError[]; secret?: string } = {},
) {
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const side = sideOf(c)
  const subs = await listSubscriptions(platform.db, side.scope)
  const errors = state.errors ?? []
  const title = side.organization
    ? t('webhooks.titleOrg', { organization: side.organization })
    : t('webhooks.titleCity')
  return page(
    c,
    { title: errors.length ? t('webhooks.errorTitle', { title }) : title, status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{title}</h1>
      <p>{side.organization ? t('webhooks.introOrg') : t('webhooks.introCity')}</p>
      <h2>{t('webhooks.list.title')}</h2>
      {subs.length === 0 ? (
        <p>{t('webhooks.list.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.form.url')}</th>
              <th scope="col">{t('webhooks.form.description')}</th>
              <th scope="col">{t('webhooks.list.status')}</th>
            </tr>
          </thead>
          <tbody>
            {subs.map((s) => (
              <tr>
                <td dir="ltr">
                  <a href={`${side.base}/${s.id}`}>{s.url}</a>
                </td>
                <td dir="auto">{s.description}</td>
                <td>{t(`webhooks.status.${s.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="subscribe">{t('webhooks.create.title')}</h2>
      <Form action={side.base} csrf={csrfToken} novalidate>
        <SubscriptionFields c={c} v={state.values ?? {}} errors={errors} />
        <button type="submit" class="button">
          {t('webhooks.create.submit')}
        </button>
      </Form>
    </>,
  )
}

async function detailPage(
  c: C,
  platform: Platform,
  sub: SubscriptionRow,
  state: { values?: Values; errors?: FormError[]; secret?: string; notice?: string } = {},
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const side = sideOf(c)
  const city = currentCity(c)
  const here = `${side.base}/${sub.id}`
  const log = await deliveryLog(platform.db, sub.id)
  const errors = state.errors ?? []
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: city.timeZone,
  })
  const title = t('webhooks.detail.title')
  return page(
    c,
    { title: errors.length ? t('webhooks.errorTitle', { title }) : title, status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      {state.secret && <SecretNotice c={c} secret={state.secret} />}
      {state.notice && (
        <p class="notice" role="status">
          {state.notice}
        </p>
      )}
      <p>
        <a href={side.base}>{t('webhooks.detail.back')}</a>
      </p>
      <h1>{title}</h1>
      <dl>
        <dt>{t('webhooks.form.url')}</dt>
        <dd dir="ltr">{sub.url}</dd>
        <dt>{t('webhooks.list.status')}</dt>
        <dd>
          {t(`webhooks.status.${sub.status}`)}
          {sub.disabledReason && <span dir="ltr"> ({sub.disabledReason})</span>}
        </dd>
        <dt>{t('webhooks.form.events')}</dt>
        <dd dir="ltr">{sub.events.join(', ')}</dd>
      </dl>
      <Form action={`${here}/test`} csrf={csrfToken}>
        <button type="submit" class="button">
          {t('webhooks.detail.test')}
        </button>
      </Form>
      {sub.status === 'disabled' && (
        <Form action={`${here}/enable`} csrf={csrfToken}>
          <button type="submit" class="button">
            {t('webhooks.detail.enable')}
          </button>
        </Form>
      )}
      <Form action={`${here}/rotate`} csrf={csrfToken}>
        <button type="submit" class="button secondary">
          {t('webhooks.detail.rotate')}
        </button>
      </Form>
      <h2>{t('webhooks.log.title')}</h2>
      <p>{t('webhooks.log.intro')}</p>
      {log.length === 0 ? (
        <p>{t('webhooks.log.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.log.time')}</th>
              <th scope="col">{t('webhooks.log.event')}</th>
              <th scope="col">{t('webhooks.log.attempt')}</th>
              <th scope="col">{t('webhooks.log.result')}</th>
              <th scope="col">{t('webhooks.log.duration')}</th>
              <th scope="col">{t('webhooks.log.action')}</th>
            </tr>
          </thead>
          <tbody>
            {log.map((l) => (
              <tr>
                <td>{when.format(l.attemptedAt)}</td>
                <td dir="ltr">{l.type}</td>
                <td>{l.attempt}</td>
                <td dir="ltr">{l.statusCode !== null ? String(l.statusCode) : l.error}</td>
                <td>{t('webhooks.log.ms', { ms: l.durationMs })}</td>
                <td>
                  <Form action={`${here}/messages/${l.messageId}/redeliver`} csrf={csrfToken}>
                    <button type="submit" class="button secondary">
                      {t('webhooks.log.redeliver')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="change">{t('webhooks.edit.title')}</h2>
      <Form action={`${here}/edit`} csrf={csrfToken} novalidate>
        <SubscriptionFields
          c={c}
          v={state.values ?? { url: sub.url, description: sub.description, events: sub.events }}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('webhooks.edit.submit')}
        </button>
      </Form>
      <h2>{t('webhooks.delete.title')}</h2>
      <Form action={`${here}/delete`} csrf={csrfToken}>
        <button type="submit" class="button secondary">
          {t('webhooks.delete.submit')}
        </button>
      </Form>
    </>,
  )
}

/** The organization in the URL, in this city, with the viewer among its admins. */
function requireOrgAdmin(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const city = currentCity(c)
    const org = await findOrganizationById(platform.db, city.id, Number(c.req.param('orgId')))
    if (!org) return c.var.renderError(404)
    const viewer = c.var.viewer!
    const roles = await staffRolesOf(platform.db, city.id, viewer.id)
    if (!roles.some((r) => r.organizationId === org.id && r.role === 'admin')) return c.var.renderError(403)
    SIDE.set(c.req.raw, {
      scope: { cityId: city.id, organizationId: org.id },
      base: `/${c.var.lang}/${city.slug}/provide/${org.id}/webhooks`,
      organization: translated(org.name, c.var.lang, [city.defaultLanguage]).text,
    })
    await next()
  }
}

function citySide(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const city = currentCity(c)
    SIDE.set(c.req.raw, {
      scope: { cityId: city.id, organizationId: null },
      base: `/${c.var.lang}/${city.slug}/admin/webhooks`,
      organization: null,
    })
    await next()
  }
}

function routesFor(app: App, platform: Platform, base: string): void {
  const policy = platform.config.fetch
  const sub = (c: C) => findSubscription(platform.db, sideOf(c).scope, Number(c.req.param('sub')))
  const one = `${base}/:sub{[0-9]{1,12}}`
  app.get(base, (c) => listPage(c, platform))
  app.post(base, async (c) => {
    const values = readForm(await c.req.parseBody({ all: true }))
    const result = await createSubscription(platform.db, policy, sideOf(c).scope, c.var.viewer!.id, values)
    if (!result.ok) return listPage(c, platform, { values, errors: formErrors(c, result.fields) })
    return detailPage(c, platform, result.value, { secret: result.value.secret })
  })
  app.get(one, async (c) => {
    const found = await sub(c)
    if (!found) return c.var.renderError(404)
    const notice = c.req.query('done')
    return detailPage(c, platform, found, {
      notice: notice && /^[a-z]+$/.test(notice) ? c.var.t(`webhooks.done.${notice}`) : undefined,
    })
  })
  const back = (c: C, id: number, done: string) => c.redirect(`${sideOf(c).base}/${id}?done=${done}`, 303)
  app.post(`${one}/test`, async (c) => {
    const found = await sub(c)
    if (!found) return c.var.renderError(404)
    await sendTestEvent(platform, found)
    return back(c, found.id, 'test')
  })
  app.post(`${one}/enable`, async (c) => {
    const found = await sub(c)
    if (!found) return c.var.renderError(404)
    await enable(platform, found)
    return back(c, found.id, 'enabled')
  })
  app.post(`${one}/rotate`, async (c) => {
    const found = await sub(c)
    if (!found) return c.var.renderError(404)
    const next = await rotateSecret(platform.db, found)
    return detailPage(c, platform, next, { secret: next.secret })
  })
  app.post(`${one}/edit`, async (c) => {
    const found = await sub(c)
    if (!found) return c.var.renderError(404)
    const values = readForm(await c.req.parseBody({ all: true }))
    const result = await updateSubscription(platform.db, policy, found, values)
    if (!result.ok) return detailPage(c, platform, found, { values, errors: formErrors(c, result.fields) })
    return back(c, found.id, 'changed')
  })
  app.post(`${one}/delete`, async (c) => {
    const found = await sub(c)
    if (!found) return c.var.renderError(404)
    await deleteSubscription(platform.db, found)
    return c.redirect(sideOf(c).base, 303)
  })
  app.post(`${one}/messages/:message{[0-9]{1,12}}/redeliver`, async (c) => {
    const found = await sub(c)
    if (!found) return c.var.renderError(404)
    if (!(await redeliver(platform, found, Number(c.req.param('message'))))) return c.var.renderError(404)
    return back(c, found.id, 'redelivered')
  })
}

export function webhooksPages(app: App, platform: Platform): void {
  const org = `/${LANG_PARAM}/:city{[a-z0-9-]+}/provide/:orgId{[0-9]{1,12}}/webhooks`
  app.use(org, requireCity(platform), requireSignedIn, requireOrgAdmin(platform))
  app.use(`${org}/*`, requireCity(platform), requireSignedIn, requireOrgAdmin(platform))
  routesFor(app, platform, org)
  const city = `/${LANG_PARAM}/:city{[a-z0-9-]+}/admin/webhooks`
  const coordinator = requireCityRole(platform, 'coordinator')
  app.use(city, requireCity(platform), coordinator, citySide())
  app.use(`${city}/*`, requireCity(platform), coordinator, citySide())
  routesFor(app, platform, city)
}
