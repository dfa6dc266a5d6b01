import { arrayOf, type Db, firstRow, rows, type SQL, sql } from '../../platform/db/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { ScheduleInput, Status } from './model.ts'

export interface OpportunityRow {
  id: number
  cityId: number
  organizationId: number
  externalId: string | null
  status: Status
  title: TranslatedText
  description: TranslatedText
  outcomes: TranslatedText
  buildingBlock: string
  topics: string[]
  ageMin: number | null
  ageMax: number | null
  groups: string[]
  languages: string[]
  format: string
  venueId: number | null
  address: string | null
  lat: number | null
  lon: number | null
  districtId: number | null
  joinUrl: string | null
  schedule: ScheduleInput
  free: boolean
  price: string | null
  currency: string
  concessions: string
  financialHelp: boolean
  accessibility: string[]
  accessibilityNote: string
  capacity: number | null
  imageUrl: string
  imageAlt: TranslatedText
  contactEmail: string | null
  contactPhone: string | null
  isDemo: boolean
  publishedAt: Date | null
  updatedAt: Date
}

/** The columns a use case writes (everything but ids, status and timestamps). */
export type OpportunityFields = Omit<
  OpportunityRow,
  'id' | 'cityId' | 'organizationId' | 'status' | 'publishedAt' | 'updatedAt' | 'isDemo'
>

export const columns = sql`id::int as id, city_id::int as "cityId", organization_id::int as "organizationId",
  external_id as "externalId", status, title, description, outcomes, building_block as "buildingBlock", topics,
  age_min as "ageMin", age_max as "ageMax", groups, languages, format, venue_id::int as "venueId", address, lat, lon,
  district_id::int as "districtId", join_url as "joinUrl", schedule, free, price, currency, concessions,
  financial_help as "financialHelp", accessibility, accessibility_note as "accessibilityNote", capacity,
  image_url as "imageUrl", image_alt as "imageAlt", contact_email as "contactEmail", contact_phone as "contactPhone",
  is_demo as "isDemo", published_at as "publishedAt", updated_at as "updatedAt"`

/** Every written field: its key, its column and the column's type, in one list for inserts and updates. */
const FIELDS: readonly [keyof OpportunityFields, string, string][] = [
  ['externalId', 'external_id', 'text'],
  ['title', 'title', 'jsonb'],
  ['description', 'description', 'jsonb'],
  ['outcomes', 'outcomes', 'jsonb'],
  ['buildingBlock', 'building_block', 'text'],
  ['topics', 'topics', 'text[]'],
  ['ageMin', 'age_min', 'int'],
  ['ageMax', 'age_max', 'int'],
  ['groups', 'groups', 'text[]'],
  ['languages', 'languages', 'text[]'],
  ['format', 'format', 'text'],
  ['venueId', 'venue_id', 'bigint'],
  ['address', 'address', 'text'],
  ['lat', 'lat', 'float8'],
  ['lon', 'lon', 'float8'],
  ['districtId', 'district_id', 'bigint'],
  ['joinUrl', 'join_url', 'text'],
  ['schedule', 'schedule', 'jsonb'],
  ['free', 'free', 'boolean'],
  ['price', 'price', 'numeric'],
  ['currency', 'currency', 'text'],
  ['concessions', 'concessions', 'text'],
  ['financialHelp', 'financial_help', 'boolean'],
  ['accessibility', 'accessibility', 'text[]'],
  ['accessibilityNote', 'accessibility_note', 'text'],
  ['capacity', 'capacity', 'int'],
  ['imageUrl', 'image_url', 'text'],
  ['imageAlt', 'image_alt', 'jsonb'],
  ['contactEmail', 'contact_email', 'text'],
  ['contactPhone', 'contact_phone', 'text'],
]

// Column names and types are the constants above, never input, so raw SQL is safe here.
const fieldList = sql.raw(FIELDS.map(([, c]) => c).join(', '))
// jsonb_to_recordset reads the records by their keys (the fields' own names, quoted).
const recordFields = FIELDS.map(([k, , t]) => `"${k}" ${t}`).join(', ')
const fromRecords = sql.raw(FIELDS.map(([k]) => `x."${k}"`).join(', '))

