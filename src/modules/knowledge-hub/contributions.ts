import { hitRateLimit } from '../../platform/http/rate-limit.ts'
import { isLang, type Lang, translated, translator } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { cityRolesOf } from '../accounts/index.ts'
import {
  type ContributionValues,
  type FieldIssue,
  hostOf,
  normaliseUrl,
  parseContribution,
  text,
} from './contribution-input.ts'
import * as repo from './contributions-repository.ts'
import { type CuratorMailCity, mailCurators } from './curator-mail.ts'
import { hubPath, resourcePath } from './paths.ts'

/** Submissions allowed per account and per address in a window (spam protection without a captcha). */
export const SUBMIT_LIMITS = {
  perAccount: { limit: 5, windowSeconds: 3600 },
  perIp: { limit: 20, windowSeconds: 3600 },
}

/** The form's trap field: people never see it, so anything in it was typed by a robot. */
export const HONEYPOT_FIELD = 'website'

export interface Duplicate {
  id: number
  title: { text: string; lang: string }
  status: 'published' | 'submitted'
  reason: 'url' | 'title'
}

export type SubmitResult =
  | { ok: true; value: { id: number | null } }
  | { ok: false; error: 'invalid'; fields: FieldIssue[] }
  | { ok: false; error: 'duplicates'; duplicates: Duplicate[] }
  | { ok: false; error: 'rate-limited'; retryAfter: number }

/** The city a contribution is sent from, and who sends it. */
export interface Submitter {
  /** The city whose hub they send it from (its curators' review links point there). */
  city: CuratorMailCity
  userId: number
  ip: string
  lang: string
}

/** Published or waiting resources that look like this contribution: same address or a similar title. */
export async function findDuplicates(
  platform: Platform,
  cityId: number,
  input: { links: string[]; title: string },
  lang: string,
): Promise<Duplicate[]> {
  const keys = new Set(input.links.map(normaliseUrl).filter(Boolean))
  const hosts = [...new Set(input.links.map(hostOf).filter((h): h is string => Boolean(h)))]
  const candidates = await repo.duplicateCandidates(platform.db, cityId, hosts, input.title)
  const found: Duplicate[] = []
  for (const r of candidates) {
    const sameUrl = r.links.some((l) => keys.has(normaliseUrl(l.url)))
    if (!sameUrl && r.titleScore < 0.4) continue
    found.push({
      id: r.id,
      title: translated(r.title, lang),
      status: r.status as Duplicate['status'],
      reason: sameUrl ? 'url' : 'title',
    })
  }
  return found.sort((a, b) => (a.reason === b.reason ? a.id - b.id : a.reason === 'url' ? -1 : 1))
}

/**
 * Anyone signed in sends a resource. Every contribution waits for a curator (first-time or not); a
 * filled trap field is answered like a success and stores nothing; possible duplicates are shown
 * until the submitter confirms them (`confirmedIds`: the duplicates they were shown; a new one is shown
 * again); accounts and addresses are rate-limited.
 */
export async function submitContribution(
  platform: Platform,
  who: Submitter,
  values: ContributionValues,
  confirmedIds: readonly number[] = [],
): Promise<SubmitResult> {
  if (text(values, HONEYPOT_FIELD).trim() !== '') {
    await hitRateLimit(platform.db, `hub.submit:ip:${who.ip}`, SUBMIT_LIMITS.perIp.limit, 3600)
    return { ok: true, value: { id: null } }
  }
  const parsed = parseContribution(values)
  if (!parsed.ok) return { ok: false, error: 'invalid', fields: parsed.fields }
  const input = parsed.value
  const duplicates = await findDuplicates(platform, who.city.id, input, who.lang)
  if (duplicates.some((d) => !confirmedIds.includes(d.id)))
    return { ok: false, error: 'duplicates', duplicates }
  for (const [key, rule] of [
    [`hub.submit:user:${who.userId}`, SUBMIT_LIMITS.perAccount],
    [`hub.submit:ip:${who.ip}`, SUBMIT_LIMITS.perIp],
  ] as const) {
    const hit = await hitRateLimit(platform.db, key, rule.limit, rule.windowSeconds)
    if (!hit.allowed) return { ok: false, error: 'rate-limited', retryAfter: hit.retryAfter }
  }
  const { city } = who
  const cityId = input.scope === 'network' ? null : city.id
  const id = await repo.insertSubmission(platform.db, cityId, who.userId, input)
  await mailCurators(platform, cityId, city, 'submitted', (_t, lang) => ({
    title: input.title,
    url: input.links[0] ?? '',
    link: `${platform.config.publicUrl}${hubPath(lang, city.slug)}/review/${id}`,
  }))
  return { ok: true, value: { id } }
}

/** Who may review a resource: network admins anything; a city's coordinators that city's resources. */
export async function canReview(
  platform: Platform,
  reviewer: { id: number; isNetworkAdmin: boolean },
  resourceCityId: number | null,
): Promise<boolean> {
  if (reviewer.isNetworkAdmin) return true
  if (resourceCityId === null) return false
  return (await cityRolesOf(platform.db, reviewer.id, resourceCityId)).includes('coordinator')
}

