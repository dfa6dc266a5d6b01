import { DocumentNotFoundError } from '../contexts/index.ts'
import { isObject, type Json, values } from './credential.ts'

/** Looks up did:web and http(s) documents (see createRemoteResolver); undefined when it cannot. */
export type RemoteLookup = (url: string) => Promise<Json | undefined>

/** Fetches a JSON document from an https (or, for keys, http) URL; undefined when it cannot. */
export type FetchJson = (url: string) => Promise<unknown>

/** The https URL of a did:web DID's document (did:web method specification §3.2). */
export function didWebUrl(did: string): string | undefined {
  const m = /^did:web:([^#?/]+)$/.exec(did)
  if (!m?.[1]) return undefined
  const parts = m[1].split(':').map((p) => {
    try {
      return decodeURIComponent(p)
    } catch {
      return ''
    }
  })
  const [host, ...path] = parts
  // The host (with an optional %3A port) must be a plain host name; path parts plain segments.
  if (
    !host ||
    !/^[a-z0-9.-]+(:\d{1,5})?$/i.test(host) ||
    path.some((p) => !/^[A-Za-z0-9._~-]+$/.test(p) || p === '..' || p === '.')
  )
    return undefined
  return path.length === 0
    ? `https://${host}/.well-known/did.json`
    : `https://${host}/${path.join('/')}/did.json`
}

/** JSON-LD contexts of the verification method types, so the suites can read them. */
const KEY_CONTEXTS: Record<string, string> = {
  Multikey: 'https://w3id.org/security/multikey/v1',
  Ed25519VerificationKey2020: 'https://w3id.org/security/suites/ed25519-2020/v1',
  JsonWebKey2020: 'https://w3id.org/security/suites/jws-2020/v1',
  JsonWebKey: 'https://w3id.org/security/jwk/v1',
}

/** The verification method with this id in a DID or controller document, with its `@context`. */
export function findVerificationMethod(doc: Json, id: string): Json | undefined {
  const base = id.split('#')[0]
  const fragment = id.includes('#') ? `#${id.split('#')[1]}` : undefined
  const relations = [
    'verificationMethod',
    'assertionMethod',
    'authentication',
    'capabilityInvocation',
    'capabilityDelegation',
  ]
  for (const relation of relations) {
    for (const vm of values(doc[relation])) {
      if (!isObject(vm) || typeof vm.id !== 'string') continue
      if (vm.id === id || (fragment && vm.id === fragment && doc.id === base)) {
        const type = typeof vm.type === 'string' ? vm.type : ''
        const context = KEY_CONTEXTS[type]
        return { ...vm, id, ...(context ? { '@context': context } : {}) }
      }
    }
  }
  return undefined
}

interface Cached {
  expires: number
  value: Promise<Json | undefined>
}

export interface ResolverOptions {
  fetchJson: FetchJson
  /** How long a fetched document is kept (default 10 minutes). */
  ttlMs?: number
  /** How long a failure is remembered, so a dead host is not asked again at once (default 1 minute). */
  failureTtlMs?: number
  /** Documents kept at most (oldest dropped first). */
  maxEntries?: number
  now?: () => number
}

/**
 * Resolves did:web DIDs and http(s) URLs (keys, controller documents, status lists) through
 * `fetchJson`, with a cache: a DID URL or URL with a fragment comes back as the one verification
 * method it names; a did:web document must name itself as its `id`. Undefined when the
 * document cannot be had; DocumentNotFoundError('not-in-document') when it lacks the key.
 */
export function createRemoteResolver(options: ResolverOptions): RemoteLookup {
  const ttl = options.ttlMs ?? 10 * 60_000
  const failureTtl = options.failureTtlMs ?? 60_000
  const max = options.maxEntries ?? 500
  const clock = options.now ?? Date.now
  const cache = new Map<string, Cached>()

  const fetchDocument = (url: string): Promise<Json | undefined> => {
    const hit = cache.get(url)
    if (hit && hit.expires > clock()) return hit.value
    const entry: Cached = { expires: clock() + ttl, value: Promise.resolve(undefined) }
    entry.value = options.fetchJson(url).then(
      (doc) => {
        if (isObject(doc)) return doc
        entry.expires = clock() + failureTtl
        return undefined
      },
      () => {
        entry.expires = clock() + failureTtl
        return undefined
      },
    )
    cache.delete(url)
    cache.set(url, entry)
    while (cache.size > max) {
      const oldest = cache.keys().next().value
      if (oldest === undefined) break
      cache.delete(oldest)
    }
    return entry.value
  }

  return async (url: string) => {
    const [base = '', fragment] = url.split('#', 2)
    let doc: Json | undefined
    if (base.startsWith('did:web:')) {
      const location = didWebUrl(base)
      if (!location) return undefined
      doc = await fetchDocument(location)
      if (!doc) return undefined
      if (doc.id !== base) throw new DocumentNotFoundError(url, 'not-in-document')
    } else if (/^https?:\/\//.test(base)) {
      doc = await fetchDocument(base)
      if (!doc) return undefined
    } else return undefined
    // Callers get their own copy: the cached document must not change under them.
    if (fragment === undefined) return structuredClone(doc)
    const vm = findVerificationMethod(doc, url)
    if (!vm) throw new DocumentNotFoundError(url, 'not-in-document')
    return structuredClone(vm)
  }
}
