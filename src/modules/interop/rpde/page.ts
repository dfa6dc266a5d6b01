/**
 * Reading one page of a feed: items after the cursor in (modified, id) order, each joined to its
 * source rows in the same statement, turned into RPDE items.
 */
import { type Db, rows, type SQL, sql } from '../../../platform/db/index.ts'
import {
  courseInstanceData,
  type FeedContext,
  scheduledSessionData,
  sessionSeriesData,
} from '../openactive/model.ts'
import type { RpdeFeed } from '../schema.ts'
import { opportunityData, organizationData, venueData } from './items.ts'
import {
  type OpportunitySource,
  type OrganizationSource,
  opportunityColumns,
  opportunityJoins,
  organizationColumns,
  type SessionSource,
  type VenueSource,
  venueColumns,
} from './sources.ts'

/** The RPDE `kind` of each feed's items. */
export const FEED_KIND: Record<RpdeFeed, string> = {
  opportunities: 'LearningOpportunity',
  organizations: 'Organization',
  venues: 'Place',
  'session-series': 'SessionSeries',
  'scheduled-sessions': 'ScheduledSession',
  'course-instance': 'CourseInstance',
}

export interface Cursor {
  afterTimestamp: number
  afterId: number
}

export interface RpdeItem {
  state: 'updated' | 'deleted'
  kind: string
  id: number
  modified: number
  data?: Record<string, unknown>
}

interface ItemRow {
  itemId: number
  modified: string
  state: 'updated' | 'deleted'
}

function sourceOf(feed: RpdeFeed): { columns: SQL; joins: SQL } {
  switch (feed) {
    case 'opportunities':
    case 'session-series':
    case 'course-instance':
      return {
        columns: opportunityColumns,
        joins: sql`left join opportunities o on i.state = 'updated' and o.id = i.source_id ${opportunityJoins}`,
      }
    case 'scheduled-sessions':
      return {
        columns: sql`s.id::float8 as "sessionId", s.starts_at as "startsAt", s.ends_at as "endsAt",
          s.cancelled, s.capacity as "sessionCapacity", ${opportunityColumns}`,
        joins: sql`left join opportunity_sessions s on i.state = 'updated' and s.id = i.source_id
          left join opportunities o on o.id = s.opportunity_id ${opportunityJoins}`,
      }
    case 'organizations':
      return {
        columns: organizationColumns,
        joins: sql`left join organizations g on i.state = 'updated' and g.id = i.source_id`,
      }
    case 'venues':
      return {
        columns: venueColumns,
        joins: sql`left join venues v on i.state = 'updated' and v.id = i.source_id`,
      }
  }
}

function dataOf(
  feed: RpdeFeed,
  ctx: FeedContext,
  row: Record<string, unknown>,
): Record<string, unknown> | null {
  if (row.id === null || row.id === undefined) return null
  switch (feed) {
    case 'opportunities':
      return opportunityData(ctx, row as unknown as OpportunitySource)
    case 'session-series':
      return sessionSeriesData(ctx, row as unknown as OpportunitySource)
    case 'course-instance':
      return courseInstanceData(ctx, row as unknown as OpportunitySource)
    case 'scheduled-sessions': {
      const { sessionId, startsAt, endsAt, cancelled, sessionCapacity, ...opportunity } = row
      if (sessionId === null) return null
      return scheduledSessionData(ctx, {
        sessionId: sessionId as number,
        startsAt: startsAt as string,
        endsAt: endsAt as string,
        cancelled: cancelled as boolean,
        sessionCapacity: sessionCapacity as number | null,
        opportunity: opportunity as unknown as OpportunitySource,
      } satisfies SessionSource)
    }
    case 'organizations':
      return organizationData(ctx, row as unknown as OrganizationSource)
    case 'venues':
      return venueData(ctx, row as unknown as VenueSource)
  }
}

/** The items of one page of a city's feed, after the cursor (from the start when null). */
export async function readPage(
  db: Db,
  ctx: FeedContext & { cityId: number },
  feed: RpdeFeed,
  cursor: Cursor | null,
  limit: number,
): Promise<RpdeItem[]> {
  const { columns, joins } = sourceOf(feed)
  const after = cursor
    ? sql`and (i.modified, i.source_id) > (${cursor.afterTimestamp}, ${cursor.afterId})`
    : sql``
  const found = await rows<ItemRow & Record<string, unknown>>(
    db,
    sql`select i.source_id::float8 as "itemId", i.modified::text as modified, i.state, ${columns}
        from interop_feed_items i ${joins}
        where i.city_id = ${ctx.cityId} and i.feed = ${feed} and i.modified is not null ${after}
        order by i.modified, i.source_id limit ${limit}`,
  )
  return found.map((row) => {
    const data = row.state === 'updated' ? dataOf(feed, ctx, row) : null
    const item: RpdeItem = {
      state: data ? 'updated' : 'deleted',
      kind: FEED_KIND[feed],
      id: row.itemId,
      modified: Number(row.modified),
    }
    if (data) item.data = data
    return item
  })
}
