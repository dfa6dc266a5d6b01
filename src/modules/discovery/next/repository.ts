/** Queries of "what next?": learners' preferences, what their bookings show, suggestions, featuring. */
import { arrayOf, type Db, firstRow, rows, type SQL, sql } from '../../../platform/db/index.ts'
import type { Polygonal } from '../../../platform/geo/index.ts'
import type { TranslatedText } from '../../../platform/i18n/index.ts'
import { hasSeatLeft } from '../../registrations/index.ts'
import { type CandidateRow, countedBooking, type LearnerContext, type SignalSource } from './signals.ts'

export interface Preferences {
  interests: string[]
  districtCode: string | null
}

/** What a learner told us and what their bookings show, in one statement. */
export interface LearnerFacts extends Preferences {
  /** Whether they saved preferences at all. */
  saved: boolean
  geometry: Polygonal | null
  /** How many of their (not cancelled) places fall on each ISO weekday and local hour. */
  days: { day: number; n: number }[]
  hours: { hour: number; n: number }[]
  /** The opportunities they booked or attended, the latest booked first (at most 50). */
  booked: BookedOpportunity[]
}

export interface BookedOpportunity {
  id: number
  organizationId: number
  /** Lower-cased. */
  topics: string[]
  title: TranslatedText
}

export async function learnerFacts(db: Db, cityId: number, userId: number): Promise<LearnerFacts> {
  const booked = sql`from registrations r
    join opportunity_sessions s on s.id = r.session_id and s.city_id = r.city_id
    where r.city_id = ${cityId} and r.user_id = ${userId} and ${countedBooking}`
  const row = await firstRow<LearnerFacts>(
    db,
    sql`select p.user_id is not null as saved, coalesce(p.interests, '{}') as interests,
          p.district_code as "districtCode", d.geometry,
          (select coalesce(jsonb_agg(jsonb_build_object('day', day, 'n', n)), '[]') from (
             select extract(isodow from s.local_start::timestamp)::int as day, count(*)::int as n ${booked}
             group by 1) x) as days,
          (select coalesce(jsonb_agg(jsonb_build_object('hour', hour, 'n', n)), '[]') from (
             select substring(s.local_start from 12 for 2)::int as hour, count(*)::int as n ${booked}
             group by 1) x) as hours,
          (select coalesce(jsonb_agg(jsonb_build_object('id', b.id, 'organizationId', b.organization_id,
                     'topics', b.topics, 'title', b.title) order by b.last desc, b.id), '[]')
           from (select o.id::int as id, o.organization_id::int as organization_id, o.title,
                   (select coalesce(jsonb_agg(distinct lower(t)), '[]') from unnest(o.topics) as t) as topics,
                   max(r.created_at) as last
                 from registrations r join opportunities o on o.id = r.opportunity_id and o.city_id = r.city_id
                 where r.city_id = ${cityId} and r.user_id = ${userId} and ${countedBooking}
                 group by o.id order by last desc, o.id limit 50) b) as booked
        from (select 1) as one
        left join discovery_learner_preferences p on p.city_id = ${cityId} and p.user_id = ${userId}
        left join districts d on d.city_id = ${cityId} and d.code = p.district_code`,
  )
  return (
    row ?? {
      saved: false,
      interests: [],
      districtCode: null,
      geometry: null,
      days: [],
      hours: [],
      booked: [],
    }
  )
}

/**
 * Up to `limit` upcoming published opportunities of the city for this learner, best first: each
 * with its next session that has a seat (never cancelled or full), never one they already booked,
 * only those at least one explaining source speaks for. Points are summed over the sources; ties
 * go to the soonest session, then the lowest id, so the order is the same on every run.
 */
