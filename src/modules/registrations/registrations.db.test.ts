import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { opportunityFactory } from '../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import {
  chicagoProvider,
  publishedSeries,
  registrationStatus,
  type TestProvider,
} from '../../../test/provider.ts'
import { linkIn, startTestSmtp, type TestSmtp } from '../../../test/smtp.ts'
import { firstRow, rows, sql } from '../../platform/db/index.ts'
import { translator } from '../../platform/i18n/index.ts'
import {
  type Actor,
  cancelSession,
  findOpportunity,
  listSessions,
  updateOpportunity,
} from '../opportunities/index.ts'
import { recordUnmetDemand } from './demand.ts'
import { OFFER_HOURS, REMINDER_HOURS } from './model.ts'
import { recordAttendance, registrationsCsv, registrationsOverview } from './provider.ts'
import { type Booker, bookPlaces, cancelPlace, claimOffer, hashToken } from './registrations.ts'

const guest = (n: number | string, name = `Guest ${n}`): Booker => ({
  kind: 'guest',
  name,
  email: `guest${n}@example.org`,
})

describe.each(engines)('registrations on %s', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  let cityId: number
  let editor: Actor
  let provider: TestProvider
  let counter = 0

  /** A published weekly series (8 sessions in 2027) with this many seats per session. */
  async function opportunity(capacity: number | null, sessions = 8) {
    counter++
    return publishedSeries(t, provider, {
      capacity,
      sessions,
      title: { en: `Robotics ${counter}`, es: `Robótica ${counter}` },
    })
  }

  async function book(opportunityId: number, session: number | 'all', booker: Booker, joinWaitlist = true) {
    return bookPlaces(t.platform, { cityId, opportunityId, session, booker, language: 'en', joinWaitlist })
  }

  beforeAll(async () => {
    smtp = await startTestSmtp()
    t = await testPlatform(engine, { SMTP_URL: smtp.url })
    provider = await chicagoProvider(t, { slug: 'robot-club', name: 'Robot Club' })
    ;({ cityId, editor } = provider)
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })

  it('books a signed-in person on a session and schedules the reminder 24 hours before it', async () => {
    const o = await opportunity(10)
    const res = await book(o.id, o.sessionIds[0]!, {
      kind: 'account',
      userId: 4242,
      name: 'Ada',
      email: 'Ada@Example.org',
    })
    expect(res).toMatchObject({ ok: true, value: { places: [{ status: 'confirmed' }] } })
    if (!res.ok) return
    expect(res.value.manageToken).toBeUndefined()
    const place = await firstRow<{ email: string; userId: number }>(
      t.platform.db,
      sql`select email, user_id::int as "userId" from registrations where id = ${res.value.places[0]!.registrationId}`,
    )
    expect(place).toEqual({ email: 'ada@example.org', userId: 4242 })
    const [session] = await listSessions(t.platform.db, cityId, o.id)
    const job = await firstRow<{ runAt: Date }>(
      t.platform.db,
      sql`select run_at as "runAt" from jobs where name = 'registrations.remind'
          and (payload->>'registrationId')::int = ${res.value.places[0]!.registrationId}`,
    )
    expect(new Date(job!.runAt).getTime()).toBe(
      new Date(session!.startsAt).getTime() - REMINDER_HOURS * 3600_000,
    )
    await t.platform.jobs.drain()
    const mail = await smtp.waitFor('ada@example.org')
    expect(mail.subject).toBe('Your booking: Robotics 1')
    expect(mail.text).toContain('/en/chicago/bookings')
  })

  it('books a guest with only a name and an email, and mails a manage link the database cannot rebuild', async () => {
    const o = await opportunity(10)
    const bad = await book(o.id, o.sessionIds[0]!, { kind: 'guest', name: ' ', email: 'not-an-email' })
    expect(bad).toMatchObject({ ok: false, error: 'invalid' })
    if (!bad.ok) expect(bad.fields?.map((f) => f.field).sort()).toEqual(['email', 'name'])

    const res = await book(o.id, 'all', guest('series'))
    if (!res.ok) throw new Error(JSON.stringify(res))
    expect(res.value.places).toHaveLength(8)
    const token = res.value.manageToken!
    expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/)
    // The places booked together share one key; the token's secret half (an HMAC) is stored nowhere.
    const stored = await rows<Record<string, unknown>>(
      t.platform.db,
      sql`select * from registrations where email = 'guestseries@example.org'`,
    )
    expect(new Set(stored.map((r) => r.manage_key))).toEqual(new Set([token.slice(0, 22)]))
    expect(stored.every((r) => r.manage_token_hash === null)).toBe(true)
    expect(JSON.stringify(stored)).not.toContain(token.slice(22))
    expect(JSON.stringify(stored)).not.toContain(hashToken(token))
    await t.platform.jobs.drain()
    const mail = await smtp.waitFor('guestseries@example.org')
    expect(linkIn(mail, '/bookings/manage')).toBe(
      `${t.config.publicUrl}/en/chicago/bookings/manage?token=${token}`,
    )
    expect(mail.text.match(/: booked/g)).toHaveLength(8)
  })

  it('never books the same person or email twice on a session', async () => {
    const o = await opportunity(10, 2)
    expect((await book(o.id, o.sessionIds[0]!, guest('twice'))).ok).toBe(true)
    expect(
      await book(o.id, o.sessionIds[0]!, { ...guest('twice'), email: 'GUESTtwice@example.org ' }),
    ).toMatchObject({ ok: false, error: 'already-booked' })
    // The series books the other session only.
    const series = await book(o.id, 'all', guest('twice'))
    expect(series.ok && series.value.places.map((p) => p.sessionId)).toEqual([o.sessionIds[1]])
    expect(await book(o.id, 'all', guest('twice'))).toMatchObject({ ok: false, error: 'already-booked' })
  })

  it('gives the last seats to exactly as many people as there are seats, however many try at once', async () => {
    const o = await opportunity(3, 1)
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => book(o.id, o.sessionIds[0]!, guest(`rush${i}`), false)),
    )
    expect(results.filter((r) => r.ok)).toHaveLength(3)
    expect(results.filter((r) => !r.ok && r.error === 'full')).toHaveLength(17)
    const held = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from registrations where session_id = ${o.sessionIds[0]!} and status = 'confirmed'`,
    )
    expect(held?.n).toBe(3)
    // The same rush with the waitlist on: still 3 seats, everyone else waits in line.
    const o2 = await opportunity(3, 1)
    const queued = await Promise.all(
      Array.from({ length: 20 }, (_, i) => book(o2.id, o2.sessionIds[0]!, guest(`queue${i}`))),
    )
    const statuses = queued.flatMap((r) => (r.ok ? r.value.places.map((p) => p.status) : ['failed']))
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(3)
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(17)
  })

  it('offers a freed seat to the first person waiting, who claims it with the emailed link', async () => {
    const o = await opportunity(1, 1)
    const session = o.sessionIds[0]!
    const a = await book(o.id, session, guest('a'))
    const b = await book(o.id, session, guest('b'))
    const c = await book(o.id, session, guest('c'))
    if (!a.ok || !b.ok || !c.ok) throw new Error('booking')
    expect(b.value.places[0]!.status).toBe('waitlisted')
    const bId = b.value.places[0]!.registrationId

    // Only the holder of the manage link may cancel.
    expect(
      await cancelPlace(t.platform, cityId, a.value.places[0]!.registrationId, {
        manageToken: b.value.manageToken!,
      }),
    ).toMatchObject({ ok: false, error: 'not-found' })
    expect(
      await cancelPlace(t.platform, cityId, a.value.places[0]!.registrationId, {
        manageToken: a.value.manageToken!,
      }),
    ).toEqual({ ok: true, value: undefined })
    expect(await registrationStatus(t, bId)).toBe('offered')
    expect(await registrationStatus(t, c.value.places[0]!.registrationId)).toBe('waitlisted')
    const expiry = await firstRow<{ at: Date }>(
      t.platform.db,
      sql`select offer_expires_at as at from registrations where id = ${bId}`,
    )
    expect(new Date(expiry!.at).getTime() - Date.now()).toBeGreaterThan((OFFER_HOURS - 1) * 3600_000)

    await t.platform.jobs.drain()
    const offer = await smtp.waitFor('guestb@example.org', 10_000, (m) =>
      m.subject.startsWith('A place is free'),
    )
    const token = new URL(linkIn(offer, '/bookings/claim')).searchParams.get('token')!
    expect(await claimOffer(t.platform, cityId, 'x'.repeat(43))).toMatchObject({
      ok: false,
      error: 'invalid',
    })
    expect(await claimOffer(t.platform, cityId, token)).toEqual({ ok: true, value: { registrationId: bId } })
    expect(await registrationStatus(t, bId)).toBe('confirmed')
    // A claim link works once.
    expect(await claimOffer(t.platform, cityId, token)).toMatchObject({ ok: false })
  })

  it('passes an unclaimed offer on to the next person when it expires', async () => {
    const o = await opportunity(1, 1)
    const session = o.sessionIds[0]!
    const a = await book(o.id, session, guest('x1'))
    const b = await book(o.id, session, guest('x2'))
    const c = await book(o.id, session, guest('x3'))
    if (!a.ok || !b.ok || !c.ok) throw new Error('booking')
    const bId = b.value.places[0]!.registrationId
    const cId = c.value.places[0]!.registrationId
    await cancelPlace(t.platform, cityId, a.value.places[0]!.registrationId, {
      manageToken: a.value.manageToken!,
    })
    expect(await registrationStatus(t, bId)).toBe('offered')
    await t.platform.jobs.drain()
    const offer = await smtp.waitFor('guestx2@example.org', 10_000, (m) =>
      m.subject.startsWith('A place is free'),
    )
    // The expiry job runs at the offer's end; move both into the past instead of waiting 24 hours.
    await t.platform.db.execute(
      sql`update registrations set offer_expires_at = now() - interval '1 minute' where id = ${bId}`,
    )
    await t.platform.db.execute(
      sql`update jobs set run_at = now() where name = 'registrations.expire-offer' and (payload->>'registrationId')::int = ${bId}`,
    )
    await t.platform.jobs.drain()
    expect(await registrationStatus(t, bId)).toBe('expired')
    expect(await registrationStatus(t, cId)).toBe('offered')
    await smtp.waitFor('guestx3@example.org', 10_000, (m) => m.subject.startsWith('A place is free'))
    const token = new URL(linkIn(offer, '/bookings/claim')).searchParams.get('token')!
    expect((await claimOffer(t.platform, cityId, token)).ok).toBe(false)
  })

  it('sends reminders when they fall due, but not for cancelled places or sessions', async () => {
    const o = await opportunity(10, 2)
    const kept = await book(o.id, o.sessionIds[0]!, guest('remind-kept'))
    const dropped = await book(o.id, o.sessionIds[0]!, guest('remind-dropped'))
    const offSession = await book(o.id, o.sessionIds[1]!, guest('remind-off'))
    if (!kept.ok || !dropped.ok || !offSession.ok) throw new Error('booking')
    await cancelPlace(t.platform, cityId, dropped.value.places[0]!.registrationId, {
      manageToken: dropped.value.manageToken!,
    })
    await t.platform.db.execute(
      sql`update opportunity_sessions set cancelled = true where id = ${o.sessionIds[1]!}`,
    )
    await t.platform.jobs.drain()
    const before = smtp.messages.length
    await t.platform.db.execute(
      sql`update jobs set run_at = now() where name = 'registrations.remind' and status = 'queued'
          and (payload->>'registrationId')::int in (${kept.value.places[0]!.registrationId}, ${dropped.value.places[0]!.registrationId}, ${offSession.value.places[0]!.registrationId})`,
    )
    await t.platform.jobs.drain()
    const reminder = await smtp.waitFor('guestremind-kept@example.org', 10_000, (m) =>
      m.subject.startsWith('Reminder'),
    )
    expect(reminder.text).toContain('starts on')
    await new Promise((r) => setTimeout(r, 300))
    const newMail = smtp.messages.slice(before).filter((m) => m.subject.startsWith('Reminder'))
    expect(newMail.map((m) => m.to[0])).toEqual(['guestremind-kept@example.org'])
  })

  it('emails everyone booked on cancelled sessions, in the language they booked in', async () => {
    const o = await opportunity(10, 2)
    await bookPlaces(t.platform, {
      cityId,
      opportunityId: o.id,
      session: o.sessionIds[0]!,
      booker: guest('es'),
      language: 'es',
      joinWaitlist: true,
    })
    await book(o.id, o.sessionIds[1]!, guest('other-session'))
    await t.platform.jobs.drain()
    const res = await cancelSession(t.platform, editor, o.id, o.sessionIds[0]!, 'The room flooded')
    expect(res.ok).toBe(true)
    await t.platform.jobs.drain()
    const mail = await smtp.waitFor('guestes@example.org', 10_000, (m) => m.subject.startsWith('Cancelado'))
    expect(mail.subject).toContain('Robótica')
    expect(mail.text).toContain('The room flooded')
    expect(
      smtp.messages.some(
        (m) => m.to.includes('guestother-session@example.org') && m.subject.startsWith('Cancelled'),
      ),
    ).toBe(false)
  })

  it('emails everyone booked on upcoming sessions when a published opportunity changes', async () => {
    const o = await opportunity(10, 2)
    await book(o.id, 'all', guest('changed'))
    await t.platform.jobs.drain()
    const row = (await findOpportunity(t.platform.db, cityId, o.id))!
    const input = (changes: Record<string, unknown>) =>
      opportunityFactory({
        capacity: 10,
        schedule: row.schedule,
        title: row.title,
        ...changes,
      })
    // A better description is nothing booked people need to hear about.
    const reworded = await updateOpportunity(
      t.platform,
      editor,
      o.id,
      input({ description: { en: 'Build, wire and program a small robot.' } }),
    )
    expect(reworded).toEqual({ ok: true, value: { id: o.id, changed: ['description'] } })
    await t.platform.jobs.drain()
    expect(
      smtp.messages.some((m) => m.to.includes('guestchanged@example.org') && m.subject.startsWith('Changes')),
    ).toBe(false)
    const moved = await updateOpportunity(
      t.platform,
      editor,
      o.id,
      input({
        description: { en: 'Build, wire and program a small robot.' },
        address: '6100 N Sheridan Rd, Chicago, IL',
        lat: 41.9936,
        lon: -87.6549,
      }),
    )
    expect(moved.ok && moved.value.changed).toEqual(['address', 'lat', 'lon', 'districtId'])
    await t.platform.jobs.drain()
    const mail = await smtp.waitFor('guestchanged@example.org', 10_000, (m) =>
      m.subject.startsWith('Changes to'),
    )
    expect(mail.text).toContain(`/en/chicago/opportunities/${o.id}`)
    // One email per person, not one per session.
    expect(
      smtp.messages.filter(
        (m) => m.to.includes('guestchanged@example.org') && m.subject.startsWith('Changes'),
      ),
    ).toHaveLength(1)
  })

  it('records unmet demand with the district and no personal data', async () => {
    const o = await opportunity(10, 1)
    expect(await recordUnmetDemand(t.platform, cityId, o.id, { reason: 'too-far' })).toEqual({
      ok: true,
      value: undefined,
    })
    expect(await recordUnmetDemand(t.platform, cityId, o.id, { reason: 'boring' })).toMatchObject({
      ok: false,
      error: 'invalid',
    })
    expect(await recordUnmetDemand(t.platform, cityId, 999999, { reason: 'full' })).toMatchObject({
      ok: false,
      error: 'not-found',
    })
    const opp = await findOpportunity(t.platform.db, cityId, o.id)
    const saved = await rows<Record<string, unknown>>(
      t.platform.db,
      sql`select * from unmet_demand where opportunity_id = ${o.id}`,
    )
    expect(saved).toHaveLength(1)
    expect(Object.keys(saved[0]!).sort()).toEqual([
      'city_id',
      'created_at',
      'district_id',
      'id',
      'opportunity_id',
      'reason',
      'session_id',
    ])
    expect(Number(saved[0]!.district_id)).toBe(opp!.districtId)
    expect(saved[0]!.reason).toBe('too-far')
  })

  it('takes attendance, counts bookings, attendance rate and no-shows, and exports safe CSV', async () => {
    const o = await opportunity(10, 1)
    const session = o.sessionIds[0]!
    const came = await book(o.id, session, guest('came', 'Grace, "the admiral"'))
    const absent = await book(o.id, session, guest('absent', '=HYPERLINK("http://evil.example")'))
    const alsoCame = await book(o.id, session, guest('also', '@Ada'))
    if (!came.ok || !absent.ok || !alsoCame.ok) throw new Error('booking')
    const opp = (await findOpportunity(t.platform.db, cityId, o.id))!
    expect((await registrationsOverview(t.platform, opp)).rate).toBeNull()
    const ids = [came.value.places[0]!.registrationId, alsoCame.value.places[0]!.registrationId]
    expect(await recordAttendance(t.platform, opp, session, { attended: ids.map(String) })).toEqual({
      ok: true,
      value: undefined,
    })
    expect(await recordAttendance(t.platform, opp, 999999, { attended: [] })).toMatchObject({
      ok: false,
      error: 'not-found',
    })
    const overview = await registrationsOverview(t.platform, opp)
    expect(overview.numbers).toEqual({ bookings: 3, waiting: 0, attended: 2, noShows: 1 })
    expect(overview.rate).toBe(67)
    expect(overview.sessions[0]).toMatchObject({ id: session, held: 3, waiting: 0 })

    const csv = await registrationsCsv(t.platform, opp, translator('en'), 'America/Chicago')
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('Session,Name,Email,Status,Booked at,Attended')
    expect(lines[1]).toMatch(
      /^2027-10-02 10:00,"Grace, ""the admiral""",guestcame@example\.org,Booked,\d{4}-\d\d-\d\d \d\d:\d\d,yes$/,
    )
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil.example"")",guestabsent@example.org,Booked,`)
    expect(lines[2]).toMatch(/,no$/)
    expect(lines[3]).toContain("'@Ada,")
    expect(lines.at(-1)).toBe('')
  })
})
