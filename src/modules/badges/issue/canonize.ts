import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import jsonld from 'jsonld'
import * as rdfCanonize from 'rdf-canonize'

/**
 * eddsa-rdfc-2022 with a canonicalisation cache for what we issue. Turning JSON-LD into RDF is most
 * of the cost of signing (jsonld.js clones the whole active context at every type-scoped context of
 * the Open Badges context), and our credentials of one achievement differ only in a few values: ids,
 * dates, the recipient's hash and salt, the status list position. So the JSON-LD → RDF step runs
 * once per shape with those values replaced by placeholders, and each credential substitutes its own
 * values into the cached quads before RDFC-1.0 canonicalisation (rdf-canonize, the same library the
 * cryptosuite uses). Only values whose RDF form does not depend on the value are replaced: absolute
 * IRIs (https:, did:, urn:) under `id`-like keys and plain strings under literal keys.
 */

/** Keys whose values are IRIs (JSON-LD `@id`), replaced when absolute. */
const IRI_KEYS = new Set(['id', 'statusListCredential', 'verificationMethod'])
/** Keys whose values are literals whose datatype comes from the context, not from the value. */
const LITERAL_KEYS = new Set([
  'validFrom',
  'validUntil',
  'created',
  'identityHash',
  'salt',
  'statusListIndex',
  'issuanceDate',
  'expirationDate',
  // Criteria and Evidence narratives: Markdown literals (typed by the Open Badges context).
  'narrative',
])
const ABSOLUTE = /^(https:\/\/|did:[a-z0-9]+:|urn:[a-z0-9-]+:)[^\s<>"{}|\\^`]*$/i
const IRI_MARK = 'urn:lc-placeholder:'
const LITERAL_MARK = 'lc-placeholder-'

interface Term {
  termType: string
  value: string
  datatype?: Term
  language?: string
}
interface Quad {
  subject: Term
  predicate: Term
  object: Term
  graph: Term
}

interface Template {
  key: string
  /** The input with placeholders. */
  shaped: unknown
  /** placeholder → the real value, for this input */
  values: Map<string, string>
}

/** The input with its variable values replaced by placeholders (equal values share one). */
function template(input: unknown): Template {
  const values = new Map<string, string>()
  const iris = new Map<string, string>()
  const literals = new Map<string, string>()
  const walk = (node: unknown, key: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, key))
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '@context' ? v : walk(v, k)]))
    }
    if (typeof node === 'string' && key) {
      if (IRI_KEYS.has(key) && ABSOLUTE.test(node)) return mark(iris, node, IRI_MARK)
      if (LITERAL_KEYS.has(key)) return mark(literals, node, LITERAL_MARK)
    }
    return node
  }
  const mark = (seen: Map<string, string>, value: string, prefix: string) => {
    let placeholder = seen.get(value)
    if (!placeholder) {
      placeholder = `${prefix}${values.size}`
      seen.set(value, placeholder)
      values.set(placeholder, value)
    }
    return placeholder
  }
  const shaped = walk(input, undefined)
  return { key: JSON.stringify(shaped), shaped, values }
}

const CACHE_SIZE = 2000
const cache = new Map<string, Promise<Quad[]>>()

function quadsOf(key: string, shaped: unknown, options: Record<string, unknown>): Promise<Quad[]> {
  const hit = cache.get(key)
  if (hit) return hit
  const made = (jsonld as unknown as { toRDF: (input: unknown, options: object) => Promise<Quad[]> }).toRDF(
    shaped,
    {
      base: null,
      safe: true,
      rdfDirection: 'i18n-datatype',
      produceGeneralizedRdf: false,
      documentLoader: options.documentLoader,
    },
  )
  cache.set(key, made)
  made.catch(() => cache.delete(key))
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  return made
}

function substitute(term: Term, values: Map<string, string>): Term {
  const real = values.get(term.value)
  return real === undefined ? term : { ...term, value: real }
}

/** Canonical N-Quads of a JSON-LD document, exactly as eddsa-rdfc-2022's own canonize gives them. */
export async function canonize(input: unknown, options: Record<string, unknown> = {}): Promise<string> {
  const { key, shaped, values } = template(input)
  const quads = await quadsOf(key, shaped, options)
  const dataset = quads.map((q) => ({
    subject: substitute(q.subject, values),
    predicate: q.predicate,
    object: substitute(q.object, values),
    graph: q.graph,
  }))
  return rdfCanonize.canonize(dataset, { algorithm: 'RDFC-1.0', format: 'application/n-quads' })
}

/** The cryptosuite to sign with: eddsa-rdfc-2022, canonicalising through the cache above. */
export const cachedEddsaRdfc2022 = { ...eddsaRdfc2022, canonize }
