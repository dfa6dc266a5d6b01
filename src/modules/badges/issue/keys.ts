import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'

/**
 * Issuer secret keys at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the configured
 * BADGES_KEY_SECRET. The stored form is `v1.<iv>.<ciphertext>.<tag>` in base64url.
 */
function keyEncryptionKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'learncity-badges', 'issuer-keys-v1', 32))
}

/** Encrypts a secret key for storage. */
export function sealSecret(secret: string, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyEncryptionKey(secret), iv)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return ['v1', iv, body, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
}

/** Decrypts a stored secret key; throws when the secret is wrong or the text was altered. */
export function openSecret(secret: string, sealed: string): string {
  const [version, iv, body, tag] = sealed.split('.')
  if (version !== 'v1' || !iv || !body || !tag) throw new Error('Unknown issuer key format')
  const decipher = createDecipheriv('aes-256-gcm', keyEncryptionKey(secret), Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

export interface NewKey {
  kind: 'Ed25519' | 'RSA'
  fragment: string
  publicKeyMultibase: string | null
  publicKeyJwk: Record<string, string> | null
  secretKeyEncrypted: string
}

/** A fresh Ed25519 Multikey for Data Integrity proofs, its secret part sealed. */
export async function newEd25519Key(secret: string, did: string, fragment: string): Promise<NewKey> {
  const pair = await Ed25519Multikey.generate({ id: `${did}#${fragment}`, controller: did })
  return {
    kind: 'Ed25519',
    fragment,
    publicKeyMultibase: pair.publicKeyMultibase,
    publicKeyJwk: null,
    secretKeyEncrypted: sealSecret(secret, pair.secretKeyMultibase ?? ''),
  }
}

/** A fresh RSA-2048 key for VC-JWT (RS256, the Open Badges minimum), its private JWK sealed. */
export async function newRsaKey(secret: string, fragment: string): Promise<NewKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })
  const jwk = (await exportJWK(publicKey)) as Record<string, string>
  return {
    kind: 'RSA',
    fragment,
    publicKeyMultibase: null,
    publicKeyJwk: { ...jwk, alg: 'RS256', use: 'sig', kid: fragment },
    secretKeyEncrypted: sealSecret(secret, JSON.stringify(await exportJWK(privateKey))),
  }
}

/** Rebuilds the Ed25519 signer of a stored key. */
export async function ed25519Signer(
  secret: string,
  key: { publicKeyMultibase: string | null; secretKeyEncrypted: string },
  verificationMethod: string,
  controller: string,
) {
  const pair = await Ed25519Multikey.from({
    '@context': 'https://w3id.org/security/multikey/v1',
    id: verificationMethod,
    type: 'Multikey',
    controller,
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase: openSecret(secret, key.secretKeyEncrypted),
  })
  return pair.signer()
}

/** Rebuilds the RSA private key of a stored key, for jose. */
export async function rsaPrivateKey(secret: string, sealed: string) {
  return importJWK(JSON.parse(openSecret(secret, sealed)) as JWK, 'RS256')
}
