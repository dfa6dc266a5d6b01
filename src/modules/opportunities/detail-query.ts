import { type Db, firstRow, sql } from '../../platform/db/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import { columns, type OpportunityRow, type SessionRow } from './repository.ts'

/** A session on the opportunity's page, with the seats left on it while it has not ended. */
export interface DetailSession extends SessionRow {
  /** null: no limit, or the session has ended. */
  seatsLeft: number | null
}

/** What the opportunity's page shows: the row, its provider's name and its sessions. */
export interface DetailRow extends OpportunityRow {
  organizationName: TranslatedText | null
  sessions: DetailSession[]
}

/**
 * The opportunity, its provider's name and its first 1,000 sessions with their seats left, in one
 * statement. Seats taken are confirmed places and open offers, the rule of the registrations
 * module (its `seatsLeft`), which this module cannot import (registrations depends on it).
 */
export async function findDetail(db: Db, cityId: number, id: number): Promise<DetailRow | undefined> {
  const row = await firstRow<
    OpportunityRow & {
      organizationName: TranslatedText | null
      sessions: (Omit<DetailSession, 'startsAt' | 'endsAt'> & { startsAt: string; endsAt: string })[]
    }
  >(
    db,
    sql`select ${columns},
          (select g.name from organizations g
            where g.city_id = opportunities.city_id and g.id = opportunities.organization_id) as "organizationName",
          coalesce((
            select json_agg(json_build_object(
              'id', s.id, 'startsAt', s.starts_at, 'endsAt', s.ends_at, 'localStart', s.local_start,
              'cancelled', s.cancelled,
              'seatsLeft', case when s.ends_at >= now() then coalesce(s.capacity, opportunities.capacity)
                - (select count(*) from registrations r where r.city_id = s.city_id and r.session_id = s.id
                    and r.status in ('confirmed', 'offered')) end
            ) order by s.starts_at)
            from (select * from opportunity_sessions x
                  where x.city_id = opportunities.city_id and x.opportunity_id = opportunities.id
                  order by x.starts_at limit 1000) s
          ), '[]'::json) as sessions
        from opportunities where city_id = ${cityId} and id = ${id}`,
  )
  if (!row) return undefined
  return {
    ...row,
    sessions: row.sessions.map((s) => ({ ...s, startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) })),
  }
}
