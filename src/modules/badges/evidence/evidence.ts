import { z } from 'zod'
import { isLang, translated, translator } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { cityRolesOf, findUserById } from '../../accounts/index.ts'
import { findCityById } from '../../cities/index.ts'
import { staffRolesOf } from '../../organizations/index.ts'
import { type BadgeActor, mayAward } from '../achievements.ts'
import { issueCredential } from '../awards.ts'
import type { EvidenceClaim } from '../issue/credential.ts'
import * as badges from '../repository.ts'
import { checkEvidenceFile, MAX_EVIDENCE_FILE_BYTES } from './files.ts'
import * as repo from './repository.ts'

export const MAX_LINKS = 5
export const MAX_NARRATIVE = 5000
export const MAX_FEEDBACK = 2000

/** A problem with one field, as a stable code (pages translate it) and an English detail (the API). */
export interface EvidenceProblem {
  field: 'narrative' | 'links' | 'file' | 'feedback' | 'decision'
  code: string
  detail: string
}

export type EvidenceResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: 'invalid' | 'forbidden' | 'not-found' | 'conflict'; problems: EvidenceProblem[] }

const fail = (
  error: 'invalid' | 'forbidden' | 'not-found' | 'conflict',
  problems: EvidenceProblem[] = [],
): { ok: false; error: typeof error; problems: EvidenceProblem[] } => ({ ok: false, error, problems })

/** An http(s) address without user name or password, as the browser would write it. */
function normalisedLink(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim())
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
      return undefined
    // Characters an IRI cannot hold are percent-encoded by the URL parser; refuse what is left over.
    if (/[\s<>"{}|\\^`]/.test(url.href) || url.href.length > 500) return undefined
    return url.href
  } catch {
    return undefined
  }
}

/** The boundary schema of a submission: a statement and up to five http(s) links. */
export const submissionInput = z.object({
  narrative: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(MAX_NARRATIVE, `at most ${MAX_NARRATIVE} characters`),
  links: z
    .array(z.string())
    .default([])
    .transform((l) => l.map((s) => s.trim()).filter(Boolean)),
})

export interface EvidenceFile {
  bytes: Uint8Array
  /** The size the upload declared, when its bytes were not read because it was too big. */
  size?: number
}

function checkSubmission(raw: unknown, file: EvidenceFile | null): EvidenceResult<repo.SubmissionWrite> {
  const problems: EvidenceProblem[] = []
  const parsed = submissionInput.safeParse(raw)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === 'links' ? 'links' : 'narrative'
      problems.push({
        field,
        code: field === 'narrative' && issue.code === 'too_big' ? 'narrative-too-long' : `${field}-required`,
        detail: issue.message,
      })
    }
  }
  const links: string[] = []
  // The links are checked even when the statement is missing, so every error shows at once.
  const given = submissionInput.shape.links.safeParse((raw as { links?: unknown } | null)?.links)
  if (given.success) {
    if (given.data.length > MAX_LINKS)
      problems.push({ field: 'links', code: 'too-many-links', detail: `at most ${MAX_LINKS} links` })
    for (const link of given.data.slice(0, MAX_LINKS)) {
      const ok = normalisedLink(link)
      if (!ok) {
        problems.push({
          field: 'links',
          code: 'bad-link',
          detail: `${link.slice(0, 100)} is not an http(s) address`,
        })
      } else if (!links.includes(ok)) links.push(ok)
    }
  }
  let stored: repo.SubmissionWrite['file'] = null
  if (file && (file.size ?? file.bytes.length) > MAX_EVIDENCE_FILE_BYTES)
    problems.push({ field: 'file', code: 'file-too-large', detail: 'must be at most 5 MB' })
  else if (file && file.bytes.length > 0) {
    const checked = checkEvidenceFile(file.bytes)
    if (checked.ok) stored = { bytes: Buffer.from(file.bytes), type: checked.type }
    else
      problems.push({
        field: 'file',
        code: `file-${checked.problem}`,
        detail: checked.problem === 'too-large' ? 'must be at most 5 MB' : 'must be a PDF, PNG or JPEG file',
      })
  }
  if (!parsed.success || problems.length) return fail('invalid', problems)
  return { ok: true, value: { narrative: parsed.data.narrative, links, file: stored } }
}

