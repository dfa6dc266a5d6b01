import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../../test/agent.ts'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { testPng } from './bake-for-tests.ts'
import { readVector } from './conformance-fixtures.ts'

/** A vector's bytes as a fetch body. */
const bytes = (file: string) => new Uint8Array(readVector(file))

const API = '/api/v1/credentials/verify'
// A did:key credential (no network needed) that is valid, and the same one tampered with.
const GOOD = 'valid/dcc-verifier-core__v2NoStatus.json'
const TAMPERED = 'invalid/derived__v2OBv3SpecExample__achievement-name-changed.json'

describe.each(engines)('badge verification API and page on %s', (engine) => {
  let t: TestPlatform
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    t.app.request(
      API,
      { method: 'POST', body, headers },
      { incoming: { socket: { remoteAddress: '203.0.113.9' } } },
    )

  beforeAll(async () => {
    t = await testPlatform(engine)
    await testCatalogue(t, 'checkville')
  })
  afterAll(async () => {
    await t?.close()
  })

  it('verifies a JSON-LD credential posted as JSON and reports every check', async () => {
    const res = await post(bytes(GOOD), { 'content-type': 'application/json' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = await res.json()
    expect(body.verdict).toBe('valid')
    expect(body.checks.map((c: { id: string }) => c.id)).toEqual([
      'structure',
      'terms',
      'proof',
      'issuer-key',
      'dates',
      'status',
    ])
    expect(body.badge.name).toBeTypeOf('string')
  })

  it('says why a tampered credential fails, in the language asked for', async () => {
    const res = await post(bytes(TAMPERED), {
      'content-type': 'application/json',
      'accept-language': 'fr',
    })
    const body = await res.json()
    expect(body.verdict).toBe('invalid')
    const proof = body.checks.find((c: { id: string }) => c.id === 'proof')
    expect(proof.outcome).toBe('fail')
    expect(proof.problems[0]).toMatchObject({
      code: 'signature-invalid',
      message: expect.stringContaining('signature ne correspond pas'),
    })
  })

  it('takes a baked PNG as an image body and as a multipart upload', async () => {
    // Baked here from a did:key vector: no key has to be fetched (tests never leave the machine).
    const png = testPng([{ keyword: 'openbadgecredential', text: readVector(GOOD).toString('utf8') }])
    const raw = await (await post(png, { 'content-type': 'image/png' })).json()
    expect(raw).toMatchObject({ verdict: 'valid', baked: 'png', format: 'json-ld' })
    const form = new FormData()
    form.set('file', new File([png], 'badge.png', { type: 'image/png' }))
    const multipart = await (await post(form)).json()
    expect(multipart).toMatchObject({ baked: 'png', format: 'json-ld' })
    expect(multipart.checks).toEqual(raw.checks)
  })

  it('takes a VC-JWT as text', async () => {
    const res = await post(bytes('invalid/derived__1edtech-simple-jwt__alg-none.jwt'), {
      'content-type': 'text/plain',
    })
    const body = await res.json()
    expect(body.format).toBe('vc-jwt')
    expect(body.checks.find((c: { id: string }) => c.id === 'proof').problems[0].code).toBe(
      'jwt-alg-not-allowed',
    )
  })

  it('answers unreadable input with a 422 problem naming the field', async () => {
    const res = await post('{"not json', { 'content-type': 'application/json' })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await res.json()).toMatchObject({
      code: 'json-invalid',
      errors: [{ field: '/', detail: 'This is not valid JSON.' }],
    })
    const twice = await post(
      bytes('invalid/derived__1edtech-baked-simple-json__two-openbadgecredential-chunks.png'),
      { 'content-type': 'image/png' },
    )
    expect(await twice.json()).toMatchObject({ status: 422, code: 'baked-twice' })
    const empty = await post(new FormData())
    expect(await empty.json()).toMatchObject({ status: 422, errors: [{ field: '/file' }] })
  })

  it('refuses other media types (415) and bodies over the limit (413)', async () => {
    const xml = await post('<x/>', { 'content-type': 'application/xml' })
    expect(xml.status).toBe(415)
    expect((await xml.json()).title).toBe('Unsupported media type')
    const big = await post(new Uint8Array(1024 * 1024 + 10), { 'content-type': 'image/png' })
    expect(big.status).toBe(413)
  })

  it('lists the API in the OpenAPI document', async () => {
    const doc = await (await t.app.request('/api/openapi.json')).json()
    expect(Object.keys(doc.paths)).toContain(API)
  })

  it('checks a pasted badge on the city page without JavaScript', async () => {
    const agent = new Agent(t.app)
    const form = await agent.get('/en/checkville/badges/verify')
    expect(form.status).toBe(200)
    expect(agent.lastHtml).toContain('enctype="multipart/form-data"')
    const res = await agent.post('/en/checkville/badges/verify', {
      credential: readVector(TAMPERED).toString('utf8'),
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('This badge is not valid')
    expect(html).toContain('Failed: Signature')
    expect(html).toContain('Passed: Validity dates')
  })

  it('shows the error summary linked to the field when nothing was given, keeping what was typed', async () => {
    const agent = new Agent(t.app)
    await agent.get('/es/checkville/badges/verify')
    const empty = await agent.post('/es/checkville/badges/verify', { credential: '   ' })
    expect(empty.status).toBe(400)
    const html = await empty.text()
    expect(html).toContain('href="#credential"')
    expect(html).toContain('Pegue una insignia o elija un archivo para comprobar.')
    await agent.get('/es/checkville/badges/verify')
    const bad = await agent.post('/es/checkville/badges/verify', { credential: '<b>not a badge</b>' })
    expect(bad.status).toBe(422)
    const badHtml = await bad.text()
    // What was typed comes back, escaped.
    expect(badHtml).toContain('&lt;b&gt;not a badge&lt;/b&gt;')
    expect(badHtml).not.toContain('<b>not a badge</b>')
  })

  it('refuses a post without the CSRF token, and is 404 for an unknown city', async () => {
    const agent = new Agent(t.app)
    await agent.get('/en/checkville/badges/verify')
    expect(
      (await agent.post('/en/checkville/badges/verify', { credential: 'x' }, { csrf: false })).status,
    ).toBe(403)
    expect((await agent.get('/en/nowhere-city/badges/verify')).status).toBe(404)
  })
})
