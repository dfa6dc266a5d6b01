/**
 * Saved searches' pages, all plain HTML forms: saving from the search page (signing in first when
 * needed), the person's list with a way to run, re-time and delete each, and the unsubscribe link's
 * page with its one-click POST.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM, LANGUAGE_NAMES, LANGUAGES, type Lang } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { Choices, TextInput } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireSignedIn } from '../../accounts/index.ts'
import { cityScope, currentCity } from '../../cities/index.ts'
import { DIGEST_FREQUENCIES } from '../schema.ts'
import { describeFilters } from './describe.ts'
import type { SavedSearchRow } from './repository.ts'
import * as repo from './repository.ts'
import {
  changeSavedSearch,
  deleteSavedSearch,
  readQuery,
  type SaveProblem,
  saveSearch,
  searchForToken,
  unsubscribe,
  wordingFor,
} from './saved-searches.ts'
import { TOKEN_PATTERN } from './token.ts'

type C = Context<AppEnv>

export const SAVED_ROUTE = `/${LANG_PARAM}/:city{[a-z0-9-]+}/saved-searches`

/** One-click unsubscribe (RFC 8058) is posted by mail clients without cookies: exempt from CSRF. */
export const UNSUBSCRIBE_PATH = new RegExp(
  `^/(?:${LANGUAGES.join('|')})/[a-z0-9-]+/saved-searches/unsubscribe/${TOKEN_PATTERN}$`,
)

const k = (c: C, key: string, values?: Record<string, string | number>) =>
  c.var.t(`saved-searches.${key}`, values)

/** cityScope, and 404 where the "city" is a reserved word (/en/account/saved-searches). */
function inCity(platform: Platform): MiddlewareHandler<AppEnv> {
  const scope = cityScope(platform)
  return async (c, next) => {
    let passed = false
    const response = await scope(c, async () => {
      passed = c.var.tenant !== undefined
    })
    if (response) return response
    if (!passed) return c.var.renderError(404)
    await next()
  }
}

/** A posted form's one string field ('' when missing or repeated). */
async function fields(c: C): Promise<(name: string) => string> {
  const body = await c.req.parseBody({ all: true })
  return (name) => {
    const value = body[name]
    return typeof value === 'string' ? value : ''
  }
}

const base = (c: C) => `/${c.var.lang}/${currentCity(c).slug}`
const searchUrl = (c: C, query: string) => `${base(c)}/opportunities${query ? `?${query}` : ''}`

function errorsOf(c: C, problems: SaveProblem[], id?: number): FormError[] {
  return problems.map((p) => ({
    field: id === undefined ? p.field : `${p.field}-${id}`,
    message: k(c, `errors.${p.key}`, p.values),
  }))
}