/** An achievement a learner may apply for: live, in this city, accepting evidence. */
export async function applicableAchievement(platform: Platform, cityId: number, achievementId: number) {
  const found = await badges.findAchievement(platform.db, cityId, achievementId)
  return found && !found.archived && found.acceptsEvidence ? found : undefined
}

/**
 * A signed-in learner submits evidence for an achievement that accepts it, or resubmits the one
 * that was returned to them. One open submission per learner and achievement; someone who holds
 * the badge already cannot apply.
 */
export async function submitEvidence(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  achievementId: number,
  raw: unknown,
  file: EvidenceFile | null = null,
): Promise<EvidenceResult<repo.SubmissionRow>> {
  const achievement = await applicableAchievement(platform, cityId, achievementId)
  if (!achievement) return fail('not-found')
  if (await badges.holdsAchievement(platform.db, achievementId, actor.userId))
    return fail('conflict', [
      { field: 'decision', code: 'holds-badge', detail: 'you hold this badge already' },
    ])
  const checked = checkSubmission(raw, file)
  if (!checked.ok) return checked
  const open = await repo.findOpenSubmission(platform.db, achievementId, actor.userId)
  if (open?.status === 'submitted')
    return fail('conflict', [
      { field: 'decision', code: 'already-open', detail: 'your evidence is waiting for review already' },
    ])
  let id: number | undefined
  if (open?.status === 'returned') {
    if (await repo.resubmit(platform.db, open.id, checked.value)) id = open.id
  } else {
    id = await repo.insertSubmission(
      platform.db,
      { cityId, achievementId, organizationId: achievement.organizationId, learnerUserId: actor.userId },
      checked.value,
    )
  }
  if (id === undefined)
    return fail('conflict', [
      { field: 'decision', code: 'already-open', detail: 'your evidence is waiting for review already' },
    ])
  return { ok: true, value: (await repo.findSubmission(platform.db, cityId, id))! }
}

/** The learner takes back an open submission. */
export async function withdrawSubmission(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  id: number,
): Promise<EvidenceResult<repo.SubmissionRow>> {
  const found = await repo.findSubmission(platform.db, cityId, id)
  if (!found || found.learnerUserId !== actor.userId) return fail('not-found')
  const done =
    (await repo.decide(platform.db, id, 'submitted', 'withdrawn')) ||
    (await repo.decide(platform.db, id, 'returned', 'withdrawn'))
  if (!done) return fail('conflict', [{ field: 'decision', code: 'closed', detail: 'it is closed already' }])
  return { ok: true, value: (await repo.findSubmission(platform.db, cityId, id))! }
}

/** May the actor review this submission? Who may award the badge for its issuer, never its learner. */
export async function mayReview(platform: Platform, actor: BadgeActor, submission: repo.SubmissionRow) {
  if (submission.learnerUserId === actor.userId) return false
  const achievement = await badges.findAchievement(platform.db, submission.cityId, submission.achievementId)
  return achievement ? mayAward(platform, actor, achievement, submission.organizationId) : false
}

/**
 * May the actor review the queue of this issuer: issuers and admins of the organization, or for the
 * city's own badges (null) its coordinators. (Each decision checks mayReview again.)
 */
export async function mayReviewFor(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  organizationId: number | null,
): Promise<boolean> {
  if (actor.isNetworkAdmin) return true
  if (organizationId === null)
    return (await cityRolesOf(platform.db, actor.userId, cityId)).includes('coordinator')
  return (await staffRolesOf(platform.db, cityId, actor.userId)).some(
    (r) => r.organizationId === organizationId && (r.role === 'issuer' || r.role === 'admin'),
  )
}

/** The submission if the actor is its learner or may review it. */
export async function visibleSubmission(platform: Platform, actor: BadgeActor, cityId: number, id: number) {
  const found = await repo.findSubmission(platform.db, cityId, id)
  if (!found) return undefined
  if (found.learnerUserId === actor.userId || (await mayReview(platform, actor, found))) return found
  return undefined
}

