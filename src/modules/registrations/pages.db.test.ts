import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { opportunityFactory } from '../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { firstRow, rows, sql } from '../../platform/db/index.ts'
import { createVerifiedUser, grantCityRole } from '../accounts/index.ts'
import { findCityBySlug } from '../cities/index.ts'
import { type Actor, createOpportunity, listSessions } from '../opportunities/index.ts'
import { addStaff, createOrganization } from '../organizations/index.ts'

const PASSWORD = 'a long test password'

describe.each(engines)('registration pages on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let opportunityId: number
  let sessionIds: number[]
  let ownStaff: Agent
  let otherStaff: Agent
  let coordinator: Agent
  let learner: Agent
  let otherLearner: Agent

  async function person(name: string): Promise<{ agent: Agent; id: number }> {
    const email = `${name}@example.org`
    const id = await createVerifiedUser(t.platform, {
      email,
      password: PASSWORD,
      displayName: name,
      language: 'en',
    })
    const agent = new Agent(t.app)
    const res = await agent.submit('/en/account/sign-in', { email, password: PASSWORD })
    expect(res.status).toBe(303)
    return { agent, id }
  }

  async function outbox(to: string) {
    return rows<{ subject: string; text: string }>(
      t.platform.db,
      sql`select subject, body_text as text from mail_outbox where to_address = ${to} order by id`,
    )
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const orgs: number[] = []
    for (const slug of ['robot-club', 'rival-club']) {
      const org = await createOrganization(t.platform, cityId, {
        slug,
        name: { en: slug },
        sector: 'community',
        trusted: true,
      })
      if (!org.ok) throw new Error('org')
      orgs.push(org.value)
    }
    const editor: Actor = {
      userId: null,
      label: 'Editor',
      cityId,
      timeZone: 'America/Chicago',
      coordinator: false,
      organizations: [{ id: orgs[0]!, role: 'editor', trusted: true }],
    }
    const o = await createOpportunity(
      t.platform,
      editor,
      orgs[0]!,
      opportunityFactory({
        capacity: 1,
        schedule: {
          kind: 'series',
          start: '2027-10-02T10:00',
          durationMinutes: 90,
          rrule: 'FREQ=WEEKLY;COUNT=2',
        },
      }),
      { publish: true },
    )
    if (!o.ok) throw new Error('opportunity')
    opportunityId = o.value.id
    sessionIds = (await listSessions(t.platform.db, cityId, opportunityId)).map((s) => s.id)
    const own = await person('own-staff')
    await addStaff(t.platform, cityId, orgs[0]!, own.id, 'editor')
    ownStaff = own.agent
    const other = await person('other-staff')
    await addStaff(t.platform, cityId, orgs[1]!, other.id, 'admin')
    otherStaff = other.agent
    const coord = await person('coord')
    await grantCityRole(t.platform.db, cityId, coord.id, 'coordinator')
    coordinator = coord.agent
    learner = (await person('learner')).agent
    otherLearner = (await person('other-learner')).agent
  })
  afterAll(() => t.close())

  const bookPath = () => `/en/chicago/opportunities/${opportunityId}/book`

  it('lets a guest book without JavaScript, then see and cancel the booking with the emailed link', async () => {
    const guest = new Agent(t.app, '198.51.100.1')
    const page = await guest.get(bookPath())
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html.match(/<h1/g)).toHaveLength(1)
    expect(html).toContain('All 2 upcoming sessions')
    expect(html).toContain('1 place left')

    const invalid = await guest.post(bookPath(), { session: String(sessionIds[0]), name: '', email: 'nope' })
    expect(invalid.status).toBe(400)
    const errors = await invalid.text()
    expect(errors).toContain('href="#name"')
    expect(errors).toContain('href="#email"')

    const done = await guest.post(bookPath(), {
      session: String(sessionIds[0]),
      name: 'Gus',
      email: 'gus@example.org',
    })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(`${bookPath()}?booked=confirmed`)
    const [mail] = await outbox('gus@example.org')
    const link = /https?:\/\/\S+\/bookings\/manage\?token=\S+/.exec(mail!.text)![0]
    const path = new URL(link).pathname + new URL(link).search

    const again = await guest.post(bookPath(), {
      session: String(sessionIds[0]),
      name: 'Gus',
      email: 'gus@example.org',
    })
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('You already have a place on this session')

    expect(
      (await guest.get('/en/chicago/bookings/manage?token=wrong-token-that-is-long-enough')).status,
    ).toBe(404)
    const manage = await guest.get(path)
    expect(manage.status).toBe(200)
    const registration = /name="registration" value="(\d+)"/.exec(await manage.text())![1]!
    const cancelled = await guest.post('/en/chicago/bookings/manage/cancel', {
      token: new URL(link).searchParams.get('token')!,
      registration,
    })
    expect(cancelled.status).toBe(303)
    const after = await (await guest.get(cancelled.headers.get('location')!)).text()
    expect(after).toContain('Your booking is cancelled.')
    expect(after).not.toContain('Cancel this booking')
  })

  it('puts people on the waitlist when the session is full and shows their own bookings only', async () => {
    const first = await learner.submit(bookPath(), { session: String(sessionIds[1]) })
    expect(first.headers.get('location')).toContain('booked=confirmed')
    const second = await otherLearner.submit(bookPath(), { session: String(sessionIds[1]) })
    expect(second.headers.get('location')).toContain('booked=waitlisted')

    const mine = await (await learner.get('/en/chicago/bookings')).text()
    expect(mine).toContain('Booked')
    const theirs = await (await otherLearner.get('/en/chicago/bookings')).text()
    expect(theirs).toContain('On the waitlist')
    expect(theirs).not.toContain('>Booked<')

    // Another learner cannot cancel someone else's place by guessing its id.
    const id = /\/bookings\/(\d+)\/cancel/.exec(mine)![1]!
    await otherLearner.get('/en/chicago/bookings')
    expect((await otherLearner.post(`/en/chicago/bookings/${id}/cancel`, {})).status).toBe(404)
    expect(
      await firstRow(
        t.platform.db,
        sql`select 1 from registrations where id = ${Number(id)} and status = 'confirmed'`,
      ),
    ).toBeDefined()

    // The owner cancels: the waiting learner is offered the place by email.
    await learner.get('/en/chicago/bookings')
    const cancelled = await learner.post(`/en/chicago/bookings/${id}/cancel`, {})
    expect(cancelled.headers.get('location')).toBe('/en/chicago/bookings?cancelled=1')
    const offer = (await outbox('other-learner@example.org')).find((m) =>
      m.subject.startsWith('A place is free'),
    )!
    const claim = new URL(/https?:\/\/\S+\/bookings\/claim\?token=\S+/.exec(offer.text)![0])
    const claimPage = await otherLearner.get(claim.pathname + claim.search)
    expect(claimPage.status).toBe(200)
    const claimed = await otherLearner.post('/en/chicago/bookings/claim', {
      token: claim.searchParams.get('token')!,
    })
    expect(claimed.status).toBe(200)
    expect(await claimed.text()).toContain('The place is yours')
    expect(await (await otherLearner.get('/en/chicago/bookings')).text()).toContain('Booked')
  })

  it('requires a signed-in person for My bookings', async () => {
    const res = await t.app.request('/en/chicago/bookings')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toContain('/en/account/sign-in')
    expect((await t.app.request('/en/account/bookings')).status).toBe(404)
  })

  it('records a “can’t go” reason with one click', async () => {
    const guest = new Agent(t.app)
    const page = await (await guest.get(bookPath())).text()
    expect(page).toContain('value="not-my-language"')
    const res = await guest.post(`${bookPath()}/unmet`, { reason: 'wrong-time' })
    expect(res.status).toBe(303)
    expect(await (await guest.get(res.headers.get('location')!)).text()).toContain(
      'Your answer has been recorded',
    )
    const row = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from unmet_demand where opportunity_id = ${opportunityId} and reason = 'wrong-time'`,
    )
    expect(row?.n).toBe(1)
    expect((await guest.post(`${bookPath()}/unmet`, { reason: 'x' })).status).toBe(400)
  })

  it('shows registrations, attendance and the CSV to the provider’s staff and coordinators only', async () => {
    const base = `/en/chicago/opportunities/${opportunityId}/registrations`
    for (const agent of [learner, otherStaff]) {
      expect((await agent.get(base)).status).toBe(403)
      expect((await agent.get(`${base}.csv`)).status).toBe(403)
      expect((await agent.get(`${base}/${sessionIds[1]}`)).status).toBe(403)
    }
    expect((await t.app.request(base)).status).toBe(303)
    expect((await coordinator.get(base)).status).toBe(200)

    const overview = await ownStaff.get(base)
    expect(overview.status).toBe(200)
    expect(await overview.text()).toContain('No attendance taken yet')
    const session = await ownStaff.get(`${base}/${sessionIds[1]}`)
    const html = await session.text()
    const box = /id="attended-(\d+)"/.exec(html)![1]!
    const saved = await ownStaff.post(`${base}/${sessionIds[1]}/attendance`, { attended: box })
    expect(saved.headers.get('location')).toBe(`${base}/${sessionIds[1]}?saved=1`)
    expect(await (await ownStaff.get(`${base}/${sessionIds[1]}`)).text()).toMatch(/checked=""|checked/)
    expect(await (await ownStaff.get(base)).text()).toContain('100%')

    // Another organization's staff cannot write attendance either.
    await otherStaff.get('/en/chicago/opportunities')
    expect((await otherStaff.post(`${base}/${sessionIds[1]}/attendance`, {})).status).toBe(403)

    const csv = await ownStaff.get(`${base}.csv`)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(csv.headers.get('content-disposition')).toContain('attachment')
    const text = await csv.text()
    expect(text.split('\r\n')[0]).toBe('Session,Name,Email,Status,Booked at,Attended')
    expect(text).toContain('other-learner@example.org')
  })
})
