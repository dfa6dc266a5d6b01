/**
 * Badge issuing throughput (`npm run bench -- badges`): signing OpenBadgeCredentials of one
 * achievement for different recipients (fresh id, salt, hash, dates and status position each time)
 * with eddsa-rdfc-2022, one after another on the one JavaScript thread, bundled contexts. Ours uses
 * the canonicalisation cache (issue/canonize.ts); the floor row is the same signing through the
 * cryptosuite's own canonize (no cache). The database is not part of this measurement.
 */
import { randomUUID } from 'node:crypto'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import * as vc from '@digitalbazaar/vc'
import { bundledDocumentLoader } from '../src/modules/badges/contexts/index.ts'
import { openBadgeCredential } from '../src/modules/badges/issue/credential.ts'
import { sealSecret } from '../src/modules/badges/issue/keys.ts'
import { signCredential } from '../src/modules/badges/issue/sign.ts'

const COUNT = Number(process.env.BENCH_ISSUE_COUNT ?? 1000)
const SECRET = 'bench-secret-bench-secret-bench-secret'
const DID = 'did:web:learn.example.org:issuers:chicago:makers'

interface IssueRow {
  name: string
  url: string
  requestsPerSec: number
  p50ms: number
  p95ms: number
  p99ms: number
  errors: number
  non2xx: number
  relativeToFloor?: number
}

function credential(i: number) {
  const uuid = randomUUID()
  return openBadgeCredential({
    id: `https://learn.example.org/credentials/${uuid}`,
    issuer: { did: DID, name: 'Makers Lab', url: 'https://learn.example.org/en/chicago/providers/makers' },
    achievement: {
      id: 'https://learn.example.org/achievements/1',
      name: 'Robot builder',
      description: 'Built and programmed a line-following robot.',
      criteria: 'Complete four of the six workshops and demonstrate a working robot.',
      achievementType: 'Competency',
      imageUrl: 'https://learn.example.org/achievements/1/image.png',
      tags: ['robotics', 'level:introductory'],
      alignments: [
        {
          targetName: 'programming robots',
          targetUrl: 'http://data.europa.eu/esco/skill/abc',
          targetFramework: 'ESCO',
        },
      ],
      inLanguage: 'en',
    },
    recipient: { email: `learner${i}@example.org` },
    issuedAt: new Date(Date.now() + i * 1000),
    validUntil: i % 2 ? new Date(Date.now() + 365 * 86_400_000 + i * 1000) : null,
    status: {
      revocation: 'https://learn.example.org/issuers/chicago/makers/status/revocation',
      suspension: 'https://learn.example.org/issuers/chicago/makers/status/suspension',
      index: i,
    },
  })
}

async function measure(name: string, count: number, run: (i: number) => Promise<unknown>): Promise<IssueRow> {
  for (let i = 0; i < 20; i++) await run(i)
  const times: number[] = []
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const t = performance.now()
    await run(i + 20)
    times.push(performance.now() - t)
  }
  const seconds = (performance.now() - start) / 1000
  times.sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 100) / 100
  return {
    name,
    url: 'in-process',
    requestsPerSec: Math.round(count / seconds),
    p50ms: at(0.5),
    p95ms: at(0.95),
    p99ms: at(0.99),
    errors: 0,
    non2xx: 0,
  }
}

export async function badgesSuite(): Promise<IssueRow[]> {
  const pair = await Ed25519Multikey.generate({ id: `${DID}#key-1`, controller: DID })
  const key = {
    fragment: 'key-1',
    publicKeyMultibase: pair.publicKeyMultibase,
    secretKeyEncrypted: sealSecret(SECRET, pair.secretKeyMultibase ?? ''),
  }
  const ours = await measure(
    'issue: sign OpenBadgeCredential (eddsa-rdfc-2022, cached canonicalisation)',
    COUNT,
    (i) => signCredential(SECRET, DID, key, credential(i)),
  )
  const floor = await measure(
    'floor: same signing, cryptosuite canonize without cache',
    Math.min(COUNT, 200),
    (i) =>
      vc.issue({
        credential: credential(i),
        suite: new DataIntegrityProof({ signer: pair.signer(), cryptosuite }),
        documentLoader: bundledDocumentLoader,
      }),
  )
  ours.relativeToFloor = Math.round((ours.requestsPerSec / floor.requestsPerSec) * 100) / 100
  for (const row of [ours, floor])
    console.log(`${row.name}: ${row.requestsPerSec}/s, p50 ${row.p50ms} ms, p95 ${row.p95ms} ms`)
  return [ours, floor]
}
