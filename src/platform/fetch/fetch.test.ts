import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  classifyAddress,
  FetchError,
  type FetchOptions,
  fetchExternal,
  parseAddressPolicy,
  refusedAddress,
} from './index.ts'

/** Real local servers on 127.0.0.1: the only addresses these tests ever reach. */
let server: http.Server
let base: string
let port: number
let tlsServer: https.Server
let tlsPort: number
const seenHeaders: http.IncomingHttpHeaders[] = []
const loopback: FetchOptions = { allowLoopback: true }

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/'
    seenHeaders.push(req.headers)
    if (path === '/ok')
      return res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"a":1}')
    if (path === '/missing') return res.writeHead(404).end('no')
    if (path === '/slow') return res.writeHead(200).write('a') // never ends
    if (path === '/silent') return // never answers
    if (path === '/to-private') return res.writeHead(302, { location: 'http://10.0.0.1/secret' }).end()
    if (path === '/to-metadata')
      return res.writeHead(301, { location: 'http://169.254.169.254/latest/' }).end()
    if (path === '/to-mapped') return res.writeHead(307, { location: 'http://[::ffff:7f00:1]/ok' }).end()
    if (path === '/to-file') return res.writeHead(302, { location: 'file:///etc/passwd' }).end()
    if (path === '/to-ok') return res.writeHead(302, { location: '/ok' }).end()
    if (path === '/to-other-origin')
      return res.writeHead(302, { location: `http://localhost:${port}/ok` }).end()
    if (path.startsWith('/chain/')) {
      const n = Number(path.slice(7))
      return res.writeHead(302, { location: n > 0 ? `/chain/${n - 1}` : '/ok' }).end()
    }
    if (path === '/big') return res.end(Buffer.alloc(200_000, 97))
    if (path === '/big-chunked') {
      // No content-length: the limit must hold while reading.
      res.writeHead(200)
      for (let i = 0; i < 50; i++) res.write(Buffer.alloc(10_000, 97))
      return res.end()
    }
    if (path === '/gzip')
      return res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.from('compressed hello')))
    if (path === '/bomb')
      // 40 kB on the wire, 40 MB once inflated.
      return res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(40_000_000)))
    if (path === '/bad-gzip') return res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all')
    if (path === '/weird-encoding') return res.writeHead(200, { 'content-encoding': 'zstd-x' }).end('x')
    res.writeHead(500).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  port = (server.address() as AddressInfo).port
  base = `http://127.0.0.1:${port}`

  // A self-signed certificate nobody trusts: the fetcher must refuse it as a TLS failure.
  const dir = mkdtempSync(join(tmpdir(), 'fetch-tls-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=feed.test',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  )
  tlsServer = https.createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (_req, res) => res.end('secret'),
  )
  rmSync(dir, { recursive: true })
  tlsServer.listen(0, '127.0.0.1')
  await once(tlsServer, 'listening')
  tlsPort = (tlsServer.address() as AddressInfo).port
})

afterAll(() => {
  server.closeAllConnections()
  server.close()
  tlsServer.closeAllConnections()
  tlsServer.close()
})

async function failure(url: string, options: FetchOptions = loopback): Promise<FetchError> {
  try {
    await fetchExternal(url, options)
  } catch (e) {
    if (e instanceof FetchError) return e
    throw e
  }
  throw new Error(`${url} was fetched but should have been refused`)
}

describe('address classes', () => {
  it('names every non-public class and passes ordinary public addresses', () => {
    const cases: [string, string | null][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['fe80::1', 'link-local'],
      ['fd00::1', 'unique-local'],
      ['fc12::7', 'unique-local'],
      ['100.64.0.1', 'carrier-grade-nat'],
      ['224.0.0.1', 'multicast'],
      ['ff02::1', 'multicast'],
      ['::ffff:127.0.0.1', 'ipv4-mapped'],
      ['::ffff:7f00:1', 'ipv4-mapped'],
      ['64:ff9b::a00:1', 'ipv4-mapped'],
      ['2002:a00:1::', 'ipv4-mapped'],
      ['0.0.0.0', 'reserved'],
      ['::', 'reserved'],
      ['255.255.255.255', 'reserved'],
      ['192.0.2.1', 'reserved'],
      ['240.0.0.1', 'reserved'],
      ['93.184.215.14', null],
      ['8.8.8.8', null],
      ['2606:4700::1111', null],
    ]
    for (const [address, expected] of cases) expect(classifyAddress(address), address).toBe(expected)
  })

  it('lets loopback through only when the operator allows it, and private ranges only with private', () => {
    expect(refusedAddress('127.0.0.1')).toBe('loopback')
    expect(refusedAddress('127.0.0.1', { allowLoopback: true })).toBeNull()
    expect(refusedAddress('10.0.0.1', { allowLoopback: true })).toBe('private')
    expect(refusedAddress('10.0.0.1', { allowPrivate: true })).toBeNull()
    expect(refusedAddress('fd00::1', { allowPrivate: true })).toBeNull()
    expect(refusedAddress('100.64.0.1', { allowPrivate: true })).toBeNull()
    // Never allowed, whatever the operator says.
    for (const a of ['224.0.0.1', '::ffff:127.0.0.1', '0.0.0.0'])
      expect(refusedAddress(a, { allowLoopback: true, allowPrivate: true }), a).not.toBeNull()
  })

  it('reads the operator setting and names words it does not know', () => {
    expect(parseAddressPolicy(undefined)).toEqual({
      policy: { allowLoopback: false, allowPrivate: false },
      unknown: [],
    })
    expect(parseAddressPolicy('loopback, Private')).toEqual({
      policy: { allowLoopback: true, allowPrivate: true },
      unknown: [],
    })
    expect(parseAddressPolicy('loopback,everything').unknown).toEqual(['everything'])
  })
})

