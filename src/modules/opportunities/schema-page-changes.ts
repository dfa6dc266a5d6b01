import { sql } from 'drizzle-orm'
import { bigint, bigserial, customType, index, pgTable, timestamp } from 'drizzle-orm/pg-core'

const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' })

/**
 * What made cached opportunity pages out of date, for every app process's page cache (page-cache.ts):
 * one row per opportunity whose page changed (its row, sessions or bookings), per organization (its
 * name is on its pages) or per city (name and theme). Statement-level triggers fill it (migration
 * 0020), so no writer can forget; `xid` is the writing transaction, which lets a reader tell what it
 * has not seen yet even when transactions commit out of order. Rows are pruned after ten minutes.
 */
export const opportunityPageChanges = pgTable(
  'opportunity_page_changes',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
    cityId: bigint('city_id', { mode: 'number' }).notNull(),
    opportunityId: bigint('opportunity_id', { mode: 'number' }),
    organizationId: bigint('organization_id', { mode: 'number' }),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('opportunity_page_changes_xid_idx').on(t.xid)],
)