/**
 * One JSON record per row for jsonb_to_recordset: the fields as they are, plus `extra`. A spread
 * copies the fields' fixed shape at once; building records key by key cost the import about a tenth
 * of its time (objects with many keys added one by one, then stringified).
 */
function record(f: OpportunityFields, extra: { id: number; status?: Status }) {
  return { ...f, ...extra }
}

/**
 * New ids for `count` rows, taken before inserting so each row's id is known without relying on
 * RETURNING order. Ids are never reused: one taken and not used leaves a gap.
 */
export async function takeOpportunityIds(db: Db, count: number): Promise<number[]> {
  if (count === 0) return []
  const taken = await rows<{ id: number }>(
    db,
    sql`select nextval(pg_get_serial_sequence('opportunities', 'id'))::int as id from generate_series(1, ${count})`,
  )
  return taken.map((r) => r.id)
}

/** How a write treats the search words (search_document): computed with the row, or left to the job. */
export interface SearchWrite {
  /** Leave them null for the indexing job (search-index.ts): the import, which must not pay ~65 µs a row. */
  deferSearchIndex?: boolean
}

/** The search words of a record `x`, as the indexing job computes them for a stored row. */
const searchDocumentOf = sql`lc_search_document(x."title", x."topics", x."description")`

/** The insert of many opportunities of one organization with ids already taken, as one statement. */
export function insertOpportunitiesStatement(
  cityId: number,
  organizationId: number,
  items: { id: number; status: Status; fields: OpportunityFields }[],
  options: { isDemo?: boolean } & SearchWrite = {},
): SQL | undefined {
  if (items.length === 0) return undefined
  const payload = JSON.stringify(
    items.map((item) => record(item.fields, { id: item.id, status: item.status })),
  )
  const document = options.deferSearchIndex ? sql`null::tsvector` : searchDocumentOf
  return sql`insert into opportunities (id, city_id, organization_id, status, is_demo, published_at, search_document, ${fieldList})
        overriding system value
        select x.id, ${cityId}, ${organizationId}, x.status, ${options.isDemo ?? false},
          case when x.status = 'published' then now() end, ${document}, ${fromRecords}
        from jsonb_to_recordset(${payload}::jsonb) as x(id bigint, status text, ${sql.raw(recordFields)})`
}

/**
 * Replaces the content of many opportunities in one statement. Search words are recomputed, or
 * (deferred) emptied for the indexing job when the title, topics or description changed.
 */
export async function updateOpportunitiesFields(
  db: Db,
  cityId: number,
  items: { id: number; fields: OpportunityFields }[],
  options: SearchWrite = {},
) {
  if (items.length === 0) return
  const payload = JSON.stringify(items.map((item) => record(item.fields, { id: item.id })))
  // In SET, o.* are the values before the update.
  const document = options.deferSearchIndex
    ? sql`case when (o.title, o.topics, o.description) is not distinct from (x."title", x."topics", x."description")
          then o.search_document end`
    : searchDocumentOf
  await db.execute(
    sql`update opportunities as o set (${fieldList}) = (${fromRecords}), updated_at = now(),
          search_document = ${document}
        from jsonb_to_recordset(${payload}::jsonb) as x(id bigint, ${sql.raw(recordFields)})
        where o.city_id = ${cityId} and o.id = x.id`,
  )
}

/** Where a pass of the indexing job has got to, in the order of its index (city, then id). */
export interface IndexCursor {
  cityId: number
  id: number
}

/**
 * Computes the search words of up to `limit` rows that have none, after `after` (of one city, or of
 * all), in one statement. Returns how many rows it looked at and indexed, and where it stopped.
 * Rows another transaction holds are skipped: that writer queues the job again once it commits.
 */
