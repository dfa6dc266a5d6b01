import { createCredential, createList } from '@digitalbazaar/vc-bitstring-status-list'
import type { Platform } from '../../../platform/module.ts'
import * as repo from '../repository.ts'
import { dateTime, VC_V2 } from './credential.ts'
import { activeKey } from './issuers.ts'
import { signCredential } from './sign.ts'

/** Positions per status list: 131,072 bits, the W3C minimum of 16 KB (herd privacy). */
export const STATUS_LIST_LENGTH = 131_072

export type StatusPurpose = 'revocation' | 'suspension'

/** URL of an issuer's status list credential for a purpose. */
export function statusListUrl(platform: Platform, issuer: repo.IssuerRow, purpose: StatusPurpose): string {
  return `${platform.config.publicUrl}/${issuer.path.replaceAll(':', '/')}/status/${purpose}`
}

/**
 * The issuer's signed BitstringStatusListCredential for a purpose: revoked (or suspended) awards have
 * their bit set. Signed again only when a status changed since the stored one.
 */
export async function statusListCredential(
  platform: Platform,
  issuer: repo.IssuerRow,
  purpose: StatusPurpose,
): Promise<Record<string, unknown>> {
  const fresh = (await repo.findIssuerById(platform.db, issuer.id)) ?? issuer
  const stored = await repo.findStatusList(platform.db, issuer.id, purpose)
  if (stored && stored.version === fresh.statusVersion) return stored.credential
  const list = await createList({ length: STATUS_LIST_LENGTH })
  const set = await repo.statusIndexes(
    platform.db,
    issuer.id,
    purpose === 'revocation' ? 'revoked' : 'suspended',
  )
  for (const index of set) list.setStatus(index, true)
  const url = statusListUrl(platform, fresh, purpose)
  const unsigned = await createCredential({ id: url, list, statusPurpose: purpose, context: [VC_V2] })
  const now = new Date()
  const credential = {
    ...unsigned,
    issuer: fresh.did,
    validFrom: dateTime(now),
  }
  const key = await activeKey(platform, issuer.id, 'Ed25519')
  const signed = await signCredential(platform.config.badges.keySecret, fresh.did, key, credential, now)
  await repo.saveStatusList(platform.db, fresh.cityId, fresh.id, purpose, fresh.statusVersion, signed)
  return signed
}
