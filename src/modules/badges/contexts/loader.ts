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
export type DocumentProblem = 'not-bundled' | 'unresolvable' | 'unsupported-did-method'

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

/**
 * A document loader that serves the bundled JSON-LD contexts and did:key documents and never
 * touches the network itself; did:web and http(s) URLs go to `options.resolve` when given.
 */
export function createDocumentLoader(options: LoaderOptions = {}): DocumentLoader {
  const loader = new JsonLdDocumentLoader()
  // JsonLdDocumentLoader clones what it is given; the bundle is shared, so that is what we want.
  for (const [url, doc] of BUNDLED_CONTEXTS) loader.addStatic(url, doc)
  for (const [url, doc] of options.extraContexts ?? []) loader.addStatic(url, doc)
  const remote = async (url: string) => {
    const doc = options.resolve ? await options.resolve(url) : undefined
    if (!doc) throw new DocumentNotFoundError(url, options.resolve ? 'unresolvable' : 'not-bundled')
    return doc
  }
  loader.setProtocolHandler({
    protocol: 'did',
    handler: {
      get: ({ url }: { url: string }) => {
        if (url.startsWith('did:key:')) {
          return resolveDidKey(url).catch(() => {
            throw new DocumentNotFoundError(url, 'unresolvable')
          })
        }
        if (url.startsWith('did:web:')) return remote(url)
        throw new DocumentNotFoundError(url, 'unsupported-did-method')
      },
    },
  })
  for (const protocol of ['https', 'http'])
    loader.setProtocolHandler({ protocol, handler: { get: ({ url }: { url: string }) => remote(url) } })
  const load = loader.build()
  return async (url: string) => {
    try {
      return await load(url)
    } catch (error) {
      if (error instanceof DocumentNotFoundError) throw error
      // JsonLdDocumentLoader's own "not found" (an unknown scheme): say it plainly.
      throw new DocumentNotFoundError(url, 'not-bundled')
    }
  }
}

/** Bundled contexts and did:key only: what signing needs, and a verifier that must stay offline. */
export const bundledDocumentLoader: DocumentLoader = createDocumentLoader()
