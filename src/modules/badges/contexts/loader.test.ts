import { describe, expect, it } from 'vitest'
import {
  BUNDLED_CONTEXTS,
  bundledDocumentLoader,
  createDocumentLoader,
  DocumentNotFoundError,
} from './index.ts'

const ED25519_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

describe('the badges document loader', () => {
  it('bundles every context an Open Badge 3.0 or CLR 2.0 credential needs', () => {
    for (const url of [
      'https://www.w3.org/ns/credentials/v2',
      'https://www.w3.org/2018/credentials/v1',
      'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
      'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
      'https://w3id.org/security/data-integrity/v2',
      'https://w3id.org/security/multikey/v1',
      'https://w3id.org/security/suites/ed25519-2020/v1',
      'https://www.w3.org/ns/credentials/status/v1',
      'https://www.w3.org/ns/did/v1',
    ])
      expect(BUNDLED_CONTEXTS.has(url), url).toBe(true)
  })

  it('serves a bundled context without any network', async () => {
    const loaded = await bundledDocumentLoader('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json')
    expect(loaded.documentUrl).toBe('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json')
    expect(loaded.document['@context']).toBeTypeOf('object')
  })

  it('refuses a context it does not bundle instead of fetching it', async () => {
    await expect(bundledDocumentLoader('https://example.org/my-context.json')).rejects.toMatchObject({
      name: 'DocumentNotFoundError',
      problem: 'not-bundled',
    })
  })

  it('resolves did:key DIDs and their key fragments locally', async () => {
    const doc = (await bundledDocumentLoader(ED25519_DID)).document
    expect(doc.id).toBe(ED25519_DID)
    const key = (
      await bundledDocumentLoader(`${ED25519_DID}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`)
    ).document
    expect(key).toMatchObject({
      type: 'Multikey',
      controller: ED25519_DID,
      '@context': 'https://w3id.org/security/multikey/v1',
    })
  })

  it('hands each caller its own copy of a cached did:key document', async () => {
    const first = (await bundledDocumentLoader(ED25519_DID)).document
    first.id = 'changed'
    expect((await bundledDocumentLoader(ED25519_DID)).document.id).toBe(ED25519_DID)
  })

  it('names unsupported DID methods and garbled did:key values', async () => {
    await expect(bundledDocumentLoader('did:example:123')).rejects.toMatchObject({
      problem: 'unsupported-did-method',
    })
    await expect(bundledDocumentLoader('did:key:zNotAKey')).rejects.toBeInstanceOf(DocumentNotFoundError)
  })

  it('asks the given resolver for did:web and https documents, and only for those', async () => {
    const asked: string[] = []
    const loader = createDocumentLoader({
      resolve: async (url) => {
        asked.push(url)
        return url === 'did:web:example.org' ? { id: url } : undefined
      },
    })
    expect((await loader('did:web:example.org')).document).toEqual({ id: 'did:web:example.org' })
    await expect(loader('https://example.org/keys/1')).rejects.toMatchObject({ problem: 'unresolvable' })
    await loader('https://www.w3.org/ns/credentials/v2')
    expect(asked).toEqual(['did:web:example.org', 'https://example.org/keys/1'])
  })
})
