import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import type { Readable } from 'node:stream'
import zlib from 'node:zlib'
import { type AddressClass, type AddressPolicy, classifyAddress, refusedAddress } from './address.ts'

/**
 * Fetching addresses that came from outside (feeds, did:web documents, calendars) without letting
 * them reach the install's own network (SSRF): http(s) only; every address a name resolves to is
 * checked, and the socket connects to exactly the checked addresses (the name is never looked up a
 * second time, so DNS rebinding cannot swap in another); each redirect hop is checked again; the
 * whole exchange has a deadline and the body (after decompression) a size limit.
 */

export type FetchErrorCode =
  | 'invalid-url'
  | 'unsupported-scheme'
  | 'credentials-in-url'
  | 'blocked-address'
  | 'dns'
  | 'timeout'
  | 'aborted'
  | 'too-large'
  | 'too-many-redirects'
  | 'bad-redirect'
  | 'bad-encoding'
  | 'tls'
  | 'network'

/** Why a fetch failed; `code` is stable for programs, `message` says it in English for logs. */
export class FetchError extends Error {
  override readonly name = 'FetchError'
  constructor(
    readonly code: FetchErrorCode,
    /** The address being fetched when it failed (after redirects). */
    readonly url: string,
    message: string,
    /** For `blocked-address`: the kind of address refused. */
    readonly addressClass?: AddressClass,
  ) {
    super(message)
  }
}

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

/** Turns a host name into addresses; the default asks the system resolver (dns.lookup). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>

export interface FetchOptions extends AddressPolicy {
  /** POST (webhook deliveries) sends `body` and never follows a redirect: a 3xx is the answer. */
  method?: 'GET' | 'HEAD' | 'POST'
  body?: string
  /** The whole exchange, redirects and body included (default 15 s). */
  timeoutMs?: number
  /** Largest body accepted, counted after decompression (default 10 MB); more is `too-large`. */
  maxBytes?: number
  /** Redirects followed before `too-many-redirects` (default 5). */
  maxRedirects?: number
  /** Extra request headers; `authorization` and `cookie` are dropped on a redirect to another origin. */
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Name resolution (tests give a fixed table; the default is the system resolver). */
  resolve?: Resolver
  /**
   * Keep the first `maxBytes` of a longer body and stop reading, instead of failing with `too-large`
   * (a link check needs the status, not the page). The response says so in `truncated`.
   */
  truncate?: boolean
  /**
   * Reach loopback addresses only, whatever the policy says (test runs, which must never leave the
   * machine): other literal addresses are refused, and no name but `localhost` is even looked up.
   */
  onlyLoopback?: boolean
  /**
   * Certificates (PEM) trusted for https instead of the system's CAs, for this fetch only: a test
   * serving a self-signed certificate, or an operator's private CA. Certificates are still checked
   * (chain, host name, dates); there is no switch that turns checking off.
   */
  ca?: string | readonly string[]
}

export interface FetchedResponse {
  status: number
  /** 2xx. */
  ok: boolean
  /** The address that answered, after redirects. */
  url: string
  /** Each address redirected from, in order. */
  redirects: string[]
  headers: http.IncomingHttpHeaders
  /** The media type without parameters, lower case ('' when absent). */
  contentType: string
  body: Buffer
  /** True when `truncate` was asked for and the body was longer than `maxBytes` (it was cut). */
  truncated: boolean
  text(): string
  /** Parses the body as JSON; throws SyntaxError when it is not. */
  json(): unknown
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const DEFAULTS = { timeoutMs: 15_000, maxBytes: 10_000_000, maxRedirects: 5 }

const systemResolver: Resolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true })
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))
}

