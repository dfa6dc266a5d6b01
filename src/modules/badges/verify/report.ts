/** The checks every verification reports, in the order a reader meets them. */
export const CHECKS = ['structure', 'terms', 'proof', 'issuer-key', 'dates', 'status'] as const
export type CheckId = (typeof CHECKS)[number]

/**
 * pass: checked and fine. fail: checked and wrong (the credential is not valid). unavailable:
 * could not be checked (a key or status list could not be had). not-applicable: nothing to check
 * (no status entry, no validity dates).
 */
export type Outcome = 'pass' | 'fail' | 'unavailable' | 'not-applicable'

/** Why a check did not pass; every code has a message in each language (verify/messages). */
export const PROBLEMS = [
  // structure
  'context-first',
  'type-not-credential',
  'type-not-badge',
  'issuer-missing',
  'issuer-not-url',
  'subject-missing',
  'achievement-missing',
  'date-malformed',
  'jwt-claims-mismatch',
  // terms
  'context-not-bundled',
  'undefined-term',
  'jsonld-invalid',
  // proof
  'no-proof',
  'signature-invalid',
  'unsupported-proof',
  'proof-purpose',
  'key-unresolvable',
  'bare-did-method',
  'jwt-alg-not-allowed',
  'jwt-malformed',
  // issuer-key
  'issuer-not-controller',
  'key-not-issuers',
  'key-from-credential-only',
  // dates
  'expired',
  'not-yet-valid',
  // status
  'revoked',
  'suspended',
  'status-unreachable',
  'status-list-invalid',
  'status-list-expired',
  'status-list-not-yet-valid',
  'status-list-malformed',
  'status-unsupported',
  'status-entry-invalid',
] as const
export type ProblemCode = (typeof PROBLEMS)[number]

/** One reason, with the facts (a date, a URL, a term) its message names. */
export interface Problem {
  code: ProblemCode
  /** Values the message shows, e.g. { date } or { url } or { term }; never markup. */
  detail?: Record<string, string>
}

export interface Check {
  id: CheckId
  outcome: Outcome
  problems: Problem[]
}

/** What a person needs to see of the badge; every field is text from the credential. */
export interface BadgeView {
  name?: string
  description?: string
  image?: string
  imageCaption?: string
  criteria?: string
  criteriaUrl?: string
  issuerName?: string
  issuerId?: string
  issuerUrl?: string
  recipient?: string
  recipientHashed?: boolean
  validFrom?: string
  validUntil?: string
  credentialType?: string
}

export type Verdict = 'valid' | 'invalid' | 'unconfirmed'

export interface Report {
  /** valid: every check passed. invalid: one failed. unconfirmed: none failed, one could not be made. */
  verdict: Verdict
  format: 'json-ld' | 'vc-jwt'
  /** Baked image the credential came out of. */
  baked?: 'png' | 'svg'
  checks: Check[]
  badge: BadgeView
  /** Credentials embedded in a CLR, each verified the same way. */
  nested: Report[]
}

/** The verdict the checks add up to. */
export function verdictOf(checks: Check[], nested: Report[] = []): Verdict {
  const all = [...checks.map((c) => c.outcome), ...nested.map((n) => outcomeOfVerdict(n.verdict))]
  if (all.includes('fail')) return 'invalid'
  if (all.includes('unavailable')) return 'unconfirmed'
  return 'valid'
}

function outcomeOfVerdict(verdict: Verdict): Outcome {
  return verdict === 'valid' ? 'pass' : verdict === 'invalid' ? 'fail' : 'unavailable'
}

/** A check from its problems: pass when there are none. */
export function check(id: CheckId, problems: Problem[], whenProblems: Outcome = 'fail'): Check {
  return { id, outcome: problems.length === 0 ? 'pass' : whenProblems, problems }
}
