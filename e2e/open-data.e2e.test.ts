import { expect, it } from 'vitest'
import { openDataFeeds } from '../src/modules/interop/index.ts'
import { describeJourneys, expectAccessible } from './server.ts'

describeJourneys('the open data page', (journey) => {
  it('without JavaScript: from the city to its open data, every feed with its licence, in English and Arabic', async () => {
    const context = await journey.browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const base = journey.server.baseUrl
      await page.goto(`${base}/en/chicago`)
      await Promise.all([
        page.waitForURL('**/en/chicago/open-data'),
        page.getByRole('link', { name: 'Open data', exact: true }).first().click(),
      ])
      expect(await page.locator('h1').textContent()).toBe('Open data')
      const rows = page.locator('table tbody tr')
      expect(await rows.count()).toBe(openDataFeeds.length)
      expect(await page.locator('table a[rel="license"]').count()).toBe(openDataFeeds.length)
      await expectAccessible(journey.browser, page)

      // The opportunities feed the page links to answers with the demo city's catalogue.
      const feedUrl = await page
        .getByRole('row', { name: /Opportunities \(RPDE\)/ })
        .getByRole('link', { name: /\/feeds\/opportunities$/ })
        .getAttribute('href')
      expect(feedUrl).toBe(`${base}/api/v1/cities/chicago/feeds/opportunities`)
      const feed = (await (await page.request.get(feedUrl!)).json()) as { items: unknown[]; next: string }
      expect(feed.items.length).toBeGreaterThan(0)
      expect(feed.next.startsWith(`${base}/api/v1/cities/chicago/feeds/opportunities?afterTimestamp=`)).toBe(
        true,
      )
      const csvUrl = await page.getByRole('link', { name: /opportunities\.csv$/ }).getAttribute('href')
      const csv = await page.request.get(csvUrl!)
      expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8')
      expect((await csv.text()).split('\n')[0]).toContain('title_en')

      await page.getByRole('link', { name: 'العربية' }).first().click()
      await page.waitForURL('**/ar/chicago/open-data')
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('h1').textContent()).toBe('البيانات المفتوحة')
      await expectAccessible(journey.browser, page)
    } finally {
      await context.close()
    }
  })
})
