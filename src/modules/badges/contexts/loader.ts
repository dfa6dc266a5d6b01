import { JsonLdDocumentLoader } from 'jsonld-document-loader'
import { BUNDLED_CONTEXTS, type ContextDocument } from './bundled.ts'
import { resolveDidKey } from './did-key.ts'

/** What jsonld.js and the Data Integrity suites expect a document loader to return. */
export interface RemoteDocument {
  contextUrl: string | null
  document: Record<string, unknown>
  documentUrl: string
  tag?: string
}

/** A JSON-LD document loader (jsonld.js `documentLoader`). */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>

/**
 * Looks up a did:web DID (URL) or an http(s) key or status-list URL; undefined when it cannot be
 * had. Only the verifier supplies one, and it answers only for URLs the credential names as its
 * key or status list: contexts never reach it.
 */
export type RemoteResolver = (url: string) => Promise<Record<string, unknown> | undefined>

/** Why a document could not be loaded. */
export type DocumentProblem =
  /** Not a bundled context, and not a URL the loader may resolve. */
  | 'not-bundled'
  /** Could not be had just now (network, host down, no such document): may work later. */
  | 'unresolvable'
  /** The document was had, but it does not hold this key (or does not name itself). */
  | 'not-in-document'
  | 'unsupported-did-method'

/** Thrown by the loader when it has no document for a URL; `problem` says why. */
export class DocumentNotFoundError extends Error {
  override readonly name = 'DocumentNotFoundError'
  constructor(
    readonly url: string,
    readonly problem: DocumentProblem,
  ) {
    super(
      problem === 'not-bundled'
        ? `No bundled document for ${url}; contexts are never fetched`
        : problem === 'unsupported-did-method'
          ? `Unsupported DID method in ${url}`
          : problem === 'not-in-document'
            ? `The document at ${url.split('#')[0]} does not hold ${url}`
            : `Could not resolve ${url}`,
    )
  }
}

export interface LoaderOptions {
  /** did:web and http(s) documents (keys, controller documents, status lists). */
  resolve?: RemoteResolver
  /** More contexts by URL (tests: the W3C examples context the cryptosuite vectors use). */
  extraContexts?: ReadonlyMap<string, ContextDocument>
}

// One static table for every loader: built (and cloned by JsonLdDocumentLoader) once, not per call.
const statics = new JsonLdDocumentLoader()
for (const [url, doc] of BUNDLED_CONTEXTS) statics.addStatic(url, doc)
const loadStatic = statics.build()

/**
 * A document loader that serves the bundled JSON-LD contexts and did:key documents and never
 * touches the network itself; did:web and http(s) URLs go to `options.resolve` when given.
 */
export function createDocumentLoader(options: LoaderOptions = {}): DocumentLoader {
  const { resolve, extraContexts } = options
  const remote = async (url: string): Promise<Record<string, unknown>> => {
    const doc = resolve ? await resolve(url) : undefined
    if (!doc) throw new DocumentNotFoundError(url, resolve ? 'unresolvable' : 'not-bundled')
    return doc
  }
  const fetched = (url: string, document: Record<string, unknown>): RemoteDocument => ({
    contextUrl: null,
    document,
    documentUrl: url,
  })
  return async (url: string) => {
    if (typeof url !== 'string') throw new DocumentNotFoundError(String(url), 'not-bundled')
    const extra = extraContexts?.get(url)
    if (extra) return { ...fetched(url, extra), tag: 'static' }
    if (BUNDLED_CONTEXTS.has(url)) return loadStatic(url)
    if (url.startsWith('did:key:')) {
      try {
        return fetched(url, await resolveDidKey(url))
      } catch {
        throw new DocumentNotFoundError(url, 'unresolvable')
      }
    }
    if (url.startsWith('did:web:')) return fetched(url, await remote(url))
    if (url.startsWith('did:')) throw new DocumentNotFoundError(url, 'unsupported-did-method')
    if (url.startsWith('https://') || url.startsWith('http://')) return fetched(url, await remote(url))
    throw new DocumentNotFoundError(url, 'not-bundled')
  }
}

/** Bundled contexts and did:key only: what signing needs, and a verifier that must stay offline. */
export const bundledDocumentLoader: DocumentLoader = createDocumentLoader()