/** The form that saves a search: after signing in, or again when the first try had a problem. */
async function saveForm(
  c: C,
  platform: Platform,
  values: { query: string; name: string; frequency: string },
  errors: FormError[],
  status?: number,
) {
  const { t, lang, csrfToken } = c.var
  const city = currentCity(c)
  const read = readQuery(values.query)
  const words = read.ok
    ? describeFilters(read.filters, await wordingFor(platform.db, city, lang, read.filters))
    : undefined
  return page(
    c,
    { title: k(c, 'save.title'), status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{k(c, 'save.title')}</h1>
      <p id="query">
        {words ? (
          <>
            {k(c, 'save.search')} <strong dir="auto">{words}</strong>{' '}
            <a href={searchUrl(c, read.ok ? read.canonical : '')}>{k(c, 'save.see')}</a>
          </>
        ) : (
          <a href={searchUrl(c, '')}>{k(c, 'save.backToSearch')}</a>
        )}
      </p>
      {read.ok && (
        <Form action={`${base(c)}/saved-searches`} csrf={csrfToken}>
          <input type="hidden" name="query" value={read.canonical} />
          <TextInput
            id="name"
            label={k(c, 'save.name')}
            hint={k(c, 'save.nameHint')}
            errors={errors}
            value={values.name}
            dir="auto"
          />
          <Choices
            id="frequency"
            type="radio"
            label={k(c, 'save.frequency')}
            errors={errors}
            options={DIGEST_FREQUENCIES.map((f) => ({ value: f, label: k(c, `frequency.${f}`) }))}
            checked={[values.frequency === 'daily' ? 'daily' : 'weekly']}
          />
          <button type="submit" class="button">
            {k(c, 'save.submit')}
          </button>
        </Form>
      )}
    </>,
  )
}

/** Saves the search page's "Save this search" form; without an account, signs in first and comes back. */
async function savePost(c: C, platform: Platform) {
  const field = await fields(c)
  const values = { query: field('query'), name: field('name'), frequency: field('frequency') }
  if (!c.var.viewer) {
    const next = `${base(c)}/saved-searches/new?${new URLSearchParams(values)}`
    return c.redirect(`/${c.var.lang}/account/sign-in?next=${encodeURIComponent(next)}`, 303)
  }
  const result = await saveSearch(platform.db, currentCity(c), {
    userId: c.var.viewer.id,
    language: c.var.lang,
    ...values,
  })
  if (!result.ok) return saveForm(c, platform, values, errorsOf(c, result.problems), 422)
  return c.redirect(`${base(c)}/saved-searches?${result.created ? 'saved' : 'updated'}=${result.id}`, 303)
}

function Notice(props: { c: C; list: SavedSearchRow[] }) {
  const { c, list } = props
  const notices = ['saved', 'updated', 'changed'].flatMap((kind) => {
    const id = Number(c.req.query(kind))
    const search = list.find((s) => s.id === id)
    return search
      ? [
          k(c, `notice.${kind}`, {
            name: search.name,
            frequency: search.frequency,
            language: search.language,
          }),
        ]
      : []
  })
  if (c.req.query('deleted') === '1') notices.push(k(c, 'notice.deleted'))
  return notices.length > 0 ? (
    <p class="notice" role="status">
      {notices.join(' ')}
    </p>
  ) : null
}

/** One saved search: what it finds, its emails, and its forms. */
async function SavedCard(props: { c: C; platform: Platform; search: SavedSearchRow }) {
  const { c, platform, search } = props
  const { lang, csrfToken } = c.var
  const city = currentCity(c)
  const read = readQuery(search.query)
  const words = read.ok
    ? describeFilters(read.filters, await wordingFor(platform.db, city, lang, read.filters))
    : ''
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: city.timeZone })
  const id = search.id
  const languageOf = (l: string) => LANGUAGE_NAMES[l as Lang] ?? l
  return (
    <li class="card">
      <h2 id={`search-${id}`} dir="auto">
        {search.name}
      </h2>
      <dl class="facts">
        <dt>{k(c, 'list.finds')}</dt>
        <dd dir="auto">{words}</dd>
        <dt>{k(c, 'list.emails')}</dt>
        <dd>
          {k(c, `frequency.${search.frequency}`)}
          {', '}
          <span lang={search.language}>{languageOf(search.language)}</span>
        </dd>
        <dt>{k(c, 'list.lastSent')}</dt>
        <dd>{search.lastSentAt ? date.format(search.lastSentAt) : k(c, 'list.notYet')}</dd>
      </dl>
      <p>
        <a href={searchUrl(c, search.query)} aria-describedby={`search-${id}`}>
          {k(c, 'list.run')}
        </a>
      </p>
      <Form action={`${base(c)}/saved-searches/${id}`} csrf={csrfToken}>
        <div class="field">
          <label for={`frequency-${id}`}>{k(c, 'list.frequency')}</label>
          <select id={`frequency-${id}`} name="frequency" aria-describedby={`search-${id}`}>
            {DIGEST_FREQUENCIES.map((f) => (
              <option value={f} selected={f === search.frequency}>
                {k(c, `frequency.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`language-${id}`}>{k(c, 'list.language')}</label>
          <select id={`language-${id}`} name="language" aria-describedby={`search-${id}`}>
            {LANGUAGES.map((l) => (
              <option value={l} lang={l} selected={l === search.language}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button" aria-describedby={`search-${id}`}>
          {k(c, 'list.change')}
        </button>
      </Form>
      <Form action={`${base(c)}/saved-searches/${id}/delete`} csrf={csrfToken}>
        <button type="submit" class="button secondary" aria-describedby={`search-${id}`}>
          {k(c, 'list.delete')}
        </button>
      </Form>
    </li>
  )
}

async function listPage(c: C, platform: Platform, errors: FormError[] = [], status?: number) {
  const { t, viewer } = c.var
  const city = currentCity(c)
  const list = await repo.listForUser(platform.db, city.id, viewer!.id)
  return page(
    c,
    { title: k(c, 'list.title'), status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <Notice c={c} list={list} />
      <h1>{k(c, 'list.title')}</h1>
      <p>{k(c, 'list.intro')}</p>
      {!viewer!.emailVerified && <p class="notice">{k(c, 'list.unverified')}</p>}
      {list.length === 0 ? (
        <p>
          {k(c, 'list.empty')} <a href={searchUrl(c, '')}>{k(c, 'list.find')}</a>
        </p>
      ) : (
        <ul class="cards">{await Promise.all(list.map((search) => SavedCard({ c, platform, search })))}</ul>
      )}
    </>,
  )
}

/** The unsubscribe link's page: a button, so a mail scanner opening links deletes nothing. */
async function unsubscribePage(c: C, platform: Platform) {
  const token = c.req.param('token') ?? ''
  const city = currentCity(c)
  const found = await searchForToken(platform.db, platform.config.sessionSecret, city.id, token)
  if (found.status === 'unknown') return c.var.renderError(404)
  if (found.status === 'gone') return unsubscribedPage(c)
  return page(
    c,
    { title: k(c, 'unsubscribe.title'), alternates: false },
    <>
      <h1>{k(c, 'unsubscribe.title')}</h1>
      <p>
        {k(c, 'unsubscribe.body')} <strong dir="auto">{found.search.name}</strong>
      </p>
      <Form action={`${base(c)}/saved-searches/unsubscribe/${token}`} csrf={c.var.csrfToken}>
        <button type="submit" class="button">
          {k(c, 'unsubscribe.button')}
        </button>
      </Form>
    </>,
  )
}

function unsubscribedPage(c: C) {
  return page(
    c,
    { title: k(c, 'unsubscribed.title'), alternates: false },
    <>
      <h1>{k(c, 'unsubscribed.title')}</h1>
      <p role="status">{k(c, 'unsubscribed.body')}</p>
      <p>
        <a href={`${base(c)}/saved-searches`}>{k(c, 'unsubscribed.manage')}</a>
      </p>
    </>,
  )
}

export function savedSearchPages(app: App, platform: Platform): void {
  app.use(SAVED_ROUTE, inCity(platform))
  app.use(`${SAVED_ROUTE}/*`, inCity(platform))
  const one = `${SAVED_ROUTE}/:id{[0-9]{1,15}}`
  const id = (c: C) => Number(c.req.param('id'))

  app.get(SAVED_ROUTE, requireSignedIn, (c) => listPage(c, platform))
  app.post(SAVED_ROUTE, (c) => savePost(c, platform))
  app.get(`${SAVED_ROUTE}/new`, requireSignedIn, (c) =>
    saveForm(
      c,
      platform,
      {
        query: c.req.query('query') ?? '',
        name: c.req.query('name') ?? '',
        frequency: c.req.query('frequency') ?? 'weekly',
      },
      [],
    ),
  )
  app.post(one, requireSignedIn, async (c) => {
    const field = await fields(c)
    const result = await changeSavedSearch(platform.db, currentCity(c).id, c.var.viewer!.id, id(c), {
      frequency: field('frequency'),
      language: field('language'),
    })
    if (result.ok) return c.redirect(`${base(c)}/saved-searches?changed=${id(c)}`, 303)
    if (result.error === 'not-found') return c.var.renderError(404)
    return listPage(c, platform, errorsOf(c, result.problems, id(c)), 422)
  })
  app.post(`${one}/delete`, requireSignedIn, async (c) => {
    if (!(await deleteSavedSearch(platform.db, currentCity(c).id, c.var.viewer!.id, id(c))))
      return c.var.renderError(404)
    return c.redirect(`${base(c)}/saved-searches?deleted=1`, 303)
  })
  const unsubscribePath = `${SAVED_ROUTE}/unsubscribe/:token{${TOKEN_PATTERN}}`
  app.get(unsubscribePath, (c) => unsubscribePage(c, platform))
  // The page's button, and a mail client's one-click POST (body `List-Unsubscribe=One-Click`, no
  // cookies, no CSRF token: this path is exempt, the HMAC in the token is the proof).
  app.post(unsubscribePath, async (c) => {
    const done = await unsubscribe(
      platform.db,
      platform.config.sessionSecret,
      currentCity(c).id,
      c.req.param('token') ?? '',
    )
    return done ? unsubscribedPage(c) : c.var.renderError(404)
  })
}
