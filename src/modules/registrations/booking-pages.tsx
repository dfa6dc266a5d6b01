import { hitRateLimit } from '../../platform/http/rate-limit.ts'
import { LANG_PARAM, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ErrorSummary, Field, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { clientIp } from '../accounts/index.ts'
import { currentCity, requireCity } from '../cities/index.ts'
import { findOpportunity, type OpportunityRow } from '../opportunities/index.ts'
import { recordUnmetDemand } from './demand.ts'
import { bookingForm, UNMET_REASONS } from './model.ts'
import { type Booker, bookPlaces } from './registrations.ts'
import * as repo from './repository.ts'
import { type C, field, formBody } from './scope.ts'

const NOTICES = ['confirmed', 'waitlisted', 'mixed'] as const

async function BookingPage(
  c: C,
  platform: Platform,
  opportunity: OpportunityRow,
  values: Record<string, string>,
  errors: FormError[],
) {
  const { t, lang, formToken, viewer } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const [sessions, places] = await Promise.all([
    repo.openSessions(platform.db, city.id, opportunity.id),
    repo.placesBySession(platform.db, city.id, opportunity.id),
  ])
  const held = new Map(places.map((p) => [p.sessionId, p.held]))
  const title = translated(opportunity.title, lang, [city.defaultLanguage])
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  const action = `/${lang}/${city.slug}/opportunities/${opportunity.id}/book`
  const booked = c.req.query('booked')
  const notice = NOTICES.find((n) => n === booked)
  const seatText = (capacity: number | null, taken: number) =>
    capacity === null
      ? t('registrations.book.open')
      : taken >= capacity
        ? t('registrations.book.full')
        : t('registrations.book.seatsLeft', { count: capacity - taken })
  return page(
    c,
    { title: t('registrations.book.title', { title: title.text }), status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      {notice && (
        <div class="notice" role="status">
          <p>{t(`registrations.book.done.${notice}`)}</p>
          <p>
            {viewer ? (
              <a href={`/${lang}/${city.slug}/bookings`}>{t('registrations.book.done.account')}</a>
            ) : (
              t('registrations.book.done.guest')
            )}
          </p>
        </div>
      )}
      {c.req.query('recorded') && (
        <p class="notice" role="status">
          {t('registrations.unmet.thanks')}
        </p>
      )}
      <h1>
        {t('registrations.book.heading')} <span lang={title.lang}>{title.text}</span>
      </h1>
      <p>
        <a href={`/${lang}/${city.slug}/opportunities/${opportunity.id}`}>
          {t('registrations.book.details')}
        </a>
      </p>
      {sessions.length === 0 ? (
        <p>{t('registrations.book.noSessions')}</p>
      ) : (
        <Form action={action} csrf={csrfToken} novalidate>
          <div class={errors.some((e) => e.field === 'session') ? 'field field-error' : 'field'}>
            <fieldset>
              <legend>{t('registrations.book.which')}</legend>
              {errors.some((e) => e.field === 'session') && (
                <p class="error-message">{errors.find((e) => e.field === 'session')?.message}</p>
              )}
              {sessions.length > 1 && (
                <div class="checkbox">
                  <input
                    type="radio"
                    id="session"
                    name="session"
                    value="all"
                    checked={values.session === 'all'}
                  />
                  <label for="session">{t('registrations.book.all', { count: sessions.length })}</label>
                </div>
              )}
              {sessions.map((s, i) => (
                <div class="checkbox">
                  <input
                    type="radio"
                    id={i === 0 && sessions.length === 1 ? 'session' : `session-${s.id}`}
                    name="session"
                    value={String(s.id)}
                    checked={values.session === String(s.id) || sessions.length === 1}
                  />
                  <label for={i === 0 && sessions.length === 1 ? 'session' : `session-${s.id}`}>
                    {when.format(new Date(s.startsAt))} · {seatText(s.capacity, held.get(s.id) ?? 0)}
                  </label>
                </div>
              ))}
            </fieldset>
          </div>
          {viewer ? (
            <p>{t('registrations.book.asAccount', { name: viewer.displayName, email: viewer.email })}</p>
          ) : (
            <>
              <p>
                {t('registrations.book.guestIntro')}{' '}
                <a href={`/${lang}/account/sign-in?next=${encodeURIComponent(action)}`}>
                  {t('registrations.book.signIn')}
                </a>
              </p>
              <Field
                name="name"
                label={t('registrations.fields.name')}
                value={values.name}
                errors={errors}
                autocomplete="name"
                dir="auto"
              />
              <Field
                name="email"
                type="email"
                label={t('registrations.fields.email')}
                hint={t('registrations.fields.emailHint')}
                value={values.email}
                errors={errors}
                autocomplete="email"
                dir="ltr"
              />
            </>
          )}
          <button type="submit" class="button">
            {t('registrations.book.submit')}
          </button>
        </Form>
      )}
      <h2 id="cant-go">{t('registrations.unmet.title')}</h2>
      <p>{t('registrations.unmet.intro')}</p>
      <Form action={`${action}/unmet`} csrf={csrfToken}>
        <ul>
          {UNMET_REASONS.map((reason) => (
            <li>
              <button type="submit" class="button secondary" name="reason" value={reason}>
                {t(`registrations.unmet.${reason}`)}
              </button>
            </li>
          ))}
        </ul>
      </Form>
    </>,
  )
}

function errorFor(c: C, error: string, fields?: { field: string }[]): FormError[] {
  const { t } = c.var
  if (error === 'invalid') {
    const names = new Set((fields ?? []).map((f) => f.field))
    return ['session', 'name', 'email']
      .filter((n) => names.has(n))
      .map((n) => ({ field: n, message: t(`registrations.errors.${n}`) }))
  }
  return [{ field: 'session', message: t(`registrations.errors.${error}`) }]
}

async function bookable(c: C, platform: Platform) {
  const opportunity = await findOpportunity(platform.db, currentCity(c).id, Number(c.req.param('id')))
  return opportunity?.status === 'published' ? opportunity : undefined
}

/** The booking page of an opportunity: book a session or the series, join a waitlist, or say why not. */
export function bookingPages(app: App, platform: Platform): void {
  const path = `/${LANG_PARAM}/:city{[a-z0-9-]+}/opportunities/:id{[0-9]+}/book`
  app.use(path, requireCity(platform))
  app.use(`${path}/*`, requireCity(platform))

  app.get(path, async (c) => {
    const opportunity = await bookable(c, platform)
    if (!opportunity) return c.var.renderError(404)
    return BookingPage(c, platform, opportunity, {}, [])
  })

  app.post(path, async (c) => {
    const opportunity = await bookable(c, platform)
    if (!opportunity) return c.var.renderError(404)
    const body = await formBody(c)
    const values = { session: field(body, 'session'), name: field(body, 'name'), email: field(body, 'email') }
    const parsed = bookingForm.safeParse(values)
    if (!parsed.success)
      return BookingPage(c, platform, opportunity, values, errorFor(c, 'invalid', [{ field: 'session' }]))
    const viewer = c.var.viewer
    // Guest bookings send mail to any address typed in: limit them per address and per recipient.
    if (!viewer) {
      const ip = await hitRateLimit(platform.db, `guest-booking:ip:${clientIp(c, platform)}`, 20, 3600)
      const to = await hitRateLimit(
        platform.db,
        `guest-booking:email:${values.email.trim().toLowerCase()}`,
        10,
        3600,
      )
      if (!ip.allowed || !to.allowed) return c.var.renderError(429)
    }
    const booker: Booker = viewer
      ? { kind: 'account', userId: viewer.id, name: viewer.displayName, email: viewer.email }
      : { kind: 'guest', name: values.name, email: values.email }
    const result = await bookPlaces(platform, {
      cityId: opportunity.cityId,
      opportunityId: opportunity.id,
      session: parsed.data.session,
      booker,
      language: c.var.lang,
      joinWaitlist: true,
    })
    if (!result.ok) {
      if (result.error === 'not-found') return c.var.renderError(404)
      return BookingPage(c, platform, opportunity, values, errorFor(c, result.error, result.fields))
    }
    const statuses = new Set(result.value.places.map((p) => p.status))
    const notice = statuses.size > 1 ? 'mixed' : statuses.has('waitlisted') ? 'waitlisted' : 'confirmed'
    return c.redirect(`${c.req.path}?booked=${notice}`, 303)
  })

  app.post(`${path}/unmet`, async (c) => {
    const body = await formBody(c)
    const result = await recordUnmetDemand(platform, currentCity(c).id, Number(c.req.param('id')), {
      reason: field(body, 'reason'),
    })
    if (!result.ok) return c.var.renderError(result.error === 'not-found' ? 404 : 400)
    return c.redirect(`${c.req.path.replace(/\/unmet$/, '')}?recorded=1#cant-go`, 303)
  })
}
