import { LANG_PARAM, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ErrorSummary, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { requireSignedIn } from '../accounts/index.ts'
import { currentCity, requireCity } from '../cities/index.ts'
import type { OpportunityRow } from '../opportunities/index.ts'
import { PLACES_SECTION, PlacesSection } from './capacity-form.tsx'
import {
  providerAccess,
  recordAttendance,
  registrationsCsv,
  registrationsOverview,
  sessionRegistrations,
} from './provider.ts'
import { type C, field, formBody } from './scope.ts'
import { changeSessionCapacity } from './session-capacity.ts'

type Loaded =
  | { ok: true; opportunity: OpportunityRow }
  | { ok: false; response: Response | Promise<Response> }

/** The opportunity of the URL, if the signed-in viewer is its provider's staff or a coordinator. */
async function load(c: C, platform: Platform): Promise<Loaded> {
  const result = await providerAccess(platform, c.var.viewer!, c.var.tenant!, Number(c.req.param('id')))
  if (result.ok) return { ok: true, opportunity: result.value }
  return { ok: false, response: c.var.renderError(result.error === 'forbidden' ? 403 : 404) }
}

function formats(c: C) {
  const city = currentCity(c)
  return new Intl.DateTimeFormat(c.var.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
}

async function overviewPage(c: C, platform: Platform, opportunity: OpportunityRow) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const title = translated(opportunity.title, lang, [city.defaultLanguage])
  const { numbers, rate, sessions } = await registrationsOverview(platform, opportunity)
  const when = formats(c)
  const base = `/${lang}/${city.slug}/opportunities/${opportunity.id}/registrations`
  return page(
    c,
    { title: t('registrations.provider.title', { title: title.text }) },
    <>
      <h1>
        {t('registrations.provider.heading')} <span lang={title.lang}>{title.text}</span>
      </h1>
      <dl class="facts">
        <dt>{t('registrations.provider.bookings')}</dt>
        <dd>{numbers.bookings}</dd>
        <dt>{t('registrations.provider.waiting')}</dt>
        <dd>{numbers.waiting}</dd>
        <dt>{t('registrations.provider.attendanceRate')}</dt>
        <dd>
          {rate === null
            ? t('registrations.provider.notTaken')
            : t('registrations.provider.percent', { rate })}
        </dd>
        <dt>{t('registrations.provider.noShows')}</dt>
        <dd>{numbers.noShows}</dd>
      </dl>
      <p>
        <a class="button secondary" href={`${base}.csv`}>
          {t('registrations.provider.download')}
        </a>
      </p>
      <h2>{t('registrations.provider.sessions')}</h2>
      <p>{t('registrations.provider.sessionsHint')}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('registrations.provider.when')}</th>
              <th scope="col" class="num">
                {t('registrations.provider.booked')}
              </th>
              <th scope="col" class="num">
                {t('registrations.provider.waiting')}
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr>
                <td>
                  <a href={`${base}/${s.id}`}>{when.format(new Date(s.startsAt))}</a>
                  {s.cancelled && <> ({t('registrations.sessionCancelled')})</>}
                </td>
                <td class="num">
                  {s.capacity === null ? s.held : `${s.held} / ${s.capacity}`}
                  {s.ownCapacity !== null && <> ({t('registrations.provider.ownCapacity')})</>}
                </td>
                <td class="num">{s.waiting}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  )
}

/** What the places form sent back with its errors, to show again. */
interface PlacesForm {
  value: string
  errors: FormError[]
  status: number
}

