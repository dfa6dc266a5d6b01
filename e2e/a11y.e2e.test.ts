import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerifiedUser } from '../src/modules/accounts/index.ts'
import { engines } from '../test/platform.ts'
import {
  type E2eServer,
  expectNoAxeViolations,
  hasChromium,
  launchChromium,
  startE2eServer,
} from './server.ts'

// Without Chromium the file skips, unless CHROMIUM_REQUIRED is set: then it runs and fails at launch.
const run = hasChromium || process.env.CHROMIUM_REQUIRED ? describe : describe.skip

const NETWORK_ADMIN = { email: 'network-admin-e2e@example.org', password: 'network admin e2e password' }

/** Every page needs exactly one h1, a working skip link and one main landmark. */
async function expectPageStructure(page: Page): Promise<void> {
  const shape = await page.evaluate(() => {
    const skip = document.querySelector<HTMLAnchorElement>('a.skip-link')
    const target = skip?.getAttribute('href')?.slice(1)
    return {
      h1: document.querySelectorAll('h1').length,
      main: document.querySelectorAll('main, [role="main"]').length,
      skipLink: skip?.getAttribute('href') ?? null,
      skipTargetIsMain: !!target && document.getElementById(target)?.tagName === 'MAIN',
      skipIsFirstLink: document.querySelector('a[href], button, input:not([type="hidden"])') === skip,
    }
  })
  expect(shape, `page structure of ${page.url()}`).toEqual({
    h1: 1,
    main: 1,
    skipLink: '#main',
    skipTargetIsMain: true,
    skipIsFirstLink: true,
  })
}

async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/en/account/sign-in`)
  await page.fill('#email', email)
  await page.fill('#password', password)
  await Promise.all([page.waitForURL(`${baseUrl}/en`), page.click('main form button[type="submit"]')])
  expect(await page.locator('header form[action$="/account/sign-out"]').count()).toBe(1)
}

run('accessibility in the browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  describe.each(engines)('on %s', (engine) => {
    let server: E2eServer
    let anonymous: BrowserContext
    let page: Page
    beforeAll(async () => {
      server = await startE2eServer(engine)
      await createVerifiedUser(server.t.platform, {
        ...NETWORK_ADMIN,
        displayName: 'E2E Network Admin',
        language: 'en',
        isNetworkAdmin: true,
      })
      anonymous = await browser.newContext()
      page = await anonymous.newPage()
    })
    afterAll(async () => {
      await anonymous?.close()
      await server?.close()
    })

    const publicPages: { path: string; status: number }[] = [
      { path: '/en', status: 200 },
      { path: '/en/chicago', status: 200 },
      { path: '/en/chicago/districts', status: 200 },
      { path: '/en/about', status: 200 },
      { path: '/en/account/sign-up', status: 200 },
      { path: '/en/account/sign-in', status: 200 },
      { path: '/en/account/forgot-password', status: 200 },
      { path: '/en/account/check-email', status: 200 },
      { path: '/en/account/signed-out', status: 200 },
      { path: '/en/no-such-page', status: 404 },
      { path: '/api/docs', status: 200 },
      { path: '/ar/chicago', status: 200 },
      { path: '/ar/account/sign-up', status: 200 },
      { path: '/zh/chicago', status: 200 },
      // The demo seed publishes invented opportunities at library branches; ids start at 1.
      { path: '/en/chicago/opportunities', status: 200 },
      { path: '/en/chicago/opportunities/1', status: 200 },
      { path: '/ar/chicago/opportunities/2', status: 200 },
    ]

    it.each(publicPages)('$path has no axe violations and a sound structure', async ({ path, status }) => {
      const response = await page.goto(`${server.baseUrl}${path}`)
      expect(response?.status()).toBe(status)
      const lang = path.split('/')[1]
      if (lang === 'ar') expect(await page.locator('html[lang="ar"][dir="rtl"]').count()).toBe(1)
      if (lang === 'zh') expect(await page.locator('html[lang="zh"][dir="ltr"]').count()).toBe(1)
      await expectPageStructure(page)
      await expectNoAxeViolations(page)
    })

    it.each(['en', 'ar'])('/%s/account/sign-up with errors has no axe violations', async (lang) => {
      await page.goto(`${server.baseUrl}/${lang}/account/sign-up`)
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('main form button[type="submit"]'),
      ])
      expect(response.status()).toBe(400)
      await page.waitForLoadState()
      expect(await page.locator('.error-summary').count()).toBe(1)
      await expectPageStructure(page)
      await expectNoAxeViolations(page)
    })

    it('/en/account/sign-in with a wrong password has no axe violations', async () => {
      await page.goto(`${server.baseUrl}/en/account/sign-in`)
      await page.fill('#email', 'nobody@example.org')
      await page.fill('#password', 'wrong password here')
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('main form button[type="submit"]'),
      ])
      await page.waitForLoadState()
      expect(await page.locator('.error-summary').count()).toBe(1)
      await expectPageStructure(page)
      await expectNoAxeViolations(page)
    })

    it('the coordinator pages have no axe violations', async () => {
      const context = await browser.newContext()
      try {
        const signedIn = await context.newPage()
        await signIn(signedIn, server.baseUrl, server.coordinator.email, server.coordinator.password)
        for (const path of ['/en/account', '/en/chicago/admin/theme']) {
          const response = await signedIn.goto(`${server.baseUrl}${path}`)
          expect(response?.status(), path).toBe(200)
          expect(new URL(signedIn.url()).pathname).toBe(path)
          await expectPageStructure(signedIn)
          await expectNoAxeViolations(signedIn)
        }
        // The theme form with an error.
        await signedIn.fill('#primary', 'not a colour')
        await Promise.all([
          signedIn.waitForResponse((r) => r.request().method() === 'POST'),
          signedIn.click('main form button[type="submit"]'),
        ])
        await signedIn.waitForLoadState()
        expect(await signedIn.locator('.error-summary').count()).toBe(1)
        await expectPageStructure(signedIn)
        await expectNoAxeViolations(signedIn)
      } finally {
        await context.close()
      }
    })

    it('the network admin outbox has no axe violations', async () => {
      // Put a message in the outbox first, so the page shows entries, not just "empty".
      await page.goto(`${server.baseUrl}/en/account/forgot-password`)
      await page.fill('#email', server.coordinator.email)
      await Promise.all([
        page.waitForURL('**/account/check-email'),
        page.click('main form button[type="submit"]'),
      ])
      await server.smtp.waitFor(server.coordinator.email, 15_000)

      const context = await browser.newContext()
      try {
        const admin = await context.newPage()
        await signIn(admin, server.baseUrl, NETWORK_ADMIN.email, NETWORK_ADMIN.password)
        const response = await admin.goto(`${server.baseUrl}/en/admin/outbox`)
        expect(response?.status()).toBe(200)
        expect(await admin.locator('main article').count()).toBeGreaterThan(0)
        await expectPageStructure(admin)
        await expectNoAxeViolations(admin)
      } finally {
        await context.close()
      }
    })

    it.each(['/en/chicago/districts', '/en/account/sign-up'])(
      '%s does not scroll sideways at 320 px',
      async (path) => {
        const context = await browser.newContext({ viewport: { width: 320, height: 640 } })
        try {
          const narrow = await context.newPage()
          await narrow.goto(`${server.baseUrl}${path}`)
          const width = await narrow.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
          }))
          expect(width.scroll, `${path} is ${width.scroll} px wide at 320 px`).toBeLessThanOrEqual(320)
        } finally {
          await context.close()
        }
      },
    )
  })
})
