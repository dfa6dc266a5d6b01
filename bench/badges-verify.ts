/**
 * Badge verification throughput (`npm run bench -- badges-verify`): our verifier on a did:key
 * eddsa-rdfc-2022 credential and an Ed25519Signature2020 one, bundled contexts, no network,
 * one after another on the one JavaScript thread; the floor is @digitalbazaar/vc's verifyCredential
 * alone on the same credential (signature and purpose only, none of our other checks).
 */
import { readFileSync } from 'node:fs'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020'
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import * as vc from '@digitalbazaar/vc'
import { bundledDocumentLoader } from '../src/modules/badges/contexts/index.ts'
import { verifyInput } from '../src/modules/badges/verify/input.ts'

const DIR = new URL('../src/modules/badges/verify/conformance/', import.meta.url)
const NOW = new Date('2026-06-01T00:00:00Z')
const COUNT = Number(process.env.BENCH_VERIFY_COUNT ?? 500)

interface VerifyRow {
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

async function measure(name: string, url: string, run: () => Promise<boolean>): Promise<VerifyRow> {
  for (let i = 0; i < 30; i++) await run()
  const times: number[] = []
  let errors = 0
  const start = performance.now()
  for (let i = 0; i < COUNT; i++) {
    const t = performance.now()
    if (!(await run())) errors++
    times.push(performance.now() - t)
  }
  const seconds = (performance.now() - start) / 1000
  times.sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 100) / 100
  return {
    name,
    url,
    requestsPerSec: Math.round(COUNT / seconds),
    p50ms: at(0.5),
    p95ms: at(0.95),
    p99ms: at(0.99),
    errors,
    non2xx: 0,
  }
}

export async function badgesVerifySuite(): Promise<VerifyRow[]> {
  const rows: VerifyRow[] = []
  const files = [
    ['eddsa-rdfc-2022, did:key', 'valid/dcc-verifier-core__v2NoStatus.json'],
    [
      'Ed25519Signature2020, did:key',
      'valid/dcc-vc-test-fixtures__v2__ed25519__didKey__legacy-noStatus-noExpiry.json',
    ],
  ] as const
  const suite = [new DataIntegrityProof({ cryptosuite }), new Ed25519Signature2020()]
  for (const [label, file] of files) {
    const text = readFileSync(new URL(file, DIR), 'utf8')
    const credential = JSON.parse(text)
    const floor = await measure(`floor: vc.verifyCredential (${label})`, file, async () => {
      const r = await vc.verifyCredential({
        credential,
        suite,
        documentLoader: bundledDocumentLoader,
        now: NOW,
      })
      return r.verified
    })
    const ours = await measure(`verify (${label})`, file, async () => {
      const r = await verifyInput(text, {}, { now: NOW })
      return r.ok && r.report.verdict === 'valid'
    })
    ours.relativeToFloor = Math.round((ours.requestsPerSec / floor.requestsPerSec) * 1000) / 1000
    floor.relativeToFloor = 1
    rows.push(floor, ours)
  }
  return rows
}
