import { expect, it } from 'vitest'
import { sendDueDigests } from '../src/modules/discovery/saved/digest.ts'
import { sql } from '../src/platform/db/index.ts'
import { linkIn } from '../test/smtp.ts'
import { describeJourneys, expectAccessible } from './server.ts'

describeJourneys('saved searches in the browser, JavaScript off', (journey) => {
  it('a resident saves a search from the search page, signing in on the way, changes it and deletes it', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      await page.goto(`${server.baseUrl}/en/chicago/opportunities?free=yes`)
      await page.fill('#save-name', 'Free in Chicago')
      await page.selectOption('#save-frequency', 'daily')
      // Not signed in yet: the sign-in page, then a form that saves the search.
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/en/account/sign-in'),
        page.click('button:has-text("Save this search")'),
      ])
      await page.fill('#email', server.coordinator.email)
      await page.fill('#password', server.coordinator.password)
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/en/chicago/saved-searches/new'),
        page.click('main form button[type="submit"]'),
      ])
      expect(await page.locator('#name').inputValue()).toBe('Free in Chicago')
      expect(await page.locator('input[name="frequency"][value="daily"]').isChecked()).toBe(true)
      expect(await page.locator('#query').textContent()).toContain('Free')
      await expectAccessible(browser, page)
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/en/chicago/saved-searches' && u.searchParams.has('saved')),
        page.click('main button:has-text("Save search")'),
      ])
      expect(await page.locator('.notice[role="status"]').textContent()).toContain(
        'Saved “Free in Chicago”. We will email you once a day',
      )
      expect(await page.locator('main .card h2').allTextContents()).toEqual(['Free in Chicago'])
      await expectAccessible(browser, page)

      // Run it: the search page with its filters.
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/en/chicago/opportunities'),
        page.click('main .card a:has-text("Run this search")'),
      ])
      expect(new URL(page.url()).search).toBe('?free=yes')
      await page.goBack()

      // By keyboard: weekly, in Spanish.
      await page.locator('main .card select[name="frequency"]').focus()
      await page.selectOption('main .card select[name="frequency"]', 'weekly')
      await page.selectOption('main .card select[name="language"]', 'es')
      await Promise.all([
        page.waitForURL((u) => u.searchParams.has('changed')),
        page.locator('main .card button:has-text("Save changes")').press('Enter'),
      ])
      expect(await page.locator('.notice[role="status"]').textContent()).toContain('is emailed once a week')
      expect(await page.locator('main .card dl').textContent()).toContain('Weekly, Español')
      await expectAccessible(browser, page)

      await Promise.all([
        page.waitForURL((u) => u.searchParams.get('deleted') === '1'),
        page.click('main .card button:has-text("Delete this saved search")'),
      ])
      expect(await page.locator('.notice[role="status"]').textContent()).toContain(
        'The saved search is deleted.',
      )
      expect(await page.locator('main .card').count()).toBe(0)
      await expectAccessible(browser, page)

      // Signed in, the search page's form saves at once; a digest then comes with a link that stops it.
      await page.goto(`${server.baseUrl}/en/chicago/opportunities?free=yes&lang=es`)
      await page.selectOption('#save-frequency', 'daily')
      await Promise.all([
        page.waitForURL((u) => u.searchParams.has('saved')),
        page.click('button:has-text("Save this search")'),
      ])
      expect(await page.locator('main .card h2').allTextContents()).toEqual(['Free · in Spanish'])
      // In Arabic, right to left, and still accessible.
      await page.goto(`${server.baseUrl}/ar/chicago/saved-searches`)
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('main h1').textContent()).toBe('عمليات البحث المحفوظة')
      await expectAccessible(browser, page)
      const db = server.t.platform.db
      // A day passes, and a free one in Spanish was published in it.
      await db.execute(
        sql`update discovery_saved_searches set checked_until = now() - interval '25 hours',
              created_at = now() - interval '25 hours'`,
      )
      await db.execute(
        sql`update opportunities set published_at = now() - interval '1 hour'
            where id = (select min(id) from opportunities where free and 'es' = any(languages) and status = 'published')`,
      )
      expect((await sendDueDigests(server.t.platform)).sent).toBe(1)
      const mail = await server.smtp.waitFor(server.coordinator.email, 15_000, (m) =>
        m.subject.includes('“Free · in Spanish”'),
      )
      await page.goto(linkIn(mail, '/saved-searches/unsubscribe/'))
      expect(await page.locator('main').textContent()).toContain('Free · in Spanish')
      await expectAccessible(browser, page)
      await page.click('main button:has-text("Delete the saved search")')
      expect(await page.locator('main h1').textContent()).toBe('The emails have stopped')
      await expectAccessible(browser, page)
      await page.goto(`${server.baseUrl}/en/chicago/saved-searches`)
      expect(await page.locator('main').textContent()).toContain('You have no saved searches yet.')
    } finally {
      await context.close()
    }
  }, 180_000)
})
