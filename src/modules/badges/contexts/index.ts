export { BUNDLED_CONTEXTS, type ContextDocument } from './bundled.ts'
export { resolveDidKey } from './did-key.ts'
export {
  bundledDocumentLoader,
  createDocumentLoader,
  type DocumentLoader,
  DocumentNotFoundError,
  type DocumentProblem,
  type LoaderOptions,
  type RemoteDocument,
  type RemoteResolver,
} from './loader.ts'
