/**
 * The digest job: every hour it finds the saved searches whose day or week has passed and emails each
 * owner, in the saved search's language, the opportunities first published since the last digest
 * that match it — only when there is something new — then moves on what the search has covered.
 */
import { sql } from '../../../platform/db/index.ts'
import { isLang, type Lang, translated, translator } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { parseSearch } from '../../../platform/search/index.ts'
import { type CityRow, findCityById } from '../../cities/index.ts'
import type { DigestFrequency } from '../schema.ts'
import { matchesWhere, searchScope } from '../scope.ts'
import { correctQuery } from '../words.ts'
import { renderDigest } from './digest-mail.tsx'
import * as repo from './repository.ts'
import { readQuery } from './saved-searches.ts'
import { unsubscribeToken } from './token.ts'

export const DIGEST_JOB = 'discovery.saved-search-digests'
/** How often the job looks for due digests. */
export const DIGEST_EVERY_MS = 3600_000
/** How long a saved search waits between digests. */
export const PERIOD_MS: Record<DigestFrequency, number> = { daily: 24 * 3600_000, weekly: 7 * 24 * 3600_000 }
/** A digest is due this much early, so an hourly run that comes a little before the hour still sends it. */
const SLACK_MS = 15 * 60_000
/**
 * Publications younger than this wait for the next digest: an opportunity's publication time is
 * its transaction's start, so one published in a transaction still open is not missed.
 */
export const SETTLE_MS = 5 * 60_000
/** How many new matches a digest lists; the link to the whole search shows the rest. */
export const DIGEST_SIZE = 10
const BATCH = 200

export interface DigestRun {
  /** Digests claimed and looked at. */
  checked: number
  /** Emails sent (only digests with something new). */
  sent: number
}

/** The newest matches of a search published in (after, until], with the words corrected as the page does. */
async function newMatchesOf(
  platform: Platform,
  city: CityRow,
  query: string,
  published: { after: Date; until: Date },
  now: Date,
) {
  const read = readQuery(query)
  if (!read.ok) return undefined
  const { filters } = read
  const matches = async (words: string | null) => {
    const scope = await searchScope(platform.db, city, filters, words, now)
    return repo.newMatches(
      platform.db,
      {
        where: matchesWhere(scope),
        fits: scope.fits,
        order: sql`next.starts_at asc nulls last, o.id asc`,
      },
      published,
      DIGEST_SIZE,
    )
  }
  const found = await matches(filters.q)
  if (found.length > 0 || !filters.q) return found
  const parsed = parseSearch(filters.q)
  const corrected = parsed ? await correctQuery(platform.db, city.id, parsed) : null
  return corrected ? matches(corrected) : found
}

/** Emails one claimed digest when something new matches; true when it was sent. */
async function sendDigest(
  platform: Platform,
  search: repo.DueSearch,
  city: CityRow,
  until: Date,
  now: Date,
): Promise<boolean> {
  const items = await newMatchesOf(platform, city, search.query, { after: search.checkedUntil, until }, now)
  if (!items) {
    platform.log.warn({ savedSearch: search.id }, 'saved search query no longer reads; no digest')
    return false
  }
  if (items.length === 0) return false
  const lang: Lang = isLang(search.language)
    ? search.language
    : isLang(city.defaultLanguage)
      ? city.defaultLanguage
      : 'en'
  const origin = platform.config.publicUrl
  const base = `${origin}/${lang}/${city.slug}`
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  const fallbacks = [city.defaultLanguage]
  const mail = renderDigest({
    t: translator(lang),
    lang,
    cityName: translated(city.name, lang, fallbacks).text,
    name: search.name,
    frequency: search.frequency,
    since: new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: city.timeZone }).format(
      search.lastSentAt ?? search.createdAt,
    ),
    total: items[0]?.total ?? items.length,
    items: items.map((item) => ({
      title: translated(item.title, lang, fallbacks),
      when: item.nextStart ? when.format(item.nextStart) : null,
      url: `${base}/opportunities/${item.id}`,
    })),
    searchUrl: `${base}/opportunities${search.query ? `?${search.query}` : ''}`,
    manageUrl: `${base}/saved-searches`,
    unsubscribeUrl: `${base}/saved-searches/unsubscribe/${unsubscribeToken(platform.config.sessionSecret, search.key)}`,
  })
  await platform.mail.send({ to: search.email, cityId: city.id, ...mail })
  await repo.markSent(platform.db, search.id, now)
  return true
}

/**
 * Job: sends every due digest. Each is claimed before it is looked at (so two app processes never
 * send the same one); a digest that fails is logged, and the run fails at the end so the job is
 * retried, while the others stay sent.
 */
export async function sendDueDigests(platform: Platform, now = new Date()): Promise<DigestRun> {
  const dueBefore: Record<DigestFrequency, Date> = {
    daily: new Date(now.getTime() - PERIOD_MS.daily + SLACK_MS),
    weekly: new Date(now.getTime() - PERIOD_MS.weekly + SLACK_MS),
  }
  const until = new Date(now.getTime() - SETTLE_MS)
  const cities = new Map<number, CityRow | undefined>()
  const run: DigestRun = { checked: 0, sent: 0 }
  let failed = 0
  let afterId = 0
  for (;;) {
    const due = await repo.listDue(platform.db, { dueBefore, afterId, limit: BATCH })
    if (due.length === 0) break
    for (const search of due) {
      afterId = search.id
      if (!cities.has(search.cityId))
        cities.set(search.cityId, await findCityById(platform.db, search.cityId))
      const city = cities.get(search.cityId)
      if (!city) continue
      if (!(await repo.claim(platform.db, search.id, dueBefore[search.frequency], until))) continue
      run.checked++
      try {
        if (await sendDigest(platform, search, city, until, now)) run.sent++
      } catch (error) {
        failed++
        // Give the digest back, so the retry covers the same publications.
        await repo.release(platform.db, search.id, until, search.checkedUntil)
        platform.log.error({ err: error, savedSearch: search.id }, 'saved search digest failed')
      }
    }
  }
  if (failed > 0) throw new Error(`${failed} saved search digest(s) failed`)
  return run
}
