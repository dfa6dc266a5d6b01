import { hitRateLimit } from '../../platform/http/rate-limit.ts'
import { isLang, type Lang, translated, translator } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { normaliseEmail } from '../accounts/index.ts'
import { findCityById } from '../cities/index.ts'
import type { FieldIssue } from './contribution-input.ts'
import { canReview } from './contributions.ts'
import { scopeName } from './curator-mail.ts'
import { type IssueEmail, renderIssueEmail } from './newsletter-mail.tsx'
import * as repo from './newsletter-repository.ts'
import { newSubscriptionKey, readSubscriptionToken, subscriptionToken } from './newsletter-token.ts'
import { hubPath } from './paths.ts'

export const NEWSLETTER_BATCH_JOB = 'knowledge-hub.newsletter-batch'

/** Subscribe requests per address of the requester and confirmation emails per subscriber address. */
export const SUBSCRIBE_LIMITS = {
  perIp: { limit: 10, windowSeconds: 3600 },
  perEmail: { limit: 3, windowSeconds: 3600 },
}

type Scope = 'city' | 'network'

/** The site a newsletter request comes through: a city's hub. */
export interface Site {
  id: number
  slug: string
}

/**
 * Someone (signed in or not) asks for the newsletter of a scope in a language. Nothing is sent to
 * them until they confirm by the link we email (double opt-in); the answer is the same whether the
 * address was new, pending or already subscribed.
 */
export async function requestSubscription(
  platform: Platform,
  site: Site,
  input: { email: string; scope: string; language: string; ip: string },
): Promise<
  { ok: true } | { ok: false; error: 'invalid'; fields: FieldIssue[] } | { ok: false; error: 'rate-limited' }
> {
  const fields: FieldIssue[] = []
  const email = normaliseEmail(input.email)
  if (!email) fields.push({ field: 'email', key: 'email' })
  if (input.scope !== 'city' && input.scope !== 'network') fields.push({ field: 'scope', key: 'scope' })
  if (!isLang(input.language)) fields.push({ field: 'language', key: 'language' })
  if (fields.length > 0 || !email) return { ok: false, error: 'invalid', fields }
  const lang = input.language as Lang
  const perIp = SUBSCRIBE_LIMITS.perIp
  if (
    !(await hitRateLimit(platform.db, `hub.subscribe:ip:${input.ip}`, perIp.limit, perIp.windowSeconds))
      .allowed
  )
    return { ok: false, error: 'rate-limited' }
  const subscription = await repo.upsertPending(platform.db, {
    cityId: input.scope === 'network' ? null : site.id,
    siteCityId: site.id,
    email,
    language: lang,
    key: newSubscriptionKey(),
  })
  if (subscription.status === 'active') return { ok: true }
  // Someone typing another person's address cannot flood their inbox: a few confirmations an hour.
  const perEmail = SUBSCRIBE_LIMITS.perEmail
  if (
    !(await hitRateLimit(platform.db, `hub.subscribe:email:${email}`, perEmail.limit, perEmail.windowSeconds))
      .allowed
  )
    return { ok: true }
  const t = translator(lang)
  const city = await findCityById(platform.db, site.id)
  const values = {
    scope: scopeName(t, input.scope as Scope, city ? translated(city.name, lang).text : site.slug),
    link: `${platform.config.publicUrl}${hubPath(lang, site.slug)}/newsletter/confirm/${subscriptionToken(platform.config.sessionSecret, 'confirm', subscription.key)}`,
  }
  await platform.mail.send({
    to: email,
    cityId: site.id,
    subject: t('knowledge-hub.newsletter.mail.confirm.subject', values),
    text: t('knowledge-hub.newsletter.mail.confirm.body', values),
  })
  return { ok: true }
}

/** The subscription a confirm or unsubscribe link stands for, if the link is genuine. */
export async function subscriptionForToken(
  platform: Platform,
  purpose: 'confirm' | 'unsubscribe',
  token: string,
) {
  const key = readSubscriptionToken(platform.config.sessionSecret, purpose, token)
  return key ? repo.findSubscriptionByKey(platform.db, key) : undefined
}

