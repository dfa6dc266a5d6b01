import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import * as vc from '@digitalbazaar/vc'
import { unzipSync } from 'fflate'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../../test/agent.ts'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { createVerifiedUser } from '../../accounts/index.ts'
import { addStaff } from '../../organizations/index.ts'
import { type BadgeActor, changeAchievement, defineAchievement } from '../achievements.ts'
import { awardManually, changeAwardStatus, issueCredential } from '../awards.ts'
import { bundledDocumentLoader } from '../contexts/index.ts'
import { independentVerifier } from '../issue/independent-verifier.ts'
import * as awardsRepo from '../repository.ts'
import { extractFromPng, extractFromSvg } from '../verify/baked.ts'
import { CONFORMANCE_DIR } from '../verify/conformance-fixtures.ts'
import type { Json } from '../verify/credential.ts'
import { verifyInput } from '../verify/input.ts'
import { bakePng, bakeSvg, OG_HEIGHT, OG_WIDTH } from './bake.ts'
import { checkCredential, walletLookup } from './verify.ts'

const vector = (file: string) => readFileSync(new URL(file, CONFORMANCE_DIR))
const VALID_JSON = [
  'valid/dcc-verifier-core__v2NoStatus.json',
  'valid/dcc-verifier-core__v1OBv3SpecExample.json',
  'valid/dcc-vc-test-fixtures__v2__ed25519__didKey__legacy-noStatus-noExpiry.json',
]
const INVALID: [string, string][] = [
  ['invalid/derived__v2OBv3SpecExample__achievement-name-changed.json', 'signature-invalid'],
  ['invalid/dcc-verifier-core__v2Expired.json', 'expired'],
  ['invalid/derived__1edtech-simple-jwt__alg-none.jwt', 'jwt-alg-not-allowed'],
  ['invalid/derived__v2OBv3SpecExample__ob-context-removed.json', 'undefined-term'],
]
const API = '/api/v1/me/credentials'

/** A 64 × 48 opaque red PNG as an achievement image. */
function redPng(): Buffer {
  const png = new PNG({ width: 64, height: 48 })
  for (let i = 0; i < png.data.length; i += 4) png.data.set([220, 20, 20, 255], i)
  return PNG.sync.write(png)
}

/** A did:key badge signed in the test (nothing to fetch), with what `extra` adds. */
async function signedBadge(extra: Json = {}, name = 'Robotics'): Promise<Json> {
  const key = await Ed25519Multikey.generate()
  const did = `did:key:${key.publicKeyMultibase}`
  key.id = `${did}#${key.publicKeyMultibase}`
  key.controller = did
  const credential = {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: did, type: ['Profile'], name: 'Elsewhere Library' },
    validFrom: '2026-01-01T00:00:00Z',
    name,
    credentialSubject: {
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://elsewhere.example/achievements/1',
        type: ['Achievement'],
        name,
        description: 'Built a robot.',
        criteria: { narrative: 'Attend six sessions.' },
      },
    },
    ...extra,
  }
  const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite })
  return vc.issue({ credential, suite, documentLoader: bundledDocumentLoader })
}