/** Fetches an outside URL within the limits above; throws FetchError for every refusal or failure. */
export async function fetchExternal(
  input: string | URL,
  options: FetchOptions = {},
): Promise<FetchedResponse> {
  const limits = { ...DEFAULTS, ...stripUndefined(options) }
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort('timeout'), limits.timeoutMs)
  const onOuterAbort = () => controller.abort('aborted')
  options.signal?.addEventListener('abort', onOuterAbort, { once: true })
  if (options.signal?.aborted) controller.abort('aborted')
  let url = parse(String(input))
  const redirects: string[] = []
  let headers = { ...options.headers }
  try {
    for (;;) {
      const res = await exchange(url, headers, options, limits.maxBytes, controller.signal)
      const location = res.headers.location
      if (!REDIRECTS.has(res.status) || !location || options.method === 'POST')
        return response(res, url, redirects)
      if (redirects.length >= limits.maxRedirects)
        throw new FetchError('too-many-redirects', url.href, `more than ${limits.maxRedirects} redirects`)
      let next: URL
      try {
        next = new URL(location, url)
      } catch {
        throw new FetchError(
          'bad-redirect',
          url.href,
          `redirect to an invalid address: ${location.slice(0, 200)}`,
        )
      }
      checkUrl(next)
      if (next.origin !== url.origin) headers = withoutCredentials(headers)
      redirects.push(url.href)
      url = next
    }
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onOuterAbort)
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

function parse(input: string): URL {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new FetchError('invalid-url', input.slice(0, 500), 'not a valid absolute address')
  }
  checkUrl(url)
  return url
}

function checkUrl(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchError(
      'unsupported-scheme',
      url.href,
      `${url.protocol} addresses are not fetched (only http and https)`,
    )
  if (url.username || url.password)
    throw new FetchError('credentials-in-url', url.href, 'addresses with a user name or password are refused')
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([k]) => !['authorization', 'cookie'].includes(k.toLowerCase())),
  )
}

interface Exchange {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  truncated: boolean
}

/** The addresses this URL may be fetched from, all checked against the policy. */
async function checkedAddresses(
  url: URL,
  options: FetchOptions,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const literal = isIP(host)
  let addresses: ResolvedAddress[]
  if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }]
  else if (options.onlyLoopback && host.toLowerCase() !== 'localhost')
    throw new FetchError('blocked-address', url.href, `${host} is a non-loopback address (test run)`)
  else {
    try {
      addresses = await abortable((options.resolve ?? systemResolver)(host), signal)
    } catch (e) {
      if (signal.aborted) throw aborted(url, signal)
      throw new FetchError(
        'dns',
        url.href,
        `${host} could not be resolved (${(e as NodeJS.ErrnoException).code ?? e})`,
      )
    }
    if (addresses.length === 0) throw new FetchError('dns', url.href, `${host} has no address`)
  }
  for (const a of addresses) {
    const refused = options.onlyLoopback ? nonLoopback(a.address) : refusedAddress(a.address, options)
    if (refused)
      throw new FetchError(
        'blocked-address',
        url.href,
        options.onlyLoopback
          ? `${host} is a non-loopback address (test run)`
          : literal
            ? `${host} is a ${refused} address`
            : `${host} resolves to a ${refused} address (${a.address})`,
        refused,
      )
  }
  return addresses
}