describe('fetchExternal', () => {
  it('fetches from a local server when loopback is allowed, with the final address and media type', async () => {
    const res = await fetchExternal(`${base}/ok`, loopback)
    expect(res.status).toBe(200)
    expect(res.ok).toBe(true)
    expect(res.contentType).toBe('application/json')
    expect(res.json()).toEqual({ a: 1 })
    const missing = await fetchExternal(`${base}/missing`, loopback)
    expect(missing.status).toBe(404)
    expect(missing.ok).toBe(false)
  })

  it('refuses loopback by default, before connecting', async () => {
    const before = seenHeaders.length
    const e = await failure(`${base}/ok`, {})
    expect(e.code).toBe('blocked-address')
    expect(e.addressClass).toBe('loopback')
    expect(seenHeaders.length).toBe(before)
  })

  it('refuses names that resolve to a blocked address, and names with any blocked address among several', async () => {
    const e = await failure(`http://localhost:${port}/ok`, {})
    expect(e.code).toBe('blocked-address')
    expect(e.message).toMatch(/localhost resolves to a loopback address/)
    const mixed = await failure(`http://feed.test:${port}/ok`, {
      allowLoopback: true,
      resolve: async () => [
        { address: '127.0.0.1', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ],
    })
    expect(mixed.code).toBe('blocked-address')
    expect(mixed.addressClass).toBe('private')
  })

  it('connects to the address it checked: a resolver that changes its answer (DNS rebinding) is asked once', async () => {
    let asked = 0
    const rebinding: FetchOptions = {
      allowLoopback: true,
      resolve: async () => {
        asked++
        // First answer allowed; every later answer would point into the private network.
        return [{ address: asked === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }]
      },
    }
    const before = seenHeaders.length
    const res = await fetchExternal(`http://feed.test:${port}/ok`, rebinding)
    expect(res.json()).toEqual({ a: 1 })
    expect(asked).toBe(1)
    expect(seenHeaders[before]?.host).toBe(`feed.test:${port}`)
  })

  it('refuses IP literals of every blocked class, written in any form the URL parser accepts', async () => {
    for (const url of [
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fd00::1]/',
      'http://100.64.1.1/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0.0.0.0/',
      'http://[::]/',
      'http://224.0.0.1/',
    ]) {
      const e = await failure(url, {})
      expect(e.code, url).toBe('blocked-address')
    }
  })

  it('refuses other schemes and addresses with credentials', async () => {
    expect((await failure('file:///etc/passwd')).code).toBe('unsupported-scheme')
    expect((await failure('gopher://127.0.0.1/')).code).toBe('unsupported-scheme')
    expect((await failure('ftp://example.org/')).code).toBe('unsupported-scheme')
    expect((await failure(`http://user:pw@127.0.0.1:${port}/ok`)).code).toBe('credentials-in-url')
    expect((await failure('not a url')).code).toBe('invalid-url')
  })

  it('checks every redirect hop again', async () => {
    expect((await failure(`${base}/to-private`)).code).toBe('blocked-address')
    expect((await failure(`${base}/to-metadata`)).addressClass).toBe('link-local')
    expect((await failure(`${base}/to-mapped`)).addressClass).toBe('ipv4-mapped')
    expect((await failure(`${base}/to-file`)).code).toBe('unsupported-scheme')
    const ok = await fetchExternal(`${base}/to-ok`, loopback)
    expect(ok.json()).toEqual({ a: 1 })
    expect(ok.url).toBe(`${base}/ok`)
    expect(ok.redirects).toEqual([`${base}/to-ok`])
  })

  it('follows at most maxRedirects hops', async () => {
    const ok = await fetchExternal(`${base}/chain/4`, loopback)
    expect(ok.redirects).toHaveLength(5)
    const e = await failure(`${base}/chain/5`)
    expect(e.code).toBe('too-many-redirects')
    expect((await failure(`${base}/chain/1`, { ...loopback, maxRedirects: 1 })).code).toBe(
      'too-many-redirects',
    )
  })

  it('drops credentials when a redirect leaves the origin, keeps other headers', async () => {
    const before = seenHeaders.length
    await fetchExternal(`${base}/to-other-origin`, {
      ...loopback,
      headers: { authorization: 'Bearer secret', 'x-feed': 'yes' },
    })
    const [first, second] = seenHeaders.slice(before)
    expect(first?.authorization).toBe('Bearer secret')
    expect(second?.authorization).toBeUndefined()
    expect(second?.['x-feed']).toBe('yes')
  })

  it('stops at the size limit, declared or not, and counts bytes after decompression', async () => {
    expect((await failure(`${base}/big`, { ...loopback, maxBytes: 100_000 })).code).toBe('too-large')
    expect((await failure(`${base}/big-chunked`, { ...loopback, maxBytes: 100_000 })).code).toBe('too-large')
    expect((await failure(`${base}/bomb`, { ...loopback, maxBytes: 1_000_000 })).code).toBe('too-large')
    expect((await fetchExternal(`${base}/big`, { ...loopback, maxBytes: 200_000 })).body.length).toBe(200_000)
  })

  it('with truncate, keeps the first maxBytes of a longer body instead of failing, plain or compressed', async () => {
    const big = await fetchExternal(`${base}/big`, { ...loopback, maxBytes: 1000, truncate: true })
    expect({ status: big.status, length: big.body.length, truncated: big.truncated }).toEqual({
      status: 200,
      length: 1000,
      truncated: true,
    })
    const chunked = await fetchExternal(`${base}/big-chunked`, {
      ...loopback,
      maxBytes: 15_000,
      truncate: true,
    })
    expect({ length: chunked.body.length, truncated: chunked.truncated }).toEqual({
      length: 15_000,
      truncated: true,
    })
    const bomb = await fetchExternal(`${base}/bomb`, { ...loopback, maxBytes: 1_000_000, truncate: true })
    expect({ length: bomb.body.length, truncated: bomb.truncated }).toEqual({
      length: 1_000_000,
      truncated: true,
    })
    const whole = await fetchExternal(`${base}/ok`, { ...loopback, maxBytes: 1000, truncate: true })
    expect(whole.truncated).toBe(false)
    expect(whole.json()).toEqual({ a: 1 })
  })

  it('with onlyLoopback, reaches loopback only: no other literal, no name but localhost is looked up', async () => {
    let asked = 0
    const only: FetchOptions = {
      onlyLoopback: true,
      resolve: async () => {
        asked++
        return [{ address: '127.0.0.1', family: 4 }]
      },
    }
    expect((await fetchExternal(`${base}/ok`, only)).json()).toEqual({ a: 1 })
    expect((await fetchExternal(`http://localhost:${port}/ok`, only)).status).toBe(200)
    expect(asked).toBe(1)
    for (const url of ['http://93.184.215.14/', 'http://[2606:4700::1111]/', 'http://10.0.0.1/']) {
      const e = await failure(url, only)
      expect(e.code, url).toBe('blocked-address')
      expect(e.message, url).toMatch(/non-loopback address \(test run\)/)
    }
    const named = await failure('https://example.org/', only)
    expect(named.message).toBe('example.org is a non-loopback address (test run)')
    expect(asked).toBe(1)
    // The public-address allowance of the ordinary policy does not widen it, and redirects are held to it.
    expect((await failure(`${base}/to-private`, { ...only, allowPrivate: true })).code).toBe(
      'blocked-address',
    )
  })

  it('decompresses gzip and names damaged or unknown encodings', async () => {
    expect((await fetchExternal(`${base}/gzip`, loopback)).text()).toBe('compressed hello')
    expect((await failure(`${base}/bad-gzip`)).code).toBe('bad-encoding')
    expect((await failure(`${base}/weird-encoding`)).code).toBe('bad-encoding')
  })

  it('gives up at the time limit, whether the server is silent or slow to finish', async () => {
    const started = Date.now()
    expect((await failure(`${base}/silent`, { ...loopback, timeoutMs: 300 })).code).toBe('timeout')
    expect((await failure(`${base}/slow`, { ...loopback, timeoutMs: 300 })).code).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('can be cancelled by the caller', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    expect((await failure(`${base}/silent`, { ...loopback, signal: controller.signal })).code).toBe('aborted')
  })

  it('names refused connections and untrusted certificates', async () => {
    const closed = http.createServer()
    closed.listen(0, '127.0.0.1')
    await once(closed, 'listening')
    const closedPort = (closed.address() as AddressInfo).port
    closed.close()
    await once(closed, 'close')
    expect((await failure(`http://127.0.0.1:${closedPort}/`)).code).toBe('network')
    const tls = await failure(`https://feed.test:${tlsPort}/`, {
      allowLoopback: true,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    expect(tls.code).toBe('tls')
  })
})
