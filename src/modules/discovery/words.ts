/**
 * What the search box matches, and how a mistyped word is put right. Words are matched through the
 * opportunities' stored tsvector (title, topics, description, stemmed per language; Chinese a
 * character at a time) and the provider's name. A word no opportunity uses is corrected to the
 * closest word that one does ("robtics" → "robotics"), from a vocabulary a job rebuilds from the
 * catalogue, so the typo pass searches the index again instead of comparing text row by row.
 */
import { arrayOf, type Db, rows, type SQL, sql } from '../../platform/db/index.ts'
import { isHan, type SearchQuery, searchDocument, searchText, tsQuery } from '../../platform/search/index.ts'
import { hasLexemes } from './lexemes.ts'

/** The ids of a city's providers whose name has the query's words (a select of `id`). */
export function providersNamed(cityId: number, query: SearchQuery): SQL {
  return sql`select g.id from organizations g where g.city_id = ${cityId}
    and (${searchDocument([{ column: 'name', weight: 'A' }], { splitHan: true })}) @@ ${searchQuery(query)}`
}

/** The tsquery of search words, for documents built as opportunities' and providers' names are: Chinese by character. */
export function searchQuery(query: SearchQuery): SQL {
  return tsQuery(query, { splitHan: true })
}

/**
 * The conditions and rank (higher is better) of a text search over opportunities aliased `o`: its
 * words (`parsed`, the text of their `searchQuery`), or one of the providers named by them
 * (`providers`, through the index's 'o:' lexemes). The two are alternatives (`where`, either meets it), each answered by the search index on its own:
 * OR-ed in one WHERE they span two of the index's columns, which one GIN scan cannot intersect with
 * the rest, and the planner read the whole table instead.
 */
export function textMatch(parsed: string, providers: number[]): { where: SQL[]; rank: SQL } {
  const tsquery = sql`${parsed}::tsquery`
  const words = sql`o.search_document @@ ${tsquery}`
  // Normalisation 1 divides by 1 + log(length): a short title that is all about it ranks first.
  const rank = sql`ts_rank_cd(o.search_document, ${tsquery}, 1)`
  if (providers.length === 0) return { where: [words], rank }
  const byProvider = hasLexemes('o:', providers.map(String))
  return {
    // The index holds only rows with words: the provider's alternative says so, to be answered by it.
    where: [words, sql`o.search_document is not null and ${byProvider}`],
    rank: sql`(${rank} + case when ${byProvider} then 0.1 else 0 end)`,
  }
}

const TOKEN = /[\p{L}\p{N}]+/gu
const MIN_WORD = 3
/** Tokens the vocabulary leaves out: with digits or symbols (addresses, e-mails, links), or Chinese. */
const NOT_A_WORD = '[0-9_.@/:\u3400-\u9fff-]'
const MAX_WORD = 40

/**
 * The query with every word no opportunity of the city uses replaced by the closest one that is
 * used (trigram similarity, the most used first on a tie), or null when no word changes. Search
 * syntax ("quotes", or, -minus) is kept as typed.
 */
export async function correctQuery(db: Db, cityId: number, query: SearchQuery): Promise<string | null> {
  const typed = [...new Set(query.text.toLowerCase().match(TOKEN) ?? [])].filter(
    (w) => w.length >= MIN_WORD && w.length <= MAX_WORD && !isHan(w) && !/^\p{N}+$/u.test(w),
  )
  if (typed.length === 0) return null
  const found = await rows<{ typed: string; best: string | null }>(
    db,
    sql`select t.word as typed,
          case when exists (select 1 from discovery_words w where w.city_id = ${cityId} and w.word = t.word)
               then null
               else (select w.word from discovery_words w
                     where w.city_id = ${cityId} and w.word % t.word
                     order by similarity(w.word, t.word) desc, w.uses desc, w.word limit 1) end as best
        from unnest(${arrayOf(typed, 'text')}) as t(word)`,
  )
  const fixes = new Map(found.filter((f) => f.best !== null).map((f) => [f.typed, f.best as string]))
  if (fixes.size === 0) return null
  return query.text.replace(TOKEN, (word) => fixes.get(word.toLowerCase()) ?? word)
}

/**
 * Rebuilds a city's vocabulary from its published opportunities (titles, descriptions, topics) and
 * providers' names: words with no digits or symbols (addresses, e-mails and links are not words),
 * 3 to 40 long, with how many opportunities or providers use each. Chinese is left out (its words
 * are found by their characters, not corrected).
 */
export async function refreshWords(db: Db, cityId: number): Promise<number> {
  // A 'simple' tsvector holds each distinct word of a document once: counting rows per word
  // counts the documents that use it.
  const words = (text: SQL) => sql`unnest(tsvector_to_array(to_tsvector('simple', ${text})))`
  return db.transaction(async (tx) => {
    await tx.execute(sql`delete from discovery_words where city_id = ${cityId}`)
    const inserted = await rows<{ n: number }>(
      tx,
      sql`with added as (
            insert into discovery_words (city_id, word, uses)
            select ${cityId}, word, count(*) from (
              select ${words(sql`${searchText(['title', 'description'])} || ' ' || coalesce(lc_words(topics), '')`)} as word
              from opportunities where city_id = ${cityId} and status = 'published'
              union all
              select ${words(searchText(['name']))} from organizations where city_id = ${cityId}
            ) as used
            where length(word) between ${MIN_WORD} and ${MAX_WORD} and word !~ ${NOT_A_WORD}
            group by word
            returning 1)
          select count(*)::int as n from added`,
    )
    return inserted[0]?.n ?? 0
  })
}