export async function indexSearchChunk(
  db: Db,
  cityId: number | undefined,
  limit: number,
  after: IndexCursor = { cityId: 0, id: 0 },
): Promise<{ seen: number; indexed: number; last: IndexCursor | null }> {
  // Walking the partial index in order from a cursor reads each row still to do once; an unordered
  // pick went through the index's dead entries (rows indexed a moment ago) again for every chunk.
  const [done] = await rows<{
    seen: number
    indexed: number
    lastCity: number | null
    lastId: number | null
  }>(
    db,
    sql`with chunk as (
          select city_id, id from opportunities
          where search_document is null and (city_id, id) > (${after.cityId}, ${after.id})
            ${cityId === undefined ? sql`` : sql`and city_id = ${cityId}`}
          order by city_id, id limit ${limit}
          for update skip locked),
        indexed as (
          update opportunities as o set search_document = lc_search_document(o.title, o.topics, o.description),
            search_sessions = lc_search_sessions(o.id)
          where o.id = any(array(select id from chunk))
          returning 1),
        last as (select city_id, id from chunk order by city_id desc, id desc limit 1)
        select (select count(*)::int from chunk) as seen, (select count(*)::int from indexed) as indexed,
          (select city_id::int from last) as "lastCity", (select id::int from last) as "lastId"`,
  )
  const last =
    done?.lastCity != null && done.lastId != null ? { cityId: done.lastCity, id: done.lastId } : null
  return { seen: done?.seen ?? 0, indexed: done?.indexed ?? 0, last }
}

export async function setStatus(db: Db, cityId: number, id: number, status: Status) {
  await db.execute(
    sql`update opportunities set status = ${status}, updated_at = now(),
          published_at = case when ${status} = 'published' then coalesce(published_at, now()) else published_at end
        where city_id = ${cityId} and id = ${id}`,
  )
}

export function findOpportunity(db: Db, cityId: number, id: number) {
  return firstRow<OpportunityRow>(
    db,
    sql`select ${columns} from opportunities where city_id = ${cityId} and id = ${id}`,
  )
}

/** The ids and statuses of a provider's opportunities with these external ids. */
export function findByExternalIds(db: Db, cityId: number, organizationId: number, externalIds: string[]) {
  if (externalIds.length === 0) return Promise.resolve([])
  // One unique-index probe per id (LIMIT 1 keeps each probe apart): while an import grows the table
  // faster than statistics follow, the planner otherwise reads every row of the provider and filters
  // them against the list, ~40x slower at 20,000 rows.
  return rows<{ id: number; externalId: string; status: Status }>(
    db,
    sql`select o.id::int as id, e.x as "externalId", o.status
        from unnest(${arrayOf(externalIds, 'text')}) as e(x)
        cross join lateral (
          select id, status from opportunities
          where organization_id = ${organizationId} and external_id = e.x and city_id = ${cityId}
          limit 1
        ) o`,
  )
}

/** Opportunities of a city by id, in one query. */
export function findOpportunities(db: Db, cityId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([] as OpportunityRow[])
  return rows<OpportunityRow>(
    db,
    sql`select ${columns} from opportunities where city_id = ${cityId} and id = any(${arrayOf(ids, 'int8')})`,
  )
}

export function listForOrganization(db: Db, cityId: number, organizationId: number) {
  return rows<OpportunityRow>(
    db,
    sql`select ${columns} from opportunities where city_id = ${cityId} and organization_id = ${organizationId}
        order by updated_at desc limit 500`,
  )
}

export function listByStatus(db: Db, cityId: number, status: Status, limit = 100, afterId = 0) {
  return rows<OpportunityRow>(
    db,
    sql`select ${columns} from opportunities where city_id = ${cityId} and status = ${status} and id > ${afterId}
        order by id limit ${limit}`,
  )
}

export interface SessionRow {
  id: number
  startsAt: Date
  endsAt: Date
  localStart: string
  cancelled: boolean
}

export function listSessions(db: Db, cityId: number, opportunityId: number, from?: Date) {
  return rows<SessionRow>(
    db,
    sql`select id::int as id, starts_at as "startsAt", ends_at as "endsAt", local_start as "localStart", cancelled
        from opportunity_sessions where city_id = ${cityId} and opportunity_id = ${opportunityId}
        ${from ? sql`and ends_at >= ${from.toISOString()}` : sql``}
        order by starts_at limit 1000`,
  )
}

