import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose'
import { bundledDocumentLoader, DocumentNotFoundError } from '../contexts/index.ts'
import { idOf, isObject, issuerId, type Json, values } from './credential.ts'
import { type Check, check, type Problem } from './report.ts'
import type { RemoteLookup } from './resolver.ts'
import { documentProblemIn } from './terms.ts'

/** Signature algorithms accepted for VC-JWT (OB 3.0 names RS256 as the minimum); never `none`. */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
]

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

export function looksLikeJws(text: string): boolean {
  return COMPACT_JWS.test(text)
}

export interface DecodedJwt {
  header: Json
  claims: Json
  /** The credential: the payload (VC 2.0) or its `vc` claim (VC 1.1) with the registered claims filled in. */
  credential: Json
}

function base64urlJson(part: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return isObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** Reads a compact JWS into header, claims and credential without trusting any of it yet. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const [h, p] = token.split('.')
  const header = h ? base64urlJson(h) : undefined
  const claims = p ? base64urlJson(p) : undefined
  if (!header || !claims) return undefined
  if (isObject(claims.vc)) {
    // VC-JWT 1.1: registered claims stand for properties the `vc` claim may leave out.
    const vc = { ...claims.vc }
    if (vc.issuer === undefined && typeof claims.iss === 'string') vc.issuer = claims.iss
    if (vc.id === undefined && typeof claims.jti === 'string') vc.id = claims.jti
    if (vc.issuanceDate === undefined && typeof claims.nbf === 'number')
      vc.issuanceDate = isoSeconds(claims.nbf)
    if (vc.expirationDate === undefined && typeof claims.exp === 'number')
      vc.expirationDate = isoSeconds(claims.exp)
    return { header, claims, credential: vc }
  }
  // VC 2.0 in JOSE: the payload is the credential, with the JWT's registered claims beside it.
  const {
    iss: _iss,
    sub: _sub,
    aud: _aud,
    exp: _exp,
    nbf: _nbf,
    iat: _iat,
    jti: _jti,
    ...credential
  } = claims
  return { header, claims, credential }
}

function isoSeconds(seconds: number): string | undefined {
  const d = new Date(seconds * 1000)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.000Z$/, 'Z')
}

/** The registered claims must say what the credential says (VC-JWT, OB 3.0 §8.2.4). */
export function claimProblems(decoded: DecodedJwt): Problem[] {
  const { claims, credential } = decoded
  const mismatch: string[] = []
  if (claims.iss !== undefined && claims.iss !== issuerId(credential)) mismatch.push('iss')
  if (claims.jti !== undefined && credential.id !== undefined && claims.jti !== credential.id)
    mismatch.push('jti')
  const subject = values(credential.credentialSubject).find(isObject)
  // OB's own samples omit `sub` (and put the subject in `aud`): only a `sub` that disagrees is wrong.
  if (claims.sub !== undefined && subject?.id !== undefined && claims.sub !== subject.id) mismatch.push('sub')
  return mismatch.length ? [{ code: 'jwt-claims-mismatch', detail: { claims: mismatch.join(', ') } }] : []
}

/** A public JWK from a verification method (publicKeyJwk, or an Ed25519 Multikey). */
async function jwkOf(vm: Json): Promise<JWK | undefined> {
  if (isObject(vm.publicKeyJwk)) {
    const { d: _private, ...publicPart } = vm.publicKeyJwk as JWK
    return publicPart
  }
  if (typeof vm.publicKeyMultibase === 'string' && vm.publicKeyMultibase.startsWith('z6Mk')) {
    const key = await Ed25519Multikey.from({
      ...vm,
      '@context': 'https://w3id.org/security/multikey/v1',
      type: 'Multikey',
    })
    return (await Ed25519Multikey.toJwk({ keyPair: key })) as JWK
  }
  return undefined
}

async function loadVm(url: string, lookup: RemoteLookup | undefined): Promise<Json> {
  if (url.startsWith('did:key:')) return (await bundledDocumentLoader(url)).document
  if (/^(did:web:|https?:\/\/)/.test(url)) {
    const found = lookup ? await lookup(url) : undefined
    if (!found) throw new DocumentNotFoundError(url, lookup ? 'unresolvable' : 'not-bundled')
    return found
  }
  throw new DocumentNotFoundError(url, url.startsWith('did:') ? 'unsupported-did-method' : 'not-bundled')
}

