import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PROVIDER } from '../src/modules/demo/index.ts'
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

run('booking in the browser, JavaScript off', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  /**
   * axe needs JavaScript, which the journeys run without: each page seen in a journey is checked
   * again in a JavaScript-enabled context holding the same cookies.
   */
  async function axeEach(context: BrowserContext, urls: string[]): Promise<void> {
    const checker = await browser.newContext({ storageState: await context.storageState() })
    try {
      const page = await checker.newPage()
      for (const url of urls) {
        await page.goto(url)
        await expectNoAxeViolations(page)
      }
    } finally {
      await checker.close()
    }
  }

  describe.each(engines)('on %s', (engine) => {
    let server: E2eServer
    beforeAll(async () => {
      server = await startE2eServer(engine)
    })
    afterAll(async () => {
      await server?.close()
    })

    it('a guest books a demo session, gets the email, opens the manage link and cancels', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false })
      try {
        const page = await context.newPage()
        page.setDefaultTimeout(20_000)
        const seen: string[] = []
        const email = `guest-${engine}@example.org`
        const booking = await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/book`)
        expect(booking?.status()).toBe(200)
        seen.push(page.url())

        // The first single session (the first radio books the whole series).
        await page.locator('main input[type="radio"][name="session"]').nth(1).check()
        await page.fill('#name', 'Guest Reader')
        await page.fill('#email', email)
        await Promise.all([
          page.waitForURL((u) => u.searchParams.get('booked') === 'confirmed'),
          page.click('main form button[type="submit"]:has-text("Book")'),
        ])
        expect(await page.locator('.notice[role="status"]').textContent()).toContain('You are booked')
        seen.push(page.url())

        const mail = await server.smtp.waitFor(email, 15_000)
        expect(mail.subject).toMatch(/^Your booking: /)
        const link = linkIn(mail, '/en/chicago/bookings/manage?token=')
        const manage = await page.goto(link)
        expect(manage?.status()).toBe(200)
        expect(await page.locator('main').textContent()).toContain('Booked')
        seen.push(page.url())

        await Promise.all([
          page.waitForURL((u) => u.searchParams.get('cancelled') === '1'),
          page.click('main form button:has-text("Cancel this booking")'),
        ])
        expect(await page.locator('.notice[role="status"]').textContent()).toContain(
          'Your booking is cancelled.',
        )
        expect(await page.locator('main').textContent()).toContain('Cancelled')
        expect(await page.locator('main form button:has-text("Cancel this booking")').count()).toBe(0)
        seen.push(page.url())

        // A claim link that does not (or no longer) work says so plainly.
        const claim = await page.goto(`${server.baseUrl}/en/chicago/bookings/claim?token=${'x'.repeat(43)}`)
        expect(claim?.status()).toBe(410)
        seen.push(page.url())

        // "Can't go?" buttons work with one click.
        await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/book`)
        await Promise.all([
          page.waitForURL((u) => u.searchParams.get('recorded') === '1'),
          page.click('button[value="too-far"]'),
        ])
        expect(await page.locator('.notice[role="status"]').textContent()).toContain('recorded')
        await axeEach(context, seen)
      } finally {
        await context.close()
      }
    }, 180_000)

    it('the provider sees registrations, takes attendance and has a My bookings page', async () => {
      const line = server.seedLines.find((l) => l.includes(DEMO_PROVIDER))
      const password = line ? /password:\s*(\S+)/.exec(line)?.[1] : undefined
      expect(password).toBeDefined()
      const context = await browser.newContext({ javaScriptEnabled: false })
      try {
        const page = await context.newPage()
        page.setDefaultTimeout(20_000)
        const seen: string[] = []
        // Someone books, so there is a person to tick.
        await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/book`)
        await page.locator('main input[type="radio"][name="session"]').nth(1).check()
        await page.fill('#name', 'Attendee')
        await page.fill('#email', `attendee-${engine}@example.org`)
        await Promise.all([
          page.waitForURL((u) => u.searchParams.has('booked')),
          page.click('main form button:has-text("Book")'),
        ])

        await page.goto(`${server.baseUrl}/en/account/sign-in`)
        await page.fill('#email', DEMO_PROVIDER)
        await page.fill('#password', password!)
        await Promise.all([
          page.waitForURL((u) => u.pathname === '/en'),
          page.click('main form button[type="submit"]'),
        ])

        const overview = await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/registrations`)
        expect(overview?.status()).toBe(200)
        seen.push(page.url())
        await Promise.all([
          page.waitForURL((u) => /\/registrations\/\d+$/.test(u.pathname)),
          page.locator('main table a').first().click(),
        ])
        seen.push(page.url())
        await page.locator('main input[type="checkbox"][name="attended"]').first().check()
        await Promise.all([
          page.waitForURL((u) => u.searchParams.get('saved') === '1'),
          page.click('main form button:has-text("Save attendance")'),
        ])
        expect(await page.locator('.notice[role="status"]').textContent()).toContain('Attendance saved.')

        await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/registrations`)
        expect(await page.locator('main dl').textContent()).toContain('100%')

        const mine = await page.goto(`${server.baseUrl}/en/chicago/bookings`)
        expect(mine?.status()).toBe(200)
        seen.push(page.url())
        await axeEach(context, seen)
      } finally {
        await context.close()
      }
    }, 180_000)
  })
})
