import { readFileSync } from 'node:fs'
import type { ContextDocument } from '../contexts/index.ts'
import type { Json } from './credential.ts'
import { decodeJwt } from './jwt.ts'
import { createRemoteResolver, didWebUrl } from './resolver.ts'

/** The Open Badges conformance set (a copy of ../shared/conformance/openbadges; see its README). */
export const CONFORMANCE_DIR = new URL('./conformance/', import.meta.url)

export interface Vector {
  file: string
  expect: string
  needsNetwork?: string[]
}

export interface Manifest {
  recommendedNow: string
  vectors: Vector[]
  resolvedDocuments: { file: string; resolves: string }[]
}

export const manifest: Manifest = JSON.parse(readFileSync(new URL('manifest.json', CONFORMANCE_DIR), 'utf8'))

export function readVector(file: string): Buffer {
  return readFileSync(new URL(file, CONFORMANCE_DIR))
}

function readJson(file: string): Json {
  return JSON.parse(readVector(file).toString('utf8'))
}

/** The W3C examples context, which only the W3C cryptosuite vectors use (never bundled). */
export const testContexts: ReadonlyMap<string, ContextDocument> = new Map([
  ['https://www.w3.org/ns/credentials/examples/v2', readJson('contexts/w3c__credentials-examples-v2.jsonld')],
])

/** The baked or plain VC-JWT text of a valid vector (PNG iTXt, SVG verify attribute, or the file). */
function jwtTextOf(file: string): string | undefined {
  const bytes = readVector(file)
  const text = bytes.toString('latin1')
  return /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(text)?.[0]
}

/**
 * The documents the vectors point to, by the https URL a resolver fetches (did:web DIDs mapped
 * to their did.json). Test scaffolding beyond the manifest: the public RSA keys that the valid
 * VC-JWT vectors carry in their header are added to their issuers' controller documents, as a
 * real issuer would publish them; the attacker's re-signed JWT (edge/) gets no such entry.
 */
export function conformanceDocuments(): Map<string, Json> {
  const docs = new Map<string, Json>()
  for (const r of manifest.resolvedDocuments) {
    const url = r.resolves.startsWith('did:web:') ? didWebUrl(r.resolves) : r.resolves
    if (url) docs.set(url, readJson(r.file))
  }
  for (const v of manifest.vectors) {
    if (v.expect !== 'valid' || !/jwt/.test(v.file)) continue
    const token = jwtTextOf(v.file)
    const decoded = token ? decodeJwt(token) : undefined
    const issuer = typeof decoded?.claims.iss === 'string' ? decoded.claims.iss : undefined
    if (!decoded || !issuer || typeof decoded.header.jwk !== 'object') continue
    const doc = docs.get(issuer) ?? { '@context': ['https://www.w3.org/ns/did/v1'], id: issuer }
    const methods = Array.isArray(doc.verificationMethod) ? doc.verificationMethod : []
    const id = `${issuer}#jwt-key-${methods.length}`
    doc.verificationMethod = [
      ...methods,
      { id, type: 'JsonWebKey', controller: issuer, publicKeyJwk: decoded.header.jwk },
    ]
    doc.assertionMethod = [...(Array.isArray(doc.assertionMethod) ? doc.assertionMethod : []), id]
    docs.set(issuer, doc)
  }
  return docs
}

/** A resolver that answers from the conformance documents only, like a network that has just them. */
export function conformanceLookup(documents = conformanceDocuments()) {
  return createRemoteResolver({ fetchJson: async (url) => structuredClone(documents.get(url)) })
}
