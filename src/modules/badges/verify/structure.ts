import {
  isObject,
  issuerId,
  type Json,
  parseDateTime,
  strings,
  validityDates,
  values,
  vcVersion,
} from './credential.ts'
import type { Problem } from './report.ts'

/** Credential types this verifier reads as badges (AchievementCredential is OB's alias). */
export const BADGE_TYPES = [
  'OpenBadgeCredential',
  'AchievementCredential',
  'EndorsementCredential',
  'ClrCredential',
]

const ACHIEVEMENT_TYPES = ['OpenBadgeCredential', 'AchievementCredential']

/**
 * The shape rules of VC 1.1/2.0 and Open Badges 3.0 that a reader relies on: a credential
 * context first, a badge type (not asked of status lists), an issuer with a URL id, a subject
 * holding an achievement, and well-formed dates.
 */
export function structureProblems(credential: Json, kind: 'badge' | 'status-list' = 'badge'): Problem[] {
  const problems: Problem[] = []
  if (!vcVersion(credential)) problems.push({ code: 'context-first' })
  const types = strings(credential.type)
  if (!types.includes('VerifiableCredential')) problems.push({ code: 'type-not-credential' })
  else if (kind === 'badge' && !types.some((t) => BADGE_TYPES.includes(t)))
    problems.push({ code: 'type-not-badge', detail: { type: types.join(', ') } })
  const issuer = values(credential.issuer)
  if (issuer.length !== 1) problems.push({ code: 'issuer-missing' })
  else if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(issuerId(credential) ?? ''))
    problems.push({ code: 'issuer-not-url' })
  const subjects = values(credential.credentialSubject)
  if (subjects.length === 0 || !subjects.every(isObject)) problems.push({ code: 'subject-missing' })
  else if (types.some((t) => ACHIEVEMENT_TYPES.includes(t))) {
    // A subject without `id` or `identifier` is not refused (real badges do it): the page says
    // that the recipient is not named.
    for (const subject of subjects as Json[])
      if (!isObject(subject.achievement)) problems.push({ code: 'achievement-missing' })
  }
  const dates = validityDates(credential)
  if (vcVersion(credential) === 1 && dates.fromField === 'issuanceDate' && dates.from === undefined)
    problems.push({ code: 'date-malformed', detail: { field: 'issuanceDate' } })
  for (const [field, value] of [
    [dates.fromField, dates.from],
    [dates.untilField, dates.until],
  ] as const) {
    if (value !== undefined && !parseDateTime(value))
      problems.push({ code: 'date-malformed', detail: { field } })
  }
  return problems
}