export function suggestionRows(
  db: Db,
  ctx: LearnerContext,
  sources: readonly { source: SignalSource; columns: Record<string, SQL> }[],
  limit: number,
): Promise<CandidateRow[]> {
  const columns = sources.flatMap(({ columns: c }) =>
    Object.entries(c).map(([alias, expression]) => sql`${expression} as ${sql.identifier(alias)}`),
  )
  const points = (explaining: boolean) =>
    sql.join(
      [
        sql`0`,
        ...sources.filter(({ source }) => !explaining || source.explains).map(({ source }) => source.points),
      ],
      sql` + `,
    )
  const now = ctx.now.toISOString()
  return rows<CandidateRow>(
    db,
    sql`select * from (
          select o.id::int as id, o.title, next.id::int as "sessionId", next.starts_at as "startsAt"
            ${columns.length > 0 ? sql`, ${sql.join(columns, sql`, `)}` : sql``}
          from opportunities o
          join lateral (
            select s.id, s.starts_at, s.local_start from opportunity_sessions s
            where s.city_id = o.city_id and s.opportunity_id = o.id and not s.cancelled
              and s.starts_at > ${now} and ${hasSeatLeft}
            order by s.starts_at limit 1
          ) as next on true
          where o.city_id = ${ctx.cityId} and o.status = 'published'
            and not exists (select 1 from registrations r where r.city_id = o.city_id
              and r.opportunity_id = o.id and r.user_id = ${ctx.userId} and ${countedBooking})
        ) as c
        where ${points(true)} > 0
        order by ${points(false)} desc, c."startsAt", c.id
        limit ${limit}`,
  )
}

export async function savePreferences(db: Db, cityId: number, userId: number, p: Preferences) {
  await db.execute(
    sql`insert into discovery_learner_preferences (city_id, user_id, interests, district_code)
        values (${cityId}, ${userId}, ${arrayOf(p.interests, 'text')}, ${p.districtCode})
        on conflict (city_id, user_id) do update
        set interests = excluded.interests, district_code = excluded.district_code, updated_at = now()`,
  )
}

export async function deletePreferences(db: Db, cityId: number, userId: number) {
  await db.execute(
    sql`delete from discovery_learner_preferences where city_id = ${cityId} and user_id = ${userId}`,
  )
}

/** The topics the city's published opportunities use most (lower-cased), most used first. */
export async function topicsInUse(db: Db, cityId: number, limit = 30): Promise<string[]> {
  const found = await rows<{ topic: string }>(
    db,
    sql`select lower(t) as topic from opportunities o, unnest(o.topics) as t
        where o.city_id = ${cityId} and o.status = 'published'
        group by 1 order by count(*) desc, 1 limit ${limit}`,
  )
  return found.map((f) => f.topic)
}

export function districtChoices(db: Db, cityId: number) {
  return rows<{ code: string; name: TranslatedText }>(
    db,
    sql`select code, name from districts where city_id = ${cityId} order by length(code), code`,
  )
}

/** A published opportunity of the city, if there is one with this id. */
export function publishedOpportunity(db: Db, cityId: number, id: number) {
  return firstRow<{ id: number; title: TranslatedText }>(
    db,
    sql`select id::int as id, title from opportunities
        where city_id = ${cityId} and id = ${id} and status = 'published'`,
  )
}

export async function feature(db: Db, cityId: number, opportunityId: number, by: number, until: Date | null) {
  await db.execute(
    sql`insert into discovery_featured (city_id, opportunity_id, featured_by, until)
        values (${cityId}, ${opportunityId}, ${by}, ${until?.toISOString() ?? null})
        on conflict (city_id, opportunity_id) do update
        set featured_by = excluded.featured_by, until = excluded.until`,
  )
}

export async function unfeature(db: Db, cityId: number, opportunityId: number) {
  await db.execute(
    sql`delete from discovery_featured where city_id = ${cityId} and opportunity_id = ${opportunityId}`,
  )
}

export interface FeaturedRow {
  opportunityId: number
  title: TranslatedText
  status: string
  until: Date | null
}

/** Every featuring of the city, newest first, with whether its opportunity is still published. */
export function listFeatured(db: Db, cityId: number) {
  return rows<FeaturedRow>(
    db,
    sql`select f.opportunity_id::int as "opportunityId", o.title, o.status, f.until
        from discovery_featured f
        join opportunities o on o.id = f.opportunity_id and o.city_id = f.city_id
        where f.city_id = ${cityId}
        order by f.created_at desc, f.opportunity_id`,
  )
}

/** The featurings shown now: published opportunities whose featuring has not ended, newest first. */
export function activeFeatured(db: Db, cityId: number, now: Date, limit: number) {
  return rows<Pick<FeaturedRow, 'opportunityId' | 'title'>>(
    db,
    sql`select f.opportunity_id::int as "opportunityId", o.title
        from discovery_featured f
        join opportunities o on o.id = f.opportunity_id and o.city_id = f.city_id and o.status = 'published'
        where f.city_id = ${cityId} and (f.until is null or f.until > ${now.toISOString()})
        order by f.created_at desc, f.opportunity_id
        limit ${limit}`,
  )
}
