import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { AppEnv } from '../http/env.ts'
import { direction, LANGUAGE_NAMES, LANGUAGES, type Lang } from '../i18n/index.ts'

export interface NavLink {
  href: string
  label: string
}

export interface PageOptions {
  title: string
  /** Extra links in the header navigation. */
  nav?: NavLink[]
  /** Set false on pages that have no equivalent in other languages. */
  alternates?: boolean
  status?: number
  /** Extra elements for <head> (e.g. a refresh while a job runs). */
  head?: Child
}

/** The same path in another language: /en/chicago → /ar/chicago. */
export function pathInLanguage(path: string, lang: Lang): string {
  const parts = path.split('/')
  if (parts[1] && (LANGUAGES as readonly string[]).includes(parts[1])) parts[1] = lang
  else parts.splice(1, 0, lang)
  return parts.join('/') || '/'
}

/** Renders a full HTML page in the shared, accessible layout. */
export function page(c: Context<AppEnv>, options: PageOptions, body: Child): Response | Promise<Response> {
  const { lang, t, brand, viewer, formToken, tenant } = c.var
  // On a city's pages, the modules' city navigation comes first, then the page's own links.
  const cityLinks: NavLink[] = tenant
    ? (c.var.cityNav ?? [])
        .filter((entry) => entry.audience !== 'signed-in' || viewer)
        .map((entry) => ({ href: `/${lang}/${tenant.slug}/${entry.path}`, label: t(entry.labelKey) }))
    : []
  const navLinks = [
    ...cityLinks,
    ...(options.nav ?? []).filter((l) => !cityLinks.some((x) => x.href === l.href)),
  ]
  const nonce = c.var.secureHeadersNonce
  const path = c.req.path
  const query = new URL(c.req.url).search
  const base = new URL(c.req.url).origin
  const colors = brand.colors
  const themeCss = `:root{--brand:${colors.primary};--brand-text:${colors.primaryText};--bg:${colors.background};--text:${colors.text}}`
  if (options.status) c.status(options.status as 200)
  return c.html(
    '<!doctype html>' +
    (
      <html lang={lang} dir={direction(lang)}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${options.title} · ${brand.name}`}</title>
          <link rel="stylesheet" href="/static/app.css" />
          <style nonce={nonce}>{themeCss}</style>
          {options.head}
          {options.alternates !== false &&
            LANGUAGES.map((l) => (
              <link rel="alternate" hreflang={l} href={`${base}${pathInLanguage(path, l)}${query}`} />
            ))}
        </head>
        <body>
          <a class="skip-link" href="#main">
            {t('ui.skipToContent')}
          </a>
          <header class="site-header">
            <div class="container header-row">
              <a class="brand" href={brand.homeHref} lang={brand.nameLang}>
                {brand.logoUrl && <img src={brand.logoUrl} alt="" width="32" height="32" />}
                <span>{brand.name}</span>
              </a>
              <nav aria-label={t('ui.mainNavigation')} class="main-nav">
                <ul>
                  {navLinks.map((link) => (
                    <li>
                      <a href={link.href} aria-current={link.href === path ? 'page' : undefined}>
                        {link.label}
                      </a>
                    </li>
                  ))}
                  {viewer ? (
                    <>
                      <li>
                        <a href={`/${lang}/account`}>{t('ui.myAccount')}</a>
                      </li>
                      <li>
                        <form method="post" action={`/${lang}/account/sign-out`} class="inline-form">
                          <input type="hidden" name="_csrf" value={formToken()} />
                          <button type="submit" class="link-button">
                            {t('ui.signOut')}
                          </button>
                        </form>
                      </li>
                    </>
                  ) : (
                    <>
                      <li>
                        <a href={`/${lang}/account/sign-in`}>{t('ui.signIn')}</a>
                      </li>
                      <li>
                        <a href={`/${lang}/account/sign-up`}>{t('ui.signUp')}</a>
                      </li>
                    </>
                  )}
                </ul>
              </nav>
            </div>
          </header>
          <main id="main" class="container" tabindex={-1}>
            {body}
          </main>
          <footer class="site-footer">
            <div class="container">
              <nav aria-label={t('ui.languages')}>
                <ul class="language-list">
                  {LANGUAGES.map((l) => (
                    <li>
                      <a
                        href={`${pathInLanguage(path, l)}${query}`}
                        hreflang={l}
                        lang={l}
                        aria-current={l === lang ? 'true' : undefined}
                      >
                        {LANGUAGE_NAMES[l]}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <p>
                <a href={`/${lang}/about`}>{t('ui.aboutAndCredits')}</a> ·{' '}
                <a href="/api/docs">{t('ui.apiDocs')}</a>
              </p>
            </div>
          </footer>
        </body>
      </html>
    ),
  )
}
