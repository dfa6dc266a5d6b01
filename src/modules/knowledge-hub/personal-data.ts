import { rows, sql } from '../../platform/db/index.ts'
import { registerPersonalData } from '../../platform/personal-data.ts'

/**
 * A person's contributions to the hub and their newsletter subscriptions (by their account's
 * address). Contributions not published are theirs alone and are erased; published ones are the
 * library's now and stay, without the contributor or the credit with their name. Subscriptions and
 * their deliveries are erased. Reviews and newsletter issues they made as curator stay without their
 * id (`created_by` of an issue is NOT NULL: it becomes 0, an id no account has).
 */
export const knowledgeHubPersonalData = registerPersonalData({
  module: 'knowledge-hub',
  async export(db, person) {
    const contributions = await rows(
      db,
      sql`select id::int as id, city_id::int as "cityId", title, summary, links, type, publisher, year,
            languages, topics, status, credit_consent as "creditConsent", credit_name as "creditName",
            decline_reason as "declineReason", created_at as "createdAt", published_at as "publishedAt"
          from hub_resources where submitted_by = ${person.id} order by id`,
    )
    // `key` is left out: confirm and unsubscribe links are made from it.
    const newsletterSubscriptions = await rows(
      db,
      sql`select id::int as id, city_id::int as "cityId", email, language, status, created_at as "createdAt",
            confirmed_at as "confirmedAt", unsubscribed_at as "unsubscribedAt"
          from hub_subscriptions where email = ${person.email} order by id`,
    )
    return { contributions, newsletterSubscriptions }
  },
  async erase(db, person) {
    const id = person.id
    await db.execute(sql`delete from hub_resources where submitted_by = ${id} and status <> 'published'`)
    await db.execute(
      sql`update hub_resources set submitted_by = null, credit_consent = false, credit_name = null
          where submitted_by = ${id}`,
    )
    await db.execute(sql`update hub_resources set reviewed_by = null where reviewed_by = ${id}`)
    await db.execute(
      sql`delete from hub_newsletter_deliveries
          where subscription_id in (select id from hub_subscriptions where email = ${person.email})`,
    )
    await db.execute(sql`delete from hub_subscriptions where email = ${person.email}`)
    await db.execute(sql`update hub_newsletter_issues set created_by = 0 where created_by = ${id}`)
    await db.execute(sql`update hub_newsletter_issues set sent_by = null where sent_by = ${id}`)
    return undefined
  },
})
