import { sql } from 'drizzle-orm'
import { customType, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, updatedAt } from '../../platform/db/columns.ts'

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

export const SUBMISSION_STATUSES = ['submitted', 'returned', 'approved', 'withdrawn'] as const
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number]

export const EVIDENCE_FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const
export type EvidenceFileType = (typeof EVIDENCE_FILE_TYPES)[number]

/**
 * Evidence a learner submits for an achievement that accepts it, reviewed by the issuer
 * (`organization_id`, the achievement's owner; null for a city badge). A returned submission is
 * resubmitted in the same row (`round` counts the rounds); approved and withdrawn ones are closed.
 * The optional file is kept here, with the type its first bytes showed; the client's file name is
 * never stored.
 */
export const badgeEvidenceSubmissions = pgTable(
  'badge_evidence_submissions',
  {
    id: id(),
    cityId: cityId(),
    achievementId: ref('achievement_id').notNull(),
    organizationId: ref('organization_id'),
    learnerUserId: ref('learner_user_id').notNull(),
    status: text('status').$type<SubmissionStatus>().notNull().default('submitted'),
    narrative: text('narrative').notNull(),
    links: text('links').array().notNull().default(sql`'{}'::text[]`),
    file: bytea('file'),
    fileType: text('file_type').$type<EvidenceFileType>(),
    fileSize: integer('file_size'),
    feedback: text('feedback'),
    round: integer('round').notNull().default(1),
    reviewedByUserId: ref('reviewed_by_user_id'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    awardId: ref('award_id'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One open submission per learner and achievement.
    uniqueIndex('badge_evidence_open_key')
      .on(t.achievementId, t.learnerUserId)
      .where(sql`status in ('submitted', 'returned')`),
    index('badge_evidence_queue_idx').on(t.cityId, t.organizationId, t.status),
    index('badge_evidence_learner_idx').on(t.learnerUserId),
  ],
)
