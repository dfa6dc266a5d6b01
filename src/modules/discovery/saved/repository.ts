/** Queries of saved searches (discovery_saved_searches) and of what their digests list. */
import { arrayOf, type Db, firstRow, rows, type SQL, sql } from '../../../platform/db/index.ts'
import type { TranslatedText } from '../../../platform/i18n/index.ts'
import type { DigestFrequency } from '../schema.ts'

export interface SavedSearchRow {
  id: number
  cityId: number
  userId: number
  name: string
  query: string
  language: string
  frequency: DigestFrequency
  key: string
  createdAt: Date
  checkedUntil: Date
  lastSentAt: Date | null
}

const COLUMNS = sql`id::int as id, city_id::int as "cityId", user_id::int as "userId", name, query, language,
  frequency, key, created_at as "createdAt", checked_until as "checkedUntil", last_sent_at as "lastSentAt"`

/** Timestamps arrive as Date or string depending on the driver. */
function normalise<T extends SavedSearchRow>(row: T): T {
  return {
    ...row,
    createdAt: new Date(row.createdAt),
    checkedUntil: new Date(row.checkedUntil),
    lastSentAt: row.lastSentAt === null ? null : new Date(row.lastSentAt),
  }
}

/** A person's saved searches in a city, newest first. */
export async function listForUser(db: Db, cityId: number, userId: number): Promise<SavedSearchRow[]> {
  const found = await rows<SavedSearchRow>(
    db,
    sql`select ${COLUMNS} from discovery_saved_searches
        where city_id = ${cityId} and user_id = ${userId} order by created_at desc, id desc`,
  )
  return found.map(normalise)
}

/** One of a person's saved searches; undefined when it is not theirs (or not in this city). */
export async function findOwn(db: Db, cityId: number, userId: number, id: number) {
  const row = await firstRow<SavedSearchRow>(
    db,
    sql`select ${COLUMNS} from discovery_saved_searches
        where city_id = ${cityId} and user_id = ${userId} and id = ${id}`,
  )
  return row && normalise(row)
}

/** The saved search of a person with this canonical query, if they saved it already. */
export async function findByQuery(db: Db, cityId: number, userId: number, query: string) {
  const row = await firstRow<SavedSearchRow>(
    db,
    sql`select ${COLUMNS} from discovery_saved_searches
        where city_id = ${cityId} and user_id = ${userId} and query = ${query}`,
  )
  return row && normalise(row)
}

export async function countForUser(db: Db, cityId: number, userId: number): Promise<number> {
  const row = await firstRow<{ n: number }>(
    db,
    sql`select count(*)::int as n from discovery_saved_searches where city_id = ${cityId} and user_id = ${userId}`,
  )
  return row?.n ?? 0
}

export interface NewSavedSearch {
  cityId: number
  userId: number
  name: string
  query: string
  language: string
  frequency: DigestFrequency
  key: string
}

/**
 * Saves a search, or (saved already, e.g. in a race of two clicks) updates its frequency and
 * language, and its name when one is given. Returns its id and whether it is new.
 */
export async function upsert(
  db: Db,
  s: NewSavedSearch,
  options: { keepName: boolean },
): Promise<{ id: number; created: boolean }> {
  const row = await firstRow<{ id: number; created: boolean }>(
    db,
    sql`insert into discovery_saved_searches (city_id, user_id, name, query, language, frequency, key)
        values (${s.cityId}, ${s.userId}, ${s.name}, ${s.query}, ${s.language}, ${s.frequency}, ${s.key})
        on conflict (city_id, user_id, query) do update set
          frequency = excluded.frequency, language = excluded.language,
          name = ${options.keepName ? sql`discovery_saved_searches.name` : sql`excluded.name`}
        returning id::int as id, (xmax = 0) as created`,
  )
  return { id: row!.id, created: row!.created === true || String(row!.created) === 'true' }
}

/** Changes how often and in which language a person's saved search is emailed; false when not theirs. */
export async function updateOwn(
  db: Db,
  cityId: number,
  userId: number,
  id: number,
  change: { frequency: DigestFrequency; language: string },
): Promise<boolean> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`update discovery_saved_searches set frequency = ${change.frequency}, language = ${change.language}
        where city_id = ${cityId} and user_id = ${userId} and id = ${id} returning id`,
  )
  return row !== undefined
}

/** Deletes a person's saved search; false when it is not theirs. */
export async function deleteOwn(db: Db, cityId: number, userId: number, id: number): Promise<boolean> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`delete from discovery_saved_searches where city_id = ${cityId} and user_id = ${userId} and id = ${id}
        returning id`,
  )
  return row !== undefined
}

