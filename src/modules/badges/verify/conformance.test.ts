import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  CONFORMANCE_DIR,
  conformanceLookup,
  manifest,
  readVector,
  testContexts,
} from './conformance-fixtures.ts'
import { type Verification, verifyInput } from './input.ts'
import type { Report } from './report.ts'

// Between the newest proof (2025-12-17) and the first validUntil of a valid vector (2030).
const now = new Date(manifest.recommendedNow)
const deps = { lookup: conformanceLookup(), extraContexts: testContexts }

/** Every problem code in a report and its nested reports, or the input problem. */
function codes(v: Verification): string[] {
  if (!v.ok) return [v.problem]
  const all = (r: Report): string[] => [
    ...r.checks.flatMap((c) => c.problems.map((p) => p.code)),
    ...r.nested.flatMap(all),
  ]
  return all(v.report)
}

/** The manifest's reason for rejecting, as the problem codes that must all be reported. */
const REASONS: Record<string, string[][]> = {
  'no proof': [['no-proof']],
  revoked: [['revoked']],
  expired: [['expired']],
  'expired + revoked': [['expired', 'revoked']],
  'expired (and revoked)': [['expired', 'revoked']],
  context: [['context-first']],
  // A wrong type is a term no context defines (safe mode), or not a badge type at all.
  type: [['undefined-term'], ['type-not-badge']],
  'not yet valid': [['not-yet-valid']],
  'schema (issuer missing)': [['issuer-missing']],
  'key not resolvable': [['key-unresolvable']],
  signature: [['signature-invalid']],
  'more than one baked credential': [['baked-twice']],
  'unsigned JWT (alg none)': [['jwt-alg-not-allowed']],
  'unsupported cryptosuite': [['unsupported-proof']],
  'proof purpose': [['proof-purpose']],
  // JSON schemas are not fetched (docs/badges-verify.md): the revocation is what is reported.
  'revoked + schema': [['revoked']],
  'status list expired': [['status-list-expired']],
  'status list malformed': [['status-list-malformed']],
  'status list not yet valid': [['status-list-not-yet-valid']],
  'status list signature': [['status-list-invalid']],
  'status unavailable': [['status-unreachable']],
  'JSON-LD (safe mode)': [['undefined-term']],
}

/** Edge cases: the verdict and reason chosen in docs/badges-verify.md ("Policy for edge cases"). */
const EDGE: Record<string, { verdict: Report['verdict'] | 'unreadable'; codes: string[] }> = {
  'edge/1edtech-validator__clr20-complex.json': { verdict: 'invalid', codes: ['bare-did-method'] },
  'edge/1edtech-validator__ob30-simple-did-key-method.json': {
    verdict: 'invalid',
    codes: ['bare-did-method'],
  },
  'edge/1edtech-validator__clr20-simple_v1.json': { verdict: 'invalid', codes: ['key-unresolvable'] },
  'edge/1edtech-validator__ob30-complete.json': { verdict: 'unconfirmed', codes: ['status-unsupported'] },
  'edge/1edtech-validator__ob30-simple-eddsa-2022.json': { verdict: 'invalid', codes: ['unsupported-proof'] },
  'edge/derived__1edtech-simple-jwt__resigned-with-attacker-jwk.jwt': {
    verdict: 'invalid',
    codes: ['key-not-issuers'],
  },
  'edge/derived__v2OBv3SpecExample__type-added.json': { verdict: 'valid', codes: [] },
  'edge/w3c-vc-di-eddsa__Ed25519Signature2020__signedEdSig.json': {
    verdict: 'invalid',
    codes: ['issuer-not-controller'],
  },
  'edge/w3c-vc-di-eddsa__eddsa-rdfc-2022__signedDataInt.json': {
    verdict: 'invalid',
    codes: ['issuer-not-controller'],
  },
}

async function verifyFile(file: string): Promise<Verification> {
  return verifyInput(readVector(file), deps, { now })
}

describe('the Open Badges conformance set', () => {
  it('holds every file the manifest lists, and the manifest lists every file', () => {
    const listed = new Set(manifest.vectors.map((v) => v.file))
    const present = ['valid', 'invalid', 'edge'].flatMap((d) =>
      readdirSync(new URL(`${d}/`, CONFORMANCE_DIR)).map((f) => `${d}/${f}`),
    )
    expect(new Set(present)).toEqual(listed)
    expect(present).toHaveLength(130)
  })

  it('is the same as the shared copy it was taken from, where that is checked out', () => {
    const shared = new URL('../../../../../shared/conformance/openbadges/', import.meta.url)
    const sharedManifest = new URL('manifest.json', shared)
    // CI checks out only this repository; on the development machine the two must not drift.
    const copies = existsSync(sharedManifest) ? manifest.vectors.map((v) => v.file) : []
    for (const file of copies)
      expect(readVector(file).equals(readFileSync(new URL(file, shared))), file).toBe(true)
  })

  describe.each(manifest.vectors.filter((v) => v.expect.startsWith('valid')))('$file', (vector) => {
    it('verifies: every check passes', async () => {
      const result = await verifyFile(vector.file)
      expect(result.ok && result.report.verdict, JSON.stringify(result)).toBe('valid')
    })
  })

  describe.each(manifest.vectors.filter((v) => v.expect.startsWith('invalid')))('$file', (vector) => {
    const reason = vector.expect.replace(/^invalid: /, '')
    it(`is rejected: ${reason}`, async () => {
      const result = await verifyFile(vector.file)
      if (result.ok) expect(result.report.verdict).not.toBe('valid')
      const found = codes(result)
      const expected = REASONS[reason]
      expect(expected, `no reason mapping for "${reason}"`).toBeDefined()
      // A vector that needs a document outside resolved/ is judged as offline it must be: not valid,
      // because that document could not be had.
      const offline = vector.needsNetwork
        ? [['key-unresolvable'], ['status-unreachable'], ['status-unsupported']]
        : []
      const matched = [...(expected ?? []), ...offline].some((all) => all.every((c) => found.includes(c)))
      expect(matched, `reported ${found.join(', ')}`).toBe(true)
    })
  })

  describe.each(manifest.vectors.filter((v) => v.expect.startsWith('edge')))('$file', (vector) => {
    const policy = EDGE[vector.file]
    it(`gets the documented verdict: ${policy?.verdict} (${policy?.codes.join(', ') || 'no problem'})`, async () => {
      expect(policy, 'every edge case has a policy').toBeDefined()
      const result = await verifyFile(vector.file)
      expect(result.ok ? result.report.verdict : 'unreadable').toBe(policy?.verdict)
      for (const c of policy?.codes ?? []) expect(codes(result)).toContain(c)
    })
  })

  it('reports a header-key VC-JWT as unconfirmed when the issuer publishes no keys at all', async () => {
    const offline = { extraContexts: testContexts }
    const result = await verifyInput(
      readVector('valid/1edtech-validator__ob30-baked-simple-jwt.png'),
      offline,
      { now },
    )
    expect(result.ok && result.report.verdict).toBe('unconfirmed')
    expect(result.ok && result.report.checks.find((c) => c.id === 'issuer-key')).toMatchObject({
      outcome: 'unavailable',
      problems: [{ code: 'key-from-credential-only' }],
    })
  })
})
