import { arrayOf, type Db, firstRow, rows, sql } from '../../../platform/db/index.ts'
import type { EvidenceFileType, SubmissionStatus } from '../schema-evidence.ts'

export interface SubmissionRow {
  id: number
  cityId: number
  achievementId: number
  organizationId: number | null
  learnerUserId: number
  status: SubmissionStatus
  narrative: string
  links: string[]
  fileType: EvidenceFileType | null
  fileSize: number | null
  feedback: string | null
  round: number
  reviewedByUserId: number | null
  awardId: number | null
  submittedAt: string
  reviewedAt: string | null
}

/** Everything but the file's bytes, which only the download reads. */
const columns = sql`s.id::int as id, s.city_id::int as "cityId", s.achievement_id::int as "achievementId",
  s.organization_id::int as "organizationId", s.learner_user_id::int as "learnerUserId", s.status, s.narrative,
  s.links, s.file_type as "fileType", s.file_size as "fileSize", s.feedback, s.round,
  s.reviewed_by_user_id::int as "reviewedByUserId", s.award_id::int as "awardId", s.submitted_at as "submittedAt",
  s.reviewed_at as "reviewedAt"`

export interface SubmissionWrite {
  narrative: string
  links: string[]
  file: { bytes: Buffer; type: EvidenceFileType } | null
}

/** A new open submission; undefined when the learner already has one for this achievement. */
export async function insertSubmission(
  db: Db,
  s: { cityId: number; achievementId: number; organizationId: number | null; learnerUserId: number },
  w: SubmissionWrite,
): Promise<number | undefined> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into badge_evidence_submissions (city_id, achievement_id, organization_id, learner_user_id, narrative,
          links, file, file_type, file_size)
        values (${s.cityId}, ${s.achievementId}, ${s.organizationId}, ${s.learnerUserId}, ${w.narrative},
          ${arrayOf(w.links, 'text')}, ${w.file?.bytes ?? null}, ${w.file?.type ?? null}, ${w.file?.bytes.length ?? null})
        on conflict do nothing returning id::int as id`,
  )
  return row?.id
}

/** Resubmits a returned submission (a new round); a new file replaces the old, none keeps it. */
export async function resubmit(db: Db, id: number, w: SubmissionWrite): Promise<boolean> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`update badge_evidence_submissions set status = 'submitted', narrative = ${w.narrative},
          links = ${arrayOf(w.links, 'text')}, file = coalesce(${w.file?.bytes ?? null}, file),
          file_type = coalesce(${w.file?.type ?? null}, file_type), file_size = coalesce(${w.file?.bytes.length ?? null}, file_size),
          round = round + 1, submitted_at = now(), updated_at = now()
        where id = ${id} and status = 'returned' returning id::int as id`,
  )
  return row !== undefined
}

export function findSubmission(db: Db, cityId: number, id: number) {
  return firstRow<SubmissionRow>(
    db,
    sql`select ${columns} from badge_evidence_submissions s where s.city_id = ${cityId} and s.id = ${id}`,
  )
}

/** The learner's open submission for an achievement (submitted or returned). */
export function findOpenSubmission(db: Db, achievementId: number, learnerUserId: number) {
  return firstRow<SubmissionRow>(
    db,
    sql`select ${columns} from badge_evidence_submissions s
        where s.achievement_id = ${achievementId} and s.learner_user_id = ${learnerUserId}
          and s.status in ('submitted', 'returned')`,
  )
}

export function submissionFile(db: Db, id: number) {
  return firstRow<{ file: Buffer; fileType: EvidenceFileType }>(
    db,
    sql`select file, file_type as "fileType" from badge_evidence_submissions where id = ${id} and file is not null`,
  )
}

/**
 * Moves a submission on from one status to another, once: false when it is no longer in `from`
 * (someone else decided first), so two reviewers cannot both approve.
 */
export async function decide(
  db: Db,
  id: number,
  from: SubmissionStatus,
  to: SubmissionStatus,
  change: { feedback?: string | null; reviewedByUserId?: number | null } = {},
): Promise<boolean> {
  const reviewed = change.reviewedByUserId !== undefined
  const row = await firstRow<{ id: number }>(
    db,
    sql`update badge_evidence_submissions set status = ${to},
          feedback = ${change.feedback === undefined ? sql`feedback` : change.feedback},
          reviewed_by_user_id = ${reviewed ? change.reviewedByUserId : sql`reviewed_by_user_id`},
          reviewed_at = ${reviewed ? sql`now()` : sql`reviewed_at`}, updated_at = now()
        where id = ${id} and status = ${from} returning id::int as id`,
  )
  return row !== undefined
}

export async function linkAward(db: Db, id: number, awardId: number) {
  await db.execute(sql`update badge_evidence_submissions set award_id = ${awardId} where id = ${id}`)
}

export type QueueRow = SubmissionRow & {
  learnerName: string
  achievementName: Record<string, string>
}

/** Submissions waiting for this issuer (organization, or the city when null), oldest first. */
export function listQueue(db: Db, cityId: number, organizationId: number | null, status: SubmissionStatus) {
  const who =
    organizationId === null ? sql`s.organization_id is null` : sql`s.organization_id = ${organizationId}`
  return rows<QueueRow>(
    db,
    sql`select ${columns}, u.display_name as "learnerName", a.name as "achievementName"
        from badge_evidence_submissions s
        join users u on u.id = s.learner_user_id
        join badge_achievements a on a.id = s.achievement_id
        where s.city_id = ${cityId} and ${who} and s.status = ${status}
        order by s.submitted_at, s.id limit 200`,
  )
}

/** A learner's submissions in a city, newest first. */
export function listOfLearner(db: Db, cityId: number, learnerUserId: number) {
  return rows<SubmissionRow & { achievementName: Record<string, string> }>(
    db,
    sql`select ${columns}, a.name as "achievementName"
        from badge_evidence_submissions s join badge_achievements a on a.id = s.achievement_id
        where s.city_id = ${cityId} and s.learner_user_id = ${learnerUserId}
        order by s.updated_at desc, s.id desc limit 200`,
  )
}

/**
 * The city's badges a learner may apply for with evidence: they accept it, are not archived, and
 * the learner neither holds one nor has an open or approved submission for it.
 */
export function listOpenForEvidence(db: Db, cityId: number, learnerUserId: number) {
  return rows<{ id: number; name: Record<string, string> }>(
    db,
    sql`select a.id::int as id, a.name from badge_achievements a
        where a.city_id = ${cityId} and a.accepts_evidence and a.archived_at is null
          and not exists (select 1 from badge_awards w where w.achievement_id = a.id
            and w.recipient_user_id = ${learnerUserId} and w.status <> 'revoked')
          and not exists (select 1 from badge_evidence_submissions s where s.achievement_id = a.id
            and s.learner_user_id = ${learnerUserId} and s.status in ('submitted', 'returned', 'approved'))
        order by a.id desc limit 200`,
  )
}