/** Whether a person reviews anything in this city (its coordinators and network admins). */
export async function reviewsIn(
  platform: Platform,
  reviewer: { id: number; isNetworkAdmin: boolean },
  cityId: number,
): Promise<{ city: boolean; network: boolean }> {
  return {
    city: await canReview(platform, reviewer, cityId),
    network: reviewer.isNetworkAdmin,
  }
}

export type Decision =
  | { action: 'publish'; note?: string }
  | { action: 'edit-publish'; values: ContributionValues; note?: string }
  | { action: 'decline'; reason: string }

export type ReviewResult =
  | { ok: true; value: 'published' | 'edited' | 'declined' }
  | { ok: false; error: 'not-found' | 'forbidden' | 'not-waiting' }
  | { ok: false; error: 'invalid'; fields: FieldIssue[] }

const REASON_MAX = 2000

/**
 * A curator's decision on a contribution seen from a city's hub: publish it, edit then publish it, or
 * decline it with a reason. The submitter is emailed the outcome (through the job queue).
 */
export async function reviewContribution(
  platform: Platform,
  reviewer: { id: number; isNetworkAdmin: boolean },
  city: { id: number; slug: string; defaultLanguage: string },
  resourceId: number,
  decision: Decision,
): Promise<ReviewResult> {
  const resource = await repo.findContribution(platform.db, resourceId)
  if (!resource || (resource.cityId !== null && resource.cityId !== city.id))
    return { ok: false, error: 'not-found' }
  if (!(await canReview(platform, reviewer, resource.cityId))) return { ok: false, error: 'forbidden' }
  if (resource.status !== 'submitted') return { ok: false, error: 'not-waiting' }

  let outcome: 'published' | 'edited' | 'declined'
  if (decision.action === 'decline') {
    const reason = decision.reason.trim()
    if (!reason) return { ok: false, error: 'invalid', fields: [{ field: 'reason', key: 'reason' }] }
    if (reason.length > REASON_MAX)
      return { ok: false, error: 'invalid', fields: [{ field: 'reason', key: 'reasonLong' }] }
    if (!(await repo.declineSubmission(platform.db, resourceId, reviewer.id, reason)))
      return { ok: false, error: 'not-waiting' }
    outcome = 'declined'
  } else {
    const note = decision.note?.trim().slice(0, REASON_MAX) || null
    let edits: repo.ReviewEdits | undefined
    if (decision.action === 'edit-publish') {
      const parsed = parseContribution(
        { ...decision.values, scope: resource.cityId === null ? 'network' : 'city' },
        { allowNetwork: true },
      )
      if (!parsed.ok)
        return { ok: false, error: 'invalid', fields: parsed.fields.filter((f) => f.field !== 'creditName') }
      const v = parsed.value
      edits = {
        title: { ...resource.title, [v.textLanguage]: v.title },
        summary: { ...resource.summary, [v.textLanguage]: v.summary },
        links: v.links.map((url) => ({ url, rel: 'self' })),
        type: v.type,
        publisher: v.publisher,
        year: v.year,
        languages: v.languages,
        topics: v.topics,
      }
    }
    if (!(await repo.publishSubmission(platform.db, resourceId, reviewer.id, note, edits)))
      return { ok: false, error: 'not-waiting' }
    outcome = edits ? 'edited' : 'published'
  }
  await mailOutcome(platform, city, resourceId, outcome)
  return { ok: true, value: outcome }
}

/** Tells the submitter what became of their contribution, in the language of their account. */
async function mailOutcome(
  platform: Platform,
  city: { id: number; slug: string; defaultLanguage: string },
  resourceId: number,
  outcome: 'published' | 'edited' | 'declined',
) {
  const resource = await repo.findContribution(platform.db, resourceId)
  if (!resource?.submittedBy) return
  const person = await repo.submitterOf(platform.db, resource.submittedBy)
  if (!person) return
  const lang: Lang = isLang(person.language) ? person.language : 'en'
  const t = translator(lang)
  const title = translated(resource.title, lang, [city.defaultLanguage]).text
  const base = `${platform.config.publicUrl}${hubPath(lang, city.slug)}`
  const values = {
    name: person.displayName,
    title,
    link: `${platform.config.publicUrl}${resourcePath(lang, city.slug, resourceId)}`,
    submit: `${base}/submit`,
    reason: resource.declineReason ?? '',
    note: resource.reviewNote ? t('knowledge-hub.contribute.mail.note', { note: resource.reviewNote }) : '',
    credit: resource.creditConsent
      ? t('knowledge-hub.contribute.mail.credited', { creditName: resource.creditName ?? '' })
      : t('knowledge-hub.contribute.mail.notCredited'),
  }
  await platform.mail.send({
    to: person.email,
    cityId: city.id,
    subject: t(`knowledge-hub.contribute.mail.${outcome}.subject`, values),
    text: t(`knowledge-hub.contribute.mail.${outcome}.body`, values),
  })
}
