import { expect, it } from 'vitest'
import { createVerifiedUser } from '../src/modules/accounts/index.ts'
import { describeJourneys, expectAccessible, signIn } from './server.ts'

describeJourneys('"what next?" in the browser, JavaScript off', (journey) => {
  it('a coordinator features an opportunity; a learner sees it first, sets interests and gets reasons', async () => {
    const { browser, server, engine } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      const featuredUrl = `${server.baseUrl}/en/chicago/admin/featured`
      await signIn(page, server.baseUrl, server.coordinator, '/en/chicago/admin/featured')
      await expectAccessible(browser, page)
      await page.fill('#opportunity', `${server.baseUrl}/en/chicago/opportunities/1`)
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('added') === '1'),
        page.click('main form[action$="/admin/featured"] button'),
      ])
      expect(await page.locator('.notice[role="status"]').textContent()).toContain(
        'The opportunity is featured.',
      )
      expect(await page.locator('main .cards').textContent()).toContain('Featured until you remove it')
      await expectAccessible(browser, page)
      // A bad reference is reported in the error summary.
      await page.fill('#opportunity', 'not an opportunity')
      await page.click('main form[action$="/admin/featured"] button')
      expect(await page.locator('.error-summary').textContent()).toContain(
        'Enter the number of an opportunity',
      )
      await expectAccessible(browser, page)
      await page.click('header form[action$="/account/sign-out"] button')

      const learner = { email: `learner-${engine}@example.org`, password: 'correct horse battery staple' }
      await createVerifiedUser(server.t.platform, { ...learner, displayName: 'Learner', language: 'en' })
      await signIn(page, server.baseUrl, learner, '/en/chicago/next')
      expect(await page.locator('main h1').textContent()).toBe('What next?')
      expect(await page.locator('main').textContent()).toContain('Choose your interests')
      const first = page.locator('main .cards .card').first()
      expect(await first.locator('h2 a').getAttribute('href')).toBe('/en/chicago/opportunities/1')
      expect(await first.locator('.reason').textContent()).toMatch(/^Why: Featured by the city/)
      expect(await page.locator('main .cards .card .reason').count()).toBeGreaterThan(1)
      await expectAccessible(browser, page)

      await Promise.all([
        page.waitForURL((u) => u.pathname === '/en/chicago/next/preferences'),
        page.click('main a:has-text("Choose your interests")'),
      ])
      await expectAccessible(browser, page)
      // A word that is not a topic is refused, and what was typed stays.
      await page.fill('#more', 'chess, <robots>')
      await page.click('main form button:has-text("Save my interests")')
      expect(await page.locator('.error-summary').textContent()).toContain('is not a topic')
      expect(await page.inputValue('#more')).toBe('chess, <robots>')
      await expectAccessible(browser, page)

      const topic = await page.locator('main input[name="interests"]').first().getAttribute('value')
      await page.locator('main input[name="interests"]').first().check()
      await page.fill('#more', '')
      await page.selectOption('#district', { index: 1 })
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('saved') === '1'),
        page.click('main form button:has-text("Save my interests")'),
      ])
      expect(await page.locator('.notice[role="status"]').textContent()).toContain(
        'Your interests are saved.',
      )
      await expectAccessible(browser, page)

      await page.click('main a:has-text("See your suggestions")')
      expect(await page.locator('main').textContent()).not.toContain('Choose your interests')
      const reasons = await page.locator('main .cards .card .reason').allTextContents()
      expect(reasons.some((r) => r.includes(`About ${topic}`))).toBe(true)
      await expectAccessible(browser, page)
      // In Arabic the page is right-to-left and the reasons are Arabic sentences.
      await page.goto(`${server.baseUrl}/ar/chicago/next`)
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('main .cards .card .reason').first().textContent()).toMatch(
        /^السبب: تبرزه المدينة/,
      )
      await expectAccessible(browser, page)
      await page.goto(featuredUrl)
      expect(new URL(page.url()).pathname).toBe('/en/chicago/admin/featured')
      expect(await page.locator('main h1').textContent()).not.toBe('Featured opportunities')
    } finally {
      await context.close()
    }
  }, 240_000)
})
