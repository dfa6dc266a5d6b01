import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { opportunityFactory } from '../../../test/factories.ts'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { sql } from '../../platform/db/index.ts'
import { findCityBySlug, saveTheme } from '../cities/index.ts'
import { createOrganization } from '../organizations/index.ts'
import {
  type Actor,
  cancelSession,
  createOpportunity,
  listSessions,
  transition,
  updateOpportunity,
} from './index.ts'
import { CHECK_EVERY_MS, opportunityPageCache } from './page-cache.ts'

/**
 * Waits out the staleness bound: a change written outside a request of this app (a use case called
 * directly, as a job or another process would, or SQL by hand) is on pages served this long after.
 */
const bound = () => new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS + 20))

const nonceOf = (res: Response) =>
  /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1]

describe.each(engines)('the cached opportunity page on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let orgId: number
  let editor: Actor
  let id: number
  const path = () => `/en/chicago/opportunities/${id}`
  const read = async (agent?: Agent) => {
    const res = agent ? await agent.get(path()) : await t.app.request(path())
    return { res, html: await res.text() }
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const org = await createOrganization(t.platform, cityId, {
      slug: 'cache-club',
      name: { en: 'Cache Club' },
      sector: 'community',
      trusted: true,
    })
    if (!org.ok) throw new Error('org')
    orgId = org.value
    editor = {
      userId: null,
      label: 'Editor',
      cityId,
      timeZone: 'America/Chicago',
      coordinator: false,
      organizations: [{ id: orgId, role: 'editor', trusted: true }],
    }
  })
  afterAll(() => t.close())

  // Each test starts from a fresh opportunity whose page is already cached.
  beforeEach(async () => {
    const created = await createOpportunity(
      t.platform,
      editor,
      orgId,
      opportunityFactory({ title: { en: 'Pottery evenings' }, capacity: 3 }),
      { publish: true },
    )
    if (!created.ok) throw new Error('create')
    id = created.value.id
    // The first read also starts the change feed; the second stores the page.
    await read()
    await read()
  })

  it('serves one page to every reader who is not signed in, each with their own nonce and no one else’s token', async () => {
    const pages = opportunityPageCache(t.platform.db)
    expect(pages.size().pages).toBeGreaterThan(0)
    const ann = new Agent(t.app, '198.51.100.10')
    const bob = new Agent(t.app, '198.51.100.11')
    const a = await read(ann)
    const b = await read(bob)
    expect(a.res.status).toBe(200)
    expect(b.res.status).toBe(200)
    // Each page's inline style carries the nonce of its own Content-Security-Policy.
    const nonceA = nonceOf(a.res)!
    const nonceB = nonceOf(b.res)!
    expect(nonceA).not.toBe(nonceB)
    expect(a.html).toContain(`nonce="${nonceA}"`)
    expect(b.html).toContain(`nonce="${nonceB}"`)
    expect(b.html).not.toContain(nonceA)
    expect(a.html.replaceAll(nonceA, 'N')).toBe(b.html.replaceAll(nonceB, 'N'))
    expect(a.html).toContain('Pottery evenings')
    expect(a.html).toContain('Sign in')
    // The page has no form: a reader gets no CSRF cookie from it.
    expect(a.res.headers.getSetCookie().some((line) => line.startsWith('lc_csrf='))).toBe(false)
    expect(ann.cookies.has('lc_csrf')).toBe(false)

    // A signed-in reader gets their own page: their sign-out form with their token, their links.
    const staff = await signedInPerson(t, { staff: { cityId, organizationId: orgId, role: 'editor' } })
    const mine = await read(staff.agent)
    const token = staff.agent.csrf()
    expect(mine.html).toContain('Sign out')
    expect(mine.html).toContain(`/en/chicago/provide/opportunities/${id}`)
    // …which no one else ever gets, before or after.
    const after = await read(new Agent(t.app, '198.51.100.12'))
    expect(after.html).not.toContain(token)
    expect(after.html).not.toContain('Sign out')
    expect(after.html).not.toContain('/provide/opportunities/')
    const again = await read(staff.agent)
    expect(staff.agent.csrf()).toBe(token)
    expect(again.html).not.toContain(nonceA)
    // The booking form (not cached) still takes each visitor's own token.
    await bob.get(`${path()}/book`)
    const booked = await bob.post(`${path()}/book`, {
      session: String((await listSessions(t.platform.db, cityId, id))[0]!.id),
      name: 'Bob',
      email: 'bob@example.org',
    })
    expect(booked.status).toBe(303)
  })

  it('shows an edit within the bound', async () => {
    const changed = await updateOpportunity(
      t.platform,
      editor,
      id,
      opportunityFactory({ title: { en: 'Pottery nights' }, capacity: 3 }),
    )
    expect(changed.ok).toBe(true)
    await bound()
    const { html } = await read()
    expect(html).toContain('Pottery nights')
    expect(html).not.toContain('Pottery evenings')
  })

  it('shows the seats left right after a booking (no waiting), and a full session once the last seat is taken', async () => {
    expect((await read()).html.match(/3 places left/g)).toHaveLength(8)
    const sessionId = (await listSessions(t.platform.db, cityId, id))[0]!.id
    const guest = new Agent(t.app, '198.51.100.20')
    for (const [n, left] of [
      [1, '2 places left'],
      [2, '1 place left'],
      [3, 'full, waiting list open'],
    ] as const) {
      await guest.get(`${path()}/book`)
      const done = await guest.post(`${path()}/book`, {
        session: String(sessionId),
        name: `Guest ${n}`,
        email: `guest${n}-${id}@example.org`,
      })
      expect(done.status).toBe(303)
      const { html } = await read()
      expect(html).toContain(left)
      expect(html.match(/3 places left/g)).toHaveLength(7)
    }
  })

  it('shows a new session, a cancelled session and a cancelled opportunity within the bound', async () => {
    const longer = await updateOpportunity(
      t.platform,
      editor,
      id,
      opportunityFactory({
        title: { en: 'Pottery evenings' },
        capacity: 3,
        schedule: {
          kind: 'series',
          start: '2027-10-02T10:00',
          durationMinutes: 90,
          rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=9',
        },
      }),
    )
    expect(longer.ok).toBe(true)
    await bound()
    expect((await read()).html).toContain('Saturday, November 27, 2027')
    const [first] = await listSessions(t.platform.db, cityId, id)
    expect((await cancelSession(t.platform, editor, id, first!.id)).ok).toBe(true)
    await bound()
    expect((await read()).html).toMatch(/<del>Saturday, October 2, 2027 at 10:00\s*AM \(cancelled\)<\/del>/)
    expect((await transition(t.platform, editor, id, 'cancel')).ok).toBe(true)
    await bound()
    const { html } = await read()
    expect(html).toContain('Status: cancelled.')
    expect(html).not.toContain(`${path()}/book"`)
  })

  it('shows a new theme or name of the city and a new name of the provider within the bound', async () => {
    const theme = { primary: '#7a1f5c', primaryText: '#ffffff', background: '#ffffff', text: '#1f2328' }
    expect((await saveTheme(t.platform, cityId, theme, { en: 'Chicago Learns' })).ok).toBe(true)
    await bound()
    const themed = (await read()).html
    expect(themed).toContain('--brand:#7a1f5c')
    expect(themed).toContain('Chicago Learns')
    // Written by something that announces nothing in this process (another app process, an operator).
    await t.platform.db.execute(
      sql`update organizations set name = '{"en":"Kiln Collective"}'::jsonb where id = ${orgId}`,
    )
    await bound()
    expect((await read()).html).toContain('Kiln Collective')
  })

  it('answers 404 within the bound when the opportunity is deleted or no longer public', async () => {
    await t.platform.db.execute(sql`update opportunities set status = 'draft' where id = ${id}`)
    await bound()
    expect((await read()).res.status).toBe(404)
    await t.platform.db.execute(sql`update opportunities set status = 'published' where id = ${id}`)
    await bound()
    expect((await read()).res.status).toBe(200)
    expect((await read()).res.status).toBe(200)
    await t.platform.db.execute(sql`delete from opportunity_sessions where opportunity_id = ${id}`)
    await t.platform.db.execute(sql`delete from opportunities where id = ${id}`)
    await bound()
    expect((await read()).res.status).toBe(404)
  })

  it('keeps a page built before a change out of the cache', async () => {
    const pages = opportunityPageCache(t.platform.db)
    // A render that began before a change was seen may hold data older than the change.
    const ticket = pages.begin()
    await t.platform.db.execute(
      sql`update opportunities set title = '{"en":"Raku weekends"}'::jsonb where id = ${id}`,
    )
    await bound()
    expect((await read()).html).toContain('Raku weekends')
    expect(
      pages.store(ticket, `http://localhost${path()}`, '<p>old</p>', {
        tags: [`opportunity:${id}`],
        expiresAt: Date.now() + 60_000,
        perRequest: ['x'],
      }),
    ).toBe(false)
    expect((await read()).html).toContain('Raku weekends')
  })
})
