import { expect, it } from 'vitest'
import { describeJourneys, expectAccessible, expectNoAxeViolations } from './server.ts'

describeJourneys('searching in the browser', (journey) => {
  it('without JavaScript: words, a mistyped word and a filter by keyboard, all by plain GET forms', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      const opened = await page.goto(`${server.baseUrl}/en/chicago/opportunities`)
      expect(opened?.status()).toBe(200)
      await expectAccessible(browser, page)

      await page.fill('#q', 'codng')
      await Promise.all([page.waitForURL(/q=codng/), page.locator('#q').press('Enter')])
      expect(await page.locator('#corrected').textContent()).toContain('Showing results for “coding”')
      expect(await page.locator('#results').textContent()).toContain('Coding club for kids')

      // A filter by keyboard, sent with the form's button.
      await page.locator('details.filter:has(#free) summary').focus()
      await page.keyboard.press('Enter')
      await page.locator('#free').focus()
      await page.keyboard.press('Space')
      await Promise.all([page.waitForURL(/free=yes/), page.click('text=Show results')])
      expect(page.url()).toContain('q=codng&free=yes')
      expect(await page.locator('#free').isChecked()).toBe(true)
      const count = await page.locator('#results-count').textContent()
      expect(count).toMatch(/\d+ results?/)
      await expectAccessible(browser, page)
    } finally {
      await context.close()
    }
  })

  it('with JavaScript: results follow the filters without a reload, focus stays and the count is announced', async () => {
    const { browser, server } = journey
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      await page.goto(`${server.baseUrl}/en/chicago/opportunities`)
      const before = await page.locator('#results-count').textContent()
      await page.evaluate(() => {
        ;(window as unknown as { kept: number }).kept = 1
      })

      await page.locator('#q').focus()
      await page.keyboard.type('story')
      await page.waitForURL(/q=story/)
      await expect.poll(() => page.locator('#results-status').textContent()).toMatch(/\d+ results?/)
      expect(await page.locator('#results').textContent()).toContain('Family story time')
      expect(await page.locator('#results-count').textContent()).not.toBe(before)

      // Ticking a filter by keyboard: the URL and the results change, focus stays on the box.
      await page.locator('details.filter:has(#free) summary').click()
      await page.locator('#free').focus()
      await page.keyboard.press('Space')
      await page.waitForURL(/q=story&free=yes/)
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('free')
      expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(1)
      await expectNoAxeViolations(page)
    } finally {
      await context.close()
    }
  })

  it('the search page in Arabic, and with a bad filter, has no axe violations', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const arabic = await page.goto(`${server.baseUrl}/ar/chicago/opportunities?free=yes`)
      expect(arabic?.status()).toBe(200)
      expect(await page.locator('html[dir="rtl"]').count()).toBe(1)
      await expectAccessible(browser, page)
      const bad = await page.goto(`${server.baseUrl}/en/chicago/opportunities?age=old`)
      expect(bad?.status()).toBe(400)
      expect(await page.locator('.error-summary a[href="#age"]').count()).toBe(1)
      await expectAccessible(browser, page)
    } finally {
      await context.close()
    }
  })
})
