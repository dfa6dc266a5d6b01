import type { Browser, Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { describeJourneys, expectAccessible, signIn } from './server.ts'

/** Follows a link or submits a form and waits for the page it leads to. */
async function press(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.click(selector)])
}

/** Parses XML with the browser's strict parser; returns the root element's name or the parser's error. */
async function parseXml(
  browser: Browser,
  xml: string,
): Promise<{ root: string; error: string | null; items: number }> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    return await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml')
      const error = doc.getElementsByTagName('parsererror')[0]
      return {
        root: doc.documentElement.nodeName,
        error: error ? (error.textContent ?? 'parse error') : null,
        items: doc.getElementsByTagName('item').length + doc.getElementsByTagName('entry').length,
      }
    }, xml)
  } finally {
    await context.close()
  }
}

describeJourneys('knowledge hub in the browser, JavaScript off', (journey) => {
  it('browses, searches with a typo, filters and opens a resource and its part in English', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      context.setDefaultTimeout(15_000)
      const page = await context.newPage()
      await page.goto(`${server.baseUrl}/en/chicago`)
      await press(page, 'nav.main-nav a[href="/en/chicago/hub"]')
      expect(await page.locator('h1').textContent()).toBe('Knowledge hub')
      await expectAccessible(browser, page)

      await page.fill('#hub-q', 'guidlines')
      await press(page, 'main button[type="submit"]')
      expect(new URL(page.url()).search).toBe('?q=guidlines&topic=&type=&language=')
      expect(await page.locator('main .notice').textContent()).toContain(
        'Nothing matched “guidlines” exactly',
      )
      await expectAccessible(browser, page)

      await page.fill('#hub-q', '')
      await page.selectOption('#hub-topic', 'covid-19-recovery')
      await press(page, 'main button[type="submit"]')
      expect(await page.locator('#results').textContent()).toBe('2 resources')
      await press(
        page,
        'main .card a:text-is("Learning Cities’ COVID-19 recovery: from research to practice")',
      )
      expect(await page.locator('h1').textContent()).toBe(
        'Learning Cities’ COVID-19 recovery: from research to practice',
      )
      expect(await page.locator('main ol li').count()).toBe(6)
      const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}')
      expect(ld['@type']).toBe('EventSeries')
      await expectAccessible(browser, page)

      await press(page, 'main ol li:first-child a')
      expect(await page.locator('main').textContent()).toContain('Not known')
      await expectAccessible(browser, page)
    } finally {
      await context.close()
    }
  })

  it('shows the explainer and the curators’ broken links in English; feeds parse as XML', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      context.setDefaultTimeout(15_000)
      const page = await context.newPage()
      await page.goto(`${server.baseUrl}/en/chicago/hub/what-is-a-learning-city`)
      expect(await page.locator('h1').textContent()).toBe('What is a learning city?')
      await expectAccessible(browser, page)

      for (const feed of ['feed.rss', 'feed.atom']) {
        const res = await page.request.get(`${server.baseUrl}/en/chicago/hub/${feed}`)
        const parsed = await parseXml(browser, await res.text())
        expect(parsed.error, feed).toBeNull()
        expect(parsed.root).toBe(feed === 'feed.rss' ? 'rss' : 'feed')
        expect(parsed.items).toBeGreaterThan(30)
      }

      await signIn(page, server.baseUrl, server.coordinator, '/en/chicago/hub/broken-links')
      expect(await page.locator('h1').textContent()).toBe('Broken links in the knowledge hub')
      await expectAccessible(browser, page)
    } finally {
      await context.close()
    }
  })

  it('searches and opens a resource in Arabic, right to left', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      await page.goto(`${server.baseUrl}/ar/chicago/hub`)
      expect(await page.getAttribute('html', 'dir')).toBe('rtl')
      expect(await page.locator('h1').textContent()).toBe('مركز المعرفة')
      await expectAccessible(browser, page)
      await page.fill('#hub-q', 'المبادئ التوجيهية')
      await press(page, 'main button[type="submit"]')
      await press(page, 'main .card a:text-is("المبادئ التوجيهية لبناء مدن التعلم")')
      expect(await page.locator('h1').textContent()).toBe('المبادئ التوجيهية لبناء مدن التعلم')
      expect(await page.locator('main').textContent()).toContain('غير معروفة')
      await expectAccessible(browser, page)
      await page.goto(`${server.baseUrl}/ar/chicago/hub/what-is-a-learning-city`)
      expect(await page.locator('h1').textContent()).toBe('ما مدينة التعلم؟')
      await expectAccessible(browser, page)
    } finally {
      await context.close()
    }
  })
})
