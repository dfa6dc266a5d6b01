import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANG_PARAM, translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { page } from '../../platform/ui/layout.tsx'
import { cityScope, currentCity, findVenue } from '../cities/index.ts'
import { actorForViewer } from './actor.ts'
import { calendarHeaders, calendarOf } from './calendar.ts'
import { findDetail } from './detail-query.ts'
import { FactsList, ImageAndDescription } from './facts.tsx'
import { jsonLdScript, opportunityJsonLd } from './json-ld.ts'
import { opportunityPageCache, pageTags } from './page-cache.ts'
import * as repo from './repository.ts'

type C = Context<AppEnv>

// Formatters are costly to build and the same for every page in a language and time zone.
const whenFormats = new Map<string, Intl.DateTimeFormat>()
function whenFormat(lang: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${lang} ${timeZone}`
  let format = whenFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeStyle: 'short', timeZone })
    whenFormats.set(key, format)
  }
  return format
}
const languageNames = new Map<string, Intl.DisplayNames>()
function languageName(lang: string, code: string): string {
  let names = languageNames.get(lang)
  if (!names) {
    names = new Intl.DisplayNames([lang], { type: 'language' })
    languageNames.set(lang, names)
  }
  return names.of(code) ?? code
}

/**
 * The key of a page in the cache for readers who are not signed in: the whole address (origin,
 * language, city, id), only without a query string, so odd queries cannot crowd out real pages.
 */
function anonymousKey(c: C): string | undefined {
  // c.get, not c.var: this runs on every cached view, and c.var copies every variable.
  if (c.get('viewer') || c.req.url.includes('?')) return undefined
  return c.req.url
}

/**
 * The values of this request that a cached page carries, in the order the cache numbers them: the
 * CSP nonce and the CSRF token. A page stored without a token (none of it asked for one: the
 * anonymous page has no form today) is served without making one, so no cookie is set for it.
 */
function perRequest(c: C): [nonce: string, csrf: () => string] {
  return [c.get('secureHeadersNonce') ?? '', c.get('formToken')]
}

/** The same values as rendered into a page to be stored: '' for a token the page did not make. */
function renderedPerRequest(c: C): [nonce: string, csrf: string] {
  return [c.get('secureHeadersNonce') ?? '', c.get('formTokenMade') ?? '']
}

/** The cache ticket of a request whose page may be stored (see PageCache.begin). */
const tickets = new WeakMap<Request, number>()

/** The first time after now that the page changes by itself: a session starts or ends. */
function changesBySelf(sessions: { startsAt: Date; endsAt: Date }[], now: number): number {
  let first = Number.POSITIVE_INFINITY
  for (const s of sessions) {
    for (const at of [s.startsAt.getTime(), s.endsAt.getTime()]) if (at > now && at < first) first = at
  }
  return first
}

/** Loads an opportunity the reader may see: published ones for everyone, others for its editors. */
async function visible(c: C, platform: Platform, id: number) {
  const tenant = c.var.tenant!
  const row = await repo.findOpportunity(platform.db, tenant.id, id)
  if (!row) return undefined
  if (row.status === 'published' || row.status === 'cancelled') return row
  const viewer = c.var.viewer
  if (!viewer) return undefined
  const actor = await actorForViewer(platform, viewer, tenant)
  return actor.coordinator || actor.organizations.some((o) => o.id === row.organizationId) ? row : undefined
}

async function detailPage(c: C, platform: Platform) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const id = Number(c.req.param('id'))
  const row = await findDetail(platform.db, city.id, id)
  if (!row) return c.var.renderError(404)
  const actor = c.var.viewer ? await actorForViewer(platform, c.var.viewer, c.var.tenant!) : undefined
  const manages = Boolean(
    actor && (actor.coordinator || actor.organizations.some((o) => o.id === row.organizationId)),
  )
  // Published and cancelled ones are for everyone, others only for their editors.
  if (row.status !== 'published' && row.status !== 'cancelled' && !manages) return c.var.renderError(404)
  const sessions = row.sessions
  const fallbacks = [city.defaultLanguage]
  const title = translated(row.title, lang, fallbacks)
  const description = translated(row.description, lang, fallbacks)
  const outcomes = translated(row.outcomes, lang, fallbacks)
  const alt = translated(row.imageAlt, lang, fallbacks)
  const orgName = translated(row.organizationName ?? undefined, lang, fallbacks)
  const url = `${platform.config.publicUrl}/${lang}/${city.slug}/opportunities/${id}`
  const now = Date.now()
  const upcoming = sessions.filter((s) => s.endsAt.getTime() >= now)
  const next = upcoming.find((s) => !s.cancelled)
  const when = whenFormat(lang, city.timeZone)
  const seats = (left: number | null) =>
    left === null
      ? ''
      : left > 0
        ? ` · ${t('opportunities.detail.seatsLeft', { count: left })}`
        : ` · ${t('opportunities.detail.full')}`
  const jsonLd = opportunityJsonLd({
    row,
    sessions,
    url,
    lang,
    fallbackLanguages: fallbacks,
    organizer: { name: orgName.text, url: `${platform.config.publicUrl}/${lang}/${city.slug}` },
    timeZone: city.timeZone,
    venue: row.venueId === null ? undefined : await findVenue(platform.db, city.id, row.venueId),
  })
  const response = await page(
    c,
    { title: title.text },
    <>
      <script type="application/ld+json">{raw(jsonLdScript(jsonLd))}</script>
      {row.isDemo && <p class="notice">{t('opportunities.detail.demo')}</p>}
      {row.status !== 'published' && (
        <p class="notice" role="status">
          {t('opportunities.detail.status', { status: t(`opportunities.status.${row.status}`) })}
        </p>
      )}
      <p>{t(`opportunities.block.${row.buildingBlock}`)}</p>
      <h1 lang={title.lang}>{title.text}</h1>
      {title.lang !== lang && (
        <p class="hint">
          {t('opportunities.detail.otherLanguage', { language: languageName(lang, title.lang) })}
        </p>
      )}
      <ImageAndDescription imageUrl={row.imageUrl} alt={alt} description={description} />
      <FactsList
        c={c}
        timeZone={city.timeZone}
        facts={{
          selfPaced: row.schedule.kind === 'self-paced',
          nextStart: next ? new Date(next.startsAt) : undefined,
          format: row.format,
          address: row.address,
          joinUrl: row.joinUrl,
          free: row.free,
          price: row.price === null ? null : Number(row.price),
          currency: row.currency,
          concessions: row.concessions,
          financialHelp: row.financialHelp,
          ageMin: row.ageMin,
          ageMax: row.ageMax,
          languages: row.languages,
          accessibility: row.accessibility,
          accessibilityNote: row.accessibilityNote,
          capacity: row.capacity,
          organizationName: orgName,
          contactEmail: row.contactEmail,
          contactPhone: row.contactPhone,
        }}
      />
      {outcomes.text && (
        <>
          <h2>{t('opportunities.detail.outcomes')}</h2>
          <p lang={outcomes.lang}>{outcomes.text}</p>
        </>
      )}
      {row.format !== 'in-person' && row.joinUrl && (
        <p>
          <a href={row.joinUrl} rel="noopener noreferrer">
            {t('opportunities.detail.joinOnline')}
          </a>
        </p>
      )}
      {upcoming.length > 0 && (
        <>
          <h2>{t('opportunities.detail.sessions')}</h2>
          <ul>
            {upcoming.slice(0, 50).map((s) => (
              <li>
                {s.cancelled ? (
                  <del>
                    {when.format(s.startsAt)} ({t('opportunities.detail.cancelled')})
                  </del>
                ) : (
                  `${when.format(s.startsAt)}${seats(s.seatsLeft)}`
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {row.status === 'published' && upcoming.some((s) => !s.cancelled) && (
        <p>
          <a class="button" href={`/${lang}/${city.slug}/opportunities/${id}/book`}>
            {t('opportunities.detail.book')}
          </a>
        </p>
      )}
      {manages && (
        <p>
          <a href={`/${lang}/${city.slug}/provide/opportunities/${id}`}>{t('opportunities.detail.manage')}</a>{' '}
          ·{' '}
          <a href={`/${lang}/${city.slug}/opportunities/${id}/registrations`}>
            {t('opportunities.detail.registrations')}
          </a>
        </p>
      )}
      <p>
        <a href={`/${lang}/${city.slug}/opportunities/${id}/calendar.ics`}>
          {t('opportunities.detail.addToCalendar')}
        </a>
      </p>
      <p>
        <a href={`mailto:?subject=${encodeURIComponent(title.text)}&body=${encodeURIComponent(url)}`}>
          {t('opportunities.detail.shareByEmail')}
        </a>
      </p>
    </>,
  )
  const ticket = tickets.get(c.req.raw)
  const key = anonymousKey(c)
  if (ticket !== undefined && key && response.status === 200) {
    opportunityPageCache(platform.db).store(ticket, key, await response.clone().text(), {
      tags: [pageTags.opportunity(id), pageTags.organization(row.organizationId), pageTags.city(city.id)],
      expiresAt: changesBySelf(sessions, now),
      perRequest: renderedPerRequest(c),
    })
  }
  return response
}

export function opportunityPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/:city{[a-z0-9-]+}/opportunities`
  const detail = `${base}/:id{[0-9]+}`
  // Before the city is even looked up: a reader who is not signed in gets the cached page, once
  // every change committed before the request arrived has been checked for (page-cache.ts).
  app.get(detail, async (c, next) => {
    const key = anonymousKey(c)
    if (!key) return next()
    const cache = opportunityPageCache(platform.db)
    const html = await cache.get(key, perRequest(c))
    if (html !== undefined) return c.body(html, 200, { 'content-type': 'text/html; charset=UTF-8' })
    tickets.set(c.req.raw, cache.begin())
    await next()
  })
  app.use(base, cityScope(platform))
  app.use(`${base}/*`, cityScope(platform))
  app.get(detail, (c) => detailPage(c, platform))
  app.get(`${base}/:id{[0-9]+}/calendar.ics`, async (c) => {
    const city = currentCity(c)
    const id = Number(c.req.param('id'))
    const row = await visible(c, platform, id)
    if (!row) return c.var.renderError(404)
    const body = await calendarOf(platform.db, city, [row], {
      name: translated(row.title, c.var.lang, [city.defaultLanguage]).text,
      lang: c.var.lang,
      publicUrl: platform.config.publicUrl,
    })
    return c.body(body, 200, calendarHeaders(`opportunity-${id}.ics`))
  })
}
