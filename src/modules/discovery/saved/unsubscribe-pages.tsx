/** A digest's unsubscribe link: a page with a button, and the one-click POST (RFC 8058) that deletes the search. */
import { LANGUAGES } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { Form } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { currentCity } from '../../cities/index.ts'
import { base, type C, k } from './page-parts.ts'
import { searchForToken, unsubscribe } from './saved-searches.ts'
import { TOKEN_PATTERN } from './token.ts'

/** One-click unsubscribe (RFC 8058) is posted by mail clients without cookies: exempt from CSRF. */
export const UNSUBSCRIBE_PATH = new RegExp(
  `^/(?:${LANGUAGES.join('|')})/[a-z0-9-]+/saved-searches/unsubscribe/${TOKEN_PATTERN}$`,
)

/** The unsubscribe link's page: a button, so a mail scanner opening links deletes nothing. */
export async function unsubscribePage(c: C, platform: Platform) {
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
      <Form action={`${base(c)}/saved-searches/unsubscribe/${token}`} csrf={c.var.formToken()}>
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

/**
 * The page's button, and a mail client's one-click POST (body `List-Unsubscribe=One-Click`, no
 * cookies, no CSRF token: this path is exempt, the HMAC in the token is the proof).
 */
export async function unsubscribePost(c: C, platform: Platform) {
  const done = await unsubscribe(
    platform.db,
    platform.config.sessionSecret,
    currentCity(c).id,
    c.req.param('token') ?? '',
  )
  return done ? unsubscribedPage(c) : c.var.renderError(404)
}
