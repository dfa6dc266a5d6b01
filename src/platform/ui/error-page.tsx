import type { Context } from 'hono'
import type { AppEnv } from '../http/env.ts'
import { page } from './layout.tsx'

const KNOWN = new Set([400, 403, 404, 429, 500])

/** The shared error page: a plain explanation and a way back, in the reader's language. */
export function errorPage(c: Context<AppEnv>, status: 400 | 403 | 404 | 429 | 500, kind?: string) {
  const { t, lang } = c.var
  const code = KNOWN.has(status) ? status : 500
  const key = kind === 'csrf' ? 'ui.error.csrf' : `ui.error.${code}`
  return page(
    c,
    { title: t(`${key}.title`), status: code, alternates: false },
    <>
      <h1>{t(`${key}.title`)}</h1>
      <p>{t(`${key}.body`)}</p>
      <p>
        <a href={`/${lang}`}>{t('ui.error.home')}</a>
      </p>
    </>,
  )
}
