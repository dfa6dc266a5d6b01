import type { App } from '../src/platform/module.ts'

/**
 * A tiny browser for app.request(): keeps cookies, reads the CSRF field from the last page and
 * posts forms the way a browser without JavaScript would.
 */
export class Agent {
  cookies = new Map<string, string>()
  lastHtml = ''

  constructor(
    private readonly app: App,
    private readonly ip = '203.0.113.7',
  ) {}

  private store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  private headers(extra: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    return { ...(cookie ? { cookie } : {}), 'user-agent': 'test-agent/1.0', ...extra }
  }

  async get(path: string): Promise<Response> {
    const res = await this.app.request(
      path,
      { headers: this.headers() },
      { incoming: { socket: { remoteAddress: this.ip } } },
    )
    this.store(res)
    if ((res.headers.get('content-type') ?? '').includes('text/html'))
      this.lastHtml = await res.clone().text()
    return res
  }

  /** The CSRF token of the last HTML page fetched. */
  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml)
    if (!m?.[1]) throw new Error('No CSRF field on the last page')
    return m[1]
  }

  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: string | false } = {},
  ): Promise<Response> {
    const body = new URLSearchParams(fields)
    const token = options.csrf === undefined ? this.csrf() : options.csrf
    if (token) body.set('_csrf', token)
    const res = await this.app.request(
      path,
      {
        method: 'POST',
        body: body.toString(),
        headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      },
      { incoming: { socket: { remoteAddress: this.ip } } },
    )
    this.store(res)
    if ((res.headers.get('content-type') ?? '').includes('text/html'))
      this.lastHtml = await res.clone().text()
    return res
  }

  /** GET a form page, then post it with the page's CSRF token. */
  async submit(path: string, fields: Record<string, string>, formPage = path): Promise<Response> {
    await this.get(formPage)
    return this.post(path, fields)
  }
}
