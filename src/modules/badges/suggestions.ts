/**
 * What "what next?" (discovery) needs to know of a learner's badges in one city: the badges they
 * hold, with their tags, and the badges they could still earn by attending an opportunity.
 */
import { type Db, firstRow, sql } from '../../platform/db/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'

export interface HeldBadge {
  achievementId: number
  name: TranslatedText
  /** Lower-cased, level tags left out. */
  tags: string[]
}

export interface EarnableBadge {
  achievementId: number
  name: TranslatedText
  /** The opportunities whose attendance awards it. */
  opportunityIds: number[]
}

export interface LearnerBadges {
  held: HeldBadge[]
  earnable: EarnableBadge[]
}

/** At most this many of each, the latest first: enough to explain suggestions, never the whole catalogue. */
const MOST = 50

/**
 * The learner's live badges of the city (neither revoked nor suspended nor expired) and the city's
 * badges they do not hold that attending an opportunity awards (not archived).
 */
export async function learnerBadges(
  db: Db,
  cityId: number,
  userId: number,
  now: Date,
): Promise<LearnerBadges> {
  const row = await firstRow<LearnerBadges>(
    db,
    sql`select
          (select coalesce(jsonb_agg(jsonb_build_object('achievementId', h.id, 'name', h.name, 'tags', h.tags)
                   order by h.issued desc, h.id), '[]')
           from (select a.id::int as id, a.name, max(w.issued_at) as issued,
                   (select coalesce(jsonb_agg(distinct lower(t)), '[]') from unnest(a.tags) as t) as tags
                 from badge_awards w join badge_achievements a on a.id = w.achievement_id
                 where w.city_id = ${cityId} and w.recipient_user_id = ${userId} and w.status = 'active'
                   and (w.valid_until is null or w.valid_until > ${now.toISOString()})
                 group by a.id order by issued desc, a.id limit ${MOST}) h) as held,
          (select coalesce(jsonb_agg(jsonb_build_object('achievementId', e.id, 'name', e.name,
                     'opportunityIds', e.opportunity_ids) order by e.id), '[]')
           from (select a.id::int as id, a.name, a.opportunity_ids
                 from badge_achievements a
                 where a.city_id = ${cityId} and a.archived_at is null and cardinality(a.opportunity_ids) > 0
                   and not exists (select 1 from badge_awards w where w.achievement_id = a.id
                     and w.recipient_user_id = ${userId} and w.status <> 'revoked')
                 order by a.id desc limit ${MOST}) e) as earnable`,
  )
  return {
    held: (row?.held ?? []).map((h) => ({ ...h, tags: h.tags.filter((t) => !t.startsWith('level:')) })),
    earnable: (row?.earnable ?? []).map((e) => ({ ...e, opportunityIds: e.opportunityIds.map(Number) })),
  }
}
