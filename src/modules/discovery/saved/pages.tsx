/**
 * Saved searches' pages, all plain HTML forms: saving (save-pages.tsx), the person's list with a way
 * to run, re-time and delete each, and the unsubscribe link's pages (unsubscribe-pages.tsx).
 */
import { LANG_PARAM, LANGUAGE_NAMES, LANGUAGES, type Lang } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { ErrorSummary, Form, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireSignedIn } from '../../accounts/index.ts'
import { currentCity, requireCity } from '../../cities/index.ts'
import { DIGEST_FREQUENCIES } from '../schema.ts'
import { describeFilters } from './describe.ts'
import { base, type C, errorsOf, fields, k, searchUrl } from './page-parts.ts'
import type { SavedSearchRow } from './repository.ts'
import * as repo from './repository.ts'
import { saveForm, savePost } from './save-pages.tsx'
import { changeSavedSearch, deleteSavedSearch, readQuery, wordingFor } from './saved-searches.ts'
import { TOKEN_PATTERN } from './token.ts'
import { unsubscribePage, unsubscribePost } from './unsubscribe-pages.tsx'

export const SAVED_ROUTE = `/${LANG_PARAM}/:city{[a-z0-9-]+}/saved-searches`

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
  const { lang, formToken } = c.var
  const csrfToken = formToken()
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

export function savedSearchPages(app: App, platform: Platform): void {
  app.use(SAVED_ROUTE, requireCity(platform))
  app.use(`${SAVED_ROUTE}/*`, requireCity(platform))
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
  app.post(unsubscribePath, (c) => unsubscribePost(c, platform))
}
