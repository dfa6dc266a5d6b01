import { type Json, parseDateTime, validityDates } from './credential.ts'
import { type Check, check, type Problem } from './report.ts'

/** Clocks disagree; a badge issued a few minutes "in the future" is not refused for it. */
export const CLOCK_SKEW_MS = 5 * 60_000

/**
 * The validity window at `now`: not yet valid before validFrom (issuanceDate in VC 1.1),
 * expired after validUntil (expirationDate). Malformed dates are the structure check's.
 */
export function checkDates(credential: Json, now: Date): Check {
  const dates = validityDates(credential)
  const from = parseDateTime(dates.from)
  const until = parseDateTime(dates.until)
  if (!from && !until) return { id: 'dates', outcome: 'not-applicable', problems: [] }
  const problems: Problem[] = []
  if (from && from.getTime() - CLOCK_SKEW_MS > now.getTime())
    problems.push({ code: 'not-yet-valid', detail: { date: from.toISOString() } })
  if (until && until.getTime() + CLOCK_SKEW_MS < now.getTime())
    problems.push({ code: 'expired', detail: { date: until.toISOString() } })
  return check('dates', problems)
}
