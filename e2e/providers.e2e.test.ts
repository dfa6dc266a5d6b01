import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { linkIn } from '../test/smtp.ts'
import { describeJourneys, expectAccessible, signIn } from './server.ts'

const PASSWORD = 'correct horse battery staple'

/** Clicks a submit button and waits for the page the POST (and its redirect) ends on. */
async function submit(page: Page, selector = 'main form button[type="submit"]') {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator(selector).first().click(),
  ])
  await page.waitForLoadState('load')
}

describeJourneys('provider registration in the browser', (journey) => {
  it('a new account registers a provider, the coordinator approves it, and its page becomes public (JavaScript off)', async () => {
    const { browser, server, engine } = journey
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
      await signIn(page, base, { email, password: PASSWORD }, '/en/chicago/providers/new')

      // The empty form comes back with the error summary; then a valid registration.
      await expectAccessible(browser, page)
      await submit(page)
      expect(await page.locator('.error-summary a[href="#name_en"]').count()).toBe(1)
      expect(await page.locator('#sector').getAttribute('aria-invalid')).toBe('true')
      await expectAccessible(browser, page)
      await page.fill('#name_en', 'Pilsen Coding Circle')
      await page.fill('#description_en', 'Evening coding classes for adults.')
      await page.selectOption('#sector', 'community')
      await page.fill('#website', 'https://coding.example.org')
      await submit(page)
      expect(new URL(page.url()).pathname).toBe('/en/chicago/providers/pilsen-coding-circle')
      expect(await page.locator('main .notice').first().textContent()).toContain('Thank you')
      await expectAccessible(browser, page)

      // The founder manages the profile, the staff and the API keys.
      for (const path of ['edit', 'staff', 'api-keys']) {
        await page.goto(`${base}/en/chicago/providers/pilsen-coding-circle/${path}`)
        expect(await page.locator('h1').count()).toBe(1)
        await expectAccessible(browser, page)
      }
      await page.fill('#name', 'Timetable sync')
      await submit(page)
      expect(await page.locator('#new-api-key').count()).toBe(1)
      await expectAccessible(browser, page)
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
      await expectAccessible(browser, anonymous)

      // The demo coordinator approves it from the queue.
      const review = await coordinator.newPage()
      await signIn(review, base, server.coordinator)
      await review.goto(`${base}/en/chicago/admin/providers`)
      expect(review.url()).toBe(`${base}/en/chicago/admin/providers`)
      await expectAccessible(browser, review)
      await submit(review, 'button:has-text("Approve Pilsen Coding Circle")')
      expect(new URL(review.url()).search).toBe('?done=approve')
      await expectAccessible(browser, review)
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
      await expectAccessible(browser, anonymous)
      await anonymous.goto(`${base}/en/chicago/providers`)
      expect(
        await anonymous.locator('main a[href="/en/chicago/providers/pilsen-coding-circle"]').count(),
      ).toBe(1)
      await expectAccessible(browser, anonymous)
      await anonymous.goto(`${base}/ar/chicago/providers/pilsen-coding-circle`)
      await expectAccessible(browser, anonymous)
    } finally {
      await founder.close()
      await coordinator.close()
      await visitor.close()
    }
  }, 240_000)
})