/** The OB 3.0 evidence of a submission: the learner's statement, then each link. */
export function evidenceOf(submission: repo.SubmissionRow): EvidenceClaim[] {
  return [{ narrative: submission.narrative }, ...submission.links.map((id) => ({ id }))]
}

export type Decision = { decision: 'approve' } | { decision: 'return'; feedback: string }

/**
 * The issuer's decision on a waiting submission. Approving issues the credential with the evidence
 * in it; returning needs feedback, which the learner sees and answers by resubmitting. The learner
 * is mailed either way. Only one decision is taken on a round, even when two reviewers click at once.
 */
export async function reviewSubmission(
  platform: Platform,
  actor: BadgeActor,
  cityId: number,
  id: number,
  decision: Decision,
): Promise<EvidenceResult<repo.SubmissionRow>> {
  const found = await repo.findSubmission(platform.db, cityId, id)
  if (!found) return fail('not-found')
  if (!(await mayReview(platform, actor, found))) return fail('forbidden')
  if (found.status !== 'submitted')
    return fail('conflict', [{ field: 'decision', code: 'not-waiting', detail: `it is ${found.status}` }])
  if (decision.decision === 'return') {
    const feedback = decision.feedback.trim()
    if (!feedback || feedback.length > MAX_FEEDBACK)
      return fail('invalid', [
        {
          field: 'feedback',
          code: feedback ? 'feedback-too-long' : 'feedback-required',
          detail: feedback ? `at most ${MAX_FEEDBACK} characters` : 'say what is missing',
        },
      ])
    if (
      !(await repo.decide(platform.db, id, 'submitted', 'returned', {
        feedback,
        reviewedByUserId: actor.userId,
      }))
    )
      return fail('conflict', [{ field: 'decision', code: 'not-waiting', detail: 'decided already' }])
    const returned = (await repo.findSubmission(platform.db, cityId, id))!
    await mailLearner(platform, returned, 'returned')
    return { ok: true, value: returned }
  }
  const achievement = (await badges.findAchievement(platform.db, cityId, found.achievementId))!
  if (
    !(await repo.decide(platform.db, id, 'submitted', 'approved', {
      feedback: null,
      reviewedByUserId: actor.userId,
    }))
  )
    return fail('conflict', [{ field: 'decision', code: 'not-waiting', detail: 'decided already' }])
  const issued = await issueCredential(platform, {
    achievement,
    organizationId: found.organizationId,
    recipientUserId: found.learnerUserId,
    path: 'evidence',
    source: `evidence:${id}`,
    awardedByUserId: actor.userId,
    evidence: evidenceOf(found),
  })
  if (!issued.ok) {
    // Not issued (e.g. the learner was given the badge meanwhile): the submission waits again.
    await repo.decide(platform.db, id, 'approved', 'submitted', { reviewedByUserId: null })
    return fail('conflict', [
      {
        field: 'decision',
        code: 'not-issued',
        detail: issued.fields[0]?.detail ?? 'the badge was not issued',
      },
    ])
  }
  await repo.linkAward(platform.db, id, issued.value.id)
  const approved = (await repo.findSubmission(platform.db, cityId, id))!
  await mailLearner(platform, approved, 'approved')
  return { ok: true, value: approved }
}

/** Tells the learner the decision, in their language, with the link to their submissions. */
async function mailLearner(platform: Platform, s: repo.SubmissionRow, decision: 'approved' | 'returned') {
  const user = await findUserById(platform.db, s.learnerUserId)
  const city = await findCityById(platform.db, s.cityId)
  const achievement = await badges.findAchievement(platform.db, s.cityId, s.achievementId)
  if (!user || !city || !achievement) return
  const lang = isLang(user.language)
    ? user.language
    : isLang(city.defaultLanguage)
      ? city.defaultLanguage
      : 'en'
  const t = translator(lang)
  const badge = translated(achievement.name, lang).text
  const link = `${platform.config.publicUrl}/${lang}/${city.slug}/badges/submissions`
  await platform.mail.send({
    to: user.email,
    cityId: s.cityId,
    subject: t(`badge-evidence.mail.${decision}.subject`, { badge }),
    text: t(`badge-evidence.mail.${decision}.body`, {
      name: user.displayName,
      badge,
      feedback: s.feedback ?? '',
      link,
    }),
  })
}