/** Confirms a subscription from the emailed link; only now will issues be sent to it. */
export async function confirmSubscription(platform: Platform, token: string): Promise<boolean> {
  const key = readSubscriptionToken(platform.config.sessionSecret, 'confirm', token)
  return key ? repo.confirmSubscription(platform.db, key) : false
}

/** Ends a subscription from an unsubscribe link (the page's button or a mail client's one-click POST). */
export async function unsubscribe(platform: Platform, token: string): Promise<boolean> {
  const key = readSubscriptionToken(platform.config.sessionSecret, 'unsubscribe', token)
  return key ? repo.unsubscribe(platform.db, key) : false
}

/** Curators of a scope are its reviewers: a city's coordinators, or network admins for the network. */
export function canCurate(
  platform: Platform,
  viewer: { id: number; isNetworkAdmin: boolean },
  scopeCityId: number | null,
) {
  return canReview(platform, viewer, scopeCityId)
}

const SUBJECT_MAX = 150
const INTRO_MAX = 5000

/** Checks a draft: a subject, some content, and only resources its readers get. */
export async function parseIssue(
  platform: Platform,
  scopeCityId: number | null,
  input: { subject: string; intro: string; resourceIds: string[] },
): Promise<{ ok: true; value: repo.IssueInput } | { ok: false; fields: FieldIssue[] }> {
  const fields: FieldIssue[] = []
  const subject = input.subject.replace(/[\r\n]+/g, ' ').trim()
  const intro = input.intro.replace(/\r\n/g, '\n').trim()
  if (!subject) fields.push({ field: 'subject', key: 'subject' })
  else if (subject.length > SUBJECT_MAX) fields.push({ field: 'subject', key: 'subjectLong' })
  if (intro.length > INTRO_MAX) fields.push({ field: 'intro', key: 'introLong' })
  const ids = [...new Set(input.resourceIds.map(Number))].filter((n) => Number.isSafeInteger(n) && n > 0)
  const known = ids.length ? await repo.issueResources(platform.db, scopeCityId, { ids }) : []
  if (known.length !== ids.length || ids.length !== input.resourceIds.length)
    fields.push({ field: 'resources', key: 'resources' })
  if (!intro && ids.length === 0) fields.push({ field: 'intro', key: 'empty' })
  if (fields.length > 0) return { ok: false, fields }
  return { ok: true, value: { subject, intro, resourceIds: ids } }
}

/** Resources a new issue may carry: published in the scope since its last issue in that language. */
export async function candidateResources(platform: Platform, scopeCityId: number | null, language: string) {
  const since = await repo.lastSentAt(platform.db, scopeCityId, language)
  return repo.issueResources(platform.db, scopeCityId, { since })
}

/** The email one subscriber gets for an issue (also the preview, with a sample subscription). */
export async function issueEmailFor(
  platform: Platform,
  issue: repo.IssueRow,
  subscription: { key: string; siteCityId: number },
): Promise<IssueEmail | undefined> {
  const site = await findCityById(platform.db, subscription.siteCityId)
  if (!site) return undefined
  const lang: Lang = isLang(issue.language) ? issue.language : 'en'
  const scopeCity = issue.cityId === null ? undefined : await findCityById(platform.db, issue.cityId)
  const t = translator(lang)
  const resources = await repo.issueResources(platform.db, issue.cityId, { ids: issue.resourceIds })
  const byId = new Map(resources.map((r) => [r.id, r]))
  const unsubscribeUrl = `${platform.config.publicUrl}${hubPath(lang, site.slug)}/newsletter/unsubscribe/${subscriptionToken(platform.config.sessionSecret, 'unsubscribe', subscription.key)}`
  return renderIssueEmail({
    t,
    lang,
    publicUrl: platform.config.publicUrl,
    siteSlug: site.slug,
    subject: issue.subject,
    intro: issue.intro,
    scope: scopeName(
      t,
      issue.cityId === null ? 'network' : 'city',
      scopeCity ? translated(scopeCity.name, lang).text : '',
    ),
    resources: issue.resourceIds.flatMap((id) => {
      const r = byId.get(id)
      return r ? [{ id, title: translated(r.title, lang), summary: translated(r.summary, lang) }] : []
    }),
    unsubscribeUrl,
  })
}

