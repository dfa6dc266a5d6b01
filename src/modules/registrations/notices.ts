import { isLang, type Lang, translated, translator } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { findCityById } from '../cities/index.ts'
import { findOpportunity } from '../opportunities/index.ts'
import { manageTokenFor } from './manage-token.ts'
import { type BookingStatus, REMINDER_HOURS } from './model.ts'
import * as repo from './repository.ts'

export const REMIND_JOB = 'registrations.remind'

/**
 * Everything an email about one place needs: the reader's language, the title, dates, links, and
 * the line that leads back to the booking (My bookings for an account, the manage link for a guest).
 */
async function letterhead(platform: Platform, place: repo.RegistrationRow) {
  const city = await findCityById(platform.db, place.cityId)
  const opportunity = await findOpportunity(platform.db, place.cityId, place.opportunityId)
  if (!city || !opportunity) return undefined
  const lang: Lang = isLang(place.language) ? place.language : 'en'
  const t = translator(lang)
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  const base = `${platform.config.publicUrl}/${lang}/${city.slug}`
  const manage =
    place.userId !== null
      ? t('registrations.mail.manageAccount', { link: `${base}/bookings` })
      : place.manageKey
        ? t('registrations.mail.manageLink', {
            link: `${base}/bookings/manage?token=${manageTokenFor(platform.config.sessionSecret, place.manageKey)}`,
          })
        : ''
  return {
    t,
    lang,
    title: translated(opportunity.title, lang, [city.defaultLanguage]).text,
    address: opportunity.format === 'online' ? '' : (opportunity.address ?? ''),
    format: (d: Date) => when.format(new Date(d)),
    opportunityLink: `${base}/opportunities/${place.opportunityId}`,
    manage,
    claimLink: (token: string) => `${base}/bookings/claim?token=${token}`,
    cityLink: `${base}/opportunities`,
  }
}

/** Confirms new places (booked, waitlisted, or a claimed offer), with the way back to them. */
export async function sendBookingMail(
  platform: Platform,
  cityId: number,
  firstId: number,
  places: { sessionId: number; status: BookingStatus; registrationId: number }[],
): Promise<void> {
  const place = await repo.findRegistration(platform.db, cityId, firstId)
  if (!place) return
  const head = await letterhead(platform, place)
  if (!head) return
  const { t } = head
  const lines: string[] = []
  for (const p of places) {
    const row =
      p.registrationId === place.id
        ? place
        : await repo.findRegistration(platform.db, cityId, p.registrationId)
    if (row) lines.push(t(`registrations.mail.place.${p.status}`, { when: head.format(row.startsAt) }))
  }
  await platform.mail.send({
    to: place.email,
    cityId,
    subject: t('registrations.mail.booked.subject', { title: head.title }),
    text: t('registrations.mail.booked.body', {
      name: place.name,
      title: head.title,
      places: lines.join('\n'),
      manage: head.manage,
    }),
  })
}

/** Tells the next person waiting that a seat is theirs if they claim it in time. */
export async function sendOfferMail(
  platform: Platform,
  cityId: number,
  registrationId: number,
  token: string,
) {
  const place = await repo.findRegistration(platform.db, cityId, registrationId)
  if (!place?.offerExpiresAt) return
  const head = await letterhead(platform, place)
  if (!head) return
  await platform.mail.send({
    to: place.email,
    cityId,
    subject: head.t('registrations.mail.offer.subject', { title: head.title }),
    text: head.t('registrations.mail.offer.body', {
      name: place.name,
      title: head.title,
      when: head.format(place.startsAt),
      until: head.format(place.offerExpiresAt),
      link: head.claimLink(token),
      manage: head.manage,
    }),
  })
}

/** Schedules the reminder of a confirmed place REMINDER_HOURS before its session (none when that is past). */
export async function scheduleReminder(platform: Platform, cityId: number, registrationId: number) {
  const place = await repo.findRegistration(platform.db, cityId, registrationId)
  if (!place) return
  const runAt = new Date(new Date(place.startsAt).getTime() - REMINDER_HOURS * 3600_000)
  if (runAt.getTime() <= Date.now()) return
  await platform.jobs.enqueue(REMIND_JOB, { cityId, registrationId }, { runAt })
}

/** Job: reminds a person of their session, unless the place or the session was cancelled meanwhile. */
export async function sendReminder(platform: Platform, cityId: number, registrationId: number) {
  const place = await repo.findRegistration(platform.db, cityId, registrationId)
  if (place?.status !== 'confirmed' || place.sessionCancelled || place.reminderSentAt) return
  if (new Date(place.startsAt).getTime() <= Date.now()) return
  const head = await letterhead(platform, place)
  if (!head) return
  await platform.mail.send({
    to: place.email,
    cityId,
    subject: head.t('registrations.mail.reminder.subject', { title: head.title }),
    text: head.t('registrations.mail.reminder.body', {
      name: place.name,
      title: head.title,
      when: head.format(place.startsAt),
      where: head.address,
      details: head.opportunityLink,
      manage: head.manage,
    }),
  })
  await repo.markReminded(platform.db, cityId, registrationId)
}

/** Job: tells everyone holding a place on cancelled sessions, in the language they booked in. */
export async function noticeSessionsCancelled(
  platform: Platform,
  payload: { cityId: number; opportunityId: number; sessionIds: number[]; note: string | null },
) {
  const places = await repo.listActiveOnSessions(
    platform.db,
    payload.cityId,
    payload.opportunityId,
    payload.sessionIds,
  )
  for (const place of places) {
    const head = await letterhead(platform, place)
    if (!head) continue
    await platform.mail.send({
      to: place.email,
      cityId: payload.cityId,
      subject: head.t('registrations.mail.cancelled.subject', {
        title: head.title,
        when: head.format(place.startsAt),
      }),
      text: head.t('registrations.mail.cancelled.body', {
        name: place.name,
        title: head.title,
        when: head.format(place.startsAt),
        note: payload.note ? head.t('registrations.mail.note', { note: payload.note }) : '',
        link: head.cityLink,
        manage: head.manage,
      }),
    })
  }
}

/** Job: tells everyone booked on upcoming sessions that the opportunity changed (one email per person). */
export async function noticeOpportunityChanged(
  platform: Platform,
  payload: { cityId: number; opportunityId: number; fields: string[] },
) {
  const opportunity = await findOpportunity(platform.db, payload.cityId, payload.opportunityId)
  if (opportunity?.status !== 'published' || payload.fields.length === 0) return
  const places = await repo.listActiveOnSessions(
    platform.db,
    payload.cityId,
    payload.opportunityId,
    'upcoming',
  )
  const told = new Set<string>()
  for (const place of places) {
    if (told.has(place.email)) continue
    told.add(place.email)
    const head = await letterhead(platform, place)
    if (!head) continue
    await platform.mail.send({
      to: place.email,
      cityId: payload.cityId,
      subject: head.t('registrations.mail.changed.subject', { title: head.title }),
      text: head.t('registrations.mail.changed.body', {
        name: place.name,
        title: head.title,
        link: head.opportunityLink,
        manage: head.manage,
      }),
    })
  }
}
