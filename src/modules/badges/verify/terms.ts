import jsonld from 'jsonld'
import { type DocumentLoader, DocumentNotFoundError } from '../contexts/index.ts'
import type { Json } from './credential.ts'
import type { Problem } from './report.ts'

/** The loader error somewhere in an error's causes (jsonld.js wraps what the loader throws). */
export function documentProblemIn(error: unknown, depth = 0): DocumentNotFoundError | undefined {
  if (depth > 8 || typeof error !== 'object' || error === null) return undefined
  if (error instanceof DocumentNotFoundError) return error
  const e = error as { cause?: unknown; details?: { cause?: unknown }; errors?: unknown[] }
  for (const next of [e.cause, e.details?.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = documentProblemIn(next, depth + 1)
    if (found) return found
  }
  return undefined
}

/** The term or value a jsonld.js safe-mode event names, for the message. */
function safeModeDetail(error: unknown): Record<string, string> {
  const event = (error as { details?: { event?: { code?: string; details?: Record<string, unknown> } } })
    .details?.event
  const d = event?.details ?? {}
  const term = d.property ?? d.type ?? d.id ?? d.value ?? d.term
  const detail: Record<string, string> = {}
  if (typeof term === 'string') detail.term = term.slice(0, 200)
  else if (term !== undefined) detail.term = JSON.stringify(term).slice(0, 200)
  if (event?.code) detail.event = event.code
  return detail
}

/**
 * Expands the credential (without its proofs) in JSON-LD safe mode with bundled contexts only: a context the loader
 * does not bundle, or a term no context defines (which would silently drop out of what the
 * signature covers), is a problem.
 */
export async function termProblems(credential: Json, documentLoader: DocumentLoader): Promise<Problem[]> {
  // Proofs are separate graphs: the suites canonicalise (in safe mode) the ones they check, and a
  // proof of a kind this verifier does not read must not make a credential with a good one fail.
  const { proof: _proofs, ...unsigned } = credential
  try {
    await jsonld.expand(unsigned, { documentLoader, safe: true })
    return []
  } catch (error) {
    const missing = documentProblemIn(error)
    if (missing) return [{ code: 'context-not-bundled', detail: { url: missing.url.slice(0, 300) } }]
    const name = (error as { name?: string }).name
    if (name === 'jsonld.ValidationError') return [{ code: 'undefined-term', detail: safeModeDetail(error) }]
    const message = (error as Error).message ?? String(error)
    return [{ code: 'jsonld-invalid', detail: { reason: message.slice(0, 300) } }]
  }
}
