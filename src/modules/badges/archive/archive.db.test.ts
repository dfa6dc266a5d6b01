import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { loadConfig } from '../../../config.ts'
import { fetchExternal } from '../../../platform/fetch/index.ts'
import { createVerifiedUser } from '../../accounts/index.ts'
import { addStaff } from '../../organizations/index.ts'
import { type BadgeActor, defineAchievement } from '../achievements.ts'
import { awardManually, changeAwardStatus, setVisibility } from '../awards.ts'
import { independentVerifier } from '../issue/independent-verifier.ts'
import { verifyInput } from '../verify/input.ts'
import { createRemoteResolver } from '../verify/resolver.ts'
import { ArchiveError, exportVerificationArchive, MANIFEST } from './export.ts'
import { archiveHandler } from './static-server.ts'

/** A self-signed certificate for 127.0.0.1 (the test's own CA), made with openssl. */
function selfSigned(dir: string) {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  )
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  }
}

describe.each(engines)('the verification archive on %s', (engine) => {
  let t: TestPlatform
  let work: string
  let archive: string
  let server: https.Server
  let port: number
  let cert: string
  let cityId: number
  let makers: number
  let n = 0

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'lc-archive-'))
    archive = join(work, 'archive')
    const tls = selfSigned(work)
    cert = tls.cert
    // The archive is served over real HTTPS on 127.0.0.1, read from the folder at each request.
    const handle = archiveHandler(archive)
    server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => void handle(req, res))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
    // The install's public address and did:web host are that server's, as after the platform is gone.
    t = await testPlatform(engine, {
      PUBLIC_URL: `https://127.0.0.1:${port}`,
      BADGES_DID_HOST: `127.0.0.1%3A${port}`,
    })
    const catalogue = await testCatalogue(t, 'archiveton')
    cityId = catalogue.city.id
    makers = await catalogue.provider('makers', 'community', 'Makers Lab')
  })
  afterAll(async () => {
    server?.closeAllConnections()
    server?.close()
    await t?.close()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  async function person(role?: 'issuer' | 'editor') {
    const email = `ar${n++}-${engine}@example.org`
    const userId = await createVerifiedUser(t.platform, {
      email,
      password: 'correct horse battery staple',
      displayName: 'P',
      language: 'en',
    })
    if (role) await addStaff(t.platform, cityId, makers, userId, role)
    return { actor: { userId, isNetworkAdmin: false } as BadgeActor, email, userId }
  }

  /** Our verifier's real resolver over the safe fetcher, allowed to reach loopback as the operator setting says, trusting the test CA. */
  function archiveLookup(trust: boolean) {
    const policy = loadConfig({ FETCH_ALLOW_ADDRESSES: 'loopback' }).fetch
    return createRemoteResolver({
      fetchJson: async (url) => {
        const res = await fetchExternal(url, { ...policy, ...(trust ? { ca: cert } : {}), timeoutMs: 5000 })
        return res.ok ? res.json() : undefined
      },
    })
  }
  const exportTo = (out: string, force = false) =>
    exportVerificationArchive(t.platform, (path) => t.app.request(path), { out, force, city: 'archiveton' })

  it('verifies an issued credential through did:web over HTTPS from the exported folder, and shows it revoked after a re-export', async () => {
    const editor = await person('editor')
    const issuer = await person('issuer')
    const made = await defineAchievement(t.platform, editor.actor, cityId, makers, {
      type: 'skill',
      name: { en: 'Soldering' },
      description: { en: 'Soldered a kit.' },
      criteria: { en: 'Solder a working kit.' },
    })
    if (!made.ok) throw new Error(JSON.stringify(made))
    const [shown, hidden] = [await person(), await person()]
    const awarded = await awardManually(t.platform, issuer.actor, cityId, made.value, makers, [
      shown.email,
      hidden.email,
    ])
    if (!awarded.ok) throw new Error(JSON.stringify(awarded))
    const [pub, priv] = awarded.value
    await setVisibility(t.platform, shown.userId, pub!.uuid, 'public')
    const credential = pub!.credential as { issuer: { id: string }; credentialSubject: unknown }
    expect(credential.issuer.id).toBe(`did:web:127.0.0.1%3A${port}:issuers:archiveton:makers`)

    const summary = await exportTo(archive)
    expect(summary).toMatchObject({ issuers: 1, achievements: 1, credentials: 1 })
    const files = readdirSync(archive, { recursive: true }).map(String).sort()
    for (const f of [
      'issuers/archiveton/makers/did.json',
      'issuers/archiveton/makers/status/revocation',
      'issuers/archiveton/makers/status/suspension',
      'issuers/archiveton/makers/jwks.json',
      'issuers/archiveton/makers/jwks/rsa-1',
      `achievements/${made.value}/index.json`,
      `credentials/${pub!.uuid}/index.json`,
      `en/archiveton/badges/${pub!.uuid}/index.html`,
      'README.md',
      'nginx.conf.example',
      'Caddyfile.example',
      MANIFEST,
    ])
      expect(files, f).toContain(f)
    // The private credential is not exported.
    expect(files.join('\n')).not.toContain(priv!.uuid)
    const page = readFileSync(join(archive, `en/archiveton/badges/${pub!.uuid}/index.html`), 'utf8')
    expect(page).toContain('Badge “Soldering”')
    expect(page).toContain('Makers Lab')
    expect(page).toContain('Active')

    // Served over HTTPS at the live paths, the archive verifies the credential with our verifier…
    const served = await fetchExternal(`https://127.0.0.1:${port}/credentials/${pub!.uuid}`, {
      allowLoopback: true,
      ca: cert,
    })
    expect(served.contentType).toBe('application/vc+ld+json')
    const report = await verifyInput(served.text(), { lookup: archiveLookup(true) })
    if (!report.ok) throw new Error(report.problem)
    expect(report.report.verdict).toBe('valid')
    expect(report.report.checks.find((c) => c.id === 'issuer-key')?.outcome).toBe('pass')
    // …and with the independent Digital Bazaar verifier reading the same HTTPS server.
    const overHttps = async (path: string) => {
      const res = await fetchExternal(`https://127.0.0.1:${port}${path}`, { allowLoopback: true, ca: cert })
      return new Response(new Uint8Array(res.body), { status: res.status })
    }
    expect(await independentVerifier(overHttps).verify(pub!.credential)).toEqual({
      verified: true,
      statuses: [],
      errors: [],
    })
    // Without trusting the test CA the certificate is refused: nothing is checked against an untrusted host.
    const untrusted = await verifyInput(served.text(), { lookup: archiveLookup(false) })
    if (!untrusted.ok) throw new Error(untrusted.problem)
    expect(untrusted.report.verdict).not.toBe('valid')

    // Revoked: a re-export into the same folder needs --force, then the archive says revoked.
    expect((await changeAwardStatus(t.platform, issuer.actor, cityId, pub!.id, 'revoked', 'error')).ok).toBe(
      true,
    )
    await expect(exportTo(archive)).rejects.toThrow(ArchiveError)
    await exportTo(archive, true)
    const after = await verifyInput(served.text(), { lookup: archiveLookup(true) })
    if (!after.ok) throw new Error(after.problem)
    expect(after.report.verdict).toBe('invalid')
    expect(after.report.checks.find((c) => c.id === 'status')?.problems.map((p) => p.code)).toEqual([
      'revoked',
    ])
    expect(readFileSync(join(archive, `en/archiveton/badges/${pub!.uuid}/index.html`), 'utf8')).toContain(
      'Revoked',
    )
    // Made private, it leaves the archive at the next forced export.
    await setVisibility(t.platform, shown.userId, pub!.uuid, 'private')
    await exportTo(archive, true)
    expect(existsSync(join(archive, `credentials/${pub!.uuid}/index.json`))).toBe(false)
  })

  it('never writes or deletes outside the folder', async () => {
    const outside = join(work, 'outside.txt')
    writeFileSync(outside, 'keep me')
    const out = join(work, 'hostile')
    mkdirSync(out)
    // A manifest planted to make a forced export delete files elsewhere.
    writeFileSync(
      join(out, MANIFEST),
      JSON.stringify({ files: ['../outside.txt', '/etc/hostname', 'a/../../outside.txt'] }),
    )
    await exportTo(out, true)
    expect(readFileSync(outside, 'utf8')).toBe('keep me')
    // Not a folder, or an unknown city: refused.
    await expect(exportTo(outside)).rejects.toThrow(/not a folder/)
    await expect(
      exportVerificationArchive(t.platform, (p) => t.app.request(p), {
        out: join(work, 'x'),
        city: '../etc',
      }),
    ).rejects.toThrow(/no city/)
  })
})
