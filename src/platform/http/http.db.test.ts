import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'

describe.each(engines)('HTTP platform on %s', (engine) => {
  let t: TestPlatform
  beforeAll(async () => {
    t = await testPlatform(engine)
  })
  afterAll(() => t.close())

  it('reports health with the database kind and version', async () => {
    const res = await t.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', database: engine, version: expect.any(String) })
  })

  it('publishes an OpenAPI 3.1 document and a readable page of it', async () => {
    const doc = await (await t.app.request('/api/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/api/v1/cities']))
    const page = await t.app.request('/api/docs')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('/api/v1/cities/{city}/districts')
  })

  it('answers unknown API paths with problem+json', async () => {
    const res = await t.app.request('/api/v1/nothing-here')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(await res.json()).toMatchObject({
      status: 404,
      title: 'Not found',
      instance: '/api/v1/nothing-here',
    })
  })

  it('lists every invalid field in a problem+json 422', async () => {
    const res = await t.app.request('/api/v1/cities/chicago/districts?format=xml')
    expect(res.status).toBe(422)
    const body = await res.json()
    expect(body.errors).toEqual([{ field: '/format', detail: expect.stringContaining('json') }])
  })

  it('rejects oversized bodies with 413', async () => {
    const res = await t.app.request('/en/account/sign-in', {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 10),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(413)
  })

  it('sends a nonce-based CSP and other secure headers on pages', async () => {
    const res = await t.app.request('/en')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const html = await res.text()
    const nonce = /nonce-([A-Za-z0-9+/=]+)/.exec(csp)?.[1]
    expect(html).toContain(`nonce="${nonce}"`)
  })

  it('serves static files by exact path only', async () => {
    const css = await t.app.request('/static/app.css')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    const etag = css.headers.get('etag')!
    expect((await t.app.request('/static/app.css', { headers: { 'if-none-match': etag } })).status).toBe(304)
    expect((await t.app.request('/static/demo/learning.svg')).headers.get('content-type')).toBe(
      'image/svg+xml',
    )
    for (const path of [
      '/static/../config.ts',
      '/static/%2e%2e/%2e%2e/package.json',
      '/static/..%2f..%2fpackage.json',
    ]) {
      expect((await t.app.request(path)).status).toBe(404)
    }
  })

  it('shows a translated 404 page for unknown pages', async () => {
    const res = await t.app.request('/es/no-such-city')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('<html lang="es"')
  })
})
