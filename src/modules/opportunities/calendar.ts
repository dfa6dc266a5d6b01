import { arrayOf, type Db, rows, sql } from '../../platform/db/index.ts'
import { opportunityCalendar } from './ics.ts'
import { sessionsByOpportunity } from './provider-queries.ts'
import type { OpportunityRow } from './repository.ts'

/**
 * How many changes each opportunity's audit trail holds: every edit, status change and cancelled
 * session adds one and none is ever removed, so it serves as the events' SEQUENCE.
 */
async function revisionsOf(db: Db, cityId: number, opportunityIds: number[]) {
  if (opportunityIds.length === 0) return new Map<number, number>()
  const found = await rows<{ id: number; n: number }>(
    db,
    sql`select opportunity_id::int as id, count(*)::int as n from opportunity_changes
        where city_id = ${cityId} and opportunity_id = any(${arrayOf(opportunityIds, 'int8')})
        group by opportunity_id`,
  )
  return new Map(found.map((r) => [r.id, r.n]))
}

/**
 * An iCalendar subscription of some opportunities (a provider's, a search's): every session of each,
 * cancelled ones marked CANCELLED so subscribers see the cancellation.
 */
export async function calendarOf(
  db: Db,
  city: { id: number; slug: string; timeZone: string; defaultLanguage: string },
  opportunities: OpportunityRow[],
  options: { name: string; lang: string; publicUrl: string },
): Promise<string> {
  const ids = opportunities.map((r) => r.id)
  const [sessions, revisions] = await Promise.all([
    sessionsByOpportunity(db, city.id, ids),
    revisionsOf(db, city.id, ids),
  ])
  return opportunityCalendar({
    opportunities: opportunities.map((row) => ({
      row,
      sessions: sessions.get(row.id) ?? [],
      revision: revisions.get(row.id) ?? 0,
      url: `${options.publicUrl}/${options.lang}/${city.slug}/opportunities/${row.id}`,
    })),
    calendarName: options.name,
    lang: options.lang,
    fallbackLanguages: [city.defaultLanguage],
    timeZone: city.timeZone,
    host: new URL(options.publicUrl).host,
  })
}

/** The headers of a calendar download or subscription. */
export function calendarHeaders(filename: string) {
  return {
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  }
}
