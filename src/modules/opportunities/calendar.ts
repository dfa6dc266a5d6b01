import type { Db } from '../../platform/db/index.ts'
import { opportunityCalendar } from './ics.ts'
import { sessionsByOpportunity } from './provider-queries.ts'
import type { OpportunityRow } from './repository.ts'

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
  const sessions = await sessionsByOpportunity(
    db,
    city.id,
    opportunities.map((r) => r.id),
  )
  return opportunityCalendar({
    opportunities: opportunities.map((row) => ({
      row,
      sessions: sessions.get(row.id) ?? [],
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
