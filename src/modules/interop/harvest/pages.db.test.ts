import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { chicagoProvider, type TestProvider } from '../../../../test/provider.ts'

describe.each(engines)('feeds pages (%s)', (engine) => {
  let t: TestPlatform
  let provider: TestProvider

  beforeAll(async () => {
    t = await testPlatform(engine)
    provider = await chicagoProvider(t, { slug: 'pages-feeds', name: 'Pages feeds' })
  })
  afterAll(() => t?.close())

  it('only coordinators reach the page; it lists feeds and the two forms in every language', async () => {
    const resident = await signedInPerson(t)
    expect((await resident.agent.get('/en/chicago/admin/feeds')).status).toBe(403)
    const { agent } = await signedInPerson(t, { coordinatorOf: provider.cityId })
    for (const lang of ['en', 'ar', 'zh', 'fr', 'ru', 'es']) {
      const res = await agent.get(`/${lang}/chicago/admin/feeds`)
      expect(res.status, lang).toBe(200)
      const html = await res.text()
      expect(html).toContain('name="url"')
      expect(html).toContain('enctype="multipart/form-data"')
    }
  })

  it('a bad registration re-renders with an error summary linked to each field; a good one is listed', async () => {
    const { agent } = await signedInPerson(t, { coordinatorOf: provider.cityId })
    const bad = await agent.submit('/en/chicago/admin/feeds', {
      kind: 'rpde',
      url: 'file:///etc/passwd',
      name: '',
      language: 'en',
    })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('href="#url"')
    expect(html).toContain('href="#name"')
    expect(html).toContain('href="#organizationId"')
    const good = await agent.submit('/en/chicago/admin/feeds', {
      kind: 'rpde',
      url: 'https://publisher.example/feeds/session-series',
      name: 'Sessions <b>feed</b>',
      language: 'en',
      buildingBlock: 'culture-of-learning',
      organizationId: String(provider.orgId),
      intervalMinutes: '60',
    })
    expect(good.status).toBe(303)
    const list = await (await agent.get('/en/chicago/admin/feeds')).text()
    expect(list).toContain('Sessions &lt;b&gt;feed&lt;/b&gt;')
  })
})