async function sessionPage(c: C, platform: Platform, opportunity: OpportunityRow, form?: PlacesForm) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const found = await sessionRegistrations(platform, opportunity, Number(c.req.param('session')))
  if (!found) return c.var.renderError(404)
  const title = translated(opportunity.title, lang, [city.defaultLanguage])
  const when = formats(c).format(new Date(found.session.startsAt))
  const confirmed = found.places.filter((p) => p.status === 'confirmed')
  const others = found.places.filter((p) => p.status !== 'confirmed')
  const base = `/${lang}/${city.slug}/opportunities/${opportunity.id}/registrations`
  const errors = form?.errors ?? []
  return page(
    c,
    { title: t('registrations.session.title', { when }), status: form?.status },
    <>
      <ErrorSummary errors={errors} t={t} />
      {c.req.query('saved') && (
        <p class="notice" role="status">
          {t('registrations.session.saved')}
        </p>
      )}
      {c.req.query('places') && (
        <p class="notice" role="status">
          {t('registrations.capacity.saved')}
        </p>
      )}
      <p>
        <a href={base} lang={title.lang}>
          {title.text}
        </a>
      </p>
      <h1>{t('registrations.session.title', { when })}</h1>
      {found.session.cancelled && <p class="notice">{t('registrations.session.cancelled')}</p>}
      <h2>{t('registrations.session.attendance')}</h2>
      {found.session.cancelled ? null : confirmed.length === 0 ? (
        <p>{t('registrations.session.nobody')}</p>
      ) : (
        <Form action={`${base}/${found.session.id}/attendance`} csrf={csrfToken}>
          <fieldset>
            <legend>{t('registrations.session.tick')}</legend>
            {confirmed.map((p) => (
              <div class="field checkbox">
                <input
                  id={`attended-${p.id}`}
                  name="attended"
                  type="checkbox"
                  value={String(p.id)}
                  checked={p.attended === true}
                />
                <label for={`attended-${p.id}`} dir="auto">
                  {p.name}
                </label>
              </div>
            ))}
          </fieldset>
          <button type="submit" class="button">
            {t('registrations.session.save')}
          </button>
        </Form>
      )}
      <PlacesSection
        t={t}
        action={`${base}/${found.session.id}/capacity`}
        csrf={csrfToken}
        session={found.session}
        opportunityCapacity={opportunity.capacity}
        value={form?.value}
        errors={errors}
      />
      <h2>{t('registrations.session.everyone')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('registrations.csv.name')}</th>
              <th scope="col">{t('registrations.csv.email')}</th>
              <th scope="col">{t('registrations.csv.status')}</th>
            </tr>
          </thead>
          <tbody>
            {[...confirmed, ...others].map((p) => (
              <tr>
                <td dir="auto">{p.name}</td>
                <td dir="ltr">{p.email}</td>
                <td>{t(`registrations.status.${p.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  )
}

/** Providers' pages: registrations per session, attendance from a phone, numbers, CSV export. */
export function providerPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/:city{[a-z0-9-]+}/opportunities/:id{[0-9]+}/registrations`
  app.use(base, requireCity(platform))
  app.use(`${base}/*`, requireCity(platform))
  app.use(`${base}.csv`, requireCity(platform))

  app.get(base, requireSignedIn, async (c) => {
    const loaded = await load(c, platform)
    return loaded.ok ? overviewPage(c, platform, loaded.opportunity) : loaded.response
  })

  app.get(`${base}.csv`, requireSignedIn, async (c) => {
    const loaded = await load(c, platform)
    if (!loaded.ok) return loaded.response
    const csv = await registrationsCsv(platform, loaded.opportunity, c.var.t, currentCity(c).timeZone)
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="registrations-${loaded.opportunity.id}.csv"`,
      'cache-control': 'no-store',
    })
  })

  app.get(`${base}/:session{[0-9]+}`, requireSignedIn, async (c) => {
    const loaded = await load(c, platform)
    return loaded.ok ? sessionPage(c, platform, loaded.opportunity) : loaded.response
  })

  app.post(`${base}/:session{[0-9]+}/attendance`, requireSignedIn, async (c) => {
    const loaded = await load(c, platform)
    if (!loaded.ok) return loaded.response
    const body = await formBody(c)
    const ticked = body.attended
    const result = await recordAttendance(platform, loaded.opportunity, Number(c.req.param('session')), {
      attended: ticked === undefined ? [] : Array.isArray(ticked) ? ticked : [ticked],
    })
    // A cancelled session has no attendance form; a post for it is a bad request.
    if (!result.ok) return c.var.renderError(result.error === 'not-found' ? 404 : 400)
    return c.redirect(`${c.req.path.replace(/\/attendance$/, '')}?saved=1`, 303)
  })

  app.post(`${base}/:session{[0-9]+}/capacity`, requireSignedIn, async (c) => {
    const loaded = await load(c, platform)
    if (!loaded.ok) return loaded.response
    const value = field(await formBody(c), 'capacity')
    const result = await changeSessionCapacity(platform, loaded.opportunity, Number(c.req.param('session')), {
      capacity: value,
    })
    if (result.ok) return c.redirect(`${c.req.path.replace(/\/capacity$/, '')}?places=saved`, 303)
    if (result.error === 'not-found') return c.var.renderError(404)
    const { t } = c.var
    const errors: FormError[] =
      result.error === 'invalid'
        ? [{ field: 'capacity', message: t('registrations.errors.capacity') }]
        : [{ field: PLACES_SECTION, message: t('registrations.errors.closed') }]
    return sessionPage(c, platform, loaded.opportunity, {
      value,
      errors,
      status: result.error === 'invalid' ? 400 : 409,
    })
  })
}
