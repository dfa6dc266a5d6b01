import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import * as vc from '@digitalbazaar/vc'
import { type CryptoKey, type KeyObject, SignJWT } from 'jose'
import { bundledDocumentLoader } from '../contexts/index.ts'
import { cachedEddsaRdfc2022 } from './canonize.ts'
import { ed25519Signer, rsaPrivateKey } from './keys.ts'

type Signer = Awaited<ReturnType<typeof ed25519Signer>>

/** Decrypted signers, by stored key text: a key is decrypted once per process, not per credential. */
const signers = new Map<string, Promise<Signer>>()
const rsaKeys = new Map<string, Promise<CryptoKey | KeyObject | Uint8Array>>()

export interface SigningKey {
  publicKeyMultibase: string | null
  secretKeyEncrypted: string
  fragment: string
}

function signerFor(secret: string, did: string, key: SigningKey): Promise<Signer> {
  const cacheKey = key.secretKeyEncrypted
  let signer = signers.get(cacheKey)
  if (!signer) {
    signer = ed25519Signer(secret, key, `${did}#${key.fragment}`, did)
    signers.set(cacheKey, signer)
    signer.catch(() => signers.delete(cacheKey))
  }
  return signer
}

/** Signs a credential with a Data Integrity proof (eddsa-rdfc-2022) by the issuer's key. */
export async function signCredential(
  secret: string,
  did: string,
  key: SigningKey,
  credential: Record<string, unknown>,
  now = new Date(),
): Promise<Record<string, unknown>> {
  const suite = new DataIntegrityProof({
    signer: await signerFor(secret, did, key),
    cryptosuite: cachedEddsaRdfc2022,
    date: now,
  })
  return vc.issue({ credential, suite, documentLoader: bundledDocumentLoader, now })
}

/**
 * The same credential as a VC-JWT (RS256): the credential is the payload, with the registered claims
 * the Open Badges specification maps to it (iss, jti, nbf, sub, exp). `kid` is the URL of the JWK.
 */
export async function signJwt(
  secret: string,
  key: { secretKeyEncrypted: string },
  kid: string,
  credential: Record<string, unknown>,
): Promise<string> {
  let privateKey = rsaKeys.get(key.secretKeyEncrypted)
  if (!privateKey) {
    privateKey = rsaPrivateKey(secret, key.secretKeyEncrypted)
    rsaKeys.set(key.secretKeyEncrypted, privateKey)
  }
  const issuer = credential.issuer as { id: string }
  const subject = credential.credentialSubject as { id?: string }
  const jwt = new SignJWT(credential)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(issuer.id)
    .setJti(String(credential.id))
    .setNotBefore(new Date(String(credential.validFrom)))
  if (subject.id) jwt.setSubject(subject.id)
  if (credential.validUntil) jwt.setExpirationTime(new Date(String(credential.validUntil)))
  return jwt.sign(await privateKey)
}
