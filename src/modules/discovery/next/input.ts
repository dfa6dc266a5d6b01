/**
 * The two forms of "what next?" as data: a learner's preferences and a coordinator's featuring.
 * Every value is hostile until checked; each problem names its field and a message key.
 */
import { zonedToUtc } from '../../../platform/time/index.ts'
import { TOPIC } from '../filters.ts'
import type { Preferences } from './repository.ts'

/** The most interests a learner keeps (the most topics a search filters by). */
export const MAX_INTERESTS = 20

export interface Problem {
  field: string
  key: string
  values?: Record<string, string | number>
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: Problem[] }

const text = (v: unknown) => (typeof v === 'string' ? v : '')
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(text)

/**
 * Interests ticked (`interests`) and typed (`more`, separated by commas), checked like the search
 * filters' topics and kept lower-cased, sorted and once each; a district from the city's list, or none.
 */
export function parsePreferences(
  body: Record<string, unknown>,
  districtCodes: ReadonlySet<string>,
): Parsed<Preferences> & { typed: { interests: string[]; more: string; district: string } } {
  const ticked = list(body.interests).map((v) => v.trim().toLowerCase())
  const more = text(body.more).slice(0, 2000)
  const written = more
    .split(/[,،、，]/)
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '')
  const district = text(body.district).trim()
  const typed = { interests: ticked, more, district }
  const problems: Problem[] = []
  const badTicked = ticked.filter((v) => !TOPIC.test(v))
  if (badTicked.length > 0) problems.push({ field: 'interests', key: 'errors.interests' })
  const badWritten = written.filter((v) => !TOPIC.test(v))
  if (badWritten.length > 0)
    problems.push({ field: 'more', key: 'errors.topic', values: { topic: badWritten[0]!.slice(0, 40) } })
  const interests = [...new Set([...ticked, ...written].filter((v) => TOPIC.test(v)))].sort()
  if (interests.length > MAX_INTERESTS)
    problems.push({ field: 'more', key: 'errors.tooMany', values: { max: MAX_INTERESTS } })
  if (district !== '' && !districtCodes.has(district))
    problems.push({ field: 'district', key: 'errors.district' })
  if (problems.length > 0) return { ok: false, problems, typed }
  return { ok: true, value: { interests, districtCode: district === '' ? null : district }, typed }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** The day after a real calendar date 'YYYY-MM-DD', or null for a date that does not exist. */
function dayAfter(date: string): string | null {
  const m = DATE.exec(date)
  if (!m) return null
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (
    d.getUTCFullYear() !== Number(m[1]) ||
    d.getUTCMonth() !== Number(m[2]) - 1 ||
    d.getUTCDate() !== Number(m[3])
  )
    return null
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export interface FeaturingInput {
  opportunityId: number
  /** The instant featuring ends: the end of the chosen day on the city's clock; null for no end. */
  until: Date | null
}

/**
 * Which opportunity to feature (its number, or the address of its page in this city, with or
 * without the host) and until when (a date, inclusive, in the city's time zone).
 */
export function parseFeaturing(
  body: Record<string, unknown>,
  city: { slug: string; timeZone: string },
  now: Date,
): Parsed<FeaturingInput> {
  const problems: Problem[] = []
  const reference = text(body.opportunity).trim()
  let opportunityId: number | null = null
  if (/^\d{1,12}$/.test(reference)) opportunityId = Number(reference)
  else {
    let path = ''
    try {
      path = new URL(reference, 'http://relative.invalid').pathname
    } catch {}
    const m = /^\/[a-z]{2}\/([a-z0-9-]{1,40})\/opportunities\/(\d{1,12})(?:\/[^/]*)?\/?$/.exec(path)
    if (m && reference.length <= 2000) {
      if (m[1] === city.slug) opportunityId = Number(m[2])
      else problems.push({ field: 'opportunity', key: 'errors.otherCity' })
    } else problems.push({ field: 'opportunity', key: 'errors.opportunity' })
  }
  if (opportunityId !== null && !Number.isSafeInteger(opportunityId))
    problems.push({ field: 'opportunity', key: 'errors.opportunity' })
  const untilText = text(body.until).trim()
  let until: Date | null = null
  if (untilText !== '') {
    const after = dayAfter(untilText)
    if (!after) problems.push({ field: 'until', key: 'errors.until' })
    else {
      until = zonedToUtc(`${after}T00:00`, city.timeZone)
      if (until <= now) problems.push({ field: 'until', key: 'errors.untilPast' })
    }
  }
  if (problems.length > 0 || opportunityId === null) return { ok: false, problems }
  return { ok: true, value: { opportunityId, until } }
}
