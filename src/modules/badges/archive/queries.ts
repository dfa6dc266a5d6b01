import { type Db, rows, sql } from '../../../platform/db/index.ts'
import type { AwardStatus } from '../schema.ts'

/** Every issuer (of one city, or all), with its did:web path such as issuers:chicago:acme. */
export function archiveIssuers(db: Db, cityId: number | null) {
  return rows<{ id: number; path: string; did: string }>(
    db,
    sql`select id::int as id, path, did from badge_issuers
        where ${cityId === null ? sql`true` : sql`city_id = ${cityId}`} order by id`,
  )
}

/** Live achievements (archived ones are not served either). */
export function archiveAchievements(db: Db, cityId: number | null) {
  return rows<{ id: number; hasImage: boolean }>(
    db,
    sql`select id::int as id, image is not null as "hasImage" from badge_achievements
        where archived_at is null and ${cityId === null ? sql`true` : sql`city_id = ${cityId}`} order by id`,
  )
}

export interface ArchivedAward {
  uuid: string
  status: AwardStatus
  citySlug: string
  cityLanguage: string
  credential: Record<string, unknown>
}

/** Credentials their learners made public; private ones never leave the database. */
export function archivePublicAwards(db: Db, cityId: number | null) {
  return rows<ArchivedAward>(
    db,
    sql`select a.uuid, a.status, c.slug as "citySlug", c.default_language as "cityLanguage", a.credential
        from badge_awards a join cities c on c.id = a.city_id
        where a.visibility = 'public' and ${cityId === null ? sql`true` : sql`a.city_id = ${cityId}`}
        order by a.id`,
  )
}