/**
 * Starts sending a draft to every confirmed subscriber of its scope and language: one delivery per
 * recipient, handed to the mailer by a job in batches of BULK_MAIL_PER_MINUTE a minute.
 */
export async function sendIssue(platform: Platform, issueId: number, curatorId: number): Promise<boolean> {
  if (!(await repo.startSending(platform.db, issueId, curatorId))) return false
  await platform.jobs.enqueue(NEWSLETTER_BATCH_JOB, { issueId })
  return true
}

/**
 * Job: hands the next batch of an issue to the mailer, each email with its own one-click
 * unsubscribe (RFC 8058), skipping addresses that unsubscribed since; queues itself a minute later
 * while recipients remain.
 */
export async function sendIssueBatch(platform: Platform, issueId: number): Promise<void> {
  const issue = await repo.findIssue(platform.db, issueId)
  if (issue?.status !== 'sending') return
  await repo.skipUnsubscribed(platform.db, issueId)
  const batch = await repo.claimDeliveries(platform.db, issueId, platform.config.bulkMailPerMinute)
  for (const delivery of batch) {
    const subscription = await repo.findSubscriptionById(platform.db, delivery.subscriptionId)
    const email =
      subscription?.status === 'active' ? await issueEmailFor(platform, issue, subscription) : undefined
    if (!subscription || !email) {
      await repo.markSkipped(platform.db, delivery.id)
      continue
    }
    const outboxId = await platform.mail.send({
      to: subscription.email,
      cityId: issue.cityId ?? subscription.siteCityId,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: email.headers,
    })
    await repo.markQueued(platform.db, delivery.id, outboxId)
  }
  if ((await repo.pendingCount(platform.db, issueId)) > 0)
    await platform.jobs.enqueue(NEWSLETTER_BATCH_JOB, { issueId }, { runAt: new Date(Date.now() + 60_000) })
  else await repo.finishIssue(platform.db, issueId)
}

export interface IssueCounts {
  recipients: number
  /** Accepted by the recipient's mail server. */
  delivered: number
  /** Refused for good by the recipient's server (5xx). */
  bounced: number
  /** Not delivered yet after an attempt; the mailer retries. */
  failed: number
  /** Kept in the outbox because no SMTP server is configured. */
  held: number
  /** Not handed to the mailer yet (rate limit) or waiting for its first attempt. */
  waiting: number
  /** Unsubscribed before their turn came. */
  skipped: number
}

/** Delivery and bounce counts of an issue, from each recipient's mail outcome. */
export async function issueCounts(platform: Platform, issueId: number): Promise<IssueCounts> {
  const deliveries = await repo.deliveriesOf(platform.db, issueId)
  const ids = deliveries.flatMap((d) => (d.outboxId === null ? [] : [d.outboxId]))
  const outcomes = new Map((await platform.mail.outcomes(ids)).map((o) => [o.id, o.status]))
  const counts: IssueCounts = {
    recipients: 0,
    delivered: 0,
    bounced: 0,
    failed: 0,
    held: 0,
    waiting: 0,
    skipped: 0,
  }
  for (const d of deliveries) {
    if (d.status === 'skipped') {
      counts.skipped++
      continue
    }
    counts.recipients++
    const outcome = d.outboxId === null ? undefined : outcomes.get(d.outboxId)
    if (outcome === 'sent') counts.delivered++
    else if (outcome === 'bounced') counts.bounced++
    else if (outcome === 'failed') counts.failed++
    else if (outcome === 'held') counts.held++
    else counts.waiting++
  }
  return counts
}
