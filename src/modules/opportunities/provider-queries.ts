import { arrayOf, type Db, rows, sql } from '../../platform/db/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { Status } from './model.ts'
import type { SessionRow } from './repository.ts'

/** One line of the provider dashboard. */
export interface DashboardRow {
  id: number
  organizationId: number
  title: TranslatedText
  status: Status
  updatedAt: Date
  nextSession: Date | null
  lastChangeBy: string | null
  lastChangeAt: Date | null
}

/** The opportunities of some organizations with their next session and last recorded change. */
export function dashboardRows(db: Db, cityId: number, organizationIds: number[]) {
  if (organizationIds.length === 0) return Promise.resolve([] as DashboardRow[])
  return rows<DashboardRow>(
    db,
    sql`select o.id::int as id, o.organization_id::int as "organizationId", o.title, o.status,
          o.updated_at as "updatedAt",
          (select min(s.starts_at) from opportunity_sessions s
            where s.city_id = ${cityId} and s.opportunity_id = o.id and not s.cancelled and s.starts_at >= now())
            as "nextSession",
          ch.actor_label as "lastChangeBy", ch.created_at as "lastChangeAt"
        from opportunities o
        left join lateral (select actor_label, created_at from opportunity_changes c
            where c.city_id = ${cityId} and c.opportunity_id = o.id order by c.id desc limit 1) ch on true
        where o.city_id = ${cityId} and o.organization_id = any(${arrayOf(organizationIds, 'int8')})
          and o.status <> 'archived'
        order by o.updated_at desc limit 500`,
  )
}

/** Sessions of many opportunities at once, keyed by opportunity id. */
export async function sessionsByOpportunity(db: Db, cityId: number, opportunityIds: number[]) {
  const found = new Map<number, SessionRow[]>()
  if (opportunityIds.length === 0) return found
  const list = await rows<SessionRow & { opportunityId: number }>(
    db,
    sql`select id::int as id, opportunity_id::int as "opportunityId", starts_at as "startsAt", ends_at as "endsAt",
          local_start as "localStart", cancelled
        from opportunity_sessions
        where city_id = ${cityId} and opportunity_id = any(${arrayOf(opportunityIds, 'int8')})
        order by starts_at limit 20000`,
  )
  for (const { opportunityId, ...session } of list) {
    const bucket = found.get(opportunityId) ?? []
    bucket.push(session)
    found.set(opportunityId, bucket)
  }
  return found
}
