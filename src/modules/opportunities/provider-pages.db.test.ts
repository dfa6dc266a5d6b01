import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { readCalendar } from '../../../test/calendar-reader.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { firstRow, sql } from '../../platform/db/index.ts'
import { createVerifiedUser, grantCityRole } from '../accounts/index.ts'
import { createCity, findCityBySlug } from '../cities/index.ts'
import { addStaff, createOrganization } from '../organizations/index.ts'
import { findOpportunity, listSessions } from './index.ts'

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
const PASSWORD = 'provider pages password 1'

/** A complete, valid form as a browser would post it; repeated keys for checkbox groups. */
function formPairs(overrides: Record<string, string | string[]> = {}): [string, string][] {
  const fields: Record<string, string | string[]> = {
    'title-en': 'Robotics for beginners',
    'title-es': 'Robótica para principiantes',
    'description-en': 'Build and program a small robot.',
    'outcomes-en': 'Program a robot to follow a line.',
    buildingBlock: 'learning-technologies',
    topics: 'robotics, coding',
    ageMin: '9',
    ageMax: '14',
    groups: ['children', 'families'],
    languages: 'en, es',
    format: 'in-person',
    venueId: '',
    address: '1230 W Greenleaf Ave, Chicago, IL',
    lat: '42.0106',
    lon: '-87.6627',
    joinUrl: '',
    scheduleKind: 'series',
    start: '2027-10-02T10:00',
    durationMinutes: '90',
    frequency: 'weekly',
    weekdays: ['SA'],
    count: '4',
    until: '',
    rrule: '',
    rdates: '',
    exdates: '',
    free: 'on',
    price: '',
    currency: 'USD',
    concessions: '',
    accessibility: ['step-free', 'quiet-space'],
    accessibilityNote: '',
    capacity: '12',
    imageUrl: '/static/demo/learning.svg',
    'imageAlt-en': 'Two children wiring a small robot',
    contactEmail: 'robots@example.org',
    contactPhone: '',
    intent: 'draft',
    ...overrides,
  }
  return Object.entries(fields).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((one) => [k, one] as [string, string]),
  )
}

