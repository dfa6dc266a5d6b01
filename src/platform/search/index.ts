import { type SQL, sql } from 'drizzle-orm'
import { customType } from 'drizzle-orm/pg-core'

/**
 * Full-text search over text stored per language (jsonb `{ "en": "…", "ar": "…" }`), the same on PGlite
 * (PostgreSQL 18) and PostgreSQL 15: a weighted tsvector with one text search configuration per
 * language, `websearch_to_tsquery` queries, pg_trgm similarity as the typo fallback, and word
 * segmentation (Intl.Segmenter) for scripts written without spaces.
 */

/** The text search configuration each language's text is indexed with. */
export const SEARCH_CONFIGS = {
  en: 'english',
  fr: 'french',
  es: 'spanish',
  ru: 'russian',
  // Arabic and Chinese: no stemming (PGlite and PostgreSQL 15 share no good one); trigrams and
  // substring matching of segmented words do the rest.
  ar: 'simple',
  zh: 'simple',
} as const satisfies Record<string, string>

export type SearchLanguage = keyof typeof SEARCH_CONFIGS
export type Weight = 'A' | 'B' | 'C' | 'D'

/** Every distinct configuration a query is parsed with, so a query matches text in any language. */
const QUERY_CONFIGS = [...new Set(Object.values(SEARCH_CONFIGS))]

/** A `tsvector` column type (e.g. a generated column holding `searchDocument(…)`). */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/**
 * A column (by its SQL name) and the weight its words get in ranking: per-language jsonb, or a
 * `text[]` of words in no particular language (`words`, e.g. tags), indexed in every configuration.
 */
export interface DocumentField {
  column: string
  weight: Weight
  words?: boolean
}

/** Han characters (CJK unified ideographs and extension A), as a regular expression class. */
const HAN_CLASS = '[\u3400-\u4dbf\u4e00-\u9fff]'
const HAN = new RegExp(HAN_CLASS, 'u')

/** True when the text has a Han character (the ones `splitHan` indexes one at a time). */
export function isHan(text: string): boolean {
  return HAN.test(text)
}

/**
 * The weighted tsvector of columns, as an immutable expression of column names, fit for a stored
 * generated column or an expression index. With `splitHan`, Chinese text is indexed a character at a
 * time, so a word inside a run of characters is found by a phrase query (`tsQuery` with `splitHan`)
 * through the index instead of by scanning text. `words` columns need the `lc_words(text[])` function
 * (an immutable `array_to_string`), created by the migration that adds the column.
 */
export function searchDocument(fields: DocumentField[], options: { splitHan?: boolean } = {}): SQL {
  const w = (weight: Weight) => sql.raw(`'${weight}'`)
  const parts = fields.flatMap(({ column, weight, words }) => {
    if (words)
      return QUERY_CONFIGS.map(
        (config) =>
          sql`setweight(to_tsvector(${sql.raw(`'${config}'::regconfig`)}, coalesce(lc_words(${sql.identifier(column)}), '')), ${w(weight)})`,
      )
    return Object.entries(SEARCH_CONFIGS).map(([lang, config]) => {
      const text = sql`coalesce(${sql.identifier(column)}->>${sql.raw(`'${lang}'`)}, '')`
      const indexed =
        options.splitHan && lang === 'zh'
          ? sql`regexp_replace(${text}, ${sql.raw(`'(${HAN_CLASS})'`)}, '\\1 ', 'g')`
          : text
      return sql`setweight(to_tsvector(${sql.raw(`'${config}'::regconfig`)}, ${indexed}), ${w(weight)})`
    })
  })
  return sql.join(parts, sql` || `)
}

/**
 * The lower-cased text of per-language jsonb columns in one string, an immutable expression for a
 * stored generated column with a trigram index (typo fallback and substring matching).
 */
export function searchText(columns: string[]): SQL {
  const parts = columns.flatMap((column) =>
    Object.keys(SEARCH_CONFIGS).map(
      (lang) => sql`coalesce(${sql.identifier(column)}->>${sql.raw(`'${lang}'`)}, '')`,
    ),
  )
  return sql`lower(${sql.join(parts, sql` || ' ' || `)})`
}

/** A parsed query: the text as typed (trimmed, bounded) and its words for scripts without spaces. */
export interface SearchQuery {
  text: string
  /** Words of the query written without spaces (Chinese, Japanese, Thai…), matched as substrings. */
  segments: string[]
}

export const MAX_QUERY_LENGTH = 200

const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}]/u
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })

