import { cryptosuite as suite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import { describe, expect, it } from 'vitest'
import { bundledDocumentLoader } from '../contexts/index.ts'
import { canonize } from '../issue/canonize.ts'
import { type EvidenceClaim, openBadgeCredential } from '../issue/credential.ts'

const withEvidence = (i: number, evidence: EvidenceClaim[]) =>
  openBadgeCredential({
    id: `https://learn.example.org/credentials/${i}-e`,
    issuer: {
      did: 'did:web:learn.example.org:issuers:c:o',
      name: 'Org',
      url: 'https://learn.example.org/en/c',
    },
    achievement: {
      id: 'https://learn.example.org/achievements/9',
      name: 'Portfolio',
      description: 'Showed a portfolio.',
      criteria: 'Submit three pieces of work.',
      achievementType: 'Competency',
      imageUrl: null,
      tags: [],
      alignments: [],
      inLanguage: 'en',
    },
    recipient: { email: `e${i}@example.org` },
    issuedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    validUntil: null,
    status: {
      revocation: 'https://learn.example.org/s/r',
      suspension: 'https://learn.example.org/s/s',
      index: i,
    },
    evidence,
  })

const cryptosuite = suite as unknown as { canonize(input: unknown, options: object): Promise<string> }

describe('the canonicalisation cache with evidence', () => {
  it('gives the cryptosuite’s own canonical N-Quads whatever the learner wrote or linked', async () => {
    const inputs = [
      withEvidence(1, [{ narrative: 'I built a website for the library.' }]),
      // Same shape, other values: the cached quads must take this narrative and these links.
      withEvidence(2, [
        { narrative: 'Quotes " and \\ back\nnew line, tab\t, emoji 🤖, عربي' },
        { id: 'https://example.org/portfolio?x=1&y=2', name: 'Link 1' },
        { id: 'http://example.org/plain-http', name: 'Link 2' },
      ]),
      withEvidence(3, [
        { narrative: 'urn:lc-placeholder:0 lc-placeholder-0' },
        { id: 'https://example.org/portfolio?x=1&y=2', name: 'Link 1' },
        { id: 'https://example.org/%C3%BC/%20', name: 'Link 2' },
      ]),
      withEvidence(4, [{ narrative: 'I built a website for the library.' }]),
    ]
    const options = { documentLoader: bundledDocumentLoader }
    for (const input of inputs)
      expect(await canonize(input, options)).toBe(await cryptosuite.canonize(input, options))
  })
})
