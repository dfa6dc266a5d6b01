import { gzipSync } from 'node:zlib'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import * as vc from '@digitalbazaar/vc'
import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list'
import { describe, expect, it } from 'vitest'
import { bundledDocumentLoader } from '../contexts/index.ts'
import { testPng } from './bake-for-tests.ts'
import { extractFromPng, extractFromSvg } from './baked.ts'
import type { Json } from './credential.ts'
import { verifyInput } from './input.ts'
import type { Report } from './report.ts'
import { createRemoteResolver, didWebUrl } from './resolver.ts'
import { readStatusBit } from './status.ts'

const now = new Date('2026-06-01T00:00:00Z')

async function issuerKey() {
  const key = await Ed25519Multikey.generate()
  const did = `did:key:${key.publicKeyMultibase}`
  key.id = `${did}#${key.publicKeyMultibase}`
  key.controller = did
  return { key, did }
}

function badge(issuer: string, extra: Json = {}): Json {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    id: 'urn:uuid:7e0b7a4c-43a4-4d6c-9a55-2a1f0c3b1e11',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuer, type: ['Profile'], name: 'Chicago Public Library' },
    validFrom: '2026-01-01T00:00:00Z',
    name: 'Robotics',
    credentialSubject: {
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://learn.example.org/achievements/1',
        type: ['Achievement'],
        name: 'Robotics',
        description: 'Built and programmed a robot.',
        criteria: { narrative: 'Attend six sessions.' },
      },
    },
    ...extra,
  }
}

async function sign(credential: Json, key: Awaited<ReturnType<typeof issuerKey>>['key']): Promise<Json> {
  const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite })
  return vc.issue({ credential, suite, documentLoader: bundledDocumentLoader })
}

async function verdictOf(
  input: Json | Uint8Array | string,
  lookup?: (url: string) => Promise<Json | undefined>,
) {
  const result = await verifyInput(
    typeof input === 'object' && !(input instanceof Uint8Array) ? JSON.stringify(input) : input,
    { lookup },
    { now },
  )
  if (!result.ok) return { problem: result.problem }
  const codes = (r: Report): string[] => r.checks.flatMap((c) => c.problems.map((p) => p.code))
  return { verdict: result.report.verdict, codes: codes(result.report), report: result.report }
}

describe('credentials signed here, then tampered with', () => {
  it('verifies, and fails on any change to what was signed', async () => {
    const { key, did } = await issuerKey()
    const signed = await sign(badge(did), key)
    expect((await verdictOf(signed)).verdict).toBe('valid')
    const renamed = structuredClone(signed) as { credentialSubject: { achievement: { name: string } } }
    renamed.credentialSubject.achievement.name = 'Robotics (advanced)'
    expect(await verdictOf(renamed as Json)).toMatchObject({
      verdict: 'invalid',
      codes: ['signature-invalid'],
    })
    const other = await issuerKey()
    const reissued = {
      ...structuredClone(signed),
      issuer: { id: other.did, type: ['Profile'], name: 'Chicago Public Library' },
    }
    expect((await verdictOf(reissued)).codes).toContain('signature-invalid')
  })

  it('reports expiry and not-yet-valid separately from a good signature', async () => {
    const { key, did } = await issuerKey()
    const expired = await verdictOf(await sign(badge(did, { validUntil: '2026-02-01T00:00:00Z' }), key))
    expect(expired).toMatchObject({ verdict: 'invalid', codes: ['expired'] })
    expect(expired.report?.checks.find((c) => c.id === 'proof')?.outcome).toBe('pass')
    expect(
      (await verdictOf(await sign(badge(did, { validFrom: '2027-01-01T00:00:00Z' }), key))).codes,
    ).toEqual(['not-yet-valid'])
  })

  it('reads revocation and suspension from a signed Bitstring Status List, and says when it cannot be had', async () => {
    const { key, did } = await issuerKey()
    const lists = new Map<string, Json>()
    for (const purpose of ['revocation', 'suspension']) {
      const list = await createList({ length: 131072 })
      list.setStatus(7, true)
      const url = `https://status.test/${purpose}`
      const credential = await createCredential({ id: url, list, statusPurpose: purpose })
      lists.set(url, await sign({ ...credential, issuer: did, validFrom: '2026-01-01T00:00:00Z' }, key))
    }
    const lookup = async (url: string) => structuredClone(lists.get(url))
    const entry = (purpose: string, index: number) => ({
      id: `https://status.test/${purpose}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(index),
      statusListCredential: `https://status.test/${purpose}`,
    })
    const at = async (purpose: string, index: number) =>
      verdictOf(await sign(badge(did, { credentialStatus: entry(purpose, index) }), key), lookup)
    expect(await at('revocation', 7)).toMatchObject({ verdict: 'invalid', codes: ['revoked'] })
    expect(await at('suspension', 7)).toMatchObject({ verdict: 'invalid', codes: ['suspended'] })
    expect((await at('revocation', 8)).verdict).toBe('valid')
    const unreachable = await verdictOf(
      await sign(badge(did, { credentialStatus: entry('revocation', 7) }), key),
      async () => undefined,
    )
    expect(unreachable).toMatchObject({ verdict: 'unconfirmed', codes: ['status-unreachable'] })
  })

  it('never looks up a URL the credential uses as a context, nor one it does not name as key or list', async () => {
    const { key, did } = await issuerKey()
    const asked: string[] = []
    const signed = await sign(badge(did), key)
    const hostile = {
      ...signed,
      '@context': [...(signed['@context'] as string[]), 'https://attacker.test/ctx'],
    }
    const result = await verdictOf(hostile, async (url) => {
      asked.push(url)
      return undefined
    })
    expect(result.codes).toContain('context-not-bundled')
    expect(asked).toEqual([])
  })
})

