import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { ResourceLink } from './model.ts'
import { resourcePath } from './paths.ts'
import type { ResourceRow } from './repository.ts'

type C = Context<AppEnv>

/** Only http(s) links are ever rendered as links (no javascript:, data:, …). */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/** The name of a language in the reader's language (e.g. "French" / "français"). */
export function languageName(lang: string, code: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code
  } catch {
    return code
  }
}

/** The languages of a resource as text, or "not known". */
export function languagesText(c: C, languages: string[]): string {
  const { t, lang } = c.var
  if (languages.length === 0) return t('knowledge-hub.language.unknown')
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(
    languages.map((l) => languageName(lang, l)),
  )
}

/** Title and summary in the reader's language, with the city's default and English as fallbacks. */
export function resourceText(c: C, r: Pick<ResourceRow, 'title' | 'summary'>) {
  const fallbacks = [c.var.tenant?.defaultLanguage ?? 'en']
  return {
    title: translated(r.title, c.var.lang, fallbacks),
    summary: translated(r.summary, c.var.lang, fallbacks),
  }
}

/** One resource in a list: title (a link to its page), type, year and summary. */
export function ResourceCard(props: { c: C; resource: ResourceRow; parts?: number }) {
  const { c, resource: r } = props
  const { t, lang } = c.var
  const city = c.var.tenant!
  const { title, summary } = resourceText(c, r)
  return (
    <li class="card">
      <h3>
        <a href={resourcePath(lang, city.slug, r.id)} lang={title.lang} dir="auto">
          {title.text}
        </a>
      </h3>
      <p class="hint">
        {t(`knowledge-hub.type.${r.type}`)}
        {r.year !== null && ` · ${r.year}`}
        {props.parts ? ` · ${t('knowledge-hub.browse.parts', { count: props.parts })}` : ''}
      </p>
      {summary.text && (
        <p lang={summary.lang} dir="auto">
          {summary.text}
        </p>
      )}
    </li>
  )
}

/** The resource's own links, or the pages that describe it, each said plainly. */
export function LinkList(props: { c: C; links: ResourceLink[] }) {
  const { t } = props.c.var
  const own = props.links.filter((l) => l.rel === 'self')
  const described = props.links.filter((l) => l.rel === 'described-at')
  const item = (l: ResourceLink) => {
    const href = safeHref(l.url)
    return (
      <li>
        {href ? (
          <a href={href} rel="noopener noreferrer" dir="ltr">
            {l.url}
          </a>
        ) : (
          <span dir="ltr">{l.url}</span>
        )}
      </li>
    )
  }
  return (
    <>
      {own.length > 0 && (
        <>
          <h2>{t('knowledge-hub.resource.links')}</h2>
          <ul>{own.map(item)}</ul>
        </>
      )}
      {described.length > 0 && (
        <>
          <h2>{t('knowledge-hub.resource.describedAtTitle')}</h2>
          <p>{t('knowledge-hub.resource.describedAt')}</p>
          <ul>{described.map(item)}</ul>
        </>
      )}
    </>
  )
}
