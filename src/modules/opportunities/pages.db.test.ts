import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { readCalendar } from '../../../test/calendar-reader.ts'
import { opportunityFactory } from '../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { createVerifiedUser } from '../accounts/index.ts'
import { findCityBySlug } from '../cities/index.ts'
import { addStaff, createOrganization } from '../organizations/index.ts'
import { type Actor, createOpportunity, transition } from './index.ts'

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

describe.each(engines)('opportunity pages on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let orgId: number
  let editor: Actor
  let published: number
  let draft: number
  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const org = await createOrganization(t.platform, cityId, {
      slug: 'robot-club',
      name: { en: 'Robot Club' },
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
    const p = await createOpportunity(
      t.platform,
      editor,
      orgId,
      opportunityFactory({
        title: { en: `Robots ${XSS}` },
        description: { en: `First paragraph.\n\nSecond ${XSS}` },
      }),
      { publish: true },
    )
    const d = await createOpportunity(
      t.platform,
      editor,
      orgId,
      opportunityFactory({ title: { es: 'Solo en español' } }),
    )
    if (!p.ok || !d.ok) throw new Error('create')
    published = p.value.id
    draft = d.value.id
  })
  afterAll(() => t.close())

  it('shows a published opportunity with its facts, inert user text and schema.org JSON-LD', async () => {
    const res = await t.app.request(`/en/chicago/opportunities/${published}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;script&gt;alert')
    expect(html).toContain('Next session: Saturday, October 2, 2027 at 10:00')
    expect(html).toContain('Free')
    expect(html).toContain('9 to 14 years')
    expect(html).toContain('Step-free access, Quiet space')
    const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)?.[1]
    const data = JSON.parse(ld!)
    expect(data['@type']).toBe('Course')
    expect(data.name).toBe(`Robots ${XSS}`)
    expect(data.hasCourseInstance).toHaveLength(8)
    expect(html).toContain(`href="/en/chicago/opportunities/${published}/book"`)
    // Residents get the city navigation, but not the staff links.
    expect(html).toContain('href="/en/chicago/providers"')
    expect(html).not.toContain('/registrations"')
  })

  it('offers every session as an .ics calendar that other software reads', async () => {
    const res = await t.app.request(`/en/chicago/opportunities/${published}/calendar.ics`)
    expect(res.headers.get('content-type')).toContain('text/calendar')
    const occurrences = readCalendar(await res.text(), new Date('2030-01-01T00:00:00Z'))
    expect(occurrences).toHaveLength(8)
    expect(occurrences[0]!.start).toBe('2027-10-02T15:00:00.000Z')
    expect(occurrences[0]!.summary).toBe(`Robots ${XSS}`)
  })

  it('hides drafts from the public but shows them to the provider’s staff, labelled', async () => {
    expect((await t.app.request(`/en/chicago/opportunities/${draft}`)).status).toBe(404)
    expect((await t.app.request(`/en/chicago/opportunities/${draft}/calendar.ics`)).status).toBe(404)
    const email = `staff${Date.now()}@example.org`
    const user = await createVerifiedUser(t.platform, {
      email,
      password: 'staff password 1',
      displayName: 'S',
      language: 'en',
    })
    await addStaff(t.platform, cityId, orgId, user, 'editor')
    const agent = new Agent(t.app)
    await agent.submit('/en/account/sign-in', { email, password: 'staff password 1' })
    const res = await agent.get(`/en/chicago/opportunities/${draft}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Status: draft')
    // Only Spanish exists: shown with its language marked, and a note for the English reader.
    expect(html).toContain('<h1 lang="es">Solo en español</h1>')
    expect(html).toContain('Shown in Spanish')
    expect(html).toContain(`href="/en/chicago/provide/opportunities/${draft}"`)
    expect(html).not.toContain(`/opportunities/${draft}/book`) // drafts cannot be booked
  })

  it('lists published opportunities and keeps other cities’ ids out', async () => {
    const list = await (await t.app.request('/en/chicago/opportunities')).text()
    expect(list).toContain(`/en/chicago/opportunities/${published}`)
    expect(list).not.toContain(`/en/chicago/opportunities/${draft}"`)
    expect((await t.app.request(`/en/lakeside/opportunities/${published}`)).status).toBe(404)
  })

  it('keeps a cancelled opportunity visible with its sessions struck through', async () => {
    const other = await createOpportunity(t.platform, editor, orgId, opportunityFactory(), { publish: true })
    if (!other.ok) throw new Error('create')
    await transition(t.platform, editor, other.value.id, 'cancel')
    const html = await (await t.app.request(`/en/chicago/opportunities/${other.value.id}`)).text()
    expect(html).toContain('Status: cancelled')
    expect(html).toContain('<del>')
  })
})
