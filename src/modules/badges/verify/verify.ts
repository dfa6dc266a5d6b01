import { type ContextDocument, createDocumentLoader, type DocumentLoader } from '../contexts/index.ts'
import { idOf, isObject, issuerId, type Json, proofsOf, values } from './credential.ts'
import { checkDates } from './dates.ts'
import { badgeView } from './display.ts'
import { checkJwt, claimProblems, decodeJwt, looksLikeJws } from './jwt.ts'
import { checkEmbeddedProof } from './proof.ts'
import { type Check, check, type Report, verdictOf } from './report.ts'
import type { RemoteLookup } from './resolver.ts'
import { checkStatus } from './status.ts'
import { structureProblems } from './structure.ts'
import { termProblems } from './terms.ts'

export interface VerifierDeps {
  /** did:web and https keys and status lists; without it the verifier stays fully offline. */
  lookup?: RemoteLookup
  /** More JSON-LD contexts (tests: the W3C examples context). */
  extraContexts?: ReadonlyMap<string, ContextDocument>
}

export interface VerifyOptions {
  now?: Date
  /** Language for the badge's texts when it carries several. */
  lang?: string
}

/** Remote documents one verification may look up at most (keys, controllers, status lists). */
const MAX_LOOKUPS = 12
/** CLR credentials nest others; deeper or wider than this is refused as hostile. */
const MAX_NESTED = 50
const MAX_DEPTH = 2

/** Every string used as a context anywhere in the document (these are never fetched). */
function contextUrls(node: unknown, into = new Set<string>(), depth = 0): Set<string> {
  if (depth > 64) return into
  if (Array.isArray(node)) for (const n of node) contextUrls(n, into, depth + 1)
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '@context') for (const c of values(value)) if (typeof c === 'string') into.add(c)
      contextUrls(value, into, depth + 1)
    }
  }
  return into
}

/** Base URLs the credential names as its keys, issuer and status lists: the only ones looked up. */
function lookupBases(credential: Json): Set<string> {
  const bases = new Set<string>()
  const add = (url: unknown) => {
    if (typeof url === 'string') bases.add(url.split('#')[0] ?? url)
  }
  add(issuerId(credential))
  for (const proof of proofsOf(credential)) add(idOf(proof.verificationMethod))
  for (const status of values(credential.credentialStatus))
    if (isObject(status)) add(status.statusListCredential)
  return bases
}

/** A document loader for one credential: bundled contexts, did:key, and its own keys and lists. */
function loaderFor(credential: Json, deps: VerifierDeps): DocumentLoader {
  const { lookup } = deps
  if (!lookup) return createDocumentLoader({ extraContexts: deps.extraContexts })
  const bases = lookupBases(credential)
  const contexts = contextUrls(credential)
  let left = MAX_LOOKUPS
  return createDocumentLoader({
    extraContexts: deps.extraContexts,
    resolve: async (url) => {
      const base = url.split('#')[0] ?? url
      if (!bases.has(base) || contexts.has(base) || left <= 0) return undefined
      left--
      return lookup(url)
    },
  })
}

/** Verifies a JSON-LD credential (embedded proof); every check is made and reported. */
export async function verifyJsonLd(
  credential: Json,
  deps: VerifierDeps,
  options: VerifyOptions = {},
  depth = 0,
): Promise<Report> {
  const now = options.now ?? new Date()
  const documentLoader = loaderFor(credential, deps)
  // Status lists are verified with depth MAX_DEPTH: plain credentials, not badges.
  const structure = check(
    'structure',
    structureProblems(credential, depth >= MAX_DEPTH ? 'status-list' : 'badge'),
  )
  const terms = check(
    'terms',
    await termProblems(credential, createDocumentLoader({ extraContexts: deps.extraContexts })),
  )
  const { proof, issuerKey } = await checkEmbeddedProof(credential, documentLoader)
  const dates = checkDates(credential, now)
  const status: Check =
    depth >= MAX_DEPTH
      ? {
          id: 'status',
          outcome: values(credential.credentialStatus).length ? 'unavailable' : 'not-applicable',
          problems: [],
        }
      : await checkStatus(credential, documentLoader, (list) => verifyJsonLd(list, deps, { now }, MAX_DEPTH))
  const nested: Report[] = []
  if (depth < MAX_DEPTH) {
    const embedded = values(credential.credentialSubject)
      .filter(isObject)
      .flatMap((s) => values(s.verifiableCredential))
    for (const inner of embedded.slice(0, MAX_NESTED))
      if (isObject(inner)) nested.push(await verifyJsonLd(inner, deps, options, depth + 1))
  }
  const checks = [structure, terms, proof, issuerKey, dates, status]
  return {
    verdict: verdictOf(checks, nested),
    format: 'json-ld',
    checks,
    badge: badgeView(credential, options.lang),
    nested,
  }
}

/** Verifies a VC-JWT: the JWS and its key, then the same checks as a JSON-LD credential. */
export async function verifyJwt(
  token: string,
  deps: VerifierDeps,
  options: VerifyOptions = {},
): Promise<Report | undefined> {
  const decoded = decodeJwt(token)
  if (!decoded) return undefined
  const now = options.now ?? new Date()
  const { credential } = decoded
  const structure = check('structure', [...structureProblems(credential), ...claimProblems(decoded)])
  const terms = check(
    'terms',
    await termProblems(credential, createDocumentLoader({ extraContexts: deps.extraContexts })),
  )
  // The JWS signs bytes, not RDF: a context this verifier does not bundle leaves the terms unchecked
  // (not failed), since the signature does not depend on what the terms mean.
  if (terms.problems.length > 0 && terms.problems.every((p) => p.code === 'context-not-bundled'))
    terms.outcome = 'not-applicable'
  const { proof, issuerKey } = await checkJwt(token, decoded, deps.lookup)
  const dates = checkDates(credential, now)
  const status = await checkStatus(credential, loaderFor(credential, deps), (list) =>
    verifyJsonLd(list, deps, { now }, MAX_DEPTH),
  )
  const nested: Report[] = []
  const embedded = values(credential.credentialSubject)
    .filter(isObject)
    .flatMap((s) => values(s.verifiableCredential))
  for (const inner of embedded.slice(0, MAX_NESTED)) {
    if (isObject(inner)) nested.push(await verifyJsonLd(inner, deps, options, 1))
    else if (typeof inner === 'string' && looksLikeJws(inner)) {
      const report = await verifyJwt(inner, deps, options)
      if (report) nested.push(report)
    }
  }
  const checks = [structure, terms, proof, issuerKey, dates, status]
  return {
    verdict: verdictOf(checks, nested),
    format: 'vc-jwt',
    checks,
    badge: badgeView(credential, options.lang),
    nested,
  }
}
