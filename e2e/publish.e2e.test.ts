import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { createOpportunity } from '../src/modules/opportunities/index.ts'
import { createOrganization } from '../src/modules/organizations/index.ts'
import { opportunityFactory } from '../test/factories.ts'
import { describeJourneys, expectAccessible, signIn } from './server.ts'

/** Clicks a submit button and waits for the page it leads to. */
async function press(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.click(selector)])
}

describeJourneys('publishing in the browser, JavaScript off', (journey) => {
  it('the demo provider fills the form, previews, publishes, and residents see it', async () => {
    const { browser, server, engine } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const base = server.baseUrl
      const title = `Bike repair basics ${engine}`
      await signIn(page, base, server.provider, '/en/chicago/provide')
      expect(await page.locator('h1').textContent()).toBe('Your opportunities')
      await expectAccessible(browser, page)

      // The form, first with a mistake: the error summary links to the field and nothing is lost.
      await Promise.all([page.waitForNavigation(), page.click('main a.button')])
      expect(new URL(page.url()).pathname).toMatch(/^\/en\/chicago\/provide\/\d+\/new$/)
      await expectAccessible(browser, page)
      await page.fill('#description-en', 'Fix a flat tyre and adjust your brakes. Bring your bike.')
      await press(page, 'button[value="draft"]')
      expect(await page.locator('.error-summary a[href="#title-en"]').count()).toBe(1)
      expect(await page.inputValue('#description-en')).toContain('Fix a flat tyre')
      await expectAccessible(browser, page)

      await page.fill('#title-en', title)
      await page.check('#buildingBlock')
      await page.check('#groups-adults')
      await page.check('#format')
      await page.selectOption('#venueId', { index: 1 })
      await page.check('#scheduleKind-series')
      await page.fill('#start', '2027-11-06T10:00')
      await page.fill('#durationMinutes', '120')
      await page.check('#frequency')
      await page.check('#weekdays-SA')
      await page.fill('#count', '3')
      await page.check('#accessibility')
      await page.fill('#imageUrl', '/static/demo/learning.svg')
      await page.fill('#imageAlt-en', 'A bicycle upside down on a workbench')

      // Preview: as residents will see it, in the city's time zone, and not saved.
      await press(page, 'button[value="preview"]')
      const preview = page.locator('section.preview')
      expect(await preview.locator('h3').textContent()).toBe(title)
      expect(await preview.textContent()).toContain('Next session: Saturday, November 6, 2027 at 10:00')
      expect(await preview.textContent()).toContain('3 upcoming sessions')
      expect(await page.inputValue('#title-en')).toBe(title)
      await expectAccessible(browser, page)

      await press(page, 'button[value="publish"]')
      expect(new URL(page.url()).search).toBe('?done=published')
      await expectAccessible(browser, page)
      const row = page.locator('tr', { hasText: title })
      expect(await row.locator('td').first().textContent()).toBe('published')

      // Status and sessions, then the change history.
      await Promise.all([
        page.waitForNavigation(),
        row.locator('a', { hasText: 'Status and sessions' }).click(),
      ])
      await expectAccessible(browser, page)
      await Promise.all([page.waitForNavigation(), page.click('main a[href$="/history"]')])
      expect(await page.locator('tbody').textContent()).toContain('Created and published')
      await expectAccessible(browser, page)

      // The public page, as a resident without an account sees it.
      const resident = await browser.newContext({ javaScriptEnabled: false })
      try {
        const publicPage = await resident.newPage()
        await publicPage.goto(`${base}/en/chicago/opportunities`)
        await Promise.all([publicPage.waitForNavigation(), publicPage.click(`a:has-text("${title}")`)])
        expect(await publicPage.locator('h1').textContent()).toBe(title)
        expect(await publicPage.locator('.facts').textContent()).toContain('Saturday, November 6, 2027')
        const ics = await resident.request.get(
          `${base}/en/chicago/providers/demo-learning-collective/calendar.ics`,
        )
        expect(ics.status()).toBe(200)
        expect(ics.headers()['content-type']).toContain('text/calendar')
        expect(await ics.text()).toContain(`SUMMARY:${title}`)
      } finally {
        await resident.close()
      }
    } finally {
      await context.close()
    }
  }, 360_000)

  it('a coordinator reviews the queue without JavaScript', async () => {
    const { browser, server, engine } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const { platform } = server.t
      const city = (await findCityBySlug(platform.db, 'chicago'))!
      const org = await createOrganization(platform, city.id, {
        slug: `reviewed-${engine}`,
        name: { en: 'Reviewed Group' },
        sector: 'community',
      })
      if (!org.ok) throw new Error('organization')
      // An editor of a provider that is not trusted: "publish" sends it for review.
      const actor = {
        userId: null,
        label: 'Seeder',
        cityId: city.id,
        timeZone: city.timeZone,
        coordinator: false,
        organizations: [{ id: org.value, role: 'editor' as const, trusted: false }],
      }
      const created = await createOpportunity(
        platform,
        actor,
        org.value,
        opportunityFactory({ title: { en: 'Waiting for review' } }),
        { publish: true },
      )
      if (!created.ok || created.value.status !== 'submitted') throw new Error('submission')
      await signIn(page, server.baseUrl, server.coordinator, '/en/chicago/admin/review')
      expect(await page.locator('h1').textContent()).toBe('Review queue')
      const card = page.locator('article', { hasText: 'Waiting for review' })
      await expectAccessible(browser, page)
      // Returning needs a note: without one the field is flagged; with one it goes back to the provider.
      await Promise.all([
        page.waitForNavigation(),
        card.locator('button', { hasText: 'Return with note' }).click(),
      ])
      expect(await page.locator('.error-summary a').getAttribute('href')).toBe(`#note-${created.value.id}`)
      await expectAccessible(browser, page)
      await page.fill(`#note-${created.value.id}`, 'Please add the room number.')
      await Promise.all([
        page.waitForNavigation(),
        page
          .locator('article', { hasText: 'Waiting for review' })
          .locator('button', { hasText: 'Return with note' })
          .click(),
      ])
      expect(await page.locator('.notice').textContent()).toContain('Returned to the provider')
      expect(await page.locator('main').textContent()).not.toContain('Waiting for review')
      await page.goto(`${server.baseUrl}/en/chicago/provide`)
      await expectAccessible(browser, page)
    } finally {
      await context.close()
    }
  }, 120_000)
})
