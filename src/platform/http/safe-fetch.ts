import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { BlockList, isIP } from 'node:net'

/**
 * Fetching addresses that people typed (resource links, feeds) without letting them reach the
 * install's own network (SSRF): http(s) only; every resolved address is checked and the connection
 * goes to the checked address (no second DNS answer); each redirect is checked again; time and size
 * are bounded.
 */

export interface SafeFetchOptions {
  method?: 'GET' | 'HEAD'
  /** Whole request, redirects included (default 10 s). */
  timeoutMs?: number
  /** Bytes of body kept; the rest is not read (default 1 MB). */
  maxBytes?: number
  /** Redirects followed (default 5). */
  maxRedirects?: number
  /** Allow 127.0.0.0/8 and ::1 (tests against a local server). */
  allowLoopback?: boolean
  /** Allow every private, link-local and reserved address too. */
  allowPrivate?: boolean
  /** Refuse every address but loopback (test runs, which must never leave the machine). */
  onlyLoopback?: boolean
  headers?: Record<string, string>
}

export type SafeFetchError =
  | 'invalid-url'
  | 'unsupported-scheme'
  | 'blocked-address'
  | 'dns'
  | 'timeout'
  | 'too-many-redirects'
  | 'network'

export type SafeFetchResult =
  | {
      ok: true
      status: number
      /** The address finally answered, after redirects. */
      url: string
      headers: http.IncomingHttpHeaders
      body: Buffer
      /** True when the body was longer than maxBytes and was cut. */
      truncated: boolean
    }
  | { ok: false; error: SafeFetchError; url: string; detail: string }

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/** Private, link-local, shared, documentation, multicast and reserved ranges (IANA special-purpose). */
const PRIVATE = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6')

/** Why an address may not be fetched, or null when it may. */
export function addressBlocked(
  address: string,
  options: Pick<SafeFetchOptions, 'allowLoopback' | 'allowPrivate' | 'onlyLoopback'> = {},
): string | null {
  let family = isIP(address)
  if (family === 0) return 'not an IP address'
  let ip = address
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped?.[1]) {
    ip = mapped[1]
    family = 4
  }
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (options.onlyLoopback) return LOOPBACK.check(ip, type) ? null : 'non-loopback address (test run)'
  if (LOOPBACK.check(ip, type))
    return options.allowLoopback || options.allowPrivate ? null : 'loopback address'
  if (PRIVATE.check(ip, type)) return options.allowPrivate ? null : 'private or reserved address'
  return null
}

class Refused extends Error {
  constructor(
    readonly kind: SafeFetchError,
    message: string,
  ) {
    super(message)
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

/** A DNS lookup that refuses blocked addresses, handed to the socket so it connects to what we checked. */
function checkedLookup(options: SafeFetchOptions) {
  return (hostname: string, lookupOptions: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, [])
      if (addresses.length === 0) return callback(new Refused('dns', `no address for ${hostname}`), [])
      for (const a of addresses) {
        const why = addressBlocked(a.address, options)
        if (why) return callback(new Refused('blocked-address', `${hostname} resolves to a ${why}`), [])
      }
      if (lookupOptions.all) return callback(null, addresses)
      const first = addresses[0]!
      callback(null, first.address, first.family)
    })
  }
}

interface Hop {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  truncated: boolean
}

function request(url: URL, options: SafeFetchOptions, deadline: number): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (isIP(host)) {
      const why = addressBlocked(host, options)
      if (why) return reject(new Refused('blocked-address', `${host} is a ${why}`))
    } else if (options.onlyLoopback && host !== 'localhost') {
      // Not even a DNS question leaves the machine.
      return reject(new Refused('blocked-address', `${host} is a non-loopback address (test run)`))
    }
    const remaining = deadline - Date.now()
    if (remaining <= 0) return reject(new Refused('timeout', 'time ran out'))
    const client = url.protocol === 'https:' ? https : http
    const maxBytes = options.maxBytes ?? 1_000_000
    const req = client.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: { 'user-agent': 'LearnCity link checker', accept: '*/*', ...options.headers },
        lookup: checkedLookup(options) as never,
        // No connection reuse: every request is looked up and checked afresh.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        let truncated = false
        res.on('data', (chunk: Buffer) => {
          if (truncated) return
          const room = maxBytes - size
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room))
            size = maxBytes
            truncated = true
            res.destroy()
            finish()
            return
          }
          chunks.push(chunk)
          size += chunk.length
        })
        const finish = () => {
          clearTimeout(timer)
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            truncated,
          })
        }
        res.on('end', finish)
        res.on('error', (e) => (truncated ? undefined : reject(e)))
      },
    )
    const timer = setTimeout(
      () => req.destroy(new Refused('timeout', `no answer within the time limit`)),
      remaining,
    )
    req.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    req.end()
  })
}

/** Fetches a URL that came from outside, within the limits above; never throws for network trouble. */
export async function safeFetch(input: string, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  const maxRedirects = options.maxRedirects ?? 5
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return { ok: false, error: 'invalid-url', url: input, detail: 'not a valid address' }
  }
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return {
        ok: false,
        error: 'unsupported-scheme',
        url: url.href,
        detail: `${url.protocol} is not http(s)`,
      }
    if (url.username || url.password)
      return {
        ok: false,
        error: 'invalid-url',
        url: url.href,
        detail: 'addresses with credentials are refused',
      }
    let res: Hop
    try {
      res = await request(url, options, deadline)
    } catch (e) {
      if (e instanceof Refused) return { ok: false, error: e.kind, url: url.href, detail: e.message }
      const code = (e as NodeJS.ErrnoException).code
      const error: SafeFetchError = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns' : 'network'
      return { ok: false, error, url: url.href, detail: code ?? (e as Error).message }
    }
    const location = res.headers.location
    if (res.status >= 300 && res.status < 400 && location) {
      if (hop >= maxRedirects)
        return { ok: false, error: 'too-many-redirects', url: url.href, detail: `more than ${maxRedirects}` }
      try {
        url = new URL(location, url)
      } catch {
        return { ok: false, error: 'invalid-url', url: location, detail: 'redirect to an invalid address' }
      }
      continue
    }
    return {
      ok: true,
      status: res.status,
      url: url.href,
      headers: res.headers,
      body: res.body,
      truncated: res.truncated,
    }
  }
}
