import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { addProvider, chicagoProvider, publishedSeries } from '../../../test/provider.ts'
import { firstRow, rows, sql } from '../../platform/db/index.ts'
import { type Actor, cancelSession, findOpportunity, type OpportunityRow } from '../opportunities/index.ts'
import { recordAttendance, registrationsOverview } from './provider.ts'
import { type Booker, bookPlaces, cancelPlace } from './registrations.ts'
import { changeSessionCapacity } from './session-capacity.ts'

let guests = 0
const guest = (): Booker => {
  guests++
  return { kind: 'guest', name: `Guest ${guests}`, email: `seat-${guests}@example.org` }
}

describe.each(engines)('provider numbers and per-session places on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let editor: Actor
  let orgId: number
  let staff: Agent
  let otherStaff: Agent

  /** A published weekly series in 2027 with this many places per session. */
  async function opportunity(capacity: number | null, sessions = 2) {
    const { id, sessionIds } = await publishedSeries(t, { cityId, orgId, editor }, { capacity, sessions })
    const row = (await findOpportunity(t.platform.db, cityId, id)) as OpportunityRow
    return { row, id, sessionIds }
  }

  function book(opportunityId: number, session: number, booker = guest(), joinWaitlist = true) {
    return bookPlaces(t.platform, { cityId, opportunityId, session, booker, language: 'en', joinWaitlist })
  }

  async function confirmedOn(sessionId: number) {
    return rows<{ id: number; status: string }>(
      t.platform.db,
      sql`select id::int as id, status from registrations where session_id = ${sessionId} order by id`,
    )
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    ;({ cityId, orgId, editor } = await chicagoProvider(t, { slug: 'seat-club', name: 'seat-club' }))
    const other = await addProvider(t, cityId, { slug: 'other-club', name: 'other-club' })
    staff = (await signedInPerson(t, { staff: { cityId, organizationId: orgId, role: 'editor' } })).agent
    otherStaff = (await signedInPerson(t, { staff: { cityId, organizationId: other.orgId, role: 'admin' } }))
      .agent
  })
  afterAll(() => t.close())

  it('gives the last seat of a session with its own capacity to exactly one of two people booking at once', async () => {
    const o = await opportunity(10, 6)
    for (const session of o.sessionIds) {
      expect(await changeSessionCapacity(t.platform, o.row, session, { capacity: '1' })).toMatchObject({
        ok: true,
      })
    }
    // Five sessions: two people race for the one seat.
    for (const session of o.sessionIds.slice(0, 5)) {
      const results = await Promise.all([
        book(o.id, session, guest(), false),
        book(o.id, session, guest(), false),
      ])
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      expect(results.filter((r) => !r.ok && r.error === 'full')).toHaveLength(1)
      expect((await confirmedOn(session)).map((p) => p.status)).toEqual(['confirmed'])
    }
    // With the waitlist on, the one who loses the race waits in line.
    const last = o.sessionIds[5]!
    const queued = await Promise.all([book(o.id, last), book(o.id, last)])
    const statuses = queued.flatMap((r) => (r.ok ? r.value.places.map((p) => p.status) : ['failed']))
    expect(statuses.sort()).toEqual(['confirmed', 'waitlisted'])
  })

  it('shows the seats left of each session on the booking page, from its own capacity or the opportunity’s', async () => {
    const o = await opportunity(10, 2)
    await changeSessionCapacity(t.platform, o.row, o.sessionIds[0]!, { capacity: '3' })
    await book(o.id, o.sessionIds[0]!)
    await book(o.id, o.sessionIds[1]!)
    const html = await (await new Agent(t.app).get(`/en/chicago/opportunities/${o.id}/book`)).text()
    expect(html).toContain('2 places left')
    expect(html).toContain('9 places left')
    await book(o.id, o.sessionIds[0]!)
    await book(o.id, o.sessionIds[0]!)
    const full = await (await new Agent(t.app).get(`/en/chicago/opportunities/${o.id}/book`)).text()
    expect(full).toContain('full: join the waitlist')
  })

  it('lets the provider set, lower, raise and clear a session’s places with a plain form', async () => {
    const o = await opportunity(10, 2)
    const session = o.sessionIds[0]!
    const base = `/en/chicago/opportunities/${o.id}/registrations`
    const page = await (await staff.get(`${base}/${session}`)).text()
    expect(page).toContain('<label for="capacity">Number of places</label>')
    expect(page).toContain('Leave the box empty to use the opportunity’s number of places (10).')
    expect(page).toContain('Lowering the number never cancels a booking')

    // Bad input comes back with an error summary linked to the field, and what was typed.
    for (const bad of ['ten', '0', '2.5', '-3', '100001']) {
      const res = await staff.post(`${base}/${session}/capacity`, { capacity: bad })
      expect(res.status).toBe(400)
      const html = await res.text()
      expect(html).toContain('class="error-summary"')
      expect(html).toContain('href="#capacity"')
      expect(html).toContain('Enter the number of places as a whole number from 1 to 100000')
      expect(html).toContain(`value="${bad}"`)
      expect(html).toContain('aria-invalid="true"')
    }

    for (let i = 0; i < 3; i++) await book(o.id, session)
    // Lowering below the places taken keeps every booking and says so.
    const lowered = await staff.post(`${base}/${session}/capacity`, { capacity: '2' })
    expect(lowered.status).toBe(303)
    expect(lowered.headers.get('location')).toBe(`${base}/${session}?places=saved`)
    const after = await (await staff.get(lowered.headers.get('location')!)).text()
    expect(after).toContain('Number of places saved.')
    expect(after).toContain('Places taken: 3 of 2.')
    expect(after).toContain('3 people hold a place, more than the 2 places now set. Every booking is kept')
    expect(after).toContain('value="2"')
    expect((await confirmedOn(session)).map((p) => p.status)).toEqual(['confirmed', 'confirmed', 'confirmed'])
    const overview = await (await staff.get(base)).text()
    expect(overview).toContain('3 / 2 (set for this session)')
    expect(overview).toContain('0 / 10')

    // Newcomers wait; raising the places (here typed in Arabic-Indic digits) offers them the new seat.
    const newcomer = await book(o.id, session)
    expect(newcomer.ok && newcomer.value.places[0]!.status).toBe('waitlisted')
    expect((await staff.post(`${base}/${session}/capacity`, { capacity: '٤' })).status).toBe(303)
    const places = await confirmedOn(session)
    expect(places.map((p) => p.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'offered'])
    const offer = await firstRow<{ subject: string }>(
      t.platform.db,
      sql`select subject from mail_outbox where to_address = ${`seat-${guests}@example.org`}
          and subject like 'A place is free%'`,
    )
    expect(offer).toBeDefined()

    // Clearing goes back to the opportunity's 10 places.
    expect((await staff.post(`${base}/${session}/capacity`, { capacity: '  ' })).status).toBe(303)
    const cleared = await (await staff.get(base)).text()
    expect(cleared).toContain('4 / 10')
    expect(cleared).not.toContain('(set for this session)')

    // Only the provider's staff may change it.
    await otherStaff.get(`/en/chicago/opportunities`)
    expect((await otherStaff.post(`${base}/${session}/capacity`, { capacity: '1' })).status).toBe(403)
    const stored = await firstRow<{ capacity: number | null }>(
      t.platform.db,
      sql`select capacity from opportunity_sessions where id = ${session}`,
    )
    expect(stored?.capacity).toBeNull()
  })

  it('closes the places form and attendance on a cancelled session', async () => {
    const o = await opportunity(10, 2)
    const session = o.sessionIds[1]!
    const base = `/en/chicago/opportunities/${o.id}/registrations`
    await book(o.id, session)
    expect((await cancelSession(t.platform, editor, o.id, session)).ok).toBe(true)
    const page = await (await staff.get(`${base}/${session}`)).text()
    expect(page).toContain('This session was cancelled.')
    expect(page).not.toContain('id="capacity"')
    expect(page).not.toContain('name="attended"')
    const res = await staff.post(`${base}/${session}/capacity`, { capacity: '5' })
    expect(res.status).toBe(409)
    const html = await res.text()
    expect(html).toContain('href="#places"')
    expect(html).toContain('This session has started or was cancelled')
    expect((await staff.post(`${base}/${session}/attendance`, {})).status).toBe(400)
  })

  it('tells the badges who attended with an account, once attendance is saved', async () => {
    const o = await opportunity(10, 1)
    const [session] = o.sessionIds as [number]
    const learner = await signedInPerson(t)
    const mine = await book(o.id, session, {
      kind: 'account',
      userId: learner.userId,
      name: 'Ada',
      email: learner.email,
    })
    const theirs = await book(o.id, session)
    if (!mine.ok || !theirs.ok) throw new Error('booking')
    const heard: { opportunityId: number; sessionId: number; userIds: number[] }[] = []
    t.platform.events.on('registration.attended', async (e) => {
      if (e.opportunityId === o.id) heard.push(e)
    })
    // The guest came, the account holder did not: no account attended, nothing to tell.
    await recordAttendance(t.platform, o.row, session, {
      attended: [String(theirs.value.places[0]!.registrationId)],
    })
    expect(heard).toEqual([])
    await recordAttendance(t.platform, o.row, session, {
      attended: [mine, theirs].map((b) => String(b.value.places[0]!.registrationId)),
    })
    expect(heard).toEqual([{ cityId, opportunityId: o.id, sessionId: session, userIds: [learner.userId] }])
  })

  it('leaves cancelled sessions and cancelled places out of bookings, waiting, attendance rate and no-shows', async () => {
    const o = await opportunity(10, 2)
    const [kept, dropped] = o.sessionIds as [number, number]
    const onKept = []
    for (let i = 0; i < 3; i++) {
      const r = await book(o.id, kept)
      if (!r.ok) throw new Error('booking')
      onKept.push(r.value.places[0]!.registrationId)
    }
    const changedMind = await book(o.id, kept)
    if (!changedMind.ok) throw new Error('booking')
    await cancelPlace(t.platform, cityId, changedMind.value.places[0]!.registrationId, {
      manageToken: changedMind.value.manageToken!,
    })
    await changeSessionCapacity(t.platform, o.row, dropped, { capacity: '2' })
    for (let i = 0; i < 3; i++) await book(o.id, dropped)
    await recordAttendance(t.platform, o.row, kept, { attended: onKept.slice(0, 2).map(String) })
    await recordAttendance(t.platform, o.row, dropped, { attended: [] })
    const before = await registrationsOverview(t.platform, o.row)
    expect(before.numbers).toEqual({ bookings: 5, waiting: 1, attended: 2, noShows: 3 })
    expect(before.rate).toBe(40)

    expect((await cancelSession(t.platform, editor, o.id, dropped, 'Room closed')).ok).toBe(true)
    const after = await registrationsOverview(t.platform, o.row)
    expect(after.numbers).toEqual({ bookings: 3, waiting: 0, attended: 2, noShows: 1 })
    expect(after.rate).toBe(67)
    expect(await recordAttendance(t.platform, o.row, dropped, { attended: [] })).toMatchObject({
      ok: false,
      error: 'cancelled',
    })
    const page = await (await staff.get(`/en/chicago/opportunities/${o.id}/registrations`)).text()
    const facts = /<dl class="facts">([\s\S]*?)<\/dl>/.exec(page)![1]!
    expect(facts.replace(/<[^>]+>/g, '|')).toContain(
      '|Bookings||3||Waiting||0||Attendance rate||67%||No-shows||1|',
    )
  })
})
