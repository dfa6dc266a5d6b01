import type { Child } from 'hono/jsx'
import { direction, type Lang } from '../i18n/index.ts'

/** An email's HTML document: language and direction, its title, the message and its footer. */
export function mailHtml(input: { lang: Lang; title: string; main: Child; footer: Child }): string {
  return `<!doctype html>${(
    (
      <html lang={input.lang} dir={direction(input.lang)}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{input.title}</title>
        </head>
        <body>
          <main>{input.main}</main>
          <footer>{input.footer}</footer>
        </body>
      </html>
    )
  ).toString()}`
}

/** RFC 2369 and RFC 8058 headers: mail clients offer one-click unsubscribe by POST to this URL. */
export function oneClickUnsubscribe(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
}
