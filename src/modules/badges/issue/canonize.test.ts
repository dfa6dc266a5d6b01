import { cryptosuite as suite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import { describe, expect, it } from 'vitest'
import { bundledDocumentLoader } from '../contexts/index.ts'
import { canonize } from './canonize.ts'
import { openBadgeCredential } from './credential.ts'

const base = (i: number, overrides: { did?: boolean; until?: boolean; name?: string } = {}) =>
  openBadgeCredential({
    id: `https://learn.example.org/credentials/${i}-x`,
    issuer: {
      did: 'did:web:learn.example.org:issuers:c:o',
      name: 'Org',
      url: 'https://learn.example.org/en/c',
    },
    achievement: {
      id: 'https://learn.example.org/achievements/7',
      name: overrides.name ?? 'Name "quoted" \\ back',
      description: 'Line one\nline two',
      criteria: 'Do it',
      achievementType: 'Badge',
      imageUrl: null,
      tags: ['a', 'b'],
      alignments: [{ targetName: 'x', targetUrl: 'http://data.europa.eu/esco/skill/1' }],
      inLanguage: 'en',
    },
    recipient: overrides.did ? { did: `did:key:z6Mk${i}abc` } : { email: `p${i}@example.org` },
    issuedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    validUntil: overrides.until ? new Date(Date.UTC(2027, 0, 1) + i * 1000) : null,
    status: {
      revocation: 'https://learn.example.org/s/r',
      suspension: 'https://learn.example.org/s/s',
      index: i,
    },
  })

// The package's own canonize (JSON-LD → RDF with jsonld.js, then RDFC-1.0), which we must match.
const cryptosuite = suite as unknown as { canonize(input: unknown, options: object): Promise<string> }

describe('the canonicalisation cache', () => {
  it('gives exactly the canonical N-Quads of the cryptosuite, for every shape and value', async () => {
    const inputs = [
      ...[0, 1, 2].map((i) => base(i)),
      ...[3, 4].map((i) => base(i, { did: true })),
      ...[5, 6].map((i) => base(i, { until: true, name: `Other ${i}` })),
      // A proof configuration, as DataIntegrityProof canonicalises it.
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        created: '2026-01-01T00:00:00Z',
        verificationMethod: 'did:web:learn.example.org:issuers:c:o#key-2',
        proofPurpose: 'assertionMethod',
      },
    ]
    for (const input of inputs) {
      const options = { documentLoader: bundledDocumentLoader }
      expect(await canonize(input, options)).toBe(await cryptosuite.canonize(input, options))
    }
  })
})