/** Keys the issuer's own DID or controller document lists, as JWK thumbprints. */
async function issuerThumbprints(
  issuer: string,
  lookup: RemoteLookup | undefined,
): Promise<Set<string> | undefined> {
  let doc: Json | undefined
  try {
    doc = issuer.startsWith('did:key:')
      ? (await bundledDocumentLoader(issuer)).document
      : lookup && /^(did:web:|https?:\/\/)/.test(issuer)
        ? await lookup(issuer)
        : undefined
  } catch {
    return undefined
  }
  if (!doc) return undefined
  const prints = new Set<string>()
  for (const relation of ['verificationMethod', 'assertionMethod'])
    for (const vm of values(doc[relation]))
      if (isObject(vm)) {
        const jwk = await jwkOf(vm).catch(() => undefined)
        if (jwk) prints.add(await calculateJwkThumbprint(jwk))
      }
  return prints
}

export interface JwtChecks {
  proof: Check
  issuerKey: Check
}

/**
 * Checks a VC-JWT's signature with jose (no `none`, only the algorithms above) and that the key
 * is the issuer's: a `kid` must dereference to a key its issuer controls; a key carried only in
 * the header's `jwk` proves the token is intact, not who made it, so it counts only when the
 * issuer's own document lists that key.
 */
export async function checkJwt(
  token: string,
  decoded: DecodedJwt,
  lookup: RemoteLookup | undefined,
): Promise<JwtChecks> {
  const na: Check = { id: 'issuer-key', outcome: 'not-applicable', problems: [] }
  let header: Json
  try {
    header = decodeProtectedHeader(token) as Json
  } catch {
    return { proof: check('proof', [{ code: 'jwt-malformed' }]), issuerKey: na }
  }
  const alg = typeof header.alg === 'string' ? header.alg : ''
  if (!JWT_ALGORITHMS.includes(alg))
    return {
      proof: check('proof', [{ code: 'jwt-alg-not-allowed', detail: { alg: alg.slice(0, 20) || '?' } }]),
      issuerKey: na,
    }
  const issuer = issuerId(decoded.credential)
  let jwk: JWK | undefined
  let controller: string | undefined
  if (typeof header.kid === 'string' && header.kid.includes(':')) {
    try {
      const vm = await loadVm(header.kid, lookup)
      jwk = await jwkOf(vm)
      controller = idOf(vm.controller)
    } catch (error) {
      const missing = documentProblemIn(error)
      const transient = missing?.problem === 'unresolvable'
      return {
        proof: check(
          'proof',
          [{ code: 'key-unresolvable', detail: { url: header.kid.slice(0, 300) } }],
          transient ? 'unavailable' : 'fail',
        ),
        issuerKey: { ...na, outcome: transient ? 'unavailable' : 'not-applicable' },
      }
    }
    if (!jwk)
      return {
        proof: check('proof', [{ code: 'key-unresolvable', detail: { url: header.kid.slice(0, 300) } }]),
        issuerKey: na,
      }
  } else if (isObject(header.jwk)) {
    jwk = header.jwk as JWK
  } else
    return {
      proof: check('proof', [
        { code: 'key-unresolvable', detail: { url: String(header.kid ?? '').slice(0, 300) } },
      ]),
      issuerKey: na,
    }

  try {
    const key = await importJWK(jwk, alg)
    await compactVerify(token, key, { algorithms: [alg] })
  } catch {
    return { proof: check('proof', [{ code: 'signature-invalid' }]), issuerKey: na }
  }
  const proof = check('proof', [])
  if (!issuer)
    return { proof, issuerKey: check('issuer-key', [{ code: 'key-not-issuers', detail: { url: '' } }]) }
  if (controller !== undefined) {
    return {
      proof,
      issuerKey: check(
        'issuer-key',
        controller === issuer
          ? []
          : [
              {
                code: 'issuer-not-controller',
                detail: { controller: controller.slice(0, 300), issuer: issuer.slice(0, 300) },
              },
            ],
      ),
    }
  }
  const prints = await issuerThumbprints(issuer, lookup)
  if (!prints)
    return { proof, issuerKey: check('issuer-key', [{ code: 'key-from-credential-only' }], 'unavailable') }
  const print = await calculateJwkThumbprint(jwk)
  return {
    proof,
    issuerKey: check(
      'issuer-key',
      prints.has(print) ? [] : [{ code: 'key-not-issuers', detail: { url: issuer.slice(0, 300) } }],
    ),
  }
}
