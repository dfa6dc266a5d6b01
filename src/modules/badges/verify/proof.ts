import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import { createVerifyCryptosuite } from '@digitalbazaar/ecdsa-sd-2023-cryptosuite'
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020'
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import { CredentialIssuancePurpose } from '@digitalbazaar/vc'
// CommonJS: its module.exports is the default export under Node's ESM loader (tsx, npm start).
import jsigs from 'jsonld-signatures'
import type { DocumentLoader } from '../contexts/index.ts'
import { idOf, issuerId, type Json, proofsOf } from './credential.ts'
import { type Check, check, type Problem } from './report.ts'
import { documentProblemIn } from './terms.ts'

/** The embedded proofs this verifier checks: type and, for Data Integrity, cryptosuite. */
const SUPPORTED = [
  { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' },
  { type: 'DataIntegrityProof', cryptosuite: 'ecdsa-sd-2023' },
  { type: 'Ed25519Signature2020', cryptosuite: undefined },
]

// Suites hold no per-credential state, so one set serves every verification.
const suites = [
  new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
  new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() }),
  new Ed25519Signature2020(),
]

function supported(proof: Json): boolean {
  return SUPPORTED.some((s) => s.type === proof.type && s.cryptosuite === proof.cryptosuite)
}

/** What went wrong with one proof, from the libraries' error; transient when a retry may help. */
function proofProblem(error: unknown): { problem: Problem; transient: boolean } {
  const missing = documentProblemIn(error)
  if (missing)
    return {
      problem: { code: 'key-unresolvable', detail: { url: missing.url.slice(0, 300) } },
      // A key that could not be fetched may be there tomorrow; a URL no resolver serves never is.
      transient: missing.problem === 'unresolvable',
    }
  const name = (error as { name?: string }).name
  if (name === 'jsonld.ValidationError') return { problem: { code: 'undefined-term' }, transient: false }
  return { problem: { code: 'signature-invalid' }, transient: false }
}

export interface ProofChecks {
  proof: Check
  issuerKey: Check
  /** The verification method that signed, when one did. */
  verificationMethod?: Json
}

/**
 * Checks the embedded proofs (eddsa-rdfc-2022, ecdsa-sd-2023, legacy Ed25519Signature2020) with
 * jsonld-signatures and, separately, that the signing key belongs to the issuer: its controller
 * is `issuer.id` and lists it under `assertionMethod`. One proof that passes both is enough.
 */
export async function checkEmbeddedProof(
  credential: Json,
  documentLoader: DocumentLoader,
): Promise<ProofChecks> {
  const proofs = proofsOf(credential)
  const na = (problems: Problem[], outcome: Check['outcome'] = 'fail'): ProofChecks => ({
    proof: check('proof', problems, outcome),
    issuerKey: { id: 'issuer-key', outcome: 'not-applicable', problems: [] },
  })
  if (proofs.length === 0) return na([{ code: 'no-proof' }])
  const candidates = proofs.filter(supported)
  if (candidates.length === 0) {
    const first = proofs[0] as Json
    return na([
      {
        code: 'unsupported-proof',
        detail: { type: String(first.cryptosuite ?? first.type ?? '?').slice(0, 100) },
      },
    ])
  }
  const assertions = candidates.filter((p) => p.proofPurpose === 'assertionMethod')
  if (assertions.length === 0)
    return na([
      { code: 'proof-purpose', detail: { purpose: String(candidates[0]?.proofPurpose).slice(0, 100) } },
    ])
  // A bare DID is not a verification method (DID Core); see docs/badges-verify.md for the policy.
  const bare = assertions.find((p) => /^did:key:[^#]+$/.test(idOf(p.verificationMethod) ?? ''))
  if (bare && assertions.length === 1)
    return na([{ code: 'bare-did-method', detail: { url: String(idOf(bare.verificationMethod)) } }])

  const result = await jsigs.verify(credential, {
    suite: suites,
    purpose: new CredentialIssuancePurpose(),
    documentLoader,
  })
  const results = result.results ?? []
  const good = results.find((r) => r.verified)
  if (good) {
    return {
      proof: check('proof', []),
      issuerKey: check('issuer-key', []),
      verificationMethod: good.verificationMethod,
    }
  }
  // Signature fine but the key is not the issuer's: the purpose check failed.
  const signedOnly = results.find((r) => !r.verified && r.purposeResult && !r.purposeResult.valid)
  if (signedOnly) {
    const vm = signedOnly.verificationMethod
    const controller = idOf(vm?.controller)
    const issuer = issuerId(credential)
    return {
      proof: check('proof', []),
      issuerKey: check('issuer-key', [
        controller && issuer && controller !== issuer
          ? {
              code: 'issuer-not-controller',
              detail: { controller: controller.slice(0, 300), issuer: String(issuer).slice(0, 300) },
            }
          : { code: 'key-not-issuers', detail: { url: String(idOf(vm)).slice(0, 300) } },
      ]),
      verificationMethod: vm,
    }
  }
  const errors = results.length > 0 ? results.map((r) => r.error) : [result.error]
  const found = errors.map(proofProblem)
  const transient = found.every((f) => f.transient)
  return {
    proof: check('proof', uniqueProblems(found.map((f) => f.problem)), transient ? 'unavailable' : 'fail'),
    issuerKey: { id: 'issuer-key', outcome: transient ? 'unavailable' : 'not-applicable', problems: [] },
  }
}

export function uniqueProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const key = JSON.stringify(p)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