type Occurrences = { start: Date; end: Date; local: string }[]

/**
 * Each session's JSON after its opportunity id, kept per list of occurrences: rows of an import
 * that share a schedule share its occurrences (see sessionsFor), so each list is written out once.
 */
const tails = new WeakMap<Occurrences, string[]>()

function sessionTails(occurrences: Occurrences): string[] {
  let known = tails.get(occurrences)
  if (!known) {
    known = occurrences.map(
      (o) => `"s":"${o.start.toISOString()}","e":"${o.end.toISOString()}","l":${JSON.stringify(o.local)}}`,
    )
    tails.set(occurrences, known)
  }
  return known
}

/**
 * Makes the stored sessions of many opportunities match their schedules: keeps rows whose local start
 * is unchanged (and their cancellation and capacity), adds new ones, and removes future sessions a
 * schedule no longer has. `fresh` opportunities have no sessions yet, so nothing is removed.
 */
export async function syncSessionsMany(
  db: Db,
  cityId: number,
  items: { opportunityId: number; occurrences: Occurrences; fresh?: boolean }[],
  now: Date,
) {
  const wanted = wantedSessions(items)
  const edited = items.filter((item) => !item.fresh).map((item) => item.opportunityId)
  if (edited.length > 0) {
    await db.execute(
      sql`delete from opportunity_sessions as s
          where s.city_id = ${cityId} and s.opportunity_id = any(${arrayOf(edited, 'int8')})
            and s.starts_at >= ${now.toISOString()}
            and not exists (select 1 from (${wanted}) as x where x.o = s.opportunity_id and x.l = s.local_start)`,
    )
  }
  if (items.some((item) => item.occurrences.length > 0)) await db.execute(insertSessions(cityId, wanted))
}

/**
 * The sessions items should have, as a query of (o, s, e, l): each distinct list of occurrences
 * travels once and items refer to it, since rows sharing a schedule share its occurrences
 * (sessionsFor). A file of a few hundred schedules then sends a few hundred lists, not one
 * object per session.
 */
function wantedSessions(items: { opportunityId: number; occurrences: Occurrences }[]): SQL {
  const lists = new Map<Occurrences, number>()
  const listParts: string[] = []
  const itemParts: string[] = []
  for (const item of items) {
    let k = lists.get(item.occurrences)
    if (k === undefined) {
      k = lists.size
      lists.set(item.occurrences, k)
      for (const tail of sessionTails(item.occurrences)) listParts.push(`{"k":${k},${tail}`)
    }
    itemParts.push(`{"o":${item.opportunityId},"k":${k}}`)
  }
  return sql`select i.o, l.s, l.e, l.l
    from jsonb_to_recordset(${`[${itemParts.join(',')}]`}::jsonb) as i(o bigint, k int)
    join jsonb_to_recordset(${`[${listParts.join(',')}]`}::jsonb) as l(k int, s timestamptz, e timestamptz, l text)
      using (k)`
}

/** Inserts the wanted sessions; `upsert` keeps the rows of sessions that exist (their id and seats). */
function insertSessions(cityId: number, wanted: SQL, upsert = true): SQL {
  return sql`insert into opportunity_sessions (city_id, opportunity_id, starts_at, ends_at, local_start)
        select ${cityId}, x.o, x.s, x.e, x.l from (${wanted}) as x
        ${upsert ? sql`on conflict (opportunity_id, local_start) do update set starts_at = excluded.starts_at, ends_at = excluded.ends_at` : sql``}`
}

/**
 * The sessions of opportunities that have none yet, as one statement: a plain insert, since no row
 * can conflict (the conflict check cost PostgreSQL half as much again per session in an import).
 */
export function insertSessionsStatement(
  cityId: number,
  items: { opportunityId: number; occurrences: Occurrences }[],
): SQL | undefined {
  if (!items.some((item) => item.occurrences.length > 0)) return undefined
  return insertSessions(cityId, wantedSessions(items), false)
}

