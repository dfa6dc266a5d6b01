import type { Lang, T } from '../../../platform/i18n/index.ts'
import { mailHtml, oneClickUnsubscribe } from '../../../platform/mail/html.tsx'
import type { DigestFrequency } from '../schema.ts'

export interface DigestEmail {
  subject: string
  text: string
  html: string
  headers: Record<string, string>
}

/** Everything one digest email is made of. */
export interface DigestInput {
  t: T
  lang: Lang
  cityName: string
  /** The saved search's name. */
  name: string
  frequency: DigestFrequency
  /** The last email's date, or the day the search was saved, in words. */
  since: string
  /** How many new matches there are in all; `items` are the first of them. */
  total: number
  items: { title: { text: string; lang: string }; when: string | null; url: string }[]
  searchUrl: string
  manageUrl: string
  unsubscribeUrl: string
}

/**
 * One digest: plain text and HTML with the same content (escaped by JSX, no scripts, no remote
 * images, no inline styles), and the RFC 8058 one-click unsubscribe headers.
 */
export function renderDigest(input: DigestInput): DigestEmail {
  const { t, lang, total } = input
  const k = (key: string, values?: Record<string, string | number>) => t(`saved-searches.mail.${key}`, values)
  const subject = k('subject', { count: total, name: input.name, city: input.cityName })
  const intro = k('intro', { count: total, name: input.name, city: input.cityName, since: input.since })
  const more = total - input.items.length
  const when = (w: string | null) => (w ? k('next', { when: w }) : k('noSession'))
  const why = k('why', { frequency: input.frequency, city: input.cityName })
  const text = [
    intro,
    '',
    ...input.items.flatMap((item) => [item.title.text, when(item.when), item.url, '']),
    more > 0 ? k('more', { count: more }) : k('seeAll'),
    input.searchUrl,
    '',
    '—',
    why,
    k('manageText', { link: input.manageUrl }),
    k('unsubscribeText', { link: input.unsubscribeUrl }),
  ].join('\n')
  const html = mailHtml({
    lang,
    title: subject,
    main: (
      <>
        <h1 dir="auto">{subject}</h1>
        <p dir="auto">{intro}</p>
        <ul>
          {input.items.map((item) => (
            <li>
              <h2>
                <a href={item.url} lang={item.title.lang} dir="auto">
                  {item.title.text}
                </a>
              </h2>
              <p>{when(item.when)}</p>
            </li>
          ))}
        </ul>
        <p>
          <a href={input.searchUrl}>{more > 0 ? k('more', { count: more }) : k('seeAll')}</a>
        </p>
      </>
    ),
    footer: (
      <>
        <p>{why}</p>
        <p>
          <a href={input.manageUrl}>{k('manage')}</a>
        </p>
        <p>
          <a href={input.unsubscribeUrl}>{k('unsubscribe')}</a>
        </p>
      </>
    ),
  })
  return {
    subject,
    text,
    html,
    headers: oneClickUnsubscribe(input.unsubscribeUrl),
  }
}
