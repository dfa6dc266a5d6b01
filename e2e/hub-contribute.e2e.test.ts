import type { BrowserContext, Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { createVerifiedUser } from '../src/modules/accounts/index.ts'
import { linkIn } from '../test/smtp.ts'
import { describeJourneys, expectAccessible, signIn } from './server.ts'

/** Submits a form (or follows a link) and waits for the page it leads to. */
async function press(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.click(selector)])
}

const PASSWORD = 'resident password for the hub'

describeJourneys('knowledge hub contributions and newsletter in the browser, JavaScript off', (journey) => {
  it('residents send resources in English and Arabic; a coordinator publishes one and declines the other', async () => {
    const { browser, server, engine } = journey
    const email = `hub-resident-${engine}@example.org`
    await createVerifiedUser(server.t.platform, {
      email,
      password: PASSWORD,
      displayName: 'Rosa',
      language: 'en',
    })
    const contexts: BrowserContext[] = []
    const fresh = async () => {
      const context = await browser.newContext({ javaScriptEnabled: false })
      context.setDefaultTimeout(15_000)
      contexts.push(context)
      return context.newPage()
    }
    try {
      const page = await fresh()
      const base = server.baseUrl
      const title = `Learning neighbourhoods handbook ${engine}`
      await signIn(page, base, { email, password: PASSWORD }, '/en/chicago/hub')
      await press(page, 'main a[href="/en/chicago/hub/submit"]')
      expect(await page.locator('h1').textContent()).toBe('Send a resource')
      await expectAccessible(browser, page)

      // A mistake first: the summary links to each field, and nothing typed is lost.
      await page.fill('#summary', 'How neighbourhood groups plan learning together, step by step.')
      await page.fill('#links', 'ftp://example.org/handbook')
      await press(page, 'main form button[type="submit"]')
      expect(await page.locator('.error-summary a[href="#title"]').count()).toBe(1)
      expect(await page.locator('.error-summary a[href="#links"]').textContent()).toBe(
        'Links must start with https:// or http://',
      )
      expect(await page.inputValue('#summary')).toContain('neighbourhood groups')
      await expectAccessible(browser, page)

      await page.fill('#title', title)
      await page.fill('#links', `https://handbook.example.org/${engine}/`)
      await page.selectOption('#type', 'guide')
      await page.fill('#year', '2022')
      await page.check('#topics-involvement')
      await page.check('#creditConsent')
      await page.fill('#creditName', 'Rosa M.')
      await press(page, 'main form button[type="submit"]')
      expect(new URL(page.url()).pathname).toBe('/en/chicago/hub/submit/thanks')
      await expectAccessible(browser, page)

      // In Arabic, right to left: the same address again shows the possible duplicate first.
      await page.goto(`${base}/ar/chicago/hub/submit`)
      expect(await page.getAttribute('html', 'dir')).toBe('rtl')
      await page.selectOption('#textLanguage', 'ar')
      await page.fill('#title', `دليل الأحياء المتعلمة ${engine}`)
      await page.fill('#summary', 'كيف تخطط مجموعات الأحياء للتعلم معًا.')
      await page.fill('#links', `http://www.handbook.example.org/${engine}?utm_source=mail`)
      await page.selectOption('#type', 'guide')
      await press(page, 'main form button[type="submit"]')
      expect(await page.locator('#duplicates-title').count()).toBe(1)
      await expectAccessible(browser, page)
      await press(page, 'main form button[type="submit"]')
      expect(new URL(page.url()).pathname).toBe('/ar/chicago/hub/submit/thanks')

      // The coordinator reviews: publishes the English one, declines the Arabic duplicate.
      const coordinator = await fresh()
      await signIn(coordinator, base, server.coordinator, '/en/chicago/hub')
      await press(coordinator, 'main a[href="/en/chicago/hub/review"]')
      await expectAccessible(browser, coordinator)
      await press(coordinator, `main a:has-text("${title}")`)
      await expectAccessible(browser, coordinator)
      await press(coordinator, 'main button[value="publish"]')
      expect(new URL(coordinator.url()).search).toBe('?done=published')
      await press(coordinator, `main a:has-text("دليل الأحياء المتعلمة ${engine}")`)
      await coordinator.fill('#reason', 'The hub already lists this handbook.')
      await press(coordinator, 'main button[value="decline"]')
      expect(new URL(coordinator.url()).search).toBe('?done=declined')

      const mail = await server.smtp.waitFor(email, 15_000, (m) => m.subject === `Published: ${title}`)
      await page.goto(new URL(linkIn(mail, '/hub/resources/')).pathname.replace(/^/, base))
      expect(await page.locator('h1').textContent()).toBe(title)
      expect(await page.locator('main').textContent()).toContain('Rosa M.')
      await server.smtp.waitFor(email, 15_000, (m) => m.subject.startsWith('Not published'))
    } finally {
      for (const context of contexts) await context.close()
    }
  }, 240_000)

  it('a guest subscribes and confirms; the coordinator previews and sends an issue; the reader unsubscribes', async () => {
    const { browser, server, engine } = journey
    const reader = `hub-reader-${engine}@example.org`
    const base = server.baseUrl
    const context = await browser.newContext({ javaScriptEnabled: false })
    const curatorContext = await browser.newContext({ javaScriptEnabled: false })
    try {
      context.setDefaultTimeout(15_000)
      curatorContext.setDefaultTimeout(15_000)
      const page = await context.newPage()
      await page.goto(`${base}/en/chicago/hub`)
      await press(page, 'main a[href="/en/chicago/hub/newsletter"]')
      await expectAccessible(browser, page)
      await page.fill('#email', reader)
      await press(page, 'main form button[type="submit"]')
      expect(await page.locator('h1').textContent()).toBe('Check your email')
      await expectAccessible(browser, page)
      const confirm = await server.smtp.waitFor(reader, 15_000, (m) => m.subject.startsWith('Confirm'))
      await page.goto(linkIn(confirm, '/newsletter/confirm/'))
      await expectAccessible(browser, page)
      await press(page, 'main form button[type="submit"]')
      expect(await page.locator('h1').textContent()).toBe('You are subscribed')
      await expectAccessible(browser, page)

      const curator = await curatorContext.newPage()
      await signIn(curator, base, server.coordinator, '/en/chicago/hub/newsletter/issues')
      await expectAccessible(browser, curator)
      await press(curator, 'main form[method="get"] button[type="submit"]')
      await expectAccessible(browser, curator)
      await curator.fill('#subject', `Chicago hub news ${engine}`)
      await curator.fill('#intro', 'New this month in the hub.')
      await press(curator, 'main form button[type="submit"]')
      expect(new URL(curator.url()).search).toBe('?done=saved')
      await expectAccessible(browser, curator)
      const issuePath = new URL(curator.url()).pathname
      await curator.goto(`${base}${issuePath}/preview`)
      expect(await curator.locator('h1').textContent()).toBe(`Chicago hub news ${engine}`)
      await expectAccessible(browser, curator)
      await curator.goto(`${base}${issuePath}`)
      await press(curator, 'main section form button[type="submit"]')
      await expectAccessible(browser, curator)

      const issue = await server.smtp.waitFor(
        reader,
        20_000,
        (m) => m.subject === `Chicago hub news ${engine}`,
      )
      await page.goto(linkIn(issue, '/newsletter/unsubscribe/'))
      await expectAccessible(browser, page)
      await press(page, 'main form button[type="submit"]')
      expect(await page.locator('h1').textContent()).toBe('You are unsubscribed')
      await expectAccessible(browser, page)
    } finally {
      await context.close()
      await curatorContext.close()
    }
  }, 240_000)
})
