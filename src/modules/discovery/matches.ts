/**
 * The published opportunities of a city that meet a search's filters, with each one's next session
 * in the span asked for and its distance from the place asked about. Text search (`q`) is not part
 * of this query yet: the filters that narrow by facts are, so the type takes filters without `q`.
 */
import { arrayOf, type Db, rows, type SQL, sql } from '../../platform/db/index.ts'
import { dateWindow } from './date-window.ts'
import { type Filters, TIME_OF_DAY_HOURS, WEEKDAYS } from './filters.ts'

export const PAGE_SIZE = 20
const EARTH_RADIUS_KM = 6371

export interface Match {
  id: number
  /** The next session in the span asked for (from now when no date is asked), if it has one. */
  nextStart: Date | null
  /** Kilometres from the place asked about, when one is. */
  distanceKm: number | null
}

/** The filters this query applies: every one but the search words. */
export type FactFilters = Omit<Filters, 'q'>

/** Great-circle distance in km from a point to an opportunity's place (haversine). */
function distanceFrom(lat: number, lon: number): SQL {
  return sql`(2 * ${EARTH_RADIUS_KM} * asin(sqrt(
      power(sin(radians(o.lat - ${lat}) / 2), 2)
      + cos(radians(${lat})) * cos(radians(o.lat)) * power(sin(radians(o.lon - ${lon}) / 2), 2))))`
}

/** The conditions on a session: in the span, on the days and at the times of day asked for. */
function sessionConditions(filters: FactFilters, span: { from: Date; to: Date | null }): SQL[] {
  const conditions = [sql`not s.cancelled`, sql`s.starts_at >= ${span.from.toISOString()}`]
  if (span.to) conditions.push(sql`s.starts_at < ${span.to.toISOString()}`)
  // local_start is the session's wall-clock start in the city ('YYYY-MM-DDTHH:mm').
  if (filters.days.length > 0) {
    const isoDays = filters.days.map((d) => WEEKDAYS.indexOf(d) + 1)
    conditions.push(
      sql`extract(isodow from s.local_start::timestamp)::int = any(${arrayOf(isoDays, 'int8')})`,
    )
  }
  if (filters.times.length > 0) {
    const hour = sql`substring(s.local_start from 12 for 2)::int`
    const ranges = filters.times.map((t) => {
      const [from, to] = TIME_OF_DAY_HOURS[t]
      return sql`(${hour} >= ${from} and ${hour} < ${to})`
    })
    conditions.push(sql`(${sql.join(ranges, sql` or `)})`)
  }
  return conditions
}

/** The conditions on the opportunity itself. */
function opportunityConditions(cityId: number, filters: FactFilters): SQL[] {
  const c: SQL[] = [sql`o.city_id = ${cityId}`, sql`o.status = 'published'`]
  if (filters.blocks.length > 0) c.push(sql`o.building_block = any(${arrayOf(filters.blocks, 'text')})`)
  // Topics are stored as the provider typed them; filters compare them case-blind.
  if (filters.topics.length > 0)
    c.push(
      sql`exists (select 1 from unnest(o.topics) as t where lower(t) = any(${arrayOf(filters.topics, 'text')}))`,
    )
  if (filters.age !== null)
    c.push(
      sql`(o.age_min is null or o.age_min <= ${filters.age}) and (o.age_max is null or o.age_max >= ${filters.age})`,
    )
  if (filters.free) c.push(sql`o.free`)
  if (filters.maxPrice !== null) c.push(sql`(o.free or o.price <= ${filters.maxPrice})`)
  if (filters.languages.length > 0) c.push(sql`o.languages && ${arrayOf(filters.languages, 'text')}`)
  if (filters.formats.length > 0) c.push(sql`o.format = any(${arrayOf(filters.formats, 'text')})`)
  // Every need asked for must be met.
  if (filters.access.length > 0) c.push(sql`o.accessibility @> ${arrayOf(filters.access, 'text')}`)
  if (filters.districts.length > 0)
    c.push(sql`o.district_id in (select d.id from districts d
      where d.city_id = ${cityId} and lower(d.code) = any(${arrayOf(filters.districts, 'text')}))`)
  if (filters.sectors.length > 0)
    c.push(sql`exists (select 1 from organizations g
      where g.id = o.organization_id and g.sector = any(${arrayOf(filters.sectors, 'text')}))`)
  if (filters.near) {
    const { lat, lon, radiusKm } = filters.near
    // A box around the circle first (cheap, and the one an index can use), then the exact distance.
    const dLat = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI)
    const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01)
    c.push(
      sql`o.lat between ${lat - dLat} and ${lat + dLat} and o.lon between ${lon - dLon} and ${lon + dLon}`,
    )
    c.push(sql`${distanceFrom(lat, lon)} <= ${radiusKm}`)
  }
  return c
}

/**
 * One page of the opportunities that meet the filters, and how many there are in all. With a date,
 * day or time filter only opportunities with a session that fits are listed (self-paced ones have
 * none); without one, self-paced ones are listed too, after those with a next session.
 */
export async function listMatches(
  db: Db,
  city: { id: number; timeZone: string },
  filters: FactFilters,
  now: Date,
): Promise<{ matches: Match[]; total: number }> {
  const window = dateWindow(filters, now, city.timeZone)
  const needsSession = window !== null || filters.days.length > 0 || filters.times.length > 0
  const span = window ?? { from: now, to: null }
  const distance = filters.near ? distanceFrom(filters.near.lat, filters.near.lon) : sql`null::float8`
  const order =
    filters.sort === 'nearest' && filters.near
      ? sql`"distanceKm" asc, "nextStart" asc nulls last, o.id asc`
      : sql`"nextStart" asc nulls last, o.id asc`
  const where = sql.join(opportunityConditions(city.id, filters), sql` and `)
  const fits = sql`s.city_id = ${city.id} and s.opportunity_id = o.id
    and ${sql.join(sessionConditions(filters, span), sql` and `)}`
  const found = await rows<Match & { total: number }>(
    db,
    sql`select o.id::int as id, next.starts_at as "nextStart", ${distance} as "distanceKm",
          count(*) over ()::int as total
        from opportunities o
        left join lateral (
          select s.starts_at from opportunity_sessions s where ${fits} order by s.starts_at limit 1
        ) as next on true
        where ${where} ${needsSession ? sql`and next.starts_at is not null` : sql``}
        order by ${order}
        limit ${PAGE_SIZE} offset ${(filters.page - 1) * PAGE_SIZE}`,
  )
  /** The number of matches, for a page beyond the last, which has no rows to carry the count. */
  const count = async () => {
    const fitting = needsSession
      ? sql`and exists (select 1 from opportunity_sessions s where ${fits})`
      : sql``
    const [counted] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from opportunities o where ${where} ${fitting}`,
    )
    return counted?.n ?? 0
  }
  const total = found[0]?.total ?? (filters.page > 1 ? await count() : 0)
  return {
    total,
    matches: found.map(({ total: _, ...m }) => ({
      ...m,
      nextStart: m.nextStart === null ? null : new Date(m.nextStart),
      distanceKm: m.distanceKm === null ? null : Number(m.distanceKm),
    })),
  }
}
