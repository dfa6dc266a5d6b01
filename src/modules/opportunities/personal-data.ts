import { rows, sql } from '../../platform/db/index.ts'
import { registerPersonalData } from '../../platform/personal-data.ts'

/** What the change log and imports show as "who" once the person is gone: no name, no language. */
const ANONYMOUS = '—'

/**
 * What a person did to opportunities as a provider's staff: the change log (the audit trail providers
 * and coordinators read) and the files they imported. Both stay for the provider, without the link to
 * the person: the actor's id becomes null and the name shown becomes a dash.
 */
export const opportunitiesPersonalData = registerPersonalData({
  module: 'opportunities',
  async export(db, person) {
    // The changed fields' names only: their values are the provider's data and may name other people.
    const changes = await rows(
      db,
      sql`select c.opportunity_id::int as "opportunityId", c.city_id::int as "cityId", c.action,
            array(select jsonb_object_keys(c.diff) order by 1) as "changedFields", c.created_at as "createdAt"
          from opportunity_changes c where c.actor_user_id = ${person.id} order by c.id`,
    )
    const imports = await rows(
      db,
      sql`select id::int as id, organization_id::int as "organizationId", file_name as "fileName", status,
            imported, updated, rejected, created_at as "createdAt"
          from opportunity_imports where created_by_user_id = ${person.id} order by id`,
    )
    return { changes, imports }
  },
  async erase(db, person) {
    await db.execute(
      sql`update opportunity_changes set actor_user_id = null, actor_label = ${ANONYMOUS}
          where actor_user_id = ${person.id}`,
    )
    await db.execute(
      sql`update opportunity_imports set created_by_user_id = null,
            actor = actor || jsonb_build_object('userId', null, 'label', ${ANONYMOUS}::text)
          where created_by_user_id = ${person.id}`,
    )
    return undefined
  },
})
