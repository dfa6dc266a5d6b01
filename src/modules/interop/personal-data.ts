import { rows, sql } from '../../platform/db/index.ts'
import { registerPersonalData } from '../../platform/personal-data.ts'

/**
 * Feeds a person set up for a provider to harvest, and webhooks they subscribed. Both serve the
 * provider and stay, without their creator: a disabled webhook is then announced to the provider's
 * admins (as for one made with an API key). Secrets (webhook signing secrets) are never exported.
 */
export const interopPersonalData = registerPersonalData({
  module: 'interop',
  async export(db, person) {
    const harvestFeeds = await rows(
      db,
      sql`select id::int as id, organization_id::int as "organizationId", kind, name, url, status,
            created_at as "createdAt"
          from harvest_feeds where created_by_user_id = ${person.id} order by id`,
    )
    const webhooks = await rows(
      db,
      sql`select id::int as id, organization_id::int as "organizationId", url, description, events, status,
            created_at as "createdAt"
          from webhook_subscriptions where created_by_user_id = ${person.id} order by id`,
    )
    return { harvestFeeds, webhooks }
  },
  async erase(db, person) {
    await db.execute(
      sql`update harvest_feeds set created_by_user_id = null where created_by_user_id = ${person.id}`,
    )
    await db.execute(
      sql`update webhook_subscriptions set created_by_user_id = null where created_by_user_id = ${person.id}`,
    )
    return undefined
  },
})