describe.each(engines)('the badge wallet on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let makers: number
  let issuer: BadgeActor
  let server: Server
  let serverUrl: string
  let n = 0
  const served = new Map<string, { type: string; body: Buffer | string }>()

  beforeAll(async () => {
    // Imports by URL come from a server on this machine; the fetcher allows loopback only here.
    t = await testPlatform(engine, { FETCH_ALLOW_ADDRESSES: 'loopback' })
    const catalogue = await testCatalogue(t, 'walletville')
    cityId = catalogue.city.id
    makers = await catalogue.provider('makers', 'community', 'Makers Lab')
    const userId = await createVerifiedUser(t.platform, {
      email: `issuer-${engine}@example.org`,
      password: 'correct horse battery staple',
      displayName: 'Issuer',
      language: 'en',
    })
    await addStaff(t.platform, cityId, makers, userId, 'issuer')
    issuer = { userId, isNetworkAdmin: false }
    server = createServer((req, res) => {
      const found = served.get(req.url ?? '')
      if (!found) {
        res.writeHead(404).end('not here')
        return
      }
      res.writeHead(200, { 'content-type': found.type }).end(found.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    await t?.close()
  })

  /** A signed-in learner holding a freshly awarded badge (with an image, or the default one). */
  async function learnerWithBadge(options: { image?: boolean; name?: string } = {}) {
    const made = await defineAchievement(
      t.platform,
      issuer,
      cityId,
      makers,
      {
        type: 'skill',
        name: { en: options.name ?? `Robot builder ${n++}` },
        description: { en: 'Built and programmed a robot.' },
        criteria: { en: 'Demonstrate a working robot.' },
        tags: [],
        alignments: [],
        level: null,
      },
      options.image ? redPng() : null,
    )
    if (!made.ok) throw new Error(JSON.stringify(made))
    const learner = await signedInPerson(t)
    const awarded = await awardManually(t.platform, issuer, cityId, made.value, makers, [learner.email])
    if (!awarded.ok) throw new Error(JSON.stringify(awarded))
    return { ...learner, award: awarded.value[0]! }
  }

  it('bakes issued credentials into PNG and SVG that our verifier and an independent one accept', async () => {
    for (const image of [true, false]) {
      const { agent, award } = await learnerWithBadge({ image })
      const png = await agent.get(`/credentials/${award.uuid}/badge.png`)
      expect(png.status).toBe(200)
      expect(png.headers.get('content-type')).toBe('image/png')
      expect(png.headers.get('content-disposition')).toContain(`badge-${award.uuid}.png`)
      const pngBytes = new Uint8Array(await png.arrayBuffer())
      // Still a picture: the achievement's own (64 × 48) or the generated default (400 × 400).
      const picture = PNG.sync.read(Buffer.from(pngBytes))
      expect([picture.width, picture.height]).toEqual(image ? [64, 48] : [400, 400])
      const fromPng = extractFromPng(pngBytes)
      expect(fromPng.ok && JSON.parse(fromPng.text)).toEqual(award.credential)

      const svg = await agent.get(`/credentials/${award.uuid}/badge.svg`)
      expect(svg.headers.get('content-type')).toBe('image/svg+xml')
      const svgText = await svg.text()
      expect(svgText).toContain('xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"')
      const fromSvg = extractFromSvg(svgText)
      expect(fromSvg.ok && JSON.parse(fromSvg.text)).toEqual(award.credential)

      // Our verifier takes the images as they are (extraction included) …
      for (const baked of [pngBytes, svgText]) {
        const checked = await checkCredential(t.platform, baked)
        expect(checked.ok && checked.report.verdict).toBe('valid')
        const viaInput = await verifyInput(baked, { lookup: walletLookup(t.platform) })
        expect(viaInput.ok && viaInput.report).toMatchObject({
          verdict: 'valid',
          baked: typeof baked === 'string' ? 'svg' : 'png',
        })
      }
      // … and so does the independent Digital Bazaar verifier, with what it extracted.
      const independent = independentVerifier(async (path) => t.app.request(path))
      expect(await independent.verify(JSON.parse(fromPng.ok ? fromPng.text : '{}'))).toEqual({
        verified: true,
        statuses: [],
        errors: [],
      })
    }
  })

  it('makes the OG picture again when the achievement’s image or name changes (not only after a restart)', async () => {
    const { agent, award } = await learnerWithBadge({ image: true, name: 'Changing picture' })
    const centre = (bytes: ArrayBuffer) => {
      const picture = PNG.sync.read(Buffer.from(bytes))
      const i = ((OG_HEIGHT / 2) * OG_WIDTH + OG_WIDTH / 2) * 4
      return [...picture.data.subarray(i, i + 3)]
    }
    const path = `/credentials/${award.uuid}/og.png`
    const first = await agent.get(path)
    const firstTag = first.headers.get('etag')!
    expect(centre(await first.arrayBuffer())).toEqual([220, 20, 20])
    // Kept: the same picture, and a revalidation is answered without a body.
    expect((await agent.get(path)).headers.get('etag')).toBe(firstTag)
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const again = await t.app.request(path, { headers: { cookie, 'if-none-match': firstTag } })
    expect(again.status).toBe(304)

    const content = {
      type: 'skill',
      name: { en: 'Changing picture' },
      description: { en: 'Built and programmed a robot.' },
      criteria: { en: 'Demonstrate a working robot.' },
      tags: [],
      alignments: [],
      level: null,
    }
    const blue = new PNG({ width: 32, height: 32 })
    for (let i = 0; i < blue.data.length; i += 4) blue.data.set([20, 40, 200, 255], i)
    const changed = await changeAchievement(
      t.platform,
      issuer,
      cityId,
      award.achievementId,
      content,
      PNG.sync.write(blue),
    )
    expect(changed.ok).toBe(true)
    const second = await agent.get(path)
    const secondTag = second.headers.get('etag')!
    expect(secondTag).not.toBe(firstTag)
    expect(centre(await second.arrayBuffer())).toEqual([20, 40, 200])
    const stale = await t.app.request(path, { headers: { cookie, 'if-none-match': firstTag } })
    expect(stale.status).toBe(200)

    // A new name (the image kept) is a new version of the picture too.
    expect(
      (
        await changeAchievement(t.platform, issuer, cityId, award.achievementId, {
          ...content,
          name: { en: 'Changed name' },
        })
      ).ok,
    ).toBe(true)
    const third = await agent.get(path)
    expect(third.headers.get('etag')).not.toBe(secondTag)
    expect(centre(await third.arrayBuffer())).toEqual([20, 40, 200])
  })

  it('re-baking replaces the credential instead of adding a second one', () => {
    const once = bakePng(redPng(), '{"a":1}')
    const twice = bakePng(once, '{"b":2}')
    expect(extractFromPng(twice)).toEqual({ ok: true, text: '{"b":2}' })
    const svg = bakeSvg(
      bakeSvg('<svg xmlns="http://www.w3.org/2000/svg"></svg>', '{"x":"]]>"}'),
      '{"y":"]]>"}',
    )
    expect(extractFromSvg(svg)).toEqual({ ok: true, text: '{"y":"]]>"}' })
  })

  it('keeps a private badge from everyone but its learner: page, JSON, PNG, SVG and OG image', async () => {
    const { agent, award } = await learnerWithBadge()
    const other = await signedInPerson(t)
    const anonymous = new Agent(t.app)
    const page = `/en/walletville/badges/${award.uuid}`
    const paths = [
      page,
      `/credentials/${award.uuid}`,
      ...['badge.png', 'badge.svg', 'og.png', 'jwt'].map((f) => `/credentials/${award.uuid}/${f}`),
    ]
    for (const path of paths) {
      expect((await anonymous.get(path)).status, path).toBe(404)
      expect((await other.agent.get(path)).status, path).toBe(404)
      expect((await agent.get(path)).status, path).toBe(200)
    }
    const own = await agent.get(page)
    expect(await own.text()).toContain('This page is private: only you can see it.')

    // The learner makes it public in the wallet; now everyone sees it.
    await agent.get('/en/walletville/wallet')
    const made = await agent.post('/en/walletville/wallet/visibility', {
      uuid: award.uuid,
      visibility: 'public',
    })
    expect(made.status).toBe(303)
    for (const path of paths) expect((await anonymous.get(path)).status, path).toBe(200)
    const html = await (await anonymous.get(page)).text()
    expect(html).toContain('<meta property="og:image" content="http://localhost:3000/credentials/')
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>')
    expect(html).toContain('Valid</strong>')
    expect(html).not.toContain('<script')
    const og = await anonymous.get(`/credentials/${award.uuid}/og.png`)
    const picture = PNG.sync.read(Buffer.from(await og.arrayBuffer()))
    expect([picture.width, picture.height]).toEqual([OG_WIDTH, OG_HEIGHT])

    // Another city's address sends to the badge's own city; a route of helpers is not swallowed.
    expect((await anonymous.get(`/en/walletville/badges/verify`)).status).toBe(200)
    expect((await anonymous.get(`/en/walletville/badges/not-a-uuid`)).status).toBe(404)

    // Back to private: gone again for others.
    await agent.get('/en/walletville/wallet')
    await agent.post('/en/walletville/wallet/visibility', { uuid: award.uuid, visibility: 'private' })
    expect((await anonymous.get(page)).status).toBe(404)
    // Nobody changes another's visibility.
    await other.agent.get('/en/walletville/wallet')
    expect(
      (
        await other.agent.post('/en/walletville/wallet/visibility', {
          uuid: award.uuid,
          visibility: 'public',
        })
      ).status,
    ).toBe(404)
  })

  it('shows revoked, suspended and expired clearly on the page and in the wallet', async () => {
    const { agent, award } = await learnerWithBadge()
    await changeAwardStatus(t.platform, issuer, cityId, award.id, 'suspended', null)
    const page = `/en/walletville/badges/${award.uuid}`
    expect(await (await agent.get(page)).text()).toContain('The issuer has suspended this badge for now.')
    await changeAwardStatus(t.platform, issuer, cityId, award.id, 'revoked', 'in error')
    expect(await (await agent.get(page)).text()).toContain('The issuer has revoked this badge.')
    const wallet = await (await agent.get('/en/walletville/wallet')).text()
    expect(wallet).toContain('Revoked</strong>')
    // The wallet leads to the other ways of earning one.
    expect(wallet).toContain('href="/en/walletville/badges/claim"')
    expect(wallet).toContain('href="/en/walletville/badges/submissions"')
    // Expired: issued 30 days ago, valid for 7.
    const week = await defineAchievement(t.platform, issuer, cityId, makers, {
      type: 'skill',
      name: { en: 'One week badge' },
      description: { en: 'Short-lived.' },
      criteria: { en: 'Be there.' },
      tags: [],
      alignments: [],
      level: null,
      validDays: 7,
    })
    if (!week.ok) throw new Error(JSON.stringify(week))
    const learner = await signedInPerson(t)
    const old = await issueCredential(t.platform, {
      achievement: (await awardsRepo.findAchievement(t.platform.db, cityId, week.value))!,
      organizationId: makers,
      recipientUserId: learner.userId,
      path: 'manual',
      source: null,
      awardedByUserId: issuer.userId,
      now: new Date(Date.now() - 30 * 86_400_000),
    })
    if (!old.ok) throw new Error(JSON.stringify(old))
    expect(await (await learner.agent.get(`/en/walletville/badges/${old.value.uuid}`)).text()).toContain(
      'This badge has expired: its validity date has passed.',
    )
    expect(await (await learner.agent.get('/en/walletville/wallet')).text()).toContain('Expired</strong>')
    // Our own verifier reads the revocation from the issuer's status list.
    const checked = await checkCredential(t.platform, JSON.stringify(award.credential))
    expect(checked.ok && checked.report.checks.find((c) => c.id === 'status')?.problems[0]?.code).toBe(
      'revoked',
    )
  })

  it('imports valid conformance credentials and keeps invalid ones out, saying why (API)', async () => {
    const learner = await signedInPerson(t)
    const post = (body: BodyInit, type?: string) =>
      t.app.request(API, {
        method: 'POST',
        body,
        headers: {
          cookie: [...learner.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(type ? { 'content-type': type } : {}),
        },
      })
    for (const file of VALID_JSON) {
      const res = await post(vector(file), 'application/json')
      expect(res.status, file).toBe(201)
      const body = await res.json()
      expect(body).toMatchObject({ verdict: 'valid', duplicate: false })
      expect(body.report.checks.map((c: { id: string }) => c.id)).toEqual([
        'structure',
        'terms',
        'proof',
        'issuer-key',
        'dates',
        'status',
      ])
    }
    // The same one again is not added twice.
    const again = await post(vector(VALID_JSON[0]!), 'application/json')
    expect(again.status).toBe(200)
    expect((await again.json()).duplicate).toBe(true)
    // A baked PNG of a valid vector, and multipart.
    const baked = bakePng(redPng(), vector('valid/dcc-verifier-core__v2SimpleIssuerId.json').toString('utf8'))
    const form = new FormData()
    form.set('file', new File([new Uint8Array(baked)], 'badge.png', { type: 'image/png' }))
    const multipart = await post(form)
    expect(multipart.status).toBe(201)
    expect((await multipart.json()).report.baked).toBe('png')

    for (const [file, code] of INVALID) {
      const res = await post(vector(file), file.endsWith('.jwt') ? 'text/plain' : 'application/json')
      expect(res.status, file).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const body = await res.json()
      expect(body.type).toBe('https://learncity.org/problems/credential-invalid')
      const codes = body.report.checks.flatMap((c: { problems: { code: string }[] }) =>
        c.problems.map((p) => p.code),
      )
      expect(codes, file).toContain(code)
    }
    const list = await (await learner.agent.get(API)).json()
    expect(list.imported).toHaveLength(VALID_JSON.length + 1)
    expect(list.imported.every((i: { verdict: string }) => i.verdict === 'valid')).toBe(true)

    // Delete one; someone else cannot.
    const id = list.imported[0].id
    const other = await signedInPerson(t)
    const del = (agent: Agent) =>
      t.app.request(`${API}/${id}`, {
        method: 'DELETE',
        headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      })
    expect((await del(other.agent)).status).toBe(404)
    expect((await del(learner.agent)).status).toBe(204)
    expect((await (await learner.agent.get(API)).json()).imported).toHaveLength(VALID_JSON.length)
    // Listed in the OpenAPI document.
    const doc = await (await t.app.request('/api/openapi.json')).json()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([API, `${API}/{id}`]))
    expect(Object.keys(doc.paths[API])).toEqual(expect.arrayContaining(['get', 'post']))
    // A write from another site is refused (the form of a page elsewhere could post multipart).
    const cookie = [...learner.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Record<
      string,
      string
    >[]) {
      const form = new FormData()
      form.set('credential', vector(VALID_JSON[1]!).toString('utf8'))
      const res = await t.app.request(API, { method: 'POST', body: form, headers: { cookie, ...headers } })
      expect(res.status).toBe(403)
    }
    // Without a session: 401 problem+json.
    const anonymous = await t.app.request(API)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json')
  })

  it('imports by URL from a server on this machine, and says why a URL fails', async () => {
    const learner = await signedInPerson(t)
    served.set('/badge.json', { type: 'application/json', body: vector(VALID_JSON[1]!) })
    served.set('/badge.png', {
      type: 'image/png',
      body: bakePng(redPng(), vector('valid/dcc-verifier-core__v2OBv3SpecExample.json').toString('utf8')),
    })
    const cookie = [...learner.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const byUrl = (url: string) =>
      t.app.request(API, {
        method: 'POST',
        body: JSON.stringify({ url }),
        headers: { cookie, 'content-type': 'application/json' },
      })
    const json = await byUrl(`${serverUrl}/badge.json`)
    expect(json.status).toBe(201)
    const png = await byUrl(`${serverUrl}/badge.png`)
    expect(png.status).toBe(201)
    expect((await png.json()).report.baked).toBe('png')
    const missing = await byUrl(`${serverUrl}/nothing`)
    expect(missing.status).toBe(422)
    expect(await missing.json()).toMatchObject({ code: 'status-404', errors: [{ field: '/url' }] })
    // Private addresses stay closed (only loopback is allowed in this test).
    expect(await (await byUrl('http://10.1.2.3/badge.json')).json()).toMatchObject({
      code: 'blocked-address',
    })
    expect((await byUrl('javascript:alert(1)')).status).toBe(422)
    const list = await (await learner.agent.get(API)).json()
    expect(list.imported.map((i: { source: string; sourceUrl: string }) => [i.source, i.sourceUrl])).toEqual([
      ['url', `${serverUrl}/badge.png`],
      ['url', `${serverUrl}/badge.json`],
    ])

    // The wallet page form does the same without JavaScript.
    await learner.agent.get('/en/walletville/wallet')
    const res = await learner.agent.post('/en/walletville/wallet/import', { url: `${serverUrl}/nothing` })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('The badge could not be downloaded from that address (status-404).')
  })

  it('keeps a badge whose status list cannot be reached, with a warning, and re-verifies on demand', async () => {
    const learner = await signedInPerson(t)
    // A port nobody listens on: the status check is unavailable, not failed.
    const credential = await signedBadge({
      credentialStatus: {
        id: 'http://127.0.0.1:9/status/1#5',
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '5',
        statusListCredential: 'http://127.0.0.1:9/status/1',
      },
    })
    await learner.agent.get('/en/walletville/wallet')
    const res = await learner.agent.post('/en/walletville/wallet/import', {
      credential: JSON.stringify(credential),
    })
    expect(res.status).toBe(303)
    const wallet = await (await learner.agent.get(res.headers.get('location')!)).text()
    expect(wallet).toContain('This badge could not be fully checked')
    expect(wallet).toContain('Not every check could be made')
    const id = /\/wallet\/imports\/(\d+)\/verify/.exec(wallet)![1]
    const again = await learner.agent.post(`/en/walletville/wallet/imports/${id}/verify`, {})
    expect(again.status).toBe(303)
    expect(await (await learner.agent.get(again.headers.get('location')!)).text()).toContain(
      'The badge was checked again.',
    )
  })

  it('refuses hostile input and shows names from badges escaped', async () => {
    const learner = await signedInPerson(t)
    const cookie = [...learner.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const post = (body: BodyInit, type: string) =>
      t.app.request(API, { method: 'POST', body, headers: { cookie, 'content-type': type } })
    const huge = await post('x'.repeat(1024 * 1024 + 10), 'text/plain')
    expect(huge.status).toBe(413)
    const notBadge = await post('hello, I am not a badge', 'text/plain')
    expect(notBadge.status).toBe(422)
    expect(await notBadge.json()).toMatchObject({ code: 'unrecognised' })
    const plainPng = await post(new Uint8Array(redPng()), 'image/png')
    expect(await plainPng.json()).toMatchObject({ code: 'png-no-credential' })
    expect((await post('<html>', 'text/html')).status).toBe(415)

    const xss = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    const signed = await signedBadge({}, xss)
    expect((await post(JSON.stringify(signed), 'application/json')).status).toBe(201)
    const html = await (await learner.agent.get('/en/walletville/wallet')).text()
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
  })

  it('downloads everything as a ZIP: earned credentials with baked PNGs, imported ones as brought', async () => {
    const { agent, award } = await learnerWithBadge({ name: 'Zip champion' })
    await agent.get('/en/walletville/wallet')
    const form = { credential: vector(VALID_JSON[0]!).toString('utf8') }
    expect((await agent.post('/en/walletville/wallet/import', form)).status).toBe(303)
    const res = await agent.get('/en/walletville/wallet/badges.zip')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/zip')
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    const names = Object.keys(files).sort()
    const earned = `earned/zip-champion-${award.uuid}`
    expect(names).toContain(`${earned}.json`)
    expect(names).toContain(`${earned}.png`)
    expect(names.some((f) => /^imported\/\d+-.*\.json$/.test(f))).toBe(true)
    expect(names).toContain('README.txt')
    expect(JSON.parse(new TextDecoder().decode(files[`${earned}.json`]))).toEqual(award.credential)
    const fromPng = extractFromPng(files[`${earned}.png`]!)
    expect(fromPng.ok && JSON.parse(fromPng.text)).toEqual(award.credential)
    // Someone else's ZIP has none of it.
    const other = await signedInPerson(t)
    const theirs = unzipSync(
      new Uint8Array(await (await other.agent.get('/en/walletville/wallet/badges.zip')).arrayBuffer()),
    )
    expect(Object.keys(theirs)).toEqual(['README.txt'])
    // Signed out: sent to sign in.
    expect((await new Agent(t.app).get('/en/walletville/wallet')).status).toBe(303)
  })
})
