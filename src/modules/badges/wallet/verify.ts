/**
 * Verifying what a learner brings into the wallet: the install's verifier, with one addition.
 * Documents of this install's own issuers (did:web documents, status lists, JWKs) are read from
 * the database instead of being fetched from ourselves over the network; everything else goes
 * through the safe fetcher like on the public checker page.
 */
import type { Platform } from '../../../platform/module.ts'
import { DocumentNotFoundError } from '../contexts/index.ts'
import { didDocument, jwkSet } from '../issue/issuers.ts'
import { statusListCredential } from '../issue/status-list.ts'
import * as repo from '../repository.ts'
import { extractFromPng, extractFromSvg, isPng } from '../verify/baked.ts'
import type { Json } from '../verify/credential.ts'
import { type InputProblem, verifyInput } from '../verify/input.ts'
import type { Report } from '../verify/report.ts'
import { findVerificationMethod, type RemoteLookup } from '../verify/resolver.ts'
import { platformLookup } from '../verify/service.ts'

/** The document at one of our own issuer URLs (path after the host), or undefined when it is not one. */
async function ownDocument(platform: Platform, path: string): Promise<Json | undefined> {
  const m =
    /^\/issuers\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?\/(did\.json|status\/(revocation|suspension)|jwks\.json|jwks\/(rsa-[0-9]+))$/.exec(
      path,
    )
  if (!m) return undefined
  const [, city, org, what, purpose, kid] = m
  const issuer = await repo.findIssuerByPath(platform.db, ['issuers', city, ...(org ? [org] : [])].join(':'))
  if (!issuer) return undefined
  if (what === 'did.json') return didDocument(platform, issuer)
  if (purpose) return statusListCredential(platform, issuer, purpose as 'revocation' | 'suspension')
  const set = await jwkSet(platform, issuer)
  if (!kid) return set as Json
  return (set.keys.find((k) => k?.kid === kid) as Json | undefined) ?? undefined
}

/** Looks up our own issuers' documents locally and anything else through the platform's resolver. */
export function walletLookup(platform: Platform): RemoteLookup {
  const remote = platformLookup(platform)
  const didPrefix = `did:web:${platform.config.badges.didHost}:`
  const origins = [
    new URL(platform.config.publicUrl).origin,
    `https://${platform.config.badges.didHost.replace('%3A', ':')}`,
  ]
  return async (url) => {
    const [base = '', fragment] = url.split('#', 2)
    let path: string | undefined
    if (base.startsWith(didPrefix)) path = `/${base.slice(didPrefix.length).replaceAll(':', '/')}/did.json`
    else {
      const origin = origins.find((o) => base.startsWith(`${o}/`))
      if (origin) path = base.slice(origin.length)
    }
    if (path === undefined) return remote(url)
    const doc = await ownDocument(platform, path)
    if (!doc) return undefined
    if (fragment === undefined) return structuredClone(doc)
    const vm = findVerificationMethod(doc, url)
    if (!vm) throw new DocumentNotFoundError(url, 'not-in-document')
    return vm
  }
}

export type Checked =
  | { ok: true; report: Report; credential: string; baked?: 'png' | 'svg' }
  | { ok: false; problem: InputProblem }

/**
 * Takes the credential out of a baked image when it is one, then verifies it. Returns the
 * credential text (JSON or JWS) with the report, so the wallet keeps exactly what was verified.
 */
export async function checkCredential(
  platform: Platform,
  input: Uint8Array | string,
  lang?: string,
): Promise<Checked> {
  let text: string
  let baked: 'png' | 'svg' | undefined
  if (typeof input !== 'string' && isPng(input)) {
    const found = extractFromPng(input)
    if (!found.ok) return { ok: false, problem: found.problem }
    text = found.text
    baked = 'png'
  } else {
    text = (typeof input === 'string' ? input : new TextDecoder().decode(input)).replace(/^\uFEFF/, '').trim()
    if (text.startsWith('<')) {
      const found = extractFromSvg(text)
      if (!found.ok)
        return { ok: false, problem: /^(<\?xml|<svg|<!)/i.test(text) ? found.problem : 'unrecognised' }
      text = found.text
      baked = 'svg'
    }
  }
  const result = await verifyInput(text, { lookup: walletLookup(platform) }, { lang })
  if (!result.ok) return result
  return {
    ok: true,
    report: baked ? { ...result.report, baked } : result.report,
    credential: text.trim(),
    baked,
  }
}