/** Parses what someone typed into a search box; null when there is nothing to search for. */
export function parseSearch(raw: string | undefined | null): SearchQuery | null {
  const text = (raw ?? '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (text.length === 0) return null
  const bounded = text.slice(0, MAX_QUERY_LENGTH)
  const segments = UNSPACED.test(bounded)
    ? [...segmenter.segment(bounded.toLowerCase())]
        .filter((s) => s.isWordLike && UNSPACED.test(s.segment))
        .map((s) => s.segment)
    : []
  return { text: bounded, segments: [...new Set(segments)] }
}

type Expr = SQL | SQL.Aliased | { getSQL(): SQL }

/** A web-search exclusion: `-word` or `-"a phrase"` at the start or after a space. */
const EXCLUSION = /(^|\s)-("[^"]*"?|[^\s"]+)/gu

/**
 * The query as a tsquery in every configuration the documents use, OR-ed together. Exclusions
 * (`-word`) are taken out and applied to all configurations at once: a document is left out when
 * any configuration finds the word in it (OR-ing whole queries let a word excluded in English
 * through the simple configuration). With `splitHan` (documents built with it), each Chinese word
 * of the query is also a phrase of its characters.
 */
export function tsQuery(query: SearchQuery, options: { splitHan?: boolean } = {}): SQL {
  const excluded: string[] = []
  const kept = query.text.replace(EXCLUSION, (_, space: string, word: string) => {
    excluded.push(word)
    return space
  })
  const inEvery = (text: string) =>
    QUERY_CONFIGS.map((c) => sql`websearch_to_tsquery(${sql.raw(`'${c}'::regconfig`)}, ${text})`)
  const parts =
    excluded.length > 0 && kept.trim() === '' ? [] : inEvery(excluded.length > 0 ? kept : query.text)
  const han = options.splitHan
    ? query.segments.filter((s) => isHan(s) && !excluded.some((w) => w.includes(s)))
    : []
  if (han.length > 0)
    parts.push(
      sql`(${sql.join(
        han.map((s) => sql`phraseto_tsquery('simple', ${[...s].join(' ')})`),
        sql` && `,
      )})`,
    )
  const wanted = parts.length > 0 ? sql`(${sql.join(parts, sql` || `)})` : undefined
  if (excluded.length === 0) return wanted ?? sql`''::tsquery`
  const unwanted = sql`!!(${sql.join(inEvery(excluded.join(' or ')), sql` || `)})`
  return wanted ? sql`(${wanted} && ${unwanted})` : unwanted
}

/** True when every unspaced word of the query appears in the text (false when there are none). */
function segmentsMatch(text: Expr, query: SearchQuery): SQL {
  if (query.segments.length === 0) return sql`false`
  return sql`(${sql.join(
    query.segments.map((s) => sql`strpos(${text}, ${s}) > 0`),
    sql` and `,
  )})`
}

/** One way of matching: the WHERE condition and the ORDER BY rank (higher is better). */
export interface SearchClause {
  where: SQL
  rank: SQL
}

/** The two passes of a search: full text first, trigram similarity when full text finds nothing. */
export interface TextSearch {
  query: SearchQuery
  fts: SearchClause
  fuzzy: SearchClause
}

/** Default word similarity for the typo pass ('lerning' ~ 'learning' is about 0.55). */
export const FUZZY_THRESHOLD = 0.4

/**
 * Builds both passes of a search over a tsvector (`document`) and a lower-cased text (`text`) column
 * or expression: full-text match ranked by `ts_rank_cd`, or trigram word similarity.
 */
export function textSearch(
  document: Expr,
  text: Expr,
  query: SearchQuery,
  options: { threshold?: number } = {},
): TextSearch {
  const q = tsQuery(query)
  const lowered = query.text.toLowerCase()
  const threshold = options.threshold ?? FUZZY_THRESHOLD
  return {
    query,
    fts: {
      where: sql`(${document} @@ ${q} or ${segmentsMatch(text, query)})`,
      rank: sql`(ts_rank_cd(${document}, ${q}) + case when ${segmentsMatch(text, query)} then 0.1 else 0 end)`,
    },
    fuzzy: {
      where: sql`word_similarity(${lowered}, ${text}) >= ${threshold}`,
      rank: sql`word_similarity(${lowered}, ${text})`,
    },
  }
}

/** Which pass produced the results. */
export type SearchMode = 'fts' | 'fuzzy'

/**
 * Runs a search with the full-text pass, and again with the typo pass when it finds nothing.
 * `run` receives the clause to filter and order by and returns the rows and their total.
 */
export async function searchWithFallback<T extends { total: number }>(
  search: TextSearch,
  run: (clause: SearchClause) => Promise<T>,
): Promise<T & { mode: SearchMode }> {
  const exact = await run(search.fts)
  if (exact.total > 0) return { ...exact, mode: 'fts' }
  return { ...(await run(search.fuzzy)), mode: 'fuzzy' }
}
