import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines } from '../test/platform.ts'
import { linkIn } from '../test/smtp.ts'
import {
  type E2eServer,
  expectNoAxeViolations,
  hasChromium,
  launchChromium,
  startE2eServer,
} from './server.ts'

// Without Chromium the file skips, unless CHROMIUM_REQUIRED is set: then it runs and fails at launch.
const run = hasChromium || process.env.CHROMIUM_REQUIRED ? describe : describe.skip

const PASSWORD = 'correct horse battery staple'

/** Clicks a submit button and waits for the page the POST (and its redirect) ends on. */
async function submit(page: Page, selector = 'main form button[type="submit"]') {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator(selector).first().click(),
  ])
  await page.waitForLoadState('load')
}

async function signIn(page: Page, baseUrl: string, email: string, password: string, next = '') {
  await page.goto(`${baseUrl}/en/account/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`)
  await page.fill('#email', email)
  await page.fill('#password', password)
  await submit(page)
  expect(await page.locator('header form[action$="/account/sign-out"]').count()).toBe(1)
}

run('provider registration in the browser', () => {
  let browser: Browser

  /**
   * axe needs JavaScript, the journey runs without it: the exact HTML the JavaScript-free browser
   * got (POST results included) is replayed at the same address in a JavaScript-enabled page,
   * with the real stylesheet, and checked there.
   */
  async function expectAccessible(page: Page) {
    const html = await page.content()
    const url = page.url()
    const context = await browser.newContext()
    try {
      const replay = await context.newPage()
      await replay.route(
        (u) => u.href === url,
        (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      )
      await replay.goto(url)
      await expectNoAxeViolations(replay)
    } finally {
      await context.close()
    }
  }
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  describe.each(engines)('on %s', (engine) => {
    let server: E2eServer
    beforeAll(async () => {
      server = await startE2eServer(engine)
    })
    afterAll(async () => {
      await server?.close()
    })

    it('a new account registers a provider, the coordinator approves it, and its page becomes public (JavaScript off)', async () => {
      const base = server.baseUrl
      const email = `founder-${engine}-${Date.now()}@example.org`
      const founder = await browser.newContext({ javaScriptEnabled: false })
      const coordinator = await browser.newContext({ javaScriptEnabled: false })
      const visitor = await browser.newContext({ javaScriptEnabled: false })
      try {
        // Sign up, verify by email, sign in.
        const page = await founder.newPage()
        await page.goto(`${base}/en/account/sign-up`)
        await page.fill('#displayName', 'Grace Founder')
        await page.fill('#email', email)
        await page.fill('#password', PASSWORD)
        await submit(page)
        const mail = await server.smtp.waitFor(email, 15_000)
        await page.goto(linkIn(mail, '/en/account/verify'))
        await signIn(page, base, email, PASSWORD, '/en/chicago/providers/new')
        expect(new URL(page.url()).pathname).toBe('/en/chicago/providers/new')

        // The empty form comes back with the error summary; then a valid registration.
        await expectAccessible(page)
        await submit(page)
        expect(await page.locator('.error-summary a[href="#name_en"]').count()).toBe(1)
        expect(await page.locator('#sector').getAttribute('aria-invalid')).toBe('true')
        await expectAccessible(page)
        await page.fill('#name_en', 'Pilsen Coding Circle')
        await page.fill('#description_en', 'Evening coding classes for adults.')
        await page.selectOption('#sector', 'community')
        await page.fill('#website', 'https://coding.example.org')
        await submit(page)
        expect(new URL(page.url()).pathname).toBe('/en/chicago/providers/pilsen-coding-circle')
        expect(await page.locator('main .notice').first().textContent()).toContain('Thank you')
        await expectAccessible(page)

        // The founder manages the profile, the staff and the API keys.
        for (const path of ['edit', 'staff', 'api-keys']) {
          await page.goto(`${base}/en/chicago/providers/pilsen-coding-circle/${path}`)
          expect(await page.locator('h1').count()).toBe(1)
          await expectAccessible(page)
        }
        await page.fill('#name', 'Timetable sync')
        await submit(page)
        expect(await page.locator('#new-api-key').count()).toBe(1)
        await expectAccessible(page)
        await page.goto(`${base}/en/chicago/providers/pilsen-coding-circle/staff`)
        await page.fill('#email', 'teacher@example.org')
        await page.selectOption('#role', 'editor')
        await submit(page, 'main form[action$="/staff/invite"] button[type="submit"]')
        const invitation = await server.smtp.waitFor('teacher@example.org', 15_000)

        // Not public yet.
        const anonymous = await visitor.newPage()
        const before = await anonymous.goto(`${base}/en/chicago/providers/pilsen-coding-circle`)
        expect(before?.status()).toBe(404)
        const invitePage = await anonymous.goto(linkIn(invitation, '/providers/invitations/'))
        expect(invitePage?.status()).toBe(200)
        await expectAccessible(anonymous)

        // The demo coordinator approves it from the queue.
        const review = await coordinator.newPage()
        await signIn(review, base, server.coordinator.email, server.coordinator.password)
        await review.goto(`${base}/en/chicago/admin/providers`)
        expect(review.url()).toBe(`${base}/en/chicago/admin/providers`)
        await expectAccessible(review)
        await submit(review, 'button:has-text("Approve Pilsen Coding Circle")')
        expect(new URL(review.url()).search).toBe('?done=approve')
        await expectAccessible(review)
        const approved = await server.smtp.waitFor(email, 15_000, (m) => m.subject.includes('approved'))
        expect(approved.subject).toBe('Pilsen Coding Circle is approved')

        // Now everyone sees it, with its JSON-LD, and it is listed.
        const after = await anonymous.goto(`${base}/en/chicago/providers/pilsen-coding-circle`)
        expect(after?.status()).toBe(200)
        expect(await anonymous.locator('h1').textContent()).toBe('Pilsen Coding Circle')
        const ld = JSON.parse(
          (await anonymous.locator('script[type="application/ld+json"]').textContent()) ?? '',
        )
        expect(ld['@type']).toBe('Organization')
        await expectAccessible(anonymous)
        await anonymous.goto(`${base}/en/chicago/providers`)
        expect(
          await anonymous.locator('main a[href="/en/chicago/providers/pilsen-coding-circle"]').count(),
        ).toBe(1)
        await expectAccessible(anonymous)
        await anonymous.goto(`${base}/ar/chicago/providers/pilsen-coding-circle`)
        await expectAccessible(anonymous)
      } finally {
        await founder.close()
        await coordinator.close()
        await visitor.close()
      }
    }, 240_000)
  })
})