/** The same for one opportunity. */
export function syncSessions(
  db: Db,
  cityId: number,
  opportunityId: number,
  occurrences: Occurrences,
  now: Date,
) {
  return syncSessionsMany(db, cityId, [{ opportunityId, occurrences }], now)
}

export async function cancelSessions(
  db: Db,
  cityId: number,
  opportunityId: number,
  sessionId?: number,
): Promise<number[]> {
  const changed = await rows<{ id: number }>(
    db,
    sql`update opportunity_sessions set cancelled = true
        where city_id = ${cityId} and opportunity_id = ${opportunityId} and not cancelled
          ${sessionId === undefined ? sql`and starts_at >= now()` : sql`and id = ${sessionId}`}
        returning id::int as id`,
  )
  // Calendar subscribers only pick up a change when the event's SEQUENCE (from updated_at) grows.
  if (changed.length > 0) {
    await db.execute(
      sql`update opportunities set updated_at = now() where city_id = ${cityId} and id = ${opportunityId}`,
    )
  }
  return changed.map((r) => r.id)
}

export interface Change {
  cityId: number
  opportunityId: number
  actorUserId: number | null
  actorLabel: string
  action: string
  diff?: Record<string, { from: unknown; to: unknown }>
  note?: string | null
}

/** Appends audit rows (one statement however many). */
export async function insertChanges(db: Db, changes: Change[]) {
  const statement = insertChangesStatement(changes)
  if (statement) await db.execute(statement)
}

/** Audit entries as one statement. */
export function insertChangesStatement(changes: Change[]): SQL | undefined {
  if (changes.length === 0) return undefined
  const payload = JSON.stringify(
    changes.map((c) => ({
      city_id: c.cityId,
      opportunity_id: c.opportunityId,
      actor_user_id: c.actorUserId,
      actor_label: c.actorLabel,
      action: c.action,
      diff: c.diff ?? {},
      note: c.note ?? null,
    })),
  )
  return sql`insert into opportunity_changes (city_id, opportunity_id, actor_user_id, actor_label, action, diff, note)
        select x.city_id, x.opportunity_id, x.actor_user_id, x.actor_label, x.action, x.diff, x.note
        from jsonb_to_recordset(${payload}::jsonb)
          as x(city_id bigint, opportunity_id bigint, actor_user_id bigint, actor_label text, action text, diff jsonb, note text)`
}

export function insertChange(db: Db, change: Change) {
  return insertChanges(db, [change])
}

export function listChanges(db: Db, cityId: number, opportunityId: number) {
  return rows<{
    actorLabel: string
    action: string
    diff: Record<string, { from: unknown; to: unknown }>
    note: string | null
    createdAt: Date
  }>(
    db,
    sql`select actor_label as "actorLabel", action, diff, note, created_at as "createdAt" from opportunity_changes
        where city_id = ${cityId} and opportunity_id = ${opportunityId} order by id`,
  )
}

/** Every published repeating opportunity of every city (for the horizon job). */
/**
 * Rewrites the session slots in the search index (`search_sessions`, migration 0031) of the
 * opportunities with a session that turned a week old, or was written, in the two days before now.
 * Slots keep sessions of the past week (as far back as sessions are written): a passed session's
 * slots would otherwise keep offering its opportunity to the index for that day and time (the
 * search's exact check turns it away, at a cost). And a row the indexing job indexed while a
 * transaction it could not see yet added sessions to it gets them. Triggers keep the slots for
 * every other write of sessions.
 */
export async function refreshSessionSlots(db: Db, now: Date): Promise<void> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86400_000).toISOString()
  await db.execute(
    sql`select lc_search_sessions_refresh(array(select distinct opportunity_id from opportunity_sessions
          where (starts_at >= ${daysAgo(9)} and starts_at < ${daysAgo(7)}) or created_at >= ${daysAgo(2)}))`,
  )
}

export function listPublishedSeries(db: Db) {
  return rows<{ cityId: number; id: number }>(
    db,
    sql`select city_id::int as "cityId", id::int as id from opportunities
        where status = 'published' and schedule->>'kind' = 'series' order by id`,
  )
}