describe.each(engines)('provider pages on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let trustedOrg: number
  let reviewedOrg: number
  const users: Record<string, string> = {}

  /** Posts a form with repeated keys (checkbox groups), with the agent's cookies and CSRF token. */
  async function postForm(agent: Agent, path: string, pairs: [string, string][]) {
    const body = new URLSearchParams(pairs)
    body.set('_csrf', agent.csrf())
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await t.app.request(
      path,
      {
        method: 'POST',
        body: body.toString(),
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'test' },
      },
      { incoming: { socket: { remoteAddress: '203.0.113.9' } } },
    )
    return { res, html: (res.headers.get('content-type') ?? '').includes('html') ? await res.text() : '' }
  }

  const agents = new Map<string, Agent>()
  /** One signed-in agent per person (sign-in is rate-limited per account). */
  async function signedIn(who: string): Promise<Agent> {
    const known = agents.get(who)
    if (known) return known
    const agent = new Agent(t.app)
    const res = await agent.submit('/en/account/sign-in', { email: users[who]!, password: PASSWORD })
    expect(res.status).toBe(303)
    agents.set(who, agent)
    return agent
  }

  async function user(key: string, displayName = key) {
    const email = `${key}-${engine}@example.org`
    users[key] = email
    return createVerifiedUser(t.platform, { email, password: PASSWORD, displayName, language: 'en' })
  }

  async function statusOf(id: number) {
    return (await findOpportunity(t.platform.db, cityId, id))?.status
  }

  /** Creates an opportunity through the form and returns its id (the newest of the organization). */
  async function createThroughForm(
    who: string,
    org: number,
    overrides: Record<string, string | string[]> = {},
  ) {
    const agent = await signedIn(who)
    await agent.get(`/en/chicago/provide/${org}/new`)
    const { res } = await postForm(agent, `/en/chicago/provide/${org}/new`, formPairs(overrides))
    expect(res.status).toBe(303)
    const newest = await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from opportunities where organization_id = ${org} order by id desc limit 1`,
    )
    return { agent, id: newest!.id, location: res.headers.get('location') ?? '' }
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const trusted = await createOrganization(t.platform, cityId, {
      slug: 'robot-club',
      name: { en: 'Robot Club' },
      sector: 'community',
      trusted: true,
    })
    const reviewed = await createOrganization(t.platform, cityId, {
      slug: 'new-group',
      name: { en: `New Group ${XSS}` },
      sector: 'community',
    })
    const pending = await createOrganization(t.platform, cityId, {
      slug: 'pending-group',
      name: { en: 'Pending' },
      sector: 'community',
    })
    if (!trusted.ok || !reviewed.ok || !pending.ok) throw new Error('organizations')
    trustedOrg = trusted.value
    reviewedOrg = reviewed.value
    await t.platform.db.execute(sql`update organizations set status = 'approved' where id = ${reviewedOrg}`)
    await addStaff(t.platform, cityId, trustedOrg, await user('trusted', `Tess ${XSS}`), 'editor')
    await addStaff(t.platform, cityId, reviewedOrg, await user('reviewed'), 'admin')
    await addStaff(t.platform, cityId, trustedOrg, await user('issuer'), 'issuer')
    await grantCityRole(t.platform.db, cityId, await user('coordinator', 'Cora Coordinator'), 'coordinator')
    await user('learner')
    const lakeside = await createCity(t.platform, {
      slug: 'lakeside',
      name: { en: 'Lakeside' },
      defaultLanguage: 'en',
      timeZone: 'America/Chicago',
    })
    if (!lakeside.ok) throw new Error('city')
    await grantCityRole(t.platform.db, lakeside.value, await user('elsewhere'), 'coordinator')
  })
  afterAll(() => t.close())

  it('sends anonymous visitors to sign in and gives people without a staff role a helpful page', async () => {
    for (const path of [
      '/en/chicago/provide',
      `/en/chicago/provide/${trustedOrg}/new`,
      '/en/chicago/admin/review',
    ]) {
      const res = await t.app.request(path)
      expect(res.status, path).toBe(303)
      expect(res.headers.get('location')).toContain('/en/account/sign-in?next=')
    }
    const learner = await signedIn('learner')
    const res = await learner.get('/en/chicago/provide')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('You are not on the staff of a provider in this city yet')
    expect(html).toContain('href="/en/chicago/providers/new"')
    expect((await learner.get(`/en/chicago/provide/${trustedOrg}/new`)).status).toBe(403)
    expect((await learner.get('/en/chicago/admin/review')).status).toBe(403)
  })

  it('links each organization to its badges, and its admins to its webhooks', async () => {
    const editor = await (await (await signedIn('trusted')).get('/en/chicago/provide')).text()
    expect(editor).toContain(`href="/en/chicago/provide/${trustedOrg}/badges"`)
    expect(editor).not.toContain('/webhooks"')
    const admin = await (await (await signedIn('reviewed')).get('/en/chicago/provide')).text()
    expect(admin).toContain(`href="/en/chicago/provide/${reviewedOrg}/badges"`)
    expect(admin).toContain(`href="/en/chicago/provide/${reviewedOrg}/webhooks"`)
  })

  it('saves the form as a draft with the repeat rule the builder describes', async () => {
    const { id, location } = await createThroughForm('trusted', trustedOrg)
    expect(location).toBe('/en/chicago/provide?done=draft')
    const row = await findOpportunity(t.platform.db, cityId, id)
    expect(row?.status).toBe('draft')
    expect(row?.title).toEqual({ en: 'Robotics for beginners', es: 'Robótica para principiantes' })
    expect(row?.schedule).toMatchObject({ kind: 'series', rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=4' })
    expect(row?.groups).toEqual(['children', 'families'])
    expect(row?.accessibility).toEqual(['step-free', 'quiet-space'])
    const agent = await signedIn('trusted')
    const dashboard = await (await agent.get(location)).text()
    expect(dashboard).toContain('Saved as a draft')
    expect(dashboard).toContain(`href="/en/chicago/provide/opportunities/${id}/edit"`)
    expect(dashboard).toContain('<td>draft</td>')
    // The edit form shows the saved values, the simple rule back in the builder.
    const edit = await (await agent.get(`/en/chicago/provide/opportunities/${id}/edit`)).text()
    expect(edit).toContain('value="Robotics for beginners"')
    expect(edit).toMatch(/id="weekdays-SA"[^>]*value="SA"[^>]*checked/)
    expect(edit).toContain('value="4"')
  })

  it('shows each error beside its field, in a linked summary, keeping what was typed', async () => {
    const agent = await signedIn('trusted')
    await agent.get(`/en/chicago/provide/${trustedOrg}/new`)
    const { res, html } = await postForm(
      agent,
      `/en/chicago/provide/${trustedOrg}/new`,
      formPairs({
        'title-en': '',
        'title-es': '',
        'description-en': `Kept ${XSS}`,
        rrule: 'FREQ=SOMETIMES',
        free: '',
        price: '',
        contactEmail: 'not an email',
        intent: 'publish',
      }),
    )
    expect(res.status).toBe(400)
    for (const field of ['title-en', 'rrule', 'price', 'contactEmail']) {
      expect(html).toContain(`<a href="#${field}">`)
      expect(html).toContain(`id="${field}-error"`)
    }
    expect(html).toMatch(/id="title-en"[^>]*aria-invalid="true"/)
    expect(html.indexOf('href="#title-en"')).toBeLessThan(html.indexOf('href="#contactEmail"'))
    expect(html).toContain('Check the repeat rule:')
    expect(html).toContain('Kept &lt;script&gt;alert')
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('value="not an email"')
    expect(html).toContain('FREQ=SOMETIMES')
  })

  it('previews the opportunity as residents will see it without saving anything', async () => {
    const before = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunities`,
    )
    const agent = await signedIn('trusted')
    await agent.get(`/en/chicago/provide/${trustedOrg}/new`)
    const { res, html } = await postForm(
      agent,
      `/en/chicago/provide/${trustedOrg}/new`,
      formPairs({ intent: 'preview', 'title-en': 'Preview me', exdates: '2027-10-09' }),
    )
    expect(res.status).toBe(200)
    expect(html).toContain('Preview: how residents will see it')
    expect(html).toContain('<h3 lang="en">Preview me</h3>')
    expect(html).toContain('Next session: Saturday, October 2, 2027 at 10:00')
    // Four weekly Saturdays, one excluded: three sessions in the city's time zone.
    expect(html).toContain('3 upcoming sessions')
    expect(html).not.toContain('October 9, 2027')
    expect(html).toContain('Robot Club')
    expect(html).toContain('value="Preview me"')
    const after = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunities`,
    )
    expect(after!.n).toBe(before!.n)
  })

  it('publishes at once for a trusted provider and sends an untrusted one for review', async () => {
    const trusted = await createThroughForm('trusted', trustedOrg, {
      intent: 'publish',
      'title-en': 'Open now',
    })
    expect(trusted.location).toBe('/en/chicago/provide?done=published')
    expect(await statusOf(trusted.id)).toBe('published')
    expect((await t.app.request(`/en/chicago/opportunities/${trusted.id}`)).status).toBe(200)
    const reviewed = await createThroughForm('reviewed', reviewedOrg, { intent: 'publish' })
    expect(reviewed.location).toBe('/en/chicago/provide?done=submitted')
    expect(await statusOf(reviewed.id)).toBe('submitted')
    expect((await t.app.request(`/en/chicago/opportunities/${reviewed.id}`)).status).toBe(404)
  })

  it('lets a coordinator return a submission only with a note, and publish it', async () => {
    const { id, agent: provider } = await createThroughForm('reviewed', reviewedOrg, {
      intent: 'publish',
      'title-en': 'Needs review',
    })
    const coordinator = await signedIn('coordinator')
    const queue = await (await coordinator.get('/en/chicago/admin/review')).text()
    expect(queue).toContain('Needs review')
    expect(queue).toContain(`href="/en/chicago/opportunities/${id}"`)
    const empty = await coordinator.post(`/en/chicago/admin/review/${id}`, { decision: 'return', note: ' ' })
    expect(empty.status).toBe(400)
    const html = await empty.text()
    expect(html).toContain(`<a href="#note-${id}">`)
    expect(await statusOf(id)).toBe('submitted')
    const returned = await coordinator.post(`/en/chicago/admin/review/${id}`, {
      decision: 'return',
      note: 'Add the room number',
    })
    expect(returned.status).toBe(303)
    expect(await statusOf(id)).toBe('draft')
    const history = await (await provider.get(`/en/chicago/provide/opportunities/${id}/history`)).text()
    expect(history).toContain('Returned with a note')
    expect(history).toContain('Add the room number')
    expect(history).toContain('Cora Coordinator')
    // The provider sends it again from the dashboard; the coordinator publishes it.
    await provider.get('/en/chicago/provide')
    const submit = await provider.post(`/en/chicago/provide/opportunities/${id}/transition`, {
      action: 'submit',
      back: 'dashboard',
    })
    expect(submit.headers.get('location')).toBe('/en/chicago/provide?done=submitted')
    await coordinator.get('/en/chicago/admin/review')
    const published = await coordinator.post(`/en/chicago/admin/review/${id}`, { decision: 'publish' })
    expect(published.status).toBe(303)
    expect(await statusOf(id)).toBe('published')
    expect(await (await coordinator.get('/en/chicago/admin/review')).text()).not.toContain('Needs review')
  })

  it('cancels one session with a note and records who changed which fields', async () => {
    const { id, agent } = await createThroughForm('trusted', trustedOrg, { intent: 'publish' })
    const sessions = await listSessions(t.platform.db, cityId, id)
    expect(sessions).toHaveLength(4)
    const manage = await (await agent.get(`/en/chicago/provide/opportunities/${id}`)).text()
    expect(manage).toContain(`/sessions/${sessions[1]!.id}/cancel`)
    const res = await agent.post(
      `/en/chicago/provide/opportunities/${id}/sessions/${sessions[1]!.id}/cancel`,
      {
        note: 'Room closed',
      },
    )
    expect(res.status).toBe(303)
    const after = await listSessions(t.platform.db, cityId, id)
    expect(after.map((s) => s.cancelled)).toEqual([false, true, false, false])
    expect(await statusOf(id)).toBe('published')
    // Edit the title; the history names the editor and the changed field.
    await agent.get(`/en/chicago/provide/opportunities/${id}/edit`)
    const edited = await postForm(
      agent,
      `/en/chicago/provide/opportunities/${id}/edit`,
      formPairs({ 'title-en': 'Robotics, renamed', intent: 'draft' }),
    )
    expect(edited.res.headers.get('location')).toBe('/en/chicago/provide?done=saved')
    const history = await (await agent.get(`/en/chicago/provide/opportunities/${id}/history`)).text()
    expect(history).toContain('One session cancelled')
    expect(history).toContain('Room closed')
    expect(history).toMatch(/<td>Changed<\/td>\s*<td>title[,<]/)
    expect(history).toContain('Tess &lt;script&gt;')
    expect(history).not.toContain('<script>alert')
  })

  it('refuses other organizations’ staff, issuers and coordinators of other cities', async () => {
    const { id } = await createThroughForm('trusted', trustedOrg)
    const paths = [`/en/chicago/provide/opportunities/${id}/edit`, `/en/chicago/provide/opportunities/${id}`]
    for (const who of ['reviewed', 'issuer', 'elsewhere', 'learner']) {
      const agent = await signedIn(who)
      for (const path of paths) expect((await agent.get(path)).status, `${who} ${path}`).toBe(403)
      await agent.get('/en/chicago/provide')
      const post = await postForm(agent, `/en/chicago/provide/opportunities/${id}/edit`, formPairs())
      expect(post.res.status, `${who} edit`).toBe(403)
      const move = await agent.post(`/en/chicago/provide/opportunities/${id}/transition`, {
        action: 'archive',
      })
      expect(move.status, `${who} archive`).toBe(403)
      const created = await postForm(agent, `/en/chicago/provide/${trustedOrg}/new`, formPairs())
      expect(created.res.status, `${who} create`).toBe(403)
    }
    expect(await statusOf(id)).toBe('draft')
    const issuer = await signedIn('issuer')
    expect(await (await issuer.get('/en/chicago/provide')).text()).toContain('You are not on the staff')
    const elsewhere = await signedIn('elsewhere')
    expect((await elsewhere.get('/en/chicago/admin/review')).status).toBe(403)
    expect((await elsewhere.get('/en/lakeside/admin/review')).status).toBe(200)
  })

  it('renders hostile text inert in the dashboard, the preview and the review queue', async () => {
    const hostile = {
      'title-en': `T ${XSS}`,
      'description-en': `D ${XSS}`,
      'outcomes-en': `O ${XSS}`,
      'imageAlt-en': `A ${XSS}`,
      topics: `t ${XSS}`,
      address: `Street ${XSS}`,
      concessions: `C ${XSS}`,
      accessibilityNote: `N ${XSS}`,
      contactPhone: '+1 <b>5</b>',
      externalId: `ext-${XSS}`,
    }
    const agent = await signedIn('reviewed')
    await agent.get(`/en/chicago/provide/${reviewedOrg}/new`)
    const preview = await postForm(
      agent,
      `/en/chicago/provide/${reviewedOrg}/new`,
      formPairs({ ...hostile, intent: 'preview' }),
    )
    expect(preview.res.status).toBe(200)
    expect(preview.html).toContain('T &lt;script&gt;')
    const { id } = await createThroughForm('reviewed', reviewedOrg, { ...hostile, intent: 'publish' })
    const coordinator = await signedIn('coordinator')
    const dashboard = await (await agent.get('/en/chicago/provide')).text()
    const queue = await (await coordinator.get('/en/chicago/admin/review')).text()
    const edit = await (await agent.get(`/en/chicago/provide/opportunities/${id}/edit`)).text()
    for (const [name, html] of Object.entries({ preview: preview.html, dashboard, queue, edit })) {
      expect(html, name).not.toContain('<script>alert')
      expect(html, name).not.toContain('<img src=x')
      expect(html, name).not.toContain('<b>5</b>')
    }
    expect(queue).toContain('T &lt;script&gt;')
    expect(queue).toContain('New Group &lt;script&gt;')
  })

  it('offers each public provider’s published sessions as one .ics calendar', async () => {
    const calendar = await t.app.request('/en/chicago/providers/robot-club/calendar.ics')
    expect(calendar.status).toBe(200)
    expect(calendar.headers.get('content-type')).toContain('text/calendar')
    const events = readCalendar(await calendar.text(), new Date('2030-01-01T00:00:00Z'))
    const published = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunity_sessions s join opportunities o on o.id = s.opportunity_id
          where o.organization_id = ${trustedOrg} and o.status in ('published', 'cancelled')`,
    )
    expect(events.length).toBe(published!.n)
    expect(events.length).toBeGreaterThan(0)
    expect(events.map((e) => e.summary)).not.toContain('Robotics for beginners')
    expect(events.some((e) => e.cancelled)).toBe(true)
    expect(events[0]!.start).toBe('2027-10-02T15:00:00.000Z')
    expect((await t.app.request('/en/chicago/providers/no-such-provider/calendar.ics')).status).toBe(404)
    expect((await t.app.request('/en/chicago/providers/pending-group/calendar.ics')).status).toBe(404)
    expect((await t.app.request('/en/lakeside/providers/robot-club/calendar.ics')).status).toBe(404)
  })
})
