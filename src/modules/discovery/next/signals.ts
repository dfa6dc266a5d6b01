/**
 * The signal sources "what next?" ranks and explains suggestions with. Each source reads a few
 * facts of every candidate in SQL (so ranking is one statement over the whole catalogue), gives it
 * points, and says in a fragment why, when it has something to say. Open pathway steps will be
 * one more source when the pathways module exists: a source is all it needs to add.
 */
import { arrayOf, type SQL, sql } from '../../../platform/db/index.ts'
import type { Lang, Values } from '../../../platform/i18n/index.ts'
import type { EarnableBadge, HeldBadge } from '../../badges/index.ts'
import { TIME_OF_DAY_HOURS, type TimeOfDay } from '../filters.ts'
import { MAX_WALK_KM, walkingMinutes } from './place.ts'

/** What we know of a learner in one city: what they told us, and what their bookings show. */
export interface LearnerContext {
  cityId: number
  userId: number
  lang: Lang
  now: Date
  /** Topics they chose, lower-cased. */
  interests: string[]
  /** The centre of the district they learn near, [lat, lon]. */
  home: [number, number] | null
  /** ISO weekdays (1 is Monday) and times of day most of their bookings fall on. */
  usualDays: number[]
  usualTimes: TimeOfDay[]
  /** How many places they hold or held (not cancelled), on any session. */
  bookings: number
  /** The opportunities they booked or attended, the latest booked first. */
  booked: {
    id: number
    organizationId: number
    topics: string[]
    title: Record<string, string | undefined>
  }[]
  /** The learner's live badges in the city, the latest first. */
  badgesHeld: HeldBadge[]
  /** The city's badges they do not hold that attending an opportunity awards. */
  badgesToEarn: EarnableBadge[]
}

/** One suggestion as the query returns it: the opportunity, its next session, and each source's columns. */
export interface CandidateRow {
  id: number
  title: Record<string, string>
  sessionId: number
  startsAt: Date | string
  [column: string]: unknown
}

/**
 * One part of a suggestion's reason: a message under `what-next.reason.`, and optionally a piece of
 * someone's content inside it (a title) that keeps its own language.
 */
export interface Fragment {
  key: string
  values?: Values
  quote?: { name: string; text: Record<string, string> }
}

export interface SignalSource {
  name: string
  /**
   * The columns this source reads of each candidate, as SQL over the opportunity `o` and its next
   * session `next`; null when it has nothing to go on for this learner (then it is left out).
   */
  columns(ctx: LearnerContext): Record<string, SQL> | null
  /** The points it gives a candidate `c` (SQL over its columns): 0 when it has nothing to say. */
  points: SQL
  /** Whether it can be a suggestion's reason (the reader's language only orders them). */
  explains: boolean
  reason(row: CandidateRow, ctx: LearnerContext): Fragment | null
}

/** Bookings that count as the learner's: places held or once held, and sessions they attended. */
export const countedBooking = sql`(r.status in ('confirmed', 'waitlisted', 'offered') or r.attended)`

const EARTH_RADIUS_KM = 6371

const featured: SignalSource = {
  name: 'featured',
  explains: true,
  columns: (ctx) => ({
    featured: sql`exists (select 1 from discovery_featured f where f.city_id = o.city_id
      and f.opportunity_id = o.id and (f.until is null or f.until > ${ctx.now.toISOString()}))`,
  }),
  points: sql`case when c.featured then 100 else 0 end`,
  reason: (row) => (row.featured ? { key: 'featured' } : null),
}

const free: SignalSource = {
  name: 'free',
  explains: true,
  columns: () => ({ free: sql`o.free` }),
  points: sql`case when c.free then 10 else 0 end`,
  reason: (row) => (row.free ? { key: 'free' } : null),
}

/** Straight-line km from the learner's district centre; the walk is worked out in place.ts. */
const place: SignalSource = {
  name: 'place',
  explains: true,
  columns: (ctx) => {
    if (!ctx.home) return null
    const [lat, lon] = ctx.home
    return {
      distance_km: sql`case when o.format <> 'online' and o.lat is not null then
        2 * ${EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(o.lat - ${lat}) / 2), 2)
          + cos(radians(${lat})) * cos(radians(o.lat)) * power(sin(radians(o.lon - ${lon}) / 2), 2))) end`,
    }
  },
  points: sql`case when c.distance_km < ${MAX_WALK_KM} then 20 * (1 - c.distance_km / ${MAX_WALK_KM}) else 0 end`,
  reason: (row) => {
    const km = row.distance_km === null || row.distance_km === undefined ? null : Number(row.distance_km)
    return km !== null && km < MAX_WALK_KM ? { key: 'walk', values: { minutes: walkingMinutes(km) } } : null
  },
}

/** The time of day of a session `next`, by its wall-clock hour in the city. */
const timeOfDay = sql`case ${sql.join(
  Object.entries(TIME_OF_DAY_HOURS).map(
    ([name, [from, to]]) =>
      sql`when substring(next.local_start from 12 for 2)::int >= ${from}
        and substring(next.local_start from 12 for 2)::int < ${to} then ${name}`,
  ),
  sql` `,
)} end`

const WEEKDAY_KEYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const

