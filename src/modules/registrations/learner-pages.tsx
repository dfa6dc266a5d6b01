import { LANG_PARAM, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { Form } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { requireSignedIn } from '../accounts/index.ts'
import { currentCity, requireCity } from '../cities/index.ts'
import { findOpportunity } from '../opportunities/index.ts'
import { readManageToken } from './manage-token.ts'
import { ACTIVE_STATUSES } from './model.ts'
import { cancelPlace, claimOffer, hashToken } from './registrations.ts'
import * as repo from './repository.ts'
import { type C, field, formBody } from './scope.ts'

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/

/** A list of places with a cancel button on each one still held and not yet begun. */
async function PlacesList(
  c: C,
  platform: Platform,
  places: repo.RegistrationRow[],
  cancel: { action: (id: number) => string; hidden?: Record<string, string> },
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  const titles = new Map<number, { text: string; lang: string }>()
  for (const id of new Set(places.map((p) => p.opportunityId))) {
    const o = await findOpportunity(platform.db, city.id, id)
    titles.set(id, translated(o?.title, lang, [city.defaultLanguage]))
  }
  const now = Date.now()
  return (
    <ul class="cards">
      {places.map((p) => {
        const title = titles.get(p.opportunityId)!
        const open = ACTIVE_STATUSES.includes(p.status) && new Date(p.startsAt).getTime() > now
        return (
          <li class="card">
            <h2>
              <a href={`/${lang}/${city.slug}/opportunities/${p.opportunityId}`} lang={title.lang}>
                {title.text}
              </a>
            </h2>
            <p>{when.format(new Date(p.startsAt))}</p>
            <p>
              <strong>
                {p.sessionCancelled
                  ? t('registrations.sessionCancelled')
                  : t(`registrations.status.${p.status}`)}
              </strong>
            </p>
            {open && !p.sessionCancelled && (
              <Form action={cancel.action(p.id)} csrf={csrfToken}>
                {Object.entries(cancel.hidden ?? {}).map(([name, value]) => (
                  <input type="hidden" name={name} value={value} />
                ))}
                <input type="hidden" name="registration" value={String(p.id)} />
                <button type="submit" class="button secondary">
                  {t('registrations.mine.cancel')}
                </button>
              </Form>
            )}
          </li>
        )
      })}
    </ul>
  )
}

function Cancelled(props: { c: C }) {
  return props.c.req.query('cancelled') ? (
    <p class="notice" role="status">
      {props.c.var.t('registrations.mine.cancelled')}
    </p>
  ) : null
}

/** Learners' own bookings: "My bookings" when signed in, the manage link for guests, and offer claims. */
export function learnerPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/:city{[a-z0-9-]+}/bookings`
  app.use(base, requireCity(platform))
  app.use(`${base}/*`, requireCity(platform))

  app.get(base, requireSignedIn, async (c) => {
    const { t, lang } = c.var
    const city = currentCity(c)
    const places = await repo.listForUser(platform.db, city.id, c.var.viewer!.id)
    return page(
      c,
      { title: t('registrations.mine.title') },
      <>
        <Cancelled c={c} />
        <h1>{t('registrations.mine.title')}</h1>
        {places.length === 0 ? (
          <p>
            {t('registrations.mine.empty')}{' '}
            <a href={`/${lang}/${city.slug}/opportunities`}>{t('registrations.mine.find')}</a>
          </p>
        ) : (
          await PlacesList(c, platform, places, {
            action: (id) => `/${lang}/${city.slug}/bookings/${id}/cancel`,
          })
        )}
      </>,
    )
  })

  app.post(`${base}/:registration{[0-9]+}/cancel`, requireSignedIn, async (c) => {
    const city = currentCity(c)
    const result = await cancelPlace(platform, city.id, Number(c.req.param('registration')), {
      userId: c.var.viewer!.id,
    })
    if (!result.ok && result.error === 'not-found') return c.var.renderError(404)
    return c.redirect(`/${c.var.lang}/${city.slug}/bookings?cancelled=1`, 303)
  })

  app.get(`${base}/manage`, async (c) => {
    const { t, lang } = c.var
    const city = currentCity(c)
    const token = c.req.query('token') ?? ''
    const lookup = readManageToken(platform.config.sessionSecret, token)
    const places = lookup ? await repo.listByManage(platform.db, city.id, lookup) : []
    if (places.length === 0) return c.var.renderError(404)
    return page(
      c,
      { title: t('registrations.manage.title'), alternates: false },
      <>
        <Cancelled c={c} />
        <h1>{t('registrations.manage.title')}</h1>
        <p>{t('registrations.manage.intro', { name: places[0]!.name })}</p>
        {
          await PlacesList(c, platform, places, {
            action: () => `/${lang}/${city.slug}/bookings/manage/cancel`,
            hidden: { token },
          })
        }
      </>,
    )
  })

  app.post(`${base}/manage/cancel`, async (c) => {
    const city = currentCity(c)
    const body = await formBody(c)
    const token = field(body, 'token')
    if (!readManageToken(platform.config.sessionSecret, token)) return c.var.renderError(404)
    const result = await cancelPlace(platform, city.id, Number(field(body, 'registration')), {
      manageToken: token,
    })
    if (!result.ok && result.error === 'not-found') return c.var.renderError(404)
    return c.redirect(`/${c.var.lang}/${city.slug}/bookings/manage?token=${token}&cancelled=1`, 303)
  })

  app.get(`${base}/claim`, async (c) => {
    const { t, lang, formToken } = c.var
    const csrfToken = formToken()
    const city = currentCity(c)
    const token = c.req.query('token') ?? ''
    const offer = TOKEN.test(token)
      ? await repo.findByOfferToken(platform.db, city.id, hashToken(token))
      : undefined
    const live =
      offer?.status === 'offered' &&
      offer.offerExpiresAt &&
      new Date(offer.offerExpiresAt).getTime() > Date.now()
    if (!live) return claimResult(c, 'expired')
    const when = new Intl.DateTimeFormat(lang, {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone: city.timeZone,
    })
    return page(
      c,
      { title: t('registrations.claim.title'), alternates: false },
      <>
        <h1>{t('registrations.claim.title')}</h1>
        <p>
          {t('registrations.claim.intro', {
            when: when.format(new Date(offer.startsAt)),
            until: when.format(new Date(offer.offerExpiresAt!)),
          })}
        </p>
        <Form action={`/${lang}/${city.slug}/bookings/claim`} csrf={csrfToken}>
          <input type="hidden" name="token" value={token} />
          <button type="submit" class="button">
            {t('registrations.claim.submit')}
          </button>
        </Form>
      </>,
    )
  })

  app.post(`${base}/claim`, async (c) => {
    const body = await formBody(c)
    const result = await claimOffer(platform, currentCity(c).id, field(body, 'token'))
    return claimResult(c, result.ok ? 'claimed' : 'expired')
  })
}

function claimResult(c: C, outcome: 'claimed' | 'expired') {
  const { t } = c.var
  return page(
    c,
    {
      title: t(`registrations.claim.${outcome}Title`),
      alternates: false,
      status: outcome === 'claimed' ? 200 : 410,
    },
    <>
      <h1>{t(`registrations.claim.${outcome}Title`)}</h1>
      <p>{t(`registrations.claim.${outcome}Body`)}</p>
    </>,
  )
}
