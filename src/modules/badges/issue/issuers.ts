import type { Platform } from '../../../platform/module.ts'
import * as repo from '../repository.ts'
import { newEd25519Key, newRsaKey } from './keys.ts'

/** Where an issuer lives: the city, and the organization unless it is the city's own issuer. */
export interface IssuerOwner {
  city: { id: number; slug: string }
  organization: { id: number; slug: string } | null
}

/** The did:web path segments after the host: issuers:<city>[:<organization>]. */
export function issuerPath(owner: IssuerOwner): string {
  return ['issuers', owner.city.slug, ...(owner.organization ? [owner.organization.slug] : [])].join(':')
}

/** https URL of an issuer's folder (where did.json, status lists and JWKs are served). */
export function issuerBaseUrl(platform: Platform, path: string): string {
  return `https://${platform.config.badges.didHost.replace('%3A', ':')}/${path.replaceAll(':', '/')}`
}

/** The issuer profile of an organization (or city), created with its first keys on first use. */
export async function ensureIssuer(platform: Platform, owner: IssuerOwner): Promise<repo.IssuerRow> {
  const path = issuerPath(owner)
  const found = await repo.findIssuerByPath(platform.db, path)
  if (found) return found
  const did = `did:web:${platform.config.badges.didHost}:${path}`
  const issuer = await repo.insertIssuer(
    platform.db,
    owner.city.id,
    owner.organization?.id ?? null,
    path,
    did,
  )
  if ((await repo.listKeys(platform.db, issuer.id)).length === 0) await addKeys(platform, issuer, 1)
  return issuer
}

async function addKeys(platform: Platform, issuer: repo.IssuerRow, n: number) {
  const secret = platform.config.badges.keySecret
  await repo.insertKey(
    platform.db,
    issuer.cityId,
    issuer.id,
    await newEd25519Key(secret, issuer.did, `key-${n}`),
  )
  await repo.insertKey(platform.db, issuer.cityId, issuer.id, await newRsaKey(secret, `rsa-${n}`))
}

/**
 * Rotates an issuer's keys: new Ed25519 and RSA keys sign from now on; the earlier ones are retired
 * but stay in the DID document and the JWK set, so credentials they signed still verify.
 */
export async function rotateIssuerKeys(platform: Platform, issuer: repo.IssuerRow): Promise<void> {
  const keys = await repo.listKeys(platform.db, issuer.id)
  const n = Math.max(0, ...keys.map((k) => Number(/-(\d+)$/.exec(k.fragment)?.[1] ?? 0))) + 1
  await addKeys(platform, issuer, n)
  for (const kind of ['Ed25519', 'RSA'] as const) {
    const newest = (await repo.listKeys(platform.db, issuer.id)).filter((k) => k.kind === kind).at(-1)
    if (newest) await repo.retireKeys(platform.db, issuer.id, kind, newest.id)
  }
}

/** The key that signs now: the newest live key of that kind. */
export async function activeKey(platform: Platform, issuerId: number, kind: 'Ed25519' | 'RSA') {
  const keys = await repo.listKeys(platform.db, issuerId)
  const key = keys.filter((k) => k.kind === kind && !k.retired).at(-1)
  if (!key) throw new Error(`Issuer ${issuerId} has no live ${kind} key`)
  return key
}

/** The issuer's DID document: every Ed25519 key ever used, as Multikey assertion methods. */
export async function didDocument(
  platform: Platform,
  issuer: repo.IssuerRow,
): Promise<Record<string, unknown>> {
  const keys = (await repo.listKeys(platform.db, issuer.id)).filter((k) => k.kind === 'Ed25519')
  const methods = keys.map((k) => ({
    id: `${issuer.did}#${k.fragment}`,
    type: 'Multikey',
    controller: issuer.did,
    publicKeyMultibase: k.publicKeyMultibase,
  }))
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: issuer.did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  }
}

/** The issuer's RSA public keys (for VC-JWT `kid`), retired ones included. */
export async function jwkSet(platform: Platform, issuer: repo.IssuerRow) {
  const keys = (await repo.listKeys(platform.db, issuer.id)).filter((k) => k.kind === 'RSA')
  return { keys: keys.map((k) => k.publicKeyJwk) }
}