const usualTimes: SignalSource = {
  name: 'usual-times',
  explains: true,
  columns: (ctx) =>
    ctx.usualDays.length === 0 && ctx.usualTimes.length === 0
      ? null
      : {
          usual_day: sql`extract(isodow from next.local_start::timestamp)::int = any(${arrayOf(ctx.usualDays, 'int8')})`,
          usual_time: sql`${timeOfDay} = any(${arrayOf(ctx.usualTimes, 'text')})`,
          iso_day: sql`extract(isodow from next.local_start::timestamp)::int`,
          time_of_day: timeOfDay,
        },
  points: sql`case when c.usual_day then 10 else 0 end + case when c.usual_time then 5 else 0 end`,
  reason: (row): Fragment | null => {
    const day = WEEKDAY_KEYS[Number(row.iso_day) - 1] ?? 'mo'
    const time = String(row.time_of_day)
    if (row.usual_day && row.usual_time) return { key: 'daysAndTimes', values: { day, time } }
    if (row.usual_day) return { key: 'days', values: { day } }
    if (row.usual_time) return { key: 'times', values: { time } }
    return null
  },
}

const interests: SignalSource = {
  name: 'interests',
  explains: true,
  columns: (ctx) =>
    ctx.interests.length === 0
      ? null
      : {
          // The first of the opportunity's topics the learner chose, as the provider wrote it.
          interest: sql`(select t from unnest(o.topics) with ordinality as u(t, n)
            where lower(t) = any(${arrayOf(ctx.interests, 'text')}) order by n limit 1)`,
        },
  points: sql`case when c.interest is not null then 30 else 0 end`,
  reason: (row) =>
    typeof row.interest === 'string' ? { key: 'interest', values: { topic: row.interest } } : null,
}

/**
 * "Follows X": the opportunity shares a topic (case-blind) or its provider with one the learner
 * booked or attended. SQL only asks whether it does, against the booked list's topics and
 * providers as two arrays (a table read per candidate cost most of the ranking); which one it
 * follows is found here: the latest booked sharing a topic, else the latest of the same provider.
 */
const follows: SignalSource = {
  name: 'follows',
  explains: true,
  columns: (ctx) => {
    if (ctx.booked.length === 0) return null
    const topics = [...new Set(ctx.booked.flatMap((b) => b.topics))]
    const providers = [...new Set(ctx.booked.map((b) => b.organizationId))]
    return {
      follows: sql`(o.organization_id = any(${arrayOf(providers, 'int8')}) or exists (
        select 1 from unnest(o.topics) as t where lower(t) = any(${arrayOf(topics, 'text')})))`,
      topics: sql`o.topics`,
      organization_id: sql`o.organization_id::int`,
    }
  },
  points: sql`case when c.follows then 25 else 0 end`,
  reason: (row, ctx) => {
    if (!row.follows) return null
    const topics = new Set((row.topics as string[]).map((t) => t.toLowerCase()))
    const followed =
      ctx.booked.find((b) => b.topics.some((t) => topics.has(t))) ??
      ctx.booked.find((b) => b.organizationId === row.organization_id)
    return followed
      ? { key: 'follows', quote: { name: 'title', text: followed.title as Record<string, string> } }
      : null
  },
}

/**
 * "Builds on your badge X": the opportunity shares a topic (case-blind) with the tags of a badge
 * the learner holds; the latest such badge is named.
 */
const buildsOnBadge: SignalSource = {
  name: 'builds-on-badge',
  explains: true,
  columns: (ctx) => {
    const tags = [...new Set(ctx.badgesHeld.flatMap((b) => b.tags))]
    if (tags.length === 0) return null
    return {
      badge_topics: sql`(select coalesce(array_agg(lower(t)), '{}') from unnest(o.topics) as t
        where lower(t) = any(${arrayOf(tags, 'text')}))`,
    }
  },
  points: sql`case when cardinality(c.badge_topics) > 0 then 20 else 0 end`,
  reason: (row, ctx) => {
    const topics = new Set((row.badge_topics as string[] | undefined) ?? [])
    const held = ctx.badgesHeld.find((b) => b.tags.some((t) => topics.has(t)))
    return held
      ? { key: 'buildsOnBadge', quote: { name: 'badge', text: held.name as Record<string, string> } }
      : null
  },
}

/** "Earns the badge X": attending it awards a badge of the city the learner does not hold yet. */
const earnsBadge: SignalSource = {
  name: 'earns-badge',
  explains: true,
  columns: (ctx) => {
    const ids = [...new Set(ctx.badgesToEarn.flatMap((b) => b.opportunityIds))]
    if (ids.length === 0) return null
    return { earns_badge: sql`o.id = any(${arrayOf(ids, 'int8')})`, opportunity_id: sql`o.id::int` }
  },
  points: sql`case when c.earns_badge then 15 else 0 end`,
  reason: (row, ctx) => {
    if (!row.earns_badge) return null
    const badge = ctx.badgesToEarn.find((b) => b.opportunityIds.includes(Number(row.opportunity_id)))
    return badge
      ? { key: 'earnsBadge', quote: { name: 'badge', text: badge.name as Record<string, string> } }
      : null
  },
}

/** The reader's language: opportunities titled in it come first among equals; never a reason alone. */
const language: SignalSource = {
  name: 'language',
  explains: false,
  columns: (ctx) => ({ reader_language: sql`(o.title ->> ${ctx.lang}) is not null` }),
  points: sql`case when c.reader_language then 5 else 0 end`,
  reason: () => null,
}

/** Every source, in the order their fragments are read in a reason. */
export const SOURCES: readonly SignalSource[] = [
  featured,
  free,
  place,
  usualTimes,
  interests,
  follows,
  buildsOnBadge,
  earnsBadge,
  language,
]
