import { expect, it } from 'vitest'
import { linkIn } from '../test/smtp.ts'
import { describeJourneys, expectAccessible, signIn } from './server.ts'

describeJourneys('booking in the browser, JavaScript off', (journey) => {
  it('a guest books a demo session, gets the email, opens the manage link and cancels', async () => {
    const { browser, server, engine } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      const email = `guest-${engine}@example.org`
      const booking = await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/book`)
      expect(booking?.status()).toBe(200)
      await expectAccessible(browser, page)

      // The first single session (the first radio books the whole series).
      await page.locator('main input[type="radio"][name="session"]').nth(1).check()
      await page.fill('#name', 'Guest Reader')
      await page.fill('#email', email)
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('booked') === 'confirmed'),
        page.click('main form button[type="submit"]:has-text("Book")'),
      ])
      expect(await page.locator('.notice[role="status"]').textContent()).toContain('You are booked')
      await expectAccessible(browser, page)

      const mail = await server.smtp.waitFor(email, 15_000)
      expect(mail.subject).toMatch(/^Your booking: /)
      const link = linkIn(mail, '/en/chicago/bookings/manage?token=')
      const manage = await page.goto(link)
      expect(manage?.status()).toBe(200)
      expect(await page.locator('main').textContent()).toContain('Booked')
      await expectAccessible(browser, page)

      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('cancelled') === '1'),
        page.click('main form button:has-text("Cancel this booking")'),
      ])
      expect(await page.locator('.notice[role="status"]').textContent()).toContain(
        'Your booking is cancelled.',
      )
      expect(await page.locator('main').textContent()).toContain('Cancelled')
      expect(await page.locator('main form button:has-text("Cancel this booking")').count()).toBe(0)
      await expectAccessible(browser, page)

      // A claim link that does not (or no longer) work says so plainly.
      const claim = await page.goto(`${server.baseUrl}/en/chicago/bookings/claim?token=${'x'.repeat(43)}`)
      expect(claim?.status()).toBe(410)
      await expectAccessible(browser, page)

      // "Can't go?" buttons work with one click.
      await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/book`)
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('recorded') === '1'),
        page.click('button[value="too-far"]'),
      ])
      expect(await page.locator('.notice[role="status"]').textContent()).toContain('recorded')
    } finally {
      await context.close()
    }
  }, 180_000)

  it('the provider sees registrations, takes attendance and has a My bookings page', async () => {
    const { browser, server, engine } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      // Someone books, so there is a person to tick.
      await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/book`)
      await page.locator('main input[type="radio"][name="session"]').nth(1).check()
      await page.fill('#name', 'Attendee')
      await page.fill('#email', `attendee-${engine}@example.org`)
      await Promise.all([
        page.waitForURL((u) => u.searchParams.has('booked')),
        page.click('main form button:has-text("Book")'),
      ])

      await signIn(page, server.baseUrl, server.provider)

      const overview = await page.goto(`${server.baseUrl}/en/chicago/opportunities/1/registrations`)
      expect(overview?.status()).toBe(200)
      await expectAccessible(browser, page)
      await Promise.all([
        page.waitForURL((u) => /\/registrations\/\d+$/.test(u.pathname)),
        page.locator('main table a').first().click(),
      ])
      await expectAccessible(browser, page)
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
      await expectAccessible(browser, page)
    } finally {
      await context.close()
    }
  }, 180_000)
})