export async function findByKey(db: Db, key: string) {
  const row = await firstRow<SavedSearchRow>(
    db,
    sql`select ${COLUMNS} from discovery_saved_searches where key = ${key}`,
  )
  return row && normalise(row)
}

/** Deletes the saved search of an unsubscribe link's key; its name when there was one. */
export async function deleteByKey(db: Db, key: string): Promise<{ name: string } | undefined> {
  return firstRow<{ name: string }>(
    db,
    sql`delete from discovery_saved_searches where key = ${key} returning name`,
  )
}

export interface DueSearch extends SavedSearchRow {
  email: string
}

/**
 * Saved searches whose digest is due (what they last covered ends before their frequency's time),
 * of people whose address is verified, in id order after `afterId`.
 */
export async function listDue(
  db: Db,
  options: { dueBefore: Record<DigestFrequency, Date>; afterId: number; limit: number },
): Promise<DueSearch[]> {
  const due = Object.entries(options.dueBefore).map(
    ([frequency, before]) => sql`(s.frequency = ${frequency} and s.checked_until <= ${before.toISOString()})`,
  )
  const found = await rows<DueSearch>(
    db,
    sql`select s.id::int as id, s.city_id::int as "cityId", s.user_id::int as "userId", s.name, s.query,
          s.language, s.frequency, s.key, s.created_at as "createdAt", s.checked_until as "checkedUntil",
          s.last_sent_at as "lastSentAt", u.email
        from discovery_saved_searches s join users u on u.id = s.user_id
        where (${sql.join(due, sql` or `)}) and u.email_verified_at is not null and s.id > ${options.afterId}
        order by s.id limit ${options.limit}`,
  )
  return found.map(normalise)
}

/**
 * Claims a due digest: moves what it covers on to `to`, only if the search is still due (several
 * app processes may run the job; the one whose update finds it due sends it). True when claimed.
 */
export async function claim(db: Db, id: number, dueBefore: Date, to: Date): Promise<boolean> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`update discovery_saved_searches set checked_until = ${to.toISOString()}
        where id = ${id} and checked_until <= ${dueBefore.toISOString()} returning id`,
  )
  return row !== undefined
}

/** Gives back a claimed digest that failed, unless another run moved it on since. */
export async function release(db: Db, id: number, claimedTo: Date, back: Date): Promise<void> {
  await db.execute(
    sql`update discovery_saved_searches set checked_until = ${back.toISOString()}
        where id = ${id} and checked_until = ${claimedTo.toISOString()}`,
  )
}

export async function markSent(db: Db, id: number, at: Date): Promise<void> {
  await db.execute(
    sql`update discovery_saved_searches set last_sent_at = ${at.toISOString()} where id = ${id}`,
  )
}

export interface DigestItem {
  id: number
  title: TranslatedText
  nextStart: Date | null
  total: number
}

/**
 * The opportunities a search scope keeps that were first published in (after, until], soonest
 * session first (nearest first when the search sorts by distance), at most `limit`, with the count.
 */
export async function newMatches(
  db: Db,
  scope: { where: SQL; fits: SQL; order: SQL },
  published: { after: Date; until: Date },
  limit: number,
): Promise<DigestItem[]> {
  const found = await rows<DigestItem>(
    db,
    sql`select o.id::int as id, o.title, next.starts_at as "nextStart", count(*) over ()::int as total
        from opportunities o
        left join lateral (
          select s.id, s.starts_at from opportunity_sessions s where ${scope.fits}
          order by s.starts_at limit 1
        ) as next on true
        where ${scope.where}
          and o.published_at > ${published.after.toISOString()}
          and o.published_at <= ${published.until.toISOString()}
        order by ${scope.order}
        limit ${limit}`,
  )
  return found.map((r) => ({ ...r, nextStart: r.nextStart === null ? null : new Date(r.nextStart) }))
}

/** Names of a city's districts by lower-cased code, for saying a search in words. */
export async function districtNames(db: Db, cityId: number, codes: string[]) {
  if (codes.length === 0) return new Map<string, TranslatedText>()
  const found = await rows<{ code: string; name: TranslatedText }>(
    db,
    sql`select lower(code) as code, name from districts
        where city_id = ${cityId} and lower(code) = any(${arrayOf(codes, 'text')})`,
  )
  return new Map(found.map((d) => [d.code, d.name]))
}
