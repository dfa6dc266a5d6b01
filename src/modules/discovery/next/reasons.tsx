import { type Lang, type T, translated } from '../../../platform/i18n/index.ts'
import type { Fragment } from './signals.ts'

/** A run of a reason's text, with the language of someone's content inside it (a title). */
export interface ReasonPart {
  text: string
  lang?: string
}

const HOLE = '\u0000'

/** One fragment in the reader's language, the quoted title (if any) kept apart with its language. */
function fragmentParts(fragment: Fragment, t: T, lang: Lang, fallbacks: readonly string[]): ReasonPart[] {
  const key = `what-next.reason.${fragment.key}`
  if (!fragment.quote) return [{ text: t(key, fragment.values) }]
  const quoted = translated(fragment.quote.text, lang, fallbacks)
  const [before = '', after = ''] = t(key, { ...fragment.values, [fragment.quote.name]: HOLE }).split(HOLE)
  return [{ text: before }, { text: quoted.text, lang: quoted.lang }, { text: after }]
}

/**
 * A suggestion's reasons as one sentence in the reader's language: the fragments joined the way
 * the language lists things (Intl.ListFormat, narrow: "Free, 12 minutes' walk, Saturdays" in English,
 * "免费、步行12分钟、每周六" in Chinese), its first letter a capital where the script has them.
 */
export function reasonParts(
  fragments: readonly Fragment[],
  t: T,
  lang: Lang,
  fallbacks: readonly string[] = [],
): ReasonPart[] {
  const each = fragments.map((f) => fragmentParts(f, t, lang, fallbacks))
  const list = new Intl.ListFormat(lang, { type: 'conjunction', style: 'narrow' })
  let next = 0
  const parts = list
    .formatToParts(each.map((_, i) => String(i)))
    .flatMap((p) => (p.type === 'element' ? (each[next++] ?? []) : [{ text: p.value }]))
    .filter((p) => p.text !== '')
  const first = parts[0]
  if (first && !first.lang)
    parts[0] = { text: first.text.charAt(0).toLocaleUpperCase(lang) + first.text.slice(1) }
  return parts
}

/** The reasons sentence as plain text (what a screen reader or a test reads). */
export function reasonText(
  fragments: readonly Fragment[],
  t: T,
  lang: Lang,
  fallbacks: readonly string[] = [],
) {
  return reasonParts(fragments, t, lang, fallbacks)
    .map((p) => p.text)
    .join('')
}

/** The reasons sentence, each quoted title marked with its language and isolated for bidi. */
export function Reason(props: {
  fragments: readonly Fragment[]
  t: T
  lang: Lang
  fallbacks: readonly string[]
}) {
  return (
    <>
      {reasonParts(props.fragments, props.t, props.lang, props.fallbacks).map((p) =>
        p.lang ? (
          <span lang={p.lang} dir="auto">
            {p.text}
          </span>
        ) : (
          p.text
        ),
      )}
    </>
  )
}
