import type { Lang, T } from '../../platform/i18n/index.ts'
import { mailHtml, oneClickUnsubscribe } from '../../platform/mail/html.tsx'
import { resourcePath } from './paths.ts'

export interface IssueEmail {
  subject: string
  text: string
  html: string
  headers: Record<string, string>
}

interface Text {
  text: string
  lang: string
}

/** Everything one newsletter email is made of; the same function renders the curator's preview. */
export interface IssueEmailInput {
  t: T
  lang: Lang
  publicUrl: string
  siteSlug: string
  subject: string
  intro: string
  /** "the Riverton knowledge hub" / "the network's knowledge hub". */
  scope: string
  resources: { id: number; title: Text; summary: Text }[]
  unsubscribeUrl: string
}

const SUMMARY_MAX = 400

function short(text: string): string {
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1).trimEnd()}…` : text
}

/**
 * One issue for one subscriber: plain text and HTML with the same content (escaped by JSX, no
 * scripts, no remote images, no inline styles), and the RFC 8058 one-click unsubscribe headers.
 */
export function renderIssueEmail(input: IssueEmailInput): IssueEmail {
  const { t, lang } = input
  const link = (id: number) => `${input.publicUrl}${resourcePath(lang, input.siteSlug, id)}`
  const paragraphs = input.intro.split(/\n{2,}/).filter((p) => p.trim())
  const footer = t('knowledge-hub.newsletter.mail.why', { scope: input.scope })
  const text = [
    input.subject,
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    ...input.resources.flatMap((r) => [r.title.text, short(r.summary.text), link(r.id), '']),
    '—',
    footer,
    t('knowledge-hub.newsletter.mail.unsubscribeText', { link: input.unsubscribeUrl }),
  ].join('\n')
  const html = mailHtml({
    lang,
    title: input.subject,
    main: (
      <>
        <h1 dir="auto">{input.subject}</h1>
        {paragraphs.map((p) => (
          <p dir="auto">
            {p.split('\n').map((line, i) => (
              <>
                {i > 0 && <br />}
                {line}
              </>
            ))}
          </p>
        ))}
        {input.resources.length > 0 && (
          <>
            <h2>{t('knowledge-hub.newsletter.mail.newResources')}</h2>
            <ul>
              {input.resources.map((r) => (
                <li>
                  <h3>
                    <a href={link(r.id)} lang={r.title.lang} dir="auto">
                      {r.title.text}
                    </a>
                  </h3>
                  <p lang={r.summary.lang} dir="auto">
                    {short(r.summary.text)}
                  </p>
                </li>
              ))}
            </ul>
          </>
        )}
      </>
    ),
    footer: (
      <>
        <p>{footer}</p>
        <p>
          <a href={input.unsubscribeUrl}>{t('knowledge-hub.newsletter.mail.unsubscribe')}</a>
        </p>
      </>
    ),
  })
  return {
    subject: input.subject,
    text,
    html,
    headers: oneClickUnsubscribe(input.unsubscribeUrl),
  }
}
