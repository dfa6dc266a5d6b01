import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { createOpportunity } from '../src/modules/opportunities/index.ts'
import { createOrganization } from '../src/modules/organizations/index.ts'
import { opportunityFactory } from '../test/factories.ts'
import { engines } from '../test/platform.ts'
import {
  type E2eServer,
  expectNoAxeViolations,
  hasChromium,
  launchChromium,
  startE2eServer,
} from './server.ts'

// Without Chromium the file skips, unless CHROMIUM_REQUIRED is set: then it runs and fails at launch.
const run = hasChromium || process.env.CHROMIUM_REQUIRED ? describe : describe.skip

const PROVIDER = 'provider@demo.learncity.localhost'

/** The demo provider admin's password, from the line the demo seed printed once. */
function providerPassword(server: E2eServer): string {
  const line = server.seedLines.find((l) => l.includes(PROVIDER))
  const password = line ? /password:\s*(\S+)/.exec(line)?.[1] : undefined
  if (!password)
    throw new Error(`The demo seed did not print the provider password:\n${server.seedLines.join('\n')}`)
  return password
}

async function signIn(page: Page, base: string, email: string, password: string, next: string) {
  await page.goto(`${base}/en/account/sign-in?next=${encodeURIComponent(next)}`)
  await page.fill('#email', email)
  await page.fill('#password', password)
  await Promise.all([page.waitForURL(`**${next}`), page.click('main form button[type="submit"]')])
}

/** Clicks a submit button and waits for the page it leads to. */
async function press(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.click(selector)])
}

run('publishing in the browser, JavaScript off', () => {
  let browser: Browser

  /**
   * axe needs JavaScript, which these journeys run without: the HTML the page got (POST results
   * included) is replayed at the same address in a JavaScript-enabled page, with the real stylesheet.
   */
  async function expectAccessible(page: Page) {
    const html = await page.content()
    const url = page.url()
    const context = await browser.newContext()
    try {
      const replay = await context.newPage()
      await replay.route(
        (u) => u.href === url,
        (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      )
      await replay.goto(url)
      await expectNoAxeViolations(replay)
    } finally {
      await context.close()
    }
  }
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

    it('the demo provider fills the form, previews, publishes, and residents see it', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false })
      try {
        const page = await context.newPage()
        const base = server.baseUrl
        const title = `Bike repair basics ${engine}`
        await signIn(page, base, PROVIDER, providerPassword(server), '/en/chicago/provide')
        expect(await page.locator('h1').textContent()).toBe('Your opportunities')
        await expectAccessible(page)

        // The form, first with a mistake: the error summary links to the field and nothing is lost.
        await Promise.all([page.waitForNavigation(), page.click('main a.button')])
        expect(new URL(page.url()).pathname).toMatch(/^\/en\/chicago\/provide\/\d+\/new$/)
        await expectAccessible(page)
        await page.fill('#description-en', 'Fix a flat tyre and adjust your brakes. Bring your bike.')
        await press(page, 'button[value="draft"]')
        expect(await page.locator('.error-summary a[href="#title-en"]').count()).toBe(1)
        expect(await page.inputValue('#description-en')).toContain('Fix a flat tyre')
        await expectAccessible(page)

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
        await expectAccessible(page)

        await press(page, 'button[value="publish"]')
        expect(new URL(page.url()).search).toBe('?done=published')
        await expectAccessible(page)
        const row = page.locator('tr', { hasText: title })
        expect(await row.locator('td').first().textContent()).toBe('published')

        // Status and sessions, then the change history.
        await Promise.all([
          page.waitForNavigation(),
          row.locator('a', { hasText: 'Status and sessions' }).click(),
        ])
        await expectAccessible(page)
        await Promise.all([page.waitForNavigation(), page.click('main a[href$="/history"]')])
        expect(await page.locator('tbody').textContent()).toContain('Created and published')
        await expectAccessible(page)

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
        const { email, password } = server.coordinator
        await signIn(page, server.baseUrl, email, password, '/en/chicago/admin/review')
        expect(await page.locator('h1').textContent()).toBe('Review queue')
        const card = page.locator('article', { hasText: 'Waiting for review' })
        await expectAccessible(page)
        // Returning needs a note: without one the field is flagged; with one it goes back to the provider.
        await Promise.all([
          page.waitForNavigation(),
          card.locator('button', { hasText: 'Return with note' }).click(),
        ])
        expect(await page.locator('.error-summary a').getAttribute('href')).toBe(`#note-${created.value.id}`)
        await expectAccessible(page)
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
        await expectAccessible(page)
      } finally {
        await context.close()
      }
    }, 120_000)
  })
})
