import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addressBlocked, safeFetch } from './safe-fetch.ts'

/** A local server on 127.0.0.1: the only address these tests ever reach. */
let server: http.Server
let base: string
const loopback = { allowLoopback: true }

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/'
    if (path === '/ok') return res.end('fine')
    if (path === '/missing') return res.writeHead(404).end('no')
    if (path === '/slow') return // never answers
    if (path === '/to-private') return res.writeHead(302, { location: 'http://10.0.0.1/secret' }).end()
    if (path === '/to-metadata')
      return res.writeHead(301, { location: 'http://169.254.169.254/latest/' }).end()
    if (path === '/to-file') return res.writeHead(302, { location: 'file:///etc/passwd' }).end()
    if (path === '/to-ok') return res.writeHead(302, { location: '/ok' }).end()
    if (path === '/loop') return res.writeHead(302, { location: '/loop' }).end()
    if (path === '/big') return res.end(Buffer.alloc(200_000, 97))
    res.writeHead(500).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

describe('addressBlocked', () => {
  it('refuses loopback, private, link-local and reserved addresses, IPv4 and IPv6', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ])
      expect(addressBlocked(a), a).not.toBeNull()
    for (const a of ['93.184.215.14', '8.8.8.8', '2606:4700::1111']) expect(addressBlocked(a), a).toBeNull()
  })

  it('lets loopback through only when asked, and private only with allowPrivate', () => {
    expect(addressBlocked('127.0.0.1', loopback)).toBeNull()
    expect(addressBlocked('10.0.0.1', loopback)).not.toBeNull()
    expect(addressBlocked('10.0.0.1', { allowPrivate: true })).toBeNull()
    expect(addressBlocked('8.8.8.8', { onlyLoopback: true })).not.toBeNull()
  })
})

describe('safeFetch', () => {
  it('fetches a page and follows a redirect on the same server', async () => {
    const res = await safeFetch(`${base}/to-ok`, loopback)
    expect(res).toMatchObject({ ok: true, status: 200, url: `${base}/ok` })
    if (res.ok) expect(res.body.toString()).toBe('fine')
  })

  it('reports a 404 as a status, not an error', async () => {
    expect(await safeFetch(`${base}/missing`, loopback)).toMatchObject({ ok: true, status: 404 })
  })

  it('refuses loopback unless allowed', async () => {
    expect(await safeFetch(`${base}/ok`)).toMatchObject({ ok: false, error: 'blocked-address' })
    expect(await safeFetch('http://localhost:9/')).toMatchObject({ ok: false, error: 'blocked-address' })
  })

  it('refuses a redirect to a private or metadata address without connecting to it', async () => {
    expect(await safeFetch(`${base}/to-private`, loopback)).toMatchObject({
      ok: false,
      error: 'blocked-address',
      url: 'http://10.0.0.1/secret',
    })
    expect(await safeFetch(`${base}/to-metadata`, loopback)).toMatchObject({
      ok: false,
      error: 'blocked-address',
    })
  })

  it('refuses other schemes, also after a redirect', async () => {
    expect(await safeFetch('file:///etc/passwd')).toMatchObject({ ok: false, error: 'unsupported-scheme' })
    expect(await safeFetch(`${base}/to-file`, loopback)).toMatchObject({
      ok: false,
      error: 'unsupported-scheme',
    })
    expect(await safeFetch('not a url')).toMatchObject({ ok: false, error: 'invalid-url' })
  })

  it('gives up after the time limit', async () => {
    const started = Date.now()
    expect(await safeFetch(`${base}/slow`, { ...loopback, timeoutMs: 300 })).toMatchObject({
      ok: false,
      error: 'timeout',
    })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('stops following endless redirects', async () => {
    expect(await safeFetch(`${base}/loop`, { ...loopback, maxRedirects: 3 })).toMatchObject({
      ok: false,
      error: 'too-many-redirects',
    })
  })

  it('reads no more of a body than allowed', async () => {
    const res = await safeFetch(`${base}/big`, { ...loopback, maxBytes: 1000 })
    expect(res).toMatchObject({ ok: true, truncated: true })
    if (res.ok) expect(res.body.length).toBe(1000)
  })
})
