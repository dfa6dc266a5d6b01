import { arrayOf, type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
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

const columns = sql`id::int as id, city_id::int as "cityId", organization_id::int as "organizationId",
  external_id as "externalId", status, title, description, outcomes, building_block as "buildingBlock", topics,
  age_min as "ageMin", age_max as "ageMax", groups, languages, format, venue_id::int as "venueId", address, lat, lon,
  district_id::int as "districtId", join_url as "joinUrl", schedule, free, price, currency, concessions,
  financial_help as "financialHelp", accessibility, accessibility_note as "accessibilityNote", capacity,
  image_url as "imageUrl", image_alt as "imageAlt", contact_email as "contactEmail", contact_phone as "contactPhone",
  is_demo as "isDemo", published_at as "publishedAt", updated_at as "updatedAt"`

function values(f: OpportunityFields) {
  return sql`${f.externalId}, ${JSON.stringify(f.title)}::jsonb, ${JSON.stringify(f.description)}::jsonb,
    ${JSON.stringify(f.outcomes)}::jsonb, ${f.buildingBlock}, ${arrayOf(f.topics, 'text')}, ${f.ageMin}, ${f.ageMax},
    ${arrayOf(f.groups, 'text')}, ${arrayOf(f.languages, 'text')}, ${f.format}, ${f.venueId}, ${f.address}, ${f.lat},
    ${f.lon}, ${f.districtId}, ${f.joinUrl}, ${JSON.stringify(f.schedule)}::jsonb, ${f.free}, ${f.price}, ${f.currency},
    ${f.concessions}, ${f.financialHelp}, ${arrayOf(f.accessibility, 'text')}, ${f.accessibilityNote}, ${f.capacity},
    ${f.imageUrl}, ${JSON.stringify(f.imageAlt)}::jsonb, ${f.contactEmail}, ${f.contactPhone}`
}

const fieldList = sql`external_id, title, description, outcomes, building_block, topics, age_min, age_max, groups,
  languages, format, venue_id, address, lat, lon, district_id, join_url, schedule, free, price, currency, concessions,
  financial_help, accessibility, accessibility_note, capacity, image_url, image_alt, contact_email, contact_phone`

export async function insertOpportunity(
  db: Db,
  cityId: number,
  organizationId: number,
  status: Status,
  fields: OpportunityFields,
  isDemo = false,
): Promise<number> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into opportunities (city_id, organization_id, status, is_demo, published_at, ${fieldList})
        values (${cityId}, ${organizationId}, ${status}, ${isDemo}, ${status === 'published' ? sql`now()` : null}, ${values(fields)})
        returning id::int as id`,
  )
  return row!.id
}

export async function updateOpportunityFields(db: Db, cityId: number, id: number, fields: OpportunityFields) {
  await db.execute(
    sql`update opportunities set (${fieldList}) = (${values(fields)}), updated_at = now()
        where city_id = ${cityId} and id = ${id}`,
  )
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

export function findByExternalId(db: Db, cityId: number, organizationId: number, externalId: string) {
  return firstRow<OpportunityRow>(
    db,
    sql`select ${columns} from opportunities
        where city_id = ${cityId} and organization_id = ${organizationId} and external_id = ${externalId}`,
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

/**
 * Makes the stored sessions match the schedule: keeps rows whose local start is unchanged (and their
 * cancellation), adds new ones, and removes future sessions the schedule no longer has.
 */
export async function syncSessions(
  db: Db,
  cityId: number,
  opportunityId: number,
  occurrences: { start: Date; end: Date; local: string }[],
  now: Date,
) {
  const payload = JSON.stringify(
    occurrences.map((o) => ({ s: o.start.toISOString(), e: o.end.toISOString(), l: o.local })),
  )
  await db.execute(
    sql`delete from opportunity_sessions
        where city_id = ${cityId} and opportunity_id = ${opportunityId} and starts_at >= ${now.toISOString()}
          and local_start not in (select l from jsonb_to_recordset(${payload}::jsonb) as x(l text))`,
  )
  await db.execute(
    sql`insert into opportunity_sessions (city_id, opportunity_id, starts_at, ends_at, local_start)
        select ${cityId}, ${opportunityId}, x.s, x.e, x.l from jsonb_to_recordset(${payload}::jsonb) as x(s timestamptz, e timestamptz, l text)
        on conflict (opportunity_id, local_start) do update set starts_at = excluded.starts_at, ends_at = excluded.ends_at`,
  )
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

export async function insertChange(
  db: Db,
  change: {
    cityId: number
    opportunityId: number
    actorUserId: number | null
    actorLabel: string
    action: string
    diff?: Record<string, { from: unknown; to: unknown }>
    note?: string | null
  },
) {
  await db.execute(
    sql`insert into opportunity_changes (city_id, opportunity_id, actor_user_id, actor_label, action, diff, note)
        values (${change.cityId}, ${change.opportunityId}, ${change.actorUserId}, ${change.actorLabel}, ${change.action},
                ${JSON.stringify(change.diff ?? {})}::jsonb, ${change.note ?? null})`,
  )
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
export function listPublishedSeries(db: Db) {
  return rows<{ cityId: number; id: number }>(
    db,
    sql`select city_id::int as "cityId", id::int as id from opportunities
        where status = 'published' and schedule->>'kind' = 'series' order by id`,
  )
}
