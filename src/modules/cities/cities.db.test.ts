import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { rows, sql } from '../../platform/db/index.ts'
import { createOrganization, findOrganization, listOrganizations } from '../organizations/index.ts'
import { createCity, findCityBySlug, listDistricts, saveTheme } from './index.ts'

const schools = parse(
  readFileSync(new URL('../../../seed/chicago/chicago_public_schools_sy2018_19.csv', import.meta.url)),
  {
    columns: true,
  },
) as Record<string, string>[]

describe.each(engines)('cities on %s', (engine) => {
  let t: TestPlatform
  let chicagoId: number
  let otherId: number
  const said: string[] = []
  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, (line) => said.push(line))
    chicagoId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const other = await createCity(t.platform, {
      slug: 'lakeside',
      name: { en: 'Lakeside', fr: 'Bord-du-Lac' },
      defaultLanguage: 'fr',
      languages: ['fr', 'en'],
      timeZone: 'Europe/Paris',
    })
    if (!other.ok) throw new Error(other.error)
    otherId = other.value
    await createOrganization(t.platform, otherId, {
      slug: 'lakeside-library',
      name: { fr: 'Bibliothèque' },
      sector: 'library',
      trusted: true,
    })
  })
  afterAll(() => t.close())

  it('seeds Chicago with its 77 community areas and 2020 population', async () => {
    const districts = await listDistricts(t.platform.db, chicagoId)
    expect(districts).toHaveLength(77)
    expect(districts.reduce((s, d) => s + (d.population ?? 0), 0)).toBe(2_746_388)
    const rogersPark = districts.find((d) => d.code === '1')
    expect(rogersPark?.name.en).toBe('Rogers Park')
    expect(rogersPark?.population).toBe(55_628)
    expect(rogersPark?.facts.per_capita_income_usd_2018_2022).toBe(33_418)
  })

  it('seeds the 81 library branches and the public schools as venues, each in its district', async () => {
    const counts = await rows<{ kind: string; n: number; located: number }>(
      t.platform.db,
      sql`select kind, count(*)::int as n, count(district_id)::int as located from venues where city_id = ${chicagoId} group by kind order by kind`,
    )
    expect(counts).toEqual([
      { kind: 'library', n: 81, located: 81 },
      { kind: 'school', n: schools.length, located: expect.any(Number) },
    ])
    // Our point-in-polygon assignment agrees with the City's own area numbers.
    const assigned = await rows<{ external_id: string; code: string }>(
      t.platform.db,
      sql`select v.external_id, d.code from venues v join districts d on d.id = v.district_id
          where v.city_id = ${chicagoId} and v.kind = 'school'`,
    )
    const official = new Map(schools.map((s) => [s.school_id, s.community_area_number]))
    const agree = assigned.filter((a) => official.get(a.external_id) === a.code).length
    expect(agree / schools.length).toBeGreaterThan(0.97)
  })

  it('prints the demo accounts once, with working passwords', async () => {
    const line = said.find((l) => l.includes('coordinator@demo.learncity.localhost'))
    const password = /password: (\S+)/.exec(line ?? '')?.[1]
    expect(password).toBeTruthy()
    const agent = new Agent(t.app)
    const res = await agent.submit('/en/account/sign-in', {
      email: 'coordinator@demo.learncity.localhost',
      password: password!,
    })
    expect(res.status).toBe(303)
    expect((await agent.get('/en/chicago/admin/theme')).status).toBe(200)
  })

  it('never leaks one city’s rows into another', async () => {
    expect(await listDistricts(t.platform.db, otherId)).toEqual([])
    expect((await listOrganizations(t.platform.db, chicagoId)).map((o) => o.slug)).not.toContain(
      'lakeside-library',
    )
    expect(await findOrganization(t.platform.db, chicagoId, 'lakeside-library')).toBeUndefined()
    expect(await findOrganization(t.platform.db, otherId, 'lakeside-library')).toBeDefined()

    const api = await (await t.app.request('/api/v1/cities/chicago/organizations')).json()
    expect(api.data.map((o: { slug: string }) => o.slug)).toEqual(['demo-learning-collective'])
    const lakeside = await (await t.app.request('/api/v1/cities/lakeside/organizations')).json()
    expect(lakeside.data.map((o: { slug: string }) => o.slug)).toEqual(['lakeside-library'])
    expect((await (await t.app.request('/api/v1/cities/lakeside/districts')).json()).data).toEqual([])

    const page = await (await t.app.request('/en/lakeside/districts')).text()
    expect(page).not.toContain('Rogers Park')
    // No boundaries yet: no map drawn from an empty box (it used to say viewBox="0 0 600 NaN").
    expect(page).not.toContain('NaN')
    expect(page).not.toContain('class="district-map"')
  })

  it('lets a coordinator of one city change only that city’s look', async () => {
    const { agent } = await signedInPerson(t, { coordinatorOf: otherId })
    expect((await agent.get('/en/lakeside/admin/theme')).status).toBe(200)
    expect((await agent.get('/en/chicago/admin/theme')).status).toBe(403)
    await agent.get('/en/lakeside/admin/theme')
    const forbidden = await agent.post('/en/chicago/admin/theme', {
      primary: '#000000',
      primaryText: '#ffffff',
      background: '#ffffff',
      text: '#000000',
    })
    expect(forbidden.status).toBe(403)
    expect((await findCityBySlug(t.platform.db, 'chicago'))?.theme.primary).toBe('#0b4f8a')
    // Signed-out visitors are sent to sign in.
    expect((await t.app.request('/en/lakeside/admin/theme')).status).toBe(303)
  })

  it('checks colour contrast before saving a theme', async () => {
    const bad = await saveTheme(t.platform, otherId, {
      primary: '#ffff00',
      primaryText: '#ffffff',
      background: '#ffffff',
      text: '#777777',
    })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.fields.map((f) => f.field).sort()).toEqual(['primary', 'primaryText', 'text'])
    const good = await saveTheme(t.platform, otherId, {
      primary: '#7a1f5c',
      primaryText: '#ffffff',
      background: '#fffdf7',
      text: '#1a1a1a',
    })
    expect(good.ok).toBe(true)
    const page = await (await t.app.request('/fr/lakeside')).text()
    expect(page).toContain('--brand:#7a1f5c')
    expect(page).toMatch(/Bord-du-Lac|Rive-du-Lac/)
  })

  it('shows the contrast problem in the form’s error summary', async () => {
    const { agent } = await signedInPerson(t, { coordinatorOf: otherId })
    const res = await agent.submit('/en/lakeside/admin/theme', {
      primary: '#cccccc',
      primaryText: '#ffffff',
      background: '#ffffff',
      text: '#000000',
      name_fr: 'Bord-du-Lac',
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('There is a problem')
    expect(html).toMatch(/Text on the main colour is too hard to read \(contrast 1\.6\d to 1/)
  })

  it('lets a coordinator rename the city per language from the form', async () => {
    const { agent } = await signedInPerson(t, { coordinatorOf: otherId })
    const form = await (await agent.get('/en/lakeside/admin/theme')).text()
    expect(form).toContain('name="name_fr"')
    expect(form).toContain('name="name_en"')
    expect(form).not.toContain('name="name_ar"') // Lakeside offers French and English only
    const colours = { primary: '#7a1f5c', primaryText: '#ffffff', background: '#ffffff', text: '#1a1a1a' }
    const empty = await agent.post('/en/lakeside/admin/theme', { ...colours, name_fr: ' ', name_en: '' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('href="#name_fr"')
    await agent.get('/en/lakeside/admin/theme')
    const saved = await agent.post('/en/lakeside/admin/theme', {
      ...colours,
      name_fr: 'Rive-du-Lac',
      name_en: 'Lakeshore',
    })
    expect(saved.status).toBe(303)
    expect(await (await t.app.request('/fr/lakeside')).text()).toContain('Rive-du-Lac')
    expect(await (await t.app.request('/en/lakeside')).text()).toContain('Lakeshore')
  })

  it('rejects invalid cities with a reason per field', async () => {
    const res = await createCity(t.platform, {
      slug: 'Bad Slug',
      name: {},
      defaultLanguage: 'de',
      timeZone: 'Mars/Base',
    })
    expect(res.ok).toBe(false)
    if (!res.ok)
      expect(res.fields.map((f) => f.field).sort()).toEqual(['defaultLanguage', 'name', 'slug', 'timeZone'])
    const taken = await createCity(t.platform, {
      slug: 'chicago',
      name: { en: 'Again' },
      defaultLanguage: 'en',
      timeZone: 'UTC',
    })
    expect(taken).toMatchObject({ ok: false, error: 'taken' })
    const reserved = await createCity(t.platform, {
      slug: 'account',
      name: { en: 'X' },
      defaultLanguage: 'en',
      timeZone: 'UTC',
    })
    expect(reserved.ok).toBe(false)
  })

  it('serves the city pages with a district map and table, and the credits with the City disclaimer', async () => {
    const home = await (await t.app.request('/en/chicago')).text()
    expect(home).toContain('2,746,388')
    const districts = await (await t.app.request('/es/chicago/districts')).text()
    expect(districts.match(/<path d=/g)).toHaveLength(77)
    expect(districts).toContain('id="district-77"')
    const about = await (await t.app.request('/en/about')).text()
    expect(about).toContain('The City of Chicago makes no claims as to the content')
    const geo = await (await t.app.request('/api/v1/cities/chicago/districts?format=geojson')).json()
    expect(geo.features).toHaveLength(77)
  })
})
