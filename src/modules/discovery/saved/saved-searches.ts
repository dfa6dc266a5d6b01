/**
 * Saving searches and managing them: a signed-in person keeps a search's canonical filters with a
 * name and how often to be emailed new matches; one link in each email deletes it without signing in.
 */
import type { Db } from '../../../platform/db/index.ts'
import { isLang, type Lang, translator } from '../../../platform/i18n/index.ts'
import { type FilterProblem, type Filters, filtersQuery, parseFilters } from '../filters.ts'
import { DIGEST_FREQUENCIES, type DigestFrequency } from '../schema.ts'
import { cleanName, madeName, NAME_MAX, type Wording } from './describe.ts'
import * as repo from './repository.ts'
import { newSearchKey, readUnsubscribeToken } from './token.ts'

/** How many searches one person may save in a city. */
export const MAX_SAVED_PER_PERSON = 50
/** The longest query string a saved search may carry (a full set of filters is far shorter). */
const QUERY_MAX = 2000

/** A field a person must change, with the message key that says how (and its values). */
export interface SaveProblem {
  field: 'query' | 'name' | 'frequency' | 'language'
  key: string
  values?: Record<string, string | number>
}

export interface City {
  id: number
  defaultLanguage: string
}

export function isFrequency(value: string): value is DigestFrequency {
  return (DIGEST_FREQUENCIES as readonly string[]).includes(value)
}

/** Reads a saved (or to be saved) query string: the filters, or what is wrong with it. */
export function readQuery(
  query: string,
): { ok: true; filters: Filters; canonical: string } | { ok: false; problems: FilterProblem[] } {
  if (query.length > QUERY_MAX) return { ok: false, problems: [{ param: 'query', detail: 'too long' }] }
  const parsed = parseFilters(new URLSearchParams(query.replace(/^\?/, '')))
  if (!parsed.ok) return parsed
  const filters = { ...parsed.filters, page: 1 }
  return { ok: true, filters, canonical: filtersQuery(filters, { page: false }) }
}

/** What saying a city's search in a language needs: its messages and the names of its districts. */
export async function wordingFor(db: Db, city: City, lang: Lang, filters: Filters): Promise<Wording> {
  return {
    t: translator(lang),
    lang,
    districts: await repo.districtNames(db, city.id, filters.districts),
    fallback: city.defaultLanguage,
  }
}

export type SaveResult =
  | { ok: true; id: number; created: boolean; name: string; frequency: DigestFrequency }
  | { ok: false; problems: SaveProblem[] }

/**
 * Saves a search for a person, its emails in `language`. The query is read again (whatever the form
 * sent) and kept in its canonical form, so the same search saved twice is one saved search: saving it
 * again changes its frequency, language and (when one is given) its name. At most
 * MAX_SAVED_PER_PERSON per person and city.
 */
export async function saveSearch(
  db: Db,
  city: City,
  input: { userId: number; language: Lang; query: string; name: string; frequency: string },
): Promise<SaveResult> {
  const problems: SaveProblem[] = []
  const read = readQuery(input.query)
  if (!read.ok)
    problems.push(
      read.problems[0]?.param === 'query'
        ? { field: 'query', key: 'queryLong' }
        : {
            field: 'query',
            key: 'query',
            values: { params: [...new Set(read.problems.map((p) => p.param))].join(', ') },
          },
    )
  const given = cleanName(input.name)
  if ([...given].length > NAME_MAX)
    problems.push({ field: 'name', key: 'nameLong', values: { max: NAME_MAX } })
  if (!isFrequency(input.frequency)) problems.push({ field: 'frequency', key: 'frequency' })
  if (!read.ok || problems.length > 0) return { ok: false, problems }
  const frequency = input.frequency as DigestFrequency
  const existing = await repo.findByQuery(db, city.id, input.userId, read.canonical)
  if (!existing && (await repo.countForUser(db, city.id, input.userId)) >= MAX_SAVED_PER_PERSON)
    return { ok: false, problems: [{ field: 'query', key: 'limit', values: { max: MAX_SAVED_PER_PERSON } }] }
  const name = given || madeName(read.filters, await wordingFor(db, city, input.language, read.filters))
  const saved = await repo.upsert(
    db,
    {
      cityId: city.id,
      userId: input.userId,
      name,
      query: read.canonical,
      language: input.language,
      frequency,
      key: newSearchKey(),
    },
    { keepName: given === '' && existing !== undefined },
  )
  return { ok: true, ...saved, name: given === '' && existing ? existing.name : name, frequency }
}

/** Changes how often and in which language one of a person's saved searches is emailed. */
export async function changeSavedSearch(
  db: Db,
  cityId: number,
  userId: number,
  id: number,
  input: { frequency: string; language: string },
): Promise<
  { ok: true } | { ok: false; error: 'not-found' } | { ok: false; error: 'invalid'; problems: SaveProblem[] }
> {
  const problems: SaveProblem[] = []
  if (!isFrequency(input.frequency)) problems.push({ field: 'frequency', key: 'frequency' })
  if (!isLang(input.language)) problems.push({ field: 'language', key: 'language' })
  if (problems.length > 0) return { ok: false, error: 'invalid', problems }
  const changed = await repo.updateOwn(db, cityId, userId, id, {
    frequency: input.frequency as DigestFrequency,
    language: input.language,
  })
  return changed ? { ok: true } : { ok: false, error: 'not-found' }
}

/** Deletes one of a person's saved searches (another person's is not found). */
export function deleteSavedSearch(db: Db, cityId: number, userId: number, id: number): Promise<boolean> {
  return repo.deleteOwn(db, cityId, userId, id)
}

/**
 * What a city's unsubscribe link stands for: `unknown` when the link is not one we made (or is
 * another city's), `gone` when its saved search was deleted already, else the saved search.
 */
export async function searchForToken(
  db: Db,
  secret: string,
  cityId: number,
  token: string,
): Promise<{ status: 'unknown' } | { status: 'gone' } | { status: 'found'; search: repo.SavedSearchRow }> {
  const key = readUnsubscribeToken(secret, token)
  if (!key) return { status: 'unknown' }
  const search = await repo.findByKey(db, key)
  if (!search) return { status: 'gone' }
  return search.cityId === cityId ? { status: 'found', search } : { status: 'unknown' }
}

/**
 * Deletes the saved search of an unsubscribe link (the page's button, or a mail client's one-click
 * POST): false when the link is not one of this city's. Deleting it again is not an error.
 */
export async function unsubscribe(db: Db, secret: string, cityId: number, token: string): Promise<boolean> {
  const found = await searchForToken(db, secret, cityId, token)
  if (found.status === 'unknown') return false
  if (found.status === 'found') await repo.deleteByKey(db, found.search.key)
  return true
}