describe('hostile uploads', () => {
  it('refuses a PNG whose compressed credential chunk inflates past the bound', () => {
    const bomb = testPng([
      { keyword: 'openbadgecredential', text: Buffer.alloc(8 * 1024 * 1024, 0x20), compressed: true },
    ])
    expect(bomb.length).toBeLessThan(20_000)
    expect(extractFromPng(bomb)).toEqual({ ok: false, problem: 'png-malformed' })
  })

  it('refuses damaged PNGs: a wrong CRC, a truncated file, a chunk longer than the file', () => {
    const png = testPng([{ keyword: 'openbadgecredential', text: '{}' }])
    const badCrc = png.slice()
    badCrc[40] = (badCrc[40] ?? 0) ^ 0xff
    expect(extractFromPng(badCrc)).toEqual({ ok: false, problem: 'png-malformed' })
    expect(extractFromPng(png.slice(0, 30))).toEqual({ ok: false, problem: 'png-malformed' })
    const long = png.slice()
    long.set([0x7f, 0xff, 0xff, 0xff], 8)
    expect(extractFromPng(long)).toEqual({ ok: false, problem: 'png-malformed' })
  })

  it('tells an empty image and an Open Badges 2.0 image apart', () => {
    expect(extractFromPng(testPng())).toEqual({ ok: false, problem: 'png-no-credential' })
    expect(extractFromPng(testPng([{ keyword: 'openbadges', text: '{}' }]))).toEqual({
      ok: false,
      problem: 'ob2-baked',
    })
  })

  it('expands no entities in an SVG: a billion laughs and an external file are refused, not read', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>&b;</openbadges:credential></svg>`
    expect(extractFromSvg(laughs)).toEqual({ ok: false, problem: 'svg-malformed' })
    const external = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>&x;</openbadges:credential></svg>`
    const read = extractFromSvg(external)
    expect(read.ok).toBe(false)
    expect(JSON.stringify(read)).not.toContain('root:')
  })

  it('refuses an SVG with two credentials, and reads one under any namespace prefix', () => {
    const two = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><ob:credential verify="a.b.c"/><ob:credential verify="d.e.f"/></svg>`
    expect(extractFromSvg(two)).toEqual({ ok: false, problem: 'baked-twice' })
    const one = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="https://purl.imsglobal.org/ob/v3p0"><x:credential><![CDATA[{"a":1}]]></x:credential></svg>`
    expect(extractFromSvg(one)).toEqual({ ok: true, text: '{"a":1}' })
  })

  it('bounds a status list that is a decompression bomb', () => {
    const bomb = `u${gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url')}`
    expect(readStatusBit(bomb, 1)).toBeUndefined()
    const small = `u${gzipSync(Buffer.from([0b01000000, 0])).toString('base64url')}`
    expect(readStatusBit(small, 1)).toBe(true)
    expect(readStatusBit(small, 0)).toBe(false)
    expect(readStatusBit(small, 99)).toBeUndefined()
  })

  it('names what it could not read', async () => {
    expect(await verdictOf('')).toEqual({ problem: 'empty' })
    expect(await verdictOf('hello')).toEqual({ problem: 'unrecognised' })
    expect(await verdictOf('[1,2]')).toEqual({ problem: 'json-not-object' })
    expect(await verdictOf('{"a":')).toEqual({ problem: 'json-invalid' })
  })
})

describe('the did:web and https resolver', () => {
  it('maps did:web to its document URL and refuses paths that could escape it', () => {
    expect(didWebUrl('did:web:example.org')).toBe('https://example.org/.well-known/did.json')
    expect(didWebUrl('did:web:example.org%3A8443:issuers:lib')).toBe(
      'https://example.org:8443/issuers/lib/did.json',
    )
    expect(didWebUrl('did:web:example.org:..:etc')).toBeUndefined()
    expect(didWebUrl('did:web:user@example.org')).toBeUndefined()
  })

  it('fetches a document once and serves keys from the cache', async () => {
    let fetched = 0
    const lookup = createRemoteResolver({
      fetchJson: async () => {
        fetched++
        return {
          id: 'did:web:example.org',
          verificationMethod: [
            {
              id: 'did:web:example.org#k',
              type: 'Multikey',
              controller: 'did:web:example.org',
              publicKeyMultibase: 'z6Mk',
            },
          ],
        }
      },
    })
    expect(await lookup('did:web:example.org#k')).toMatchObject({
      '@context': 'https://w3id.org/security/multikey/v1',
      type: 'Multikey',
    })
    await lookup('did:web:example.org')
    expect(fetched).toBe(1)
    await expect(lookup('did:web:example.org#missing')).rejects.toMatchObject({ problem: 'not-in-document' })
  })
})
