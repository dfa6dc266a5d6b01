import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import {
  chicagoProvider,
  publishedSeries,
  registrationStatus,
  type TestProvider,
} from '../../../test/provider.ts'
import { linkIn, type ReceivedMail, startTestSmtp, type TestSmtp } from '../../../test/smtp.ts'
import { firstRow, migrationsFolder, sql } from '../../platform/db/index.ts'
import { type Actor, cancelSession } from '../opportunities/index.ts'
import { manageTokenFor } from './manage-token.ts'
import { type Booker, bookPlaces, cancelPlace } from './registrations.ts'

const guest = (n: string): Booker => ({ kind: 'guest', name: `Guest ${n}`, email: `link-${n}@example.org` })

describe.each(engines)('guest manage links in every email on %s', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  let cityId: number
  let editor: Actor
  let provider: TestProvider
  let counter = 0

  /** A published weekly series in 2027 with this many places per session. */
  async function opportunity(capacity: number | null, sessions = 2) {
    counter++
    return publishedSeries(t, provider, { capacity, sessions, title: { en: `Pottery ${counter}` } })
  }

  async function book(opportunityId: number, session: number, booker: Booker) {
    const res = await bookPlaces(t.platform, {
      cityId,
      opportunityId,
      session,
      booker,
      language: 'en',
      joinWaitlist: true,
    })
    if (!res.ok) throw new Error(JSON.stringify(res))
    return res.value
  }

  /** Runs a place's reminder job now instead of 24 hours before the session, and returns the email. */
  async function remind(registrationId: number, email: string): Promise<ReceivedMail> {
    await t.platform.jobs.drain()
    await t.platform.db.execute(
      sql`update jobs set run_at = now() where name = 'registrations.remind' and status = 'queued'
          and (payload->>'registrationId')::int = ${registrationId}`,
    )
    await t.platform.jobs.drain()
    return smtp.waitFor(email, 10_000, (m) => m.subject.startsWith('Reminder'))
  }

  /** Opens the manage link of an email the way the guest would: a fresh browser, no account. */
  async function openManageLink(mail: ReceivedMail) {
    const link = new URL(linkIn(mail, '/bookings/manage?token='))
    expect(link.origin).toBe(t.config.publicUrl)
    const browser = new Agent(t.app)
    const res = await browser.get(link.pathname + link.search)
    return { browser, status: res.status, html: await res.text(), token: link.searchParams.get('token')! }
  }

  beforeAll(async () => {
    smtp = await startTestSmtp()
    t = await testPlatform(engine, { SMTP_URL: smtp.url })
    provider = await chicagoProvider(t, { slug: 'clay-club', name: 'Clay Club' })
    ;({ cityId, editor } = provider)
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })

  it('mails a guest a reminder whose link opens their booking and lets them cancel it', async () => {
    const o = await opportunity(10)
    const booking = new Agent(t.app, '198.51.100.20')
    const booked = await booking.submit(`/en/chicago/opportunities/${o.id}/book`, {
      session: String(o.sessionIds[0]),
      name: 'Rosa',
      email: 'rosa@example.org',
    })
    expect(booked.status).toBe(303)
    const place = await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from registrations where email = 'rosa@example.org'`,
    )
    const reminder = await remind(place!.id, 'rosa@example.org')
    expect(reminder.text).toContain('To see or cancel your booking, open this link')

    const opened = await openManageLink(reminder)
    expect(opened.status).toBe(200)
    expect(opened.html).toContain('Booking for Rosa')
    expect(opened.html).toContain(`Pottery ${counter}`)
    expect(opened.html).toContain('Cancel this booking')

    const cancelled = await opened.browser.post('/en/chicago/bookings/manage/cancel', {
      token: opened.token,
      registration: String(place!.id),
    })
    expect(cancelled.status).toBe(303)
    const after = await (await opened.browser.get(cancelled.headers.get('location')!)).text()
    expect(after).toContain('Your booking is cancelled.')
    expect(after).not.toContain('Cancel this booking')
    expect(await registrationStatus(t, place!.id)).toBe('cancelled')
  })

  it('puts a working manage link in the waitlist offer, the changes notice and the cancellation notice', async () => {
    const o = await opportunity(1)
    const first = await book(o.id, o.sessionIds[0]!, guest('first'))
    const waiting = await book(o.id, o.sessionIds[0]!, guest('waiting'))
    expect(waiting.places[0]!.status).toBe('waitlisted')
    await cancelPlace(t.platform, cityId, first.places[0]!.registrationId, {
      manageToken: first.manageToken!,
    })
    await t.platform.jobs.drain()

    const offer = await smtp.waitFor('link-waiting@example.org', 10_000, (m) =>
      m.subject.startsWith('A place is free'),
    )
    expect(linkIn(offer, '/bookings/claim?token=')).toBeDefined()
    const fromOffer = await openManageLink(offer)
    expect(fromOffer.status).toBe(200)
    expect(fromOffer.html).toContain('Place offered: claim it')

    await t.platform.events.emit('opportunity.changed', { cityId, opportunityId: o.id, fields: ['address'] })
    await t.platform.jobs.drain()
    const changed = await smtp.waitFor('link-waiting@example.org', 10_000, (m) =>
      m.subject.startsWith('Changes to'),
    )
    expect((await openManageLink(changed)).status).toBe(200)

    expect((await cancelSession(t.platform, editor, o.id, o.sessionIds[0]!, 'Kiln broke')).ok).toBe(true)
    await t.platform.jobs.drain()
    const cancelled = await smtp.waitFor('link-waiting@example.org', 10_000, (m) =>
      m.subject.startsWith('Cancelled'),
    )
    const fromCancelled = await openManageLink(cancelled)
    expect(fromCancelled.status).toBe(200)
    expect(fromCancelled.html).toContain('Session cancelled by the provider')
    // Every email carried the same link: the one of the booking.
    expect(new Set([fromOffer.token, fromCancelled.token, waiting.manageToken])).toHaveProperty('size', 1)
  })

  it('opens nothing with a forged link or one signed with another secret', async () => {
    const o = await opportunity(10)
    const booked = await book(o.id, o.sessionIds[0]!, guest('forged'))
    const key = booked.manageToken!.slice(0, 22)
    const forged = [
      key + randomBytes(32).toString('base64url').slice(0, 43),
      manageTokenFor('another secret of at least thirty-two characters', key),
      `${booked.manageToken!.slice(0, -2)}xx`,
    ]
    const browser = new Agent(t.app)
    for (const token of forged) {
      expect((await browser.get(`/en/chicago/bookings/manage?token=${token}`)).status).toBe(404)
      expect(
        await cancelPlace(t.platform, cityId, booked.places[0]!.registrationId, { manageToken: token }),
      ).toMatchObject({ ok: false, error: 'not-found' })
    }
    expect(await registrationStatus(t, booked.places[0]!.registrationId)).toBe('confirmed')
  })

  it('keeps links sent before manage keys working, and sends a working link in later emails', async () => {
    const o = await opportunity(10)
    const booked = await book(o.id, o.sessionIds[0]!, guest('legacy'))
    const id = booked.places[0]!.registrationId
    // A booking as the previous version stored it: only the sha256 of a random token.
    const oldToken = randomBytes(32).toString('base64url')
    const oldHash = createHash('sha256').update(oldToken).digest('hex')
    await t.platform.db.execute(
      sql`update registrations set manage_key = null, manage_token_hash = ${oldHash} where id = ${id}`,
    )
    const backfill = readFileSync(`${migrationsFolder}/0008_registrations-manage-key-backfill.sql`, 'utf8')
    await t.platform.db.execute(sql.raw(backfill))

    const browser = new Agent(t.app)
    const old = await browser.get(`/en/chicago/bookings/manage?token=${oldToken}`)
    expect(old.status).toBe(200)
    expect(await old.text()).toContain('Booking for Guest legacy')

    const reminder = await remind(id, 'link-legacy@example.org')
    const opened = await openManageLink(reminder)
    expect(opened.token).not.toBe(oldToken)
    expect(opened.status).toBe(200)
    expect(opened.html).toContain('Booking for Guest legacy')
    // The old link still cancels too.
    expect(await cancelPlace(t.platform, cityId, id, { manageToken: oldToken })).toEqual({
      ok: true,
      value: undefined,
    })
    expect(await registrationStatus(t, id)).toBe('cancelled')
  })
})