/** With `onlyLoopback`: null for a loopback address, else its class (a public one is `reserved` here). */
function nonLoopback(address: string): AddressClass | null {
  const cls = classifyAddress(address)
  return cls === 'loopback' ? null : (cls ?? 'reserved')
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function aborted(url: URL, signal: AbortSignal): FetchError {
  return signal.reason === 'aborted'
    ? new FetchError('aborted', url.href, 'the fetch was cancelled')
    : new FetchError('timeout', url.href, 'no complete answer within the time limit')
}

async function exchange(
  url: URL,
  headers: Record<string, string>,
  options: FetchOptions,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Exchange> {
  const addresses = await checkedAddresses(url, options, signal)
  // The socket asks this lookup, which answers only with the addresses checked above.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, addresses)
    else callback(null, addresses[0]!.address, addresses[0]!.family)
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise<Exchange>((resolve, reject) => {
    const fail = (e: unknown) => reject(translate(e, url, signal))
    const req = client.request(url, {
      method: options.method ?? 'GET',
      headers: {
        'user-agent': 'LearnCity',
        accept: '*/*',
        'accept-encoding': 'gzip, deflate, br',
        ...headers,
        ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }),
      },
      lookup: pinned,
      // No pooled connection: each request connects to the addresses checked for it.
      agent: false,
      ...(options.ca && url.protocol === 'https:' ? { ca: options.ca as string | string[] } : {}),
      signal,
    })
    req.on('error', fail)
    req.on('response', (res) => {
      const status = res.statusCode ?? 0
      if (options.method === 'HEAD' || REDIRECTS.has(status)) {
        res.resume()
        res.on('end', () =>
          resolve({ status, headers: res.headers, body: Buffer.alloc(0), truncated: false }),
        )
        res.on('error', fail)
        return
      }
      const declared = Number(res.headers['content-length'])
      const encoding = String(res.headers['content-encoding'] ?? 'identity')
        .toLowerCase()
        .trim()
      if (encoding === 'identity' && declared > maxBytes && !options.truncate) {
        res.destroy()
        return reject(tooLarge(url, maxBytes))
      }
      const decoder = decoderFor(encoding)
      if (decoder === undefined) {
        res.destroy()
        return reject(
          new FetchError('bad-encoding', url.href, `unknown content encoding "${encoding.slice(0, 40)}"`),
        )
      }
      const stream: Readable = decoder ? res.pipe(decoder) : res
      if (decoder) res.on('error', (e) => decoder.destroy(e))
      readLimited(stream, maxBytes, options.truncate === true).then(
        ({ body, truncated }) => {
          if (truncated) res.destroy()
          resolve({ status, headers: res.headers, body, truncated })
        },
        (e) => {
          res.destroy()
          reject(e === TOO_LARGE ? tooLarge(url, maxBytes) : translate(e, url, signal))
        },
      )
    })
    req.end(options.body)
  })
}

function decoderFor(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null | undefined {
  if (encoding === 'identity' || encoding === '') return null
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip()
  if (encoding === 'deflate') return zlib.createInflate()
  if (encoding === 'br') return zlib.createBrotliDecompress()
  return undefined
}

const TOO_LARGE = Symbol('too large')

async function readLimited(
  stream: Readable,
  maxBytes: number,
  truncate: boolean,
): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const piece = chunk as Buffer
    if (size + piece.length > maxBytes) {
      if (!truncate) {
        stream.destroy()
        throw TOO_LARGE
      }
      chunks.push(piece.subarray(0, maxBytes - size))
      // Leaving the loop ends (destroys) the stream: nothing more is read.
      return { body: Buffer.concat(chunks, maxBytes), truncated: true }
    }
    size += piece.length
    chunks.push(piece)
  }
  return { body: Buffer.concat(chunks, size), truncated: false }
}

function tooLarge(url: URL, maxBytes: number): FetchError {
  return new FetchError('too-large', url.href, `the answer is larger than ${maxBytes} bytes`)
}

function translate(e: unknown, url: URL, signal: AbortSignal): FetchError {
  if (e instanceof FetchError) return e
  if (signal.aborted) return aborted(url, signal)
  const err = e as NodeJS.ErrnoException
  const code = err.code ?? ''
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_|DEPTH_ZERO/.test(code))
    return new FetchError('tls', url.href, `the secure connection failed (${code})`)
  if (code.startsWith('Z_') || code.startsWith('ERR__ERROR') || code.includes('BROTLI'))
    return new FetchError('bad-encoding', url.href, `the compressed answer is damaged (${code})`)
  return new FetchError('network', url.href, `the connection failed (${code || err.message})`)
}

function response(res: Exchange, url: URL, redirects: string[]): FetchedResponse {
  const type = String(res.headers['content-type'] ?? '')
  return {
    status: res.status,
    ok: res.status >= 200 && res.status < 300,
    url: url.href,
    redirects,
    headers: res.headers,
    contentType: type.split(';')[0]!.trim().toLowerCase(),
    body: res.body,
    truncated: res.truncated,
    text: () => res.body.toString('utf8').replace(/^\uFEFF/, ''),
    json() {
      return JSON.parse(this.text())
    },
  }
}
