import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines } from '../test/platform.ts'
import { linkIn } from '../test/smtp.ts'
import { type E2eServer, hasChromium, launchChromium, startE2eServer } from './server.ts'

// Without Chromium the file skips, unless CHROMIUM_REQUIRED is set: then it runs and fails at launch.
const run = hasChromium || process.env.CHROMIUM_REQUIRED ? describe : describe.skip

type Lang = 'en' | 'ar'

const PASSWORD = 'correct horse battery staple'

/** An element's text, trimmed. */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim()
}

/** The id (or tag) of the element that has focus. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement
    return el ? el.id || el.tagName.toLowerCase() : ''
  })
}

/** Presses Tab until the element matching `selector` has focus; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`${selector} not reached with ${max} presses of Tab on ${page.url()}`)
}

/** Starting from a fresh page load: the skip link is the first stop, and Enter on it moves focus to main. */
async function skipToMain(page: Page): Promise<void> {
  await page.keyboard.press('Tab')
  const first = await page.evaluate(() => {
    const el = document.activeElement as HTMLAnchorElement | null
    return { className: el?.className, href: el?.getAttribute('href') }
  })
  expect(first, `first focusable element on ${page.url()}`).toEqual({ className: 'skip-link', href: '#main' })
  await page.keyboard.press('Enter')
  await expect.poll(() => focused(page)).toBe('main')
}

