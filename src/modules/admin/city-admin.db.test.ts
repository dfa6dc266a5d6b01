import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCatalogue } from '../../../test/catalogue.ts'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'

describe.each(engines)('the city admin area on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let provider: number
  const navLink = (html: string) => /<a href="\/[a-z]{2}\/adminton\/admin"[^>]*>([^<]+)<\/a>/.exec(html)?.[1]

  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'adminton')
    cityId = catalogue.city.id
    provider = await catalogue.provider('makers', 'community', 'Makers Lab')
  })
  afterAll(() => t?.close())

  it('links a coordinator from the city navigation to every coordinator page, each of which opens', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const home = await (await coordinator.agent.get('/en/adminton')).text()
    expect(navLink(home)).toBe('City admin')
    const res = await coordinator.agent.get('/en/adminton/admin')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    const html = await res.text()
    expect(html).toContain('aria-current="page"')
    const links = [...html.matchAll(/<a href="(\/en\/adminton\/admin\/[a-z/]+)">([^<]+)<\/a>/g)].map((m) => [
      m[1],
      m[2],
    ])
    expect(links.map(([href]) => href)).toEqual(
      expect.arrayContaining([
        '/en/adminton/admin/badges',
        '/en/adminton/admin/badges/evidence',
        '/en/adminton/admin/webhooks',
      ]),
    )
    expect(links.find(([href]) => href === '/en/adminton/admin/badges')![1]).toContain('badges')
    // No dead link: every page the area links to opens for the coordinator.
    for (const [href] of links) expect((await coordinator.agent.get(href!)).status, href).toBe(200)
    // The outbox is the network admins', not listed for a coordinator.
    expect(html).not.toContain('/en/admin/outbox')
  })

  it('is not offered or opened for learners, providers or another city’s coordinators', async () => {
    const learner = await signedInPerson(t)
    const other = await testCatalogue(t, 'otheradminton')
    const elsewhere = await signedInPerson(t, { coordinatorOf: other.city.id })
    const staff = await signedInPerson(t, { staff: { cityId, organizationId: provider, role: 'admin' } })
    for (const who of [learner, elsewhere, staff]) {
      expect(navLink(await (await who.agent.get('/en/adminton')).text())).toBeUndefined()
      expect((await who.agent.get('/en/adminton/admin')).status).toBe(403)
      // Nor do the pages it links to open for them.
      for (const path of ['badges', 'badges/evidence', 'webhooks'])
        expect((await who.agent.get(`/en/adminton/admin/${path}`)).status, path).toBe(403)
    }
    // The other city's coordinator has the link in their own city.
    expect(
      /href="\/en\/otheradminton\/admin"/.test(await (await elsewhere.agent.get('/en/otheradminton')).text()),
    ).toBe(true)
    const anonymous = await t.app.request('/en/adminton/admin')
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('location')).toContain('/en/account/sign-in')
    expect((await t.app.request('/en/no-such-city/admin')).status).toBe(404)
    const admin = await signedInPerson(t, { isNetworkAdmin: true })
    const area = await (await admin.agent.get('/en/adminton/admin')).text()
    expect(area).toContain('href="/en/admin/outbox"')
  })

  it('speaks the six languages, Arabic right to left, with the same message keys in every file', async () => {
    const keys = (lang: string) =>
      Object.keys(
        JSON.parse(readFileSync(new URL(`./messages/${lang}.json`, import.meta.url), 'utf8')),
      ).sort()
    for (const lang of ['ar', 'zh', 'fr', 'ru', 'es']) expect(keys(lang), lang).toEqual(keys('en'))
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const labels = new Set<string>()
    for (const lang of ['ar', 'zh', 'en', 'fr', 'ru', 'es']) {
      const res = await coordinator.agent.get(`/${lang}/adminton/admin`)
      expect(res.status, lang).toBe(200)
      const html = await res.text()
      expect(html).not.toMatch(/admin\.(city|nav)\./)
      expect(html).toContain(`href="/${lang}/adminton/admin/webhooks"`)
      if (lang === 'ar') expect(html).toContain('dir="rtl"')
      const label = new RegExp(`<a href="/${lang}/adminton/admin"[^>]*>([^<]+)</a>`).exec(html)?.[1]
      expect(label, lang).toBeDefined()
      labels.add(label!)
    }
    expect(labels.size).toBe(6)
  })
})
