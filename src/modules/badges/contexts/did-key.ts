import * as DidKey from '@digitalbazaar/did-method-key'
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'

const driver = DidKey.driver()
// Ed25519 (z6Mk…) and P-256 / P-384 ECDSA (zDna… / z82L…) keys: what badges in the wild use.
driver.use({ multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from })
driver.use({ multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from })
driver.use({ multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from })

/** did:key documents are a pure function of the DID, so they are kept (up to this many). */
const CACHE_SIZE = 1000
const cache = new Map<string, Promise<Record<string, unknown>>>()

/**
 * Resolves a did:key DID (its DID document) or DID URL (one verification method, with its
 * `@context`), locally: the key is in the identifier, nothing is fetched.
 */
export async function resolveDidKey(url: string): Promise<Record<string, unknown>> {
  // Callers (jsonld, the suites) get their own copy: a cached document must not change under them.
  return structuredClone(await cached(url))
}

function cached(url: string): Promise<Record<string, unknown>> {
  const hit = cache.get(url)
  if (hit) return hit
  const made = driver.get({ url })
  cache.set(url, made)
  made.catch(() => cache.delete(url))
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  return made
}
