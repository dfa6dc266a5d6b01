import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { rows, sql } from '../../platform/db/index.ts'
import { createVerifiedUser, grantCityRole } from '../accounts/index.ts'
import { createCity, findCityBySlug, listVenues } from '../cities/index.ts'
import {
  addStaff,
  authenticateApiKey,
  createApiKey,
  createOrganization,
  findOrganization,
  listStaff,
} from './index.ts'

const PASSWORD = 'correct horse battery staple'
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

/** No payload reached the page as markup. */
function expectInert(html: string) {
  expect(html).not.toContain('<script>alert')
  expect(html).not.toContain('<img src=x')
  // The payload's text may appear escaped (as &lt;img … in HTML, \u003cimg … in JSON-LD), never as a tag.
  const rest = html.replaceAll('&lt;img src=x onerror=', '').replaceAll('\\u003cimg src=x onerror=', '')
  expect(rest).not.toContain('onerror=')
}

describe.each(engines)('provider pages on %s', (engine) => {
  let t: TestPlatform
  let chicagoId: number
  let lakesideId: number
  let clubId: number
  let ip = 10
  const agents: Record<string, Agent> = {}
  const ids: Record<string, number> = {}

  const account = async (key: string, displayName = key) => {
    ids[key] = await createVerifiedUser(t.platform, {
      email: `${key}@example.org`,
      password: PASSWORD,
      displayName,
      language: 'en',
    })
    const agent = new Agent(t.app, `198.51.100.${ip++}`)
    const res = await agent.submit('/en/account/sign-in', { email: `${key}@example.org`, password: PASSWORD })
    expect(res.status).toBe(303)
    agents[key] = agent
    return agent
  }

  const outboxLink = async (to: string, path: string) => {
    const [mail] = await rows<{ body_text: string }>(
      t.platform.db,
      sql`select body_text from mail_outbox where to_address = ${to} order by id desc limit 1`,
    )
    const link = mail?.body_text.match(/https?:\/\/\S+/g)?.find((l) => l.includes(path))
    if (!link) throw new Error(`no ${path} link in mail to ${to}`)
    return new URL(link).pathname
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    chicagoId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const lakeside = await createCity(t.platform, {
      slug: 'lakeside',
      name: { en: 'Lakeside' },
      defaultLanguage: 'en',
      languages: ['en'],
      timeZone: 'America/Chicago',
    })
    if (!lakeside.ok) throw new Error(lakeside.error)
    lakesideId = lakeside.value
    const club = await createOrganization(t.platform, chicagoId, {
      slug: 'robot-club',
      name: { en: 'Robot Club' },
      sector: 'community',
    })
    const other = await createOrganization(t.platform, chicagoId, {
      slug: 'other-org',
      name: { en: 'Other Org' },
      sector: 'museum',
      trusted: true,
    })
    const lake = await createOrganization(t.platform, lakesideId, {
      slug: 'lake-library',
      name: { en: 'Lake Library' },
      sector: 'library',
      trusted: true,
    })
    if (!club.ok || !other.ok || !lake.ok) throw new Error('organizations')
    clubId = club.value
    await account('club-admin', `Ada ${XSS}`)
    await addStaff(t.platform, chicagoId, clubId, ids['club-admin']!, 'admin')
    await account('club-editor')
    await addStaff(t.platform, chicagoId, clubId, ids['club-editor']!, 'editor')
    await account('learner')
    await grantCityRole(t.platform.db, chicagoId, ids.learner!, 'learner')
    await account('other-admin')
    await addStaff(t.platform, chicagoId, other.value, ids['other-admin']!, 'admin')
    await account('lake-coordinator')
    await grantCityRole(t.platform.db, lakesideId, ids['lake-coordinator']!, 'coordinator')
    await account('coordinator')
    await grantCityRole(t.platform.db, chicagoId, ids.coordinator!, 'coordinator')
    agents.anonymous = new Agent(t.app, '198.51.100.200')
  })
  afterAll(() => t.close())

  const manage = (slug: string) => `/en/chicago/providers/${slug}`

  describe('permissions', () => {
    const getRoutes = ['/edit', '/staff', '/api-keys']
    const postRoutes = () =>
      [
        ['/edit', { name_en: 'Taken over', sector: 'community' }],
        ['/venues', { venue: '1' }],
        ['/staff/invite', { email: 'intruder@example.org', role: 'admin' }],
        [`/staff/${ids['club-admin']}/role`, { role: 'editor' }],
        [`/staff/${ids['club-editor']}/remove`, {}],
        ['/api-keys', { name: 'stolen', scopes: 'opportunities:write' }],
        ['/api-keys/1/revoke', {}],
      ] as const

    it.each(['club-admin', 'coordinator'])('lets %s manage the organization', async (who) => {
      for (const route of getRoutes) {
        const res = await agents[who]!.get(`${manage('robot-club')}${route}`)
        expect(res.status, `${who} GET ${route}`).toBe(200)
        expectInert(await res.text())
      }
    })

    it.each(['anonymous', 'learner', 'club-editor', 'other-admin', 'lake-coordinator'])(
      'refuses %s on every management route and changes nothing',
      async (who) => {
        const agent = agents[who]!
        for (const route of getRoutes) {
          const res = await agent.get(`${manage('robot-club')}${route}`)
          if (who === 'anonymous') {
            expect(res.status).toBe(303)
            expect(res.headers.get('location')).toBe(
              `/en/account/sign-in?next=${encodeURIComponent(`${manage('robot-club')}${route}`)}`,
            )
          } else expect(res.status, `${who} GET ${route}`).toBe(403)
        }
        for (const [route, fields] of postRoutes()) {
          await agent.get('/en/account/sign-in')
          const res = await agent.post(`${manage('robot-club')}${route}`, { ...fields })
          expect(res.status, `${who} POST ${route}`).toBe(who === 'anonymous' ? 303 : 403)
          // Refused by the guard, not by an expired form.
          if (who !== 'anonymous') expect(await res.text()).toContain('You cannot open this page')
        }
        const queue = await agent.get('/en/chicago/admin/providers')
        expect(queue.status).toBe(who === 'anonymous' ? 303 : 403)
        await agent.get('/en/account/sign-in')
        const review = await agent.post('/en/chicago/admin/providers/robot-club/review', { action: 'trust' })
        expect(review.status).toBe(who === 'anonymous' ? 303 : 403)
        const club = await findOrganization(t.platform.db, chicagoId, 'robot-club')
        expect(club?.name).toEqual({ en: 'Robot Club' })
        expect(club?.status).toBe('pending')
        expect((await listStaff(t.platform.db, chicagoId, clubId)).map((s) => s.role).sort()).toEqual([
          'admin',
          'editor',
        ])
        const keys = await rows(t.platform.db, sql`select id from api_keys where name = 'stolen'`)
        expect(keys).toEqual([])
      },
    )

    it('shows a pending provider only to its staff and the coordinators', async () => {
      for (const who of ['anonymous', 'learner', 'other-admin', 'lake-coordinator'])
        expect((await agents[who]!.get(manage('robot-club'))).status, who).toBe(404)
      for (const who of ['club-admin', 'club-editor', 'coordinator']) {
        const res = await agents[who]!.get(manage('robot-club'))
        expect(res.status, who).toBe(200)
        expect(await res.text()).toContain('waiting for a city coordinator')
      }
    })

    it('keeps cities apart: another city’s provider slug is a 404 everywhere', async () => {
      expect((await agents.anonymous!.get('/en/chicago/providers/lake-library')).status).toBe(404)
      expect((await agents.coordinator!.get('/en/chicago/providers/lake-library/edit')).status).toBe(404)
      expect((await agents['lake-coordinator']!.get('/en/lakeside/providers/robot-club')).status).toBe(404)
      expect((await agents['club-admin']!.get('/en/lakeside/providers/robot-club/edit')).status).toBe(404)
      expect((await agents.coordinator!.get('/en/lakeside/admin/providers')).status).toBe(403)
      const list = await (await agents.anonymous!.get('/en/chicago/providers')).text()
      expect(list).toContain('Other Org')
      expect(list).not.toContain('Lake Library')
      expect(list).not.toContain('Robot Club')
      expect((await agents.anonymous!.get('/en/nowhere/providers')).status).toBe(404)
    })
  })

  it('registers a provider through the form, has it approved in the queue, and publishes it', async () => {
    const learner = agents.learner!
    const anonymous = await agents.anonymous!.get('/en/chicago/providers/new')
    expect(anonymous.status).toBe(303)
    const form = await learner.get('/en/chicago/providers/new')
    expect(form.status).toBe(200)
    const bad = await learner.post('/en/chicago/providers/new', { website: 'ftp://x', sector: '' })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('class="error-summary"')
    expect(badHtml).toContain('href="#name_en"')
    expect(badHtml).toContain('id="website-error"')
    expect(badHtml).toContain('value="ftp://x"')
    const ok = await learner.post('/en/chicago/providers/new', {
      name_en: 'Bridgeport Book Club',
      description_en: 'Reading circles for adults.',
      sector: 'community',
      website: 'https://books.example.org',
      contactEmail: 'books@example.org',
    })
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/en/chicago/providers/bridgeport-book-club?registered=1')
    const own = await learner.get(ok.headers.get('location')!)
    expect(await own.text()).toContain('Thank you. Your organization is registered')
    expect((await agents.anonymous!.get(manage('bridgeport-book-club'))).status).toBe(404)

    const queue = await agents.coordinator!.get('/en/chicago/admin/providers')
    const queueHtml = await queue.text()
    expect(queueHtml).toContain('Approve Bridgeport Book Club')
    const approve = await agents.coordinator!.post(
      '/en/chicago/admin/providers/bridgeport-book-club/review',
      {
        action: 'approve',
      },
    )
    expect(approve.status).toBe(303)
    expect(approve.headers.get('location')).toBe('/en/chicago/admin/providers?done=approve')
    const bogus = await agents.coordinator!.post('/en/chicago/admin/providers/bridgeport-book-club/review', {
      action: 'toString',
    })
    expect(bogus.status).toBe(400)
    const publicPage = await agents.anonymous!.get(manage('bridgeport-book-club'))
    expect(publicPage.status).toBe(200)
    const html = await publicPage.text()
    const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!)
    expect(ld).toMatchObject({
      '@type': 'Organization',
      name: 'Bridgeport Book Club',
      sameAs: 'https://books.example.org',
      email: 'books@example.org',
    })
    expect(await (await agents.anonymous!.get('/en/chicago/providers')).text()).toContain(
      'Bridgeport Book Club',
    )
  })

  it('renders XSS payloads in every text field inert, in pages and in JSON-LD', async () => {
    const admin = agents['club-admin']!
    await admin.get(`${manage('robot-club')}/edit`)
    const saved = await admin.post(`${manage('robot-club')}/edit`, {
      name_en: `Club ${XSS}`,
      name_ar: `نادي ${XSS}`,
      description_en: `About ${XSS}\n\nMore </script><script>alert(2)</script>`,
      sector: 'community',
      contactEmail: 'club@example.org',
      contactPhone: '+1 312 555 0199',
      logoUrl: '/static/images/robotics.jpg',
    })
    expect(saved.status).toBe(303)
    const venue = (await listVenues(t.platform.db, chicagoId, 'library'))[0]!
    await admin.get(`${manage('robot-club')}/edit`)
    expect((await admin.post(`${manage('robot-club')}/venues`, { venue: String(venue.id) })).status).toBe(303)
    await agents.coordinator!.get('/en/chicago/admin/providers')
    await agents.coordinator!.post('/en/chicago/admin/providers/robot-club/review', { action: 'trust' })
    await admin.get(`${manage('robot-club')}/api-keys`)
    await admin.post(`${manage('robot-club')}/api-keys`, { name: `Key ${XSS}`, scopes: 'opportunities:read' })
    for (const [agent, path] of [
      [agents.anonymous!, manage('robot-club')],
      [agents.anonymous!, '/ar/chicago/providers/robot-club'],
      [agents.anonymous!, '/en/chicago/providers'],
      [agents.coordinator!, '/en/chicago/admin/providers'],
      [admin, `${manage('robot-club')}/edit`],
      [admin, `${manage('robot-club')}/staff`],
      [admin, `${manage('robot-club')}/api-keys`],
    ] as const) {
      const res = await agent.get(path)
      expect(res.status, path).toBe(200)
      const html = await res.text()
      expectInert(html)
      expect(html, path).toContain('&lt;script&gt;')
    }
    const html = await (await agents.anonymous!.get(manage('robot-club'))).text()
    expect(html).toContain('alt="Club &lt;script&gt;')
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!
    expect(ld).not.toContain('</script')
    const data = JSON.parse(ld)
    expect(data.name).toBe(`Club ${XSS}`)
    expect(data.description).toContain('</script><script>alert(2)</script>')
    expect(data.location[0].name).toBe(venue.name.en)
  })

  it('shows a new API key once, lists it by prefix and revokes it', async () => {
    const admin = agents['club-admin']!
    await admin.get(`${manage('robot-club')}/api-keys`)
    const empty = await admin.post(`${manage('robot-club')}/api-keys`, { name: '' })
    expect(empty.status).toBe(400)
    const emptyHtml = await empty.text()
    expect(emptyHtml).toContain('href="#name"')
    expect(emptyHtml).toContain('href="#scopes"')
    const created = await admin.post(`${manage('robot-club')}/api-keys`, {
      name: 'Booking system',
      scopes: 'opportunities:write',
    })
    expect(created.status).toBe(200)
    expect(created.headers.get('cache-control')).toBe('no-store')
    const key = /lc_[0-9a-f]{8}_[A-Za-z0-9_-]{20,64}/.exec(await created.text())![0]
    const identity = await authenticateApiKey(t.platform.db, key)
    expect(identity).toMatchObject({ organizationId: clubId, scopes: ['opportunities:write'] })
    const list = await (await admin.get(`${manage('robot-club')}/api-keys`)).text()
    expect(list).not.toContain(key)
    expect(list).toContain(`lc_${key.slice(3, 11)}_`)
    expect(list).toContain('Booking system')
    const revoke = await admin.post(`${manage('robot-club')}/api-keys/${identity!.keyId}/revoke`, {})
    expect(revoke.status).toBe(303)
    expect(await authenticateApiKey(t.platform.db, key)).toBeUndefined()
    const other = await findOrganization(t.platform.db, chicagoId, 'other-org')
    const foreign = await createApiKey(t.platform.db, {
      cityId: chicagoId,
      organizationId: other!.id,
      name: 'theirs',
      scopes: ['opportunities:read'],
      createdByUserId: null,
    })
    await admin.get(`${manage('robot-club')}/api-keys`)
    expect((await admin.post(`${manage('robot-club')}/api-keys/${foreign.id}/revoke`, {})).status).toBe(404)
  })

  it('invites by email: the right person accepts once, others are refused', async () => {
    const admin = agents['club-admin']!
    await admin.get(`${manage('robot-club')}/staff`)
    const bad = await admin.post(`${manage('robot-club')}/staff/invite`, { email: 'x', role: 'editor' })
    expect(bad.status).toBe(400)
    const sent = await admin.post(`${manage('robot-club')}/staff/invite`, {
      email: 'newcomer@example.org',
      role: 'issuer',
    })
    expect(sent.status).toBe(303)
    const path = await outboxLink('newcomer@example.org', '/providers/invitations/')
    const anonymous = await agents.anonymous!.get(path)
    expect(anonymous.status).toBe(200)
    expect(await anonymous.text()).toContain(`/en/account/sign-in?next=${encodeURIComponent(path)}`)
    const wrong = agents.learner!
    expect((await wrong.get(path)).status).toBe(403)
    expect((await wrong.post(path, {})).status).toBe(403)
    const newcomer = await account('newcomer')
    expect((await newcomer.get(path)).status).toBe(200)
    const accepted = await newcomer.post(path, {})
    expect(accepted.status).toBe(303)
    expect(accepted.headers.get('location')).toBe('/en/chicago/providers/robot-club?joined=1')
    expect((await newcomer.get(path)).status).toBe(404)
    expect((await agents['lake-coordinator']!.get(path.replace('/chicago/', '/lakeside/'))).status).toBe(404)
    const staff = await listStaff(t.platform.db, chicagoId, clubId)
    expect(staff.find((s) => s.email === 'newcomer@example.org')?.role).toBe('issuer')
  })

  it('changes roles on the staff page and protects the last admin', async () => {
    const admin = agents['club-admin']!
    await admin.get(`${manage('robot-club')}/staff`)
    const demote = await admin.post(`${manage('robot-club')}/staff/${ids['club-admin']}/role`, {
      role: 'editor',
    })
    expect(demote.status).toBe(400)
    const html = await demote.text()
    expect(html).toContain(`href="#role-${ids['club-admin']}"`)
    expect(html).toContain('A provider needs at least one administrator')
    const promote = await admin.post(`${manage('robot-club')}/staff/${ids['club-editor']}/role`, {
      role: 'admin',
    })
    expect(promote.status).toBe(303)
    await admin.get(`${manage('robot-club')}/staff`)
    expect((await admin.post(`${manage('robot-club')}/staff/${ids['club-editor']}/remove`, {})).status).toBe(
      303,
    )
    await admin.get(`${manage('robot-club')}/staff`)
    expect((await admin.post(`${manage('robot-club')}/staff/${ids['club-admin']}/remove`, {})).status).toBe(
      400,
    )
    const coordinator = agents.coordinator!
    await coordinator.get(`${manage('robot-club')}/staff`)
    expect((await coordinator.post(`${manage('robot-club')}/staff/99999999/remove`, {})).status).toBe(404)
  })
})
