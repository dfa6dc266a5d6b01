import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { linkIn, startTestSmtp, type TestSmtp } from '../../../test/smtp.ts'
import { firstRow, rows, sql } from '../../platform/db/index.ts'
import { LIMITS } from './accounts.ts'
import { createVerifiedUser } from './index.ts'
import { safeNext } from './pages.tsx'

const PASSWORD = 'correct horse battery staple'
let n = 0
const uniqueEmail = () => `learner${Date.now()}${n++}@example.org`

describe('safeNext', () => {
  it('follows only same-site paths', () => {
    expect(safeNext('/en/chicago', 'en')).toBe('/en/chicago')
    expect(safeNext('//evil.example/x', 'en')).toBe('/en')
    expect(safeNext('https://evil.example', 'fr')).toBe('/fr')
    expect(safeNext('/\\evil.example', 'en')).toBe('/en')
    expect(safeNext(undefined, 'ar')).toBe('/ar')
  })
})

describe.each(engines)('accounts on %s', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  beforeAll(async () => {
    smtp = await startTestSmtp()
    t = await testPlatform(engine, { SMTP_URL: smtp.url, PUBLIC_URL: 'http://learn.test' })
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })
  beforeEach(async () => {
    await t.platform.db.execute(sql`delete from rate_limits`)
  })

  async function mailTo(email: string, path: string) {
    await t.platform.jobs.drain()
    return smtp.waitFor(email, 5000, (m) => m.text.includes(path))
  }

  async function signUpAndVerify(agent: Agent, email: string) {
    const res = await agent.submit('/en/account/sign-up', { displayName: 'Amina', email, password: PASSWORD })
    expect(res.status).toBe(303)
    const link = new URL(linkIn(await mailTo(email, '/account/verify'), '/account/verify'))
    const verified = await agent.get(link.pathname + link.search)
    expect(verified.status).toBe(200)
  }

  it('signs up, verifies by email, signs in, shows the account, signs out', async () => {
    const agent = new Agent(t.app)
    const email = uniqueEmail()
    const res = await agent.submit('/en/account/sign-up', { displayName: 'Amina', email, password: PASSWORD })
    expect(res.headers.get('location')).toBe('/en/account/check-email')

    // Not verified yet: sign-in refuses and says why.
    const early = await agent.submit('/en/account/sign-in', { email, password: PASSWORD })
    expect(early.status).toBe(400)
    expect(await early.text()).toContain('Confirm your email address first')

    const mail = await mailTo(email, '/account/verify')
    expect(mail.subject).toBe('Confirm your email address')
    const link = new URL(linkIn(mail, '/account/verify'))
    expect(link.origin).toBe('http://learn.test')
    expect(await (await agent.get(link.pathname + link.search)).text()).toContain(
      'Your email address is confirmed',
    )
    // Single use.
    expect((await agent.get(link.pathname + link.search)).status).toBe(400)

    const signIn = await agent.submit('/en/account/sign-in', {
      email: email.toUpperCase(),
      password: PASSWORD,
    })
    expect(signIn.status).toBe(303)
    const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('lc_session='))
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).not.toMatch(/Max-Age/i) // not "remember me": ends with the browser session

    const account = await agent.get('/en/account')
    expect(account.status).toBe(200)
    const html = await account.text()
    expect(html).toContain('Amina')
    expect(html).toContain('test-agent/1.0')

    const out = await agent.post('/en/account/sign-out', {})
    expect(out.headers.get('location')).toBe('/en/account/signed-out')
    const after = await agent.get('/en/account')
    expect(after.status).toBe(303)
    expect(after.headers.get('location')).toBe('/en/account/sign-in?next=%2Fen%2Faccount')
  })

  it('re-renders the form with an error summary and inline errors, keeping what was typed', async () => {
    const agent = new Agent(t.app)
    const res = await agent.submit('/en/account/sign-up', {
      displayName: '',
      email: 'not-an-email',
      password: 'short',
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('class="error-summary" role="alert"')
    for (const field of ['displayName', 'email', 'password']) {
      expect(html).toContain(`href="#${field}"`)
      expect(html).toContain(`id="${field}-error"`)
    }
    expect(html).toContain('value="not-an-email"')
    expect(html).not.toContain('value="short"')
  })

  it('does not reveal whether an email has an account', async () => {
    const email = uniqueEmail()
    await signUpAndVerify(new Agent(t.app), email)

    // Signing up again with the same email looks the same, and warns the owner by mail.
    const again = await new Agent(t.app).submit('/en/account/sign-up', {
      displayName: 'X',
      email,
      password: PASSWORD,
    })
    expect(again.headers.get('location')).toBe('/en/account/check-email')
    expect((await mailTo(email, '/account/forgot-password')).subject).toContain('tried to create an account')

    const wrong = await new Agent(t.app).submit('/en/account/sign-in', {
      email,
      password: 'wrong password 123',
    })
    const unknown = await new Agent(t.app).submit('/en/account/sign-in', {
      email: uniqueEmail(),
      password: 'wrong password 123',
    })
    const message = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0]
    expect(message(await wrong.text())).toBe(message(await unknown.text()))

    const reset1 = await new Agent(t.app).submit('/en/account/forgot-password', { email })
    const reset2 = await new Agent(t.app).submit('/en/account/forgot-password', { email: uniqueEmail() })
    expect(reset1.headers.get('location')).toBe(reset2.headers.get('location'))
  })

  it('resets a password with a single-use link and signs out every session', async () => {
    const email = uniqueEmail()
    const first = new Agent(t.app)
    await signUpAndVerify(first, email)
    await first.submit('/en/account/sign-in', { email, password: PASSWORD })
    expect((await first.get('/en/account')).status).toBe(200)

    await new Agent(t.app).submit('/en/account/forgot-password', { email })
    const link = new URL(linkIn(await mailTo(email, '/account/reset-password'), '/account/reset-password'))
    const token = link.searchParams.get('token')!
    const resetter = new Agent(t.app)
    expect((await resetter.get(link.pathname + link.search)).status).toBe(200)
    const formToken = resetter.csrf()
    const done = await resetter.post('/en/account/reset-password', {
      token,
      password: 'a brand new passphrase',
    })
    expect(await done.text()).toContain('Your password has been changed')

    // The old session is gone, the old password no longer works, the link is spent.
    expect((await first.get('/en/account')).status).toBe(303)
    expect((await new Agent(t.app).submit('/en/account/sign-in', { email, password: PASSWORD })).status).toBe(
      400,
    )
    expect(
      (await new Agent(t.app).submit('/en/account/sign-in', { email, password: 'a brand new passphrase' }))
        .status,
    ).toBe(303)
    expect((await resetter.get(link.pathname + link.search)).status).toBe(400)
    const reuse = await resetter.post(
      '/en/account/reset-password',
      { token, password: 'yet another passphrase' },
      { csrf: formToken },
    )
    expect(reuse.status).toBe(400)
  })

  it('expires reset links', async () => {
    const email = uniqueEmail()
    await signUpAndVerify(new Agent(t.app), email)
    await new Agent(t.app).submit('/en/account/forgot-password', { email })
    const link = new URL(linkIn(await mailTo(email, '/account/reset-password'), '/account/reset-password'))
    await t.platform.db.execute(sql`update email_tokens set expires_at = now() - interval '1 minute'`)
    expect((await new Agent(t.app).get(link.pathname + link.search)).status).toBe(400)
  })

  it('lists my sessions and revokes another device; "remember me" keeps the cookie for 30 days', async () => {
    const email = uniqueEmail()
    await signUpAndVerify(new Agent(t.app), email)
    const phone = new Agent(t.app)
    const laptop = new Agent(t.app)
    const remembered = await phone.submit('/en/account/sign-in', {
      email,
      password: PASSWORD,
      remember: 'on',
    })
    const maxAge = Number(/Max-Age=(\d+)/i.exec(remembered.headers.getSetCookie().join(';'))?.[1])
    expect(maxAge).toBeGreaterThan(29 * 24 * 3600)
    await laptop.submit('/en/account/sign-in', { email, password: PASSWORD })
    const page = await (await laptop.get('/en/account')).text()
    const ids = [...page.matchAll(/\/en\/account\/sessions\/(\d+)\/revoke/g)].map((m) => m[1])
    expect(ids).toHaveLength(1) // the other device; this one cannot revoke itself from the list
    await laptop.post(`/en/account/sessions/${ids[0]}/revoke`, {})
    expect((await phone.get('/en/account')).status).toBe(303)
    expect((await laptop.get('/en/account')).status).toBe(200)
  })

  it('issues a new session id at every sign-in (no fixation) and stores only its hash', async () => {
    const email = uniqueEmail()
    await signUpAndVerify(new Agent(t.app), email)
    const agent = new Agent(t.app)
    agent.cookies.set('lc_session', 'attacker-chosen-value')
    await agent.submit('/en/account/sign-in', { email, password: PASSWORD })
    const first = agent.cookies.get('lc_session')!
    expect(first).not.toBe('attacker-chosen-value')
    await agent.submit('/en/account/sign-in', { email, password: PASSWORD })
    expect(agent.cookies.get('lc_session')).not.toBe(first)
    const stored = await rows<{ token_hash: string }>(t.platform.db, sql`select token_hash from sessions`)
    expect(stored.map((r) => r.token_hash)).not.toContain(first)
  })

  it('refuses state-changing forms without a valid CSRF token', async () => {
    const agent = new Agent(t.app)
    await agent.get('/en/account/sign-in')
    const missing = await agent.post(
      '/en/account/sign-in',
      { email: 'a@example.org', password: 'x' },
      { csrf: false },
    )
    expect(missing.status).toBe(403)
    expect(await missing.text()).toContain('This form has expired')
    const forged = await agent.post(
      '/en/account/sign-up',
      { email: 'a@example.org', password: 'x' },
      { csrf: 'forged' },
    )
    expect(forged.status).toBe(403)
    // A token from another browser (another CSRF cookie) is useless here.
    const other = new Agent(t.app)
    await other.get('/en/account/sign-in')
    const stolen = await agent.post(
      '/en/account/sign-in',
      { email: 'a@example.org', password: 'x' },
      { csrf: other.csrf() },
    )
    expect(stolen.status).toBe(403)
    const count = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from users where email = 'a@example.org'`,
    )
    expect(count?.n).toBe(0)
  })

  it('sets the CSRF cookie only for a page with a form, and a token without its cookie is refused', async () => {
    const reader = new Agent(t.app)
    // Reading pages without forms leaves no CSRF cookie behind.
    expect((await reader.get('/en/about')).status).toBe(200)
    expect(reader.cookies.has('lc_csrf')).toBe(false)
    // A form page sets it once; the next form page carries the same token.
    await reader.get('/en/account/sign-in')
    const seed = reader.cookies.get('lc_csrf')
    expect(seed).toMatch(/^[A-Za-z0-9_-]{32}$/)
    const token = reader.csrf()
    await reader.get('/en/account/sign-up')
    expect(reader.csrf()).toBe(token)
    expect(reader.cookies.get('lc_csrf')).toBe(seed)
    // The right token with the cookie gone is no proof.
    reader.cookies.delete('lc_csrf')
    const cookieless = await reader.post(
      '/en/account/sign-up',
      { email: 'b@example.org', password: 'x' },
      { csrf: token },
    )
    expect(cookieless.status).toBe(403)
    // …and with it back, the same form goes through to the form's own checks.
    reader.cookies.set('lc_csrf', seed!)
    const withCookie = await reader.post(
      '/en/account/sign-up',
      { email: 'b@example.org', password: 'x' },
      { csrf: token },
    )
    expect(withCookie.status).not.toBe(403)
  })

  it('rate-limits sign-in per account, whatever the address, and per address', async () => {
    const email = uniqueEmail()
    await createVerifiedUser(t.platform, { email, password: PASSWORD, displayName: 'R', language: 'en' })
    for (let i = 0; i < LIMITS.signInPerAccount.limit; i++) {
      const res = await new Agent(t.app, `198.51.100.${i}`).submit('/en/account/sign-in', {
        email,
        password: 'wrong password!',
      })
      expect(res.status).toBe(400)
    }
    const blocked = await new Agent(t.app, '198.51.100.200').submit('/en/account/sign-in', {
      email,
      password: PASSWORD,
    })
    expect(blocked.status).toBe(429)
    expect(await blocked.text()).toContain('Too many attempts')

    await t.platform.db.execute(sql`delete from rate_limits`)
    const agent = new Agent(t.app, '192.0.2.55')
    for (let i = 0; i < LIMITS.signInPerIp.limit; i++) {
      await agent.submit('/en/account/sign-in', { email: `nobody${i}@example.org`, password: 'whatever123' })
    }
    expect((await agent.submit('/en/account/sign-in', { email, password: PASSWORD })).status).toBe(429)
  })

  it('rate-limits sign-up per address', async () => {
    const agent = new Agent(t.app, '192.0.2.77')
    for (let i = 0; i < LIMITS.signUpPerIp.limit; i++) {
      const res = await agent.submit('/en/account/sign-up', {
        displayName: 'S',
        email: uniqueEmail(),
        password: PASSWORD,
      })
      expect(res.status).toBe(303)
    }
    const res = await agent.submit('/en/account/sign-up', {
      displayName: 'S',
      email: uniqueEmail(),
      password: PASSWORD,
    })
    expect(res.status).toBe(429)
  })

  it('sends mails in the language of the page, and Arabic pages are right-to-left', async () => {
    const email = uniqueEmail()
    const agent = new Agent(t.app)
    const page = await agent.get('/ar/account/sign-up')
    expect(await page.text()).toContain('<html lang="ar" dir="rtl">')
    await agent.post('/ar/account/sign-up', { displayName: 'ليلى', email, password: PASSWORD })
    const mail = await mailTo(email, '/ar/account/verify')
    expect(mail.text).toContain('http://learn.test/ar/account/verify?token=')
  })

  it('remembers the chosen language for the next visit to /', async () => {
    const agent = new Agent(t.app)
    await agent.get('/fr/account/sign-in')
    expect(agent.cookies.get('lc_lang')).toBe('fr')
    const home = await agent.get('/')
    expect(home.headers.get('location')).toMatch(/^\/fr/)
  })
})