async function expectLanguage(page: Page, lang: Lang): Promise<void> {
  const html = page.locator('html')
  expect(await html.getAttribute('lang')).toBe(lang)
  expect(await html.getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr')
}

run('accounts in the browser', () => {
  let browser: Browser
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

    const journeys: { lang: Lang; js: boolean; keyboard: boolean }[] = [
      { lang: 'en', js: true, keyboard: true },
      { lang: 'en', js: false, keyboard: false },
      { lang: 'ar', js: true, keyboard: false },
      { lang: 'ar', js: false, keyboard: true },
    ]

    it.each(journeys)(
      'signs up, verifies, signs in, sees the account and signs out ($lang, JavaScript $js, keyboard only $keyboard)',
      async ({ lang, js, keyboard }) => {
        const context: BrowserContext = await browser.newContext({ javaScriptEnabled: js })
        try {
          const page = await context.newPage()
          const url = (path: string) => `${server.baseUrl}/${lang}${path}`
          const email = `e2e-${lang}-${js ? 'js' : 'nojs'}-${Date.now()}@example.org`
          const name = lang === 'ar' ? `ليلى ${js ? 'أ' : 'ب'}` : `Ada ${js ? 'Js' : 'NoJs'}`

          // Sign up.
          const signUp = await page.goto(url('/account/sign-up'))
          expect(signUp?.status()).toBe(200)
          await expectLanguage(page, lang)
          if (keyboard) {
            await skipToMain(page)
            await tabTo(page, '#displayName')
            await page.keyboard.type(name)
            await tabTo(page, '#email')
            await page.keyboard.type(email)
            await tabTo(page, '#password')
            await page.keyboard.type(PASSWORD)
            await Promise.all([page.waitForURL('**/account/check-email'), page.keyboard.press('Enter')])
          } else {
            await page.fill('#displayName', name)
            await page.fill('#email', email)
            await page.fill('#password', PASSWORD)
            await Promise.all([
              page.waitForURL('**/account/check-email'),
              page.click('main form button[type="submit"]'),
            ])
          }
          expect(new URL(page.url()).pathname).toBe(`/${lang}/account/check-email`)
          await expectLanguage(page, lang)

          // Verify through the link in the mail the job queue delivered.
          const mail = await server.smtp.waitFor(email, 15_000)
          const link = linkIn(mail, `/${lang}/account/verify`)
          expect(link.startsWith(`${server.baseUrl}/${lang}/account/verify?token=`)).toBe(true)
          const verified = await page.goto(link)
          expect(verified?.status()).toBe(200)
          await expectLanguage(page, lang)
          const toSignIn = page.locator(`main a[href="/${lang}/account/sign-in"]`)
          await expect.poll(() => toSignIn.count()).toBe(1)

          // Sign in, following the verified page's link.
          if (keyboard) {
            await tabTo(page, `main a[href="/${lang}/account/sign-in"]`)
            await Promise.all([page.waitForURL('**/account/sign-in'), page.keyboard.press('Enter')])
            await skipToMain(page)
            await tabTo(page, '#email')
            await page.keyboard.type(email)
            await tabTo(page, '#password')
            await page.keyboard.type(PASSWORD)
            await Promise.all([page.waitForURL(`**/${lang}`), page.keyboard.press('Enter')])
            await tabTo(page, `header a[href="/${lang}/account"]`)
            await Promise.all([page.waitForURL(`**/${lang}/account`), page.keyboard.press('Enter')])
          } else {
            await Promise.all([page.waitForURL('**/account/sign-in'), toSignIn.click()])
            await expectLanguage(page, lang)
            await page.fill('#email', email)
            await page.fill('#password', PASSWORD)
            await Promise.all([page.waitForURL(`**/${lang}`), page.click('main form button[type="submit"]')])
            await page.goto(url('/account'))
          }

          // The account page greets the person by name.
          expect(new URL(page.url()).pathname).toBe(`/${lang}/account`)
          await expectLanguage(page, lang)
          expect(await text(page.locator('main'))).toContain(name)
          expect(await text(page.locator('main'))).toContain(email)

          // Sign out with the header's POST button.
          const signOut = 'header form[action$="/account/sign-out"] button[type="submit"]'
          if (keyboard) {
            await tabTo(page, signOut)
            await Promise.all([page.waitForURL('**/account/signed-out'), page.keyboard.press('Enter')])
          } else {
            await Promise.all([page.waitForURL('**/account/signed-out'), page.click(signOut)])
          }
          expect(new URL(page.url()).pathname).toBe(`/${lang}/account/signed-out`)
          await expectLanguage(page, lang)
          expect(await page.locator(signOut).count()).toBe(0)
          expect(await page.locator(`header a[href="/${lang}/account/sign-in"]`).count()).toBe(1)

          // The session is really gone: the account page now asks to sign in.
          await page.goto(url('/account'))
          expect(new URL(page.url()).pathname).toBe(`/${lang}/account/sign-in`)
        } finally {
          await context.close()
        }
      },
    )

    it('shows an error summary and inline errors for an empty sign-up form', async () => {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await page.goto(`${server.baseUrl}/en/account/sign-up`)
        expect(await page.locator('.error-summary').count()).toBe(0)
        const [response] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST'),
          page.click('main form button[type="submit"]'),
        ])
        expect(response.status()).toBe(400)
        await page.waitForLoadState()

        const summary = page.locator('.error-summary')
        expect(await summary.isVisible()).toBe(true)
        expect(await summary.getAttribute('role')).toBe('alert')
        // The summary comes before the heading, so it is the first thing read.
        expect(
          await page.evaluate(() => {
            const s = document.querySelector('.error-summary')
            const h1 = document.querySelector('h1')
            return !!s && !!h1 && !!(s.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING)
          }),
        ).toBe(true)
        const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
        // One link per field, in the order the fields appear on the page.
        expect.soft(hrefs).toEqual(['#displayName', '#email', '#password'])
        expect([...hrefs].sort()).toEqual(['#displayName', '#email', '#password'])

        for (const field of ['displayName', 'email', 'password']) {
          const input = page.locator(`#${field}`)
          expect(await input.getAttribute('aria-invalid'), field).toBe('true')
          const inline = page.locator(`#${field}-error`)
          expect(await inline.isVisible(), `inline error for ${field}`).toBe(true)
          expect((await text(inline)).length).toBeGreaterThan(0)
          expect(await input.getAttribute('aria-describedby')).toContain(`${field}-error`)
          // The summary's message is the same as the field's.
          expect(await text(summary.locator(`a[href="#${field}"]`))).toBe(await text(inline))
        }

        // Following a summary link puts focus in its field.
        await summary.locator('a[href="#email"]').click()
        await expect.poll(() => focused(page)).toBe('email')
      } finally {
        await context.close()
      }
    })

    it('gives the same generic error for a wrong password and an unknown email', async () => {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        const attempt = async (email: string) => {
          await page.goto(`${server.baseUrl}/en/account/sign-in`)
          await page.fill('#email', email)
          await page.fill('#password', 'not the right password at all')
          const [response] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === 'POST'),
            page.click('main form button[type="submit"]'),
          ])
          expect(response.status()).toBe(400)
          await page.waitForLoadState()
          expect(new URL(page.url()).pathname).toBe('/en/account/sign-in')
          const summary = page.locator('.error-summary[role="alert"]')
          expect(await summary.isVisible()).toBe(true)
          return {
            summary: await text(summary.locator('ul')),
            inline: (await page.locator('main .error-message').allInnerTexts()).map((s) => s.trim()),
          }
        }

        const wrongPassword = await attempt(server.coordinator.email)
        const unknownEmail = await attempt(`nobody-${Date.now()}@example.org`)
        expect(wrongPassword.summary.length).toBeGreaterThan(0)
        expect(unknownEmail).toEqual(wrongPassword)
        // Generic: it names both, and does not say which one is wrong or whether the account exists.
        expect(wrongPassword.summary).toMatch(/email address or password/i)
        expect(wrongPassword.summary).not.toMatch(/exist|unknown|no account|not found|not registered/i)
        // Still signed out.
        expect(await page.locator('header form[action$="/account/sign-out"]').count()).toBe(0)
      } finally {
        await context.close()
      }
    })
  })
})
