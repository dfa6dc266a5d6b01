import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from '../../../../test/agent.ts'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { png } from './test-png.ts'

const IP = { incoming: { socket: { remoteAddress: '203.0.113.9' } } }

describe.each(engines)('badges JSON API on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let makers: number
  let library: number
  const api = '/api/v1/cities/apiton'

  /** A JSON request with the agent's session cookie (or none). */
  async function call(
    agent: Agent | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const cookie = agent ? [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : ''
    const res = await t.app.request(
      path,
      {
        method,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      },
      IP,
    )
    const text = await res.text()
    // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON answers field by field
    let json: any
    try {
      json = JSON.parse(text)
    } catch {
      json = text
    }
    return { status: res.status, type: res.headers.get('content-type') ?? '', json }
  }

  const input = (overrides: Record<string, unknown> = {}) => ({
    organizationId: makers,
    type: 'skill',
    name: { en: 'API robots', es: 'Robots por API' },
    description: { en: 'Built a robot.' },
    criteria: { en: 'Attend and build.' },
    tags: ['robotics'],
    alignments: [
      {
        targetName: 'programming',
        targetUrl: 'http://data.europa.eu/esco/skill/abc',
        targetFramework: 'ESCO',
      },
    ],
    level: 'advanced',
    validDays: 30,
    ...overrides,
  })

  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'apiton')
    cityId = catalogue.city.id
    makers = await catalogue.provider('makers', 'community', 'Makers Lab')
    library = await catalogue.provider('library', 'library', 'Apiton Library')
  })
  afterAll(() => t?.close())

  it('needs a session: 401 problem+json without one', async () => {
    const res = await call(null, 'GET', `${api}/achievements?organization=${makers}`)
    expect(res.status).toBe(401)
    expect(res.type).toContain('application/problem+json')
    expect((await call(null, 'POST', `${api}/claims`, { code: 'ABCDE-FGHJK' })).status).toBe(401)
  })

  it('defines, reads, changes and lists achievements; every field error comes at once', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const bad = await call(admin.agent, 'POST', `${api}/achievements`, {
      organizationId: makers,
      type: 'expert',
      name: { en: '' },
      description: { en: 'x'.repeat(2001) },
      criteria: {},
      tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
      alignments: [{ targetName: '', targetUrl: 'javascript:alert(1)' }],
      level: 'master',
      validDays: 0,
      image: Buffer.from('<svg onload="x">').toString('base64'),
    })
    expect(bad.status).toBe(422)
    expect(bad.type).toContain('application/problem+json')
    expect(bad.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      [
        '/type',
        '/name',
        '/description/en',
        '/criteria',
        '/tags',
        '/alignments/0/targetName',
        '/alignments/0/targetUrl',
        '/level',
        '/validDays',
        '/image',
      ].sort(),
    )
    // A provider cannot make a city badge; an oversized image is refused.
    const wrongType = await call(admin.agent, 'POST', `${api}/achievements`, {
      ...input({ type: 'city' }),
      image: Buffer.from(png(4, 4, 300 * 1024)).toString('base64'),
    })
    expect(wrongType.json.errors).toEqual([
      { field: '/type', detail: 'only the city defines city badges' },
      { field: '/image', detail: 'must be at most 256 KB' },
    ])

    const made = await call(admin.agent, 'POST', `${api}/achievements`, {
      ...input({ name: { en: '<img src=x onerror=alert(1)>' } }),
      image: Buffer.from(png()).toString('base64'),
    })
    expect(made.status).toBe(201)
    expect(made.json).toMatchObject({
      organizationId: makers,
      type: 'skill',
      name: { en: '<img src=x onerror=alert(1)>' },
      validDays: 30,
      image: expect.stringMatching(/\/achievements\/\d+\/image\.png$/),
    })
    const id = made.json.id
    expect((await call(admin.agent, 'GET', `${api}/achievements/${id}`)).json.level).toBe('advanced')
    const patched = await call(admin.agent, 'PATCH', `${api}/achievements/${id}`, {
      validDays: null,
      tags: ['a', 'b'],
    })
    expect(patched.status).toBe(200)
    expect(patched.json).toMatchObject({
      validDays: null,
      tags: ['a', 'b'],
      level: 'advanced',
      name: { en: '<img src=x onerror=alert(1)>' },
    })
    const badPatch = await call(admin.agent, 'PATCH', `${api}/achievements/${id}`, {
      level: 'master',
      validDays: 'soon',
    })
    expect(badPatch.json.errors.map((e: { field: string }) => e.field)).toEqual(['/level', '/validDays'])
    const list = await call(admin.agent, 'GET', `${api}/achievements?organization=${makers}`)
    expect(list.json.data.map((a: { id: number }) => a.id)).toContain(id)

    // Other providers' staff, learners and coordinators may not read or change a provider's badges.
    const other = await signedInPerson(t, { staff: { cityId, organizationId: library, role: 'admin' } })
    const learner = await signedInPerson(t)
    for (const who of [other, learner]) {
      expect((await call(who.agent, 'GET', `${api}/achievements?organization=${makers}`)).status).toBe(403)
      expect((await call(who.agent, 'GET', `${api}/achievements/${id}`)).status).toBe(403)
      expect((await call(who.agent, 'PATCH', `${api}/achievements/${id}`, { validDays: 5 })).status).toBe(403)
    }
    expect((await call(learner.agent, 'POST', `${api}/achievements`, input())).status).toBe(403)
    expect((await call(admin.agent, 'GET', `${api}/achievements/999999`)).status).toBe(404)
  })

  it('awards by email (all or nothing), lists awards with masked emails, revokes, and nobody awards themselves', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const id = (await call(admin.agent, 'POST', `${api}/achievements`, input())).json.id
    const [ana, ben] = [await signedInPerson(t), await signedInPerson(t)]
    const wrong = await call(admin.agent, 'POST', `${api}/achievements/${id}/awards`, {
      emails: [ana.email, 'nope', admin.email],
    })
    expect(wrong.status).toBe(422)
    expect(wrong.json.errors).toEqual([
      { field: '/emails/1', detail: 'nope is not an email address' },
      { field: '/emails/2', detail: 'you cannot award yourself' },
    ])
    expect((await call(admin.agent, 'GET', `${api}/achievements/${id}/awards`)).json.data).toEqual([])

    const editor = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'editor' } })
    expect(
      (await call(editor.agent, 'POST', `${api}/achievements/${id}/awards`, { emails: [ana.email] })).status,
    ).toBe(403)
    expect(
      (await call(ana.agent, 'POST', `${api}/achievements/${id}/awards`, { emails: [ana.email] })).status,
    ).toBe(403)
    expect(
      (await call(admin.agent, 'POST', `${api}/achievements/${id}/awards`, { emails: 'x' })).json.errors,
    ).toEqual([{ field: '/emails', detail: 'must be a list of email addresses' }])

    const issued = await call(admin.agent, 'POST', `${api}/achievements/${id}/awards`, {
      emails: [ana.email, ben.email],
    })
    expect(issued.status).toBe(201)
    expect(issued.json.data).toHaveLength(2)
    const awards = await call(admin.agent, 'GET', `${api}/achievements/${id}/awards`)
    expect(awards.json.data).toHaveLength(2)
    expect(JSON.stringify(awards.json)).not.toContain(ana.email)
    expect(awards.json.data.map((w: { recipient: { email: string } }) => w.recipient.email)).toContain(
      `${ana.email[0]}•••@example.org`,
    )
    const uuid = awards.json.data[0].uuid
    const bad = await call(admin.agent, 'POST', `${api}/achievements/${id}/awards/${uuid}/status`, {
      action: 'delete',
    })
    expect(bad.json.errors).toEqual([{ field: '/action', detail: 'must be revoke, suspend or reinstate' }])
    expect(
      (
        await call(editor.agent, 'POST', `${api}/achievements/${id}/awards/${uuid}/status`, {
          action: 'revoke',
        })
      ).status,
    ).toBe(403)
    const revoked = await call(admin.agent, 'POST', `${api}/achievements/${id}/awards/${uuid}/status`, {
      action: 'revoke',
      reason: 'issued in error',
    })
    expect(revoked.json).toMatchObject({ status: 'revoked', statusReason: 'issued in error' })
    const again = await call(admin.agent, 'POST', `${api}/achievements/${id}/awards/${uuid}/status`, {
      action: 'reinstate',
    })
    expect(again.status).toBe(409)
  })

  it('makes claim codes with URL and QR code; a learner claims with the session; the creator cannot', async () => {
    const issuer = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'issuer' } })
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const id = (await call(admin.agent, 'POST', `${api}/achievements`, input())).json.id
    const bad = await call(issuer.agent, 'POST', `${api}/achievements/${id}/claim-codes`, {
      maxUses: 0,
      expiresAt: '2001-01-01T00:00:00Z',
    })
    expect(bad.json.errors.map((e: { field: string }) => e.field)).toEqual(['/maxUses', '/expiresAt'])
    const made = await call(issuer.agent, 'POST', `${api}/achievements/${id}/claim-codes`, { maxUses: 2 })
    expect(made.status).toBe(201)
    expect(made.json).toMatchObject({ maxUses: 2, uses: 0, expiresAt: null })
    expect(made.json.claimUrl).toMatch(/\/en\/apiton\/badges\/claim\?code=[A-Z2-9]{5}-[A-Z2-9]{5}$/)
    expect(made.json.qrSvg).toMatch(/^<svg /)

    const own = await call(issuer.agent, 'POST', `${api}/claims`, { code: made.json.code })
    expect(own.json.errors).toEqual([{ field: '/code', detail: 'you cannot claim a code you made' }])
    const learner = await signedInPerson(t)
    const claimed = await call(learner.agent, 'POST', `${api}/claims`, { code: made.json.code.toLowerCase() })
    expect(claimed.status).toBe(201)
    expect(claimed.json).toMatchObject({ status: 'active', path: 'claim-code' })
    expect(claimed.json.recipient).toBeUndefined()
    const unknown = await call(learner.agent, 'POST', `${api}/claims`, { code: 'ZZZZZ-ZZZZZ' })
    expect(unknown.json.errors).toEqual([{ field: '/code', detail: 'no such claim code' }])
    expect((await call(learner.agent, 'POST', `${api}/claims`, {})).json.errors).toEqual([
      { field: '/code', detail: 'is required' },
    ])
  })

  it('withdraws a claim code: only its staff may, claiming then says withdrawn, and the list keeps it with when and by whom', async () => {
    const issuer = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'issuer' } })
    const id = (
      await call(issuer.agent, 'POST', `${api}/achievements`, input({ name: { en: 'Withdraw me' } }))
    ).json.id
    const made = await call(issuer.agent, 'POST', `${api}/achievements/${id}/claim-codes`, { maxUses: 3 })
    expect(made.json).toMatchObject({ withdrawn: false, withdrawnAt: null, withdrawnBy: null })
    const path = `${api}/achievements/${id}/claim-codes/${made.json.id}/withdraw`
    const learner = await signedInPerson(t)
    const other = await signedInPerson(t, { staff: { cityId, organizationId: library, role: 'issuer' } })
    const editor = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'editor' } })
    const otherCity = await testCatalogue(t, 'apiwithdrawton')
    const elsewhere = await signedInPerson(t, { coordinatorOf: otherCity.city.id })
    expect((await call(null, 'POST', path, {})).status).toBe(401)
    for (const who of [learner, other, editor, elsewhere]) {
      const refused = await call(who.agent, 'POST', path, {})
      expect(refused.status).toBe(403)
      expect(refused.type).toContain('application/problem+json')
    }
    // A write from another site, or not JSON, is refused before anything changes.
    expect((await call(issuer.agent, 'POST', path, {}, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await call(issuer.agent, 'POST', path, 'x', { 'content-type': 'text/plain' })).status).toBe(415)
    expect(
      (await call(issuer.agent, 'POST', `${api}/achievements/${id}/claim-codes/999999/withdraw`, {})).status,
    ).toBe(404)
    expect((await call(learner.agent, 'POST', `${api}/claims`, { code: made.json.code })).status).toBe(201)

    const done = await call(issuer.agent, 'POST', path, {})
    expect(done.status).toBe(200)
    expect(done.json).toMatchObject({
      id: made.json.id,
      code: made.json.code,
      uses: 1,
      withdrawn: true,
      withdrawnAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      withdrawnBy: { userId: issuer.userId, name: 'Test person' },
    })
    const again = await call(issuer.agent, 'POST', path, {})
    expect(again.status).toBe(409)
    expect(again.json.errors).toEqual([{ field: '/code', detail: 'this code was withdrawn already' }])
    const late = await signedInPerson(t)
    const refused = await call(late.agent, 'POST', `${api}/claims`, { code: made.json.code })
    expect(refused.status).toBe(422)
    expect(refused.json.errors).toEqual([{ field: '/code', detail: 'this code was withdrawn' }])
    const list = await call(issuer.agent, 'GET', `${api}/achievements/${id}/claim-codes`)
    expect(list.json.data).toEqual([expect.objectContaining({ id: made.json.id, withdrawn: true })])
    expect((await call(learner.agent, 'GET', `${api}/achievements/${id}/claim-codes`)).status).toBe(403)
  })

  it('refuses writes from another site and bodies that are not JSON (the session cookie alone is not enough)', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const count = async () =>
      (await call(admin.agent, 'GET', `${api}/achievements?organization=${makers}`)).json.data.length
    const before = await count()
    const cross = await call(admin.agent, 'POST', `${api}/achievements`, input(), {
      origin: 'https://evil.example',
    })
    expect(cross.status).toBe(403)
    const site = await call(admin.agent, 'POST', `${api}/achievements`, input(), {
      'sec-fetch-site': 'cross-site',
    })
    expect(site.status).toBe(403)
    const form = await call(admin.agent, 'POST', `${api}/achievements`, JSON.stringify(input()), {
      'content-type': 'text/plain',
    })
    expect(form.status).toBe(415)
    expect(await count()).toBe(before)
  })

  it('city badges through the API are for coordinators only', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const city = { ...input({ type: 'city' }), organizationId: null }
    expect((await call(admin.agent, 'POST', `${api}/achievements`, city)).status).toBe(403)
    const made = await call(coordinator.agent, 'POST', `${api}/achievements`, city)
    expect(made.status).toBe(201)
    expect(made.json.organizationId).toBeNull()
    expect((await call(coordinator.agent, 'GET', `${api}/achievements`)).json.data).toHaveLength(1)
    expect((await call(admin.agent, 'GET', `${api}/achievements`)).status).toBe(403)
    // Its claim codes are withdrawn by this city's coordinators, not another city's.
    const code = await call(coordinator.agent, 'POST', `${api}/achievements/${made.json.id}/claim-codes`, {
      maxUses: 1,
    })
    const withdraw = `${api}/achievements/${made.json.id}/claim-codes/${code.json.id}/withdraw`
    const otherCity = await testCatalogue(t, 'apicityton')
    const elsewhere = await signedInPerson(t, { coordinatorOf: otherCity.city.id })
    expect((await call(elsewhere.agent, 'POST', withdraw, {})).status).toBe(403)
    expect((await call(admin.agent, 'POST', withdraw, {})).status).toBe(403)
    expect((await call(coordinator.agent, 'POST', withdraw, {})).json).toMatchObject({
      withdrawn: true,
      organizationId: null,
    })
  })

  it('is in the OpenAPI document', async () => {
    const doc = await (await t.app.request('/api/openapi.json')).json()
    for (const path of [
      '/api/v1/cities/{city}/achievements',
      '/api/v1/cities/{city}/achievements/{id}',
      '/api/v1/cities/{city}/achievements/{id}/awards',
      '/api/v1/cities/{city}/achievements/{id}/awards/{uuid}/status',
      '/api/v1/cities/{city}/achievements/{id}/claim-codes',
      '/api/v1/cities/{city}/achievements/{id}/claim-codes/{code}/withdraw',
      '/api/v1/cities/{city}/claims',
    ])
      expect(doc.paths[path], path).toBeDefined()
    expect(Object.keys(doc.paths['/api/v1/cities/{city}/achievements/{id}'])).toEqual(['get', 'patch'])
  })
})
