import { rows, sql } from '../../platform/db/index.ts'
import { registerPersonalData } from '../../platform/personal-data.ts'

/**
 * A person's saved searches (with their digest settings) and what they told "what next?" (interests,
 * district). Both are theirs alone and are erased. Opportunities a coordinator featured stay featured
 * for the city, with no link to the person (featured_by 0: no account has that id).
 */
export const discoveryPersonalData = registerPersonalData({
  module: 'discovery',
  async export(db, person) {
    const savedSearches = await rows(
      db,
      // `key` is left out: it is the secret of the digest's unsubscribe link.
      sql`select id::int as id, city_id::int as "cityId", name, query, language, frequency,
            created_at as "createdAt", last_sent_at as "lastSentAt"
          from discovery_saved_searches where user_id = ${person.id} order by id`,
    )
    const interests = await rows(
      db,
      sql`select city_id::int as "cityId", interests, district_code as "districtCode", updated_at as "updatedAt"
          from discovery_learner_preferences where user_id = ${person.id} order by city_id`,
    )
    const featured = await rows(
      db,
      sql`select city_id::int as "cityId", opportunity_id::int as "opportunityId", until, created_at as "createdAt"
          from discovery_featured where featured_by = ${person.id} order by created_at`,
    )
    return { savedSearches, interests, featured }
  },
  async erase(db, person) {
    await db.execute(sql`delete from discovery_saved_searches where user_id = ${person.id}`)
    await db.execute(sql`delete from discovery_learner_preferences where user_id = ${person.id}`)
    await db.execute(sql`update discovery_featured set featured_by = 0 where featured_by = ${person.id}`)
    return undefined
  },
})
