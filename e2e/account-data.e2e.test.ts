import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { createVerifiedUser, signIn as signInUseCase } from '../src/modules/accounts/index.ts'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { addStaff, createOrganization } from '../src/modules/organizations/index.ts'
import { firstRow, sql } from '../src/platform/db/index.ts'
import { describeJourneys, expectAccessible, type Journey, signIn } from './server.ts'

const PASSWORD = 'correct horse battery staple'
let n = 0

/** A learner of Chicago with a saved search, so the download has something of theirs to show. */
async function learner(journey: Journey) {
  const { platform } = journey.server.t
  const email = `leaver-${n++}-${journey.engine}@example.org`
  const userId = await createVerifiedUser(platform, {
    email,
    password: PASSWORD,
    displayName: 'Leaver',
    language: 'en',
  })
  const city = (await findCityBySlug(platform.db, 'chicago'))!
  await platform.db.execute(
    sql`insert into discovery_saved_searches (city_id, user_id, name, query, language, key)
        values (${city.id}, ${userId}, 'Pottery near me', 'q=pottery', 'en', ${`e2e-key-${email}`})`,
  )
  return { email, password: PASSWORD, userId }
}

/** Presses Tab until the element matching `selector` has focus; fails after `max` presses. */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`${selector} not reached with ${max} presses of Tab on ${page.url()}`)
}

describeJourneys('downloading my data and deleting my account', (journey) => {
  it('without JavaScript and with the keyboard only: download my data, then delete my account', async () => {
    const person = await learner(journey)
    const context = await journey.browser.newContext({ javaScriptEnabled: false, acceptDownloads: true })
    try {
      const page = await context.newPage()
      const base = journey.server.baseUrl
      await signIn(page, base, person, '/en/account')
      await expectAccessible(journey.browser, page)

      await tabTo(page, 'a[href="/en/account/my-data"]')
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
      expect(download.suggestedFilename()).toMatch(/^learncity-my-data-\d{4}-\d{2}-\d{2}\.json$/)
      const data = JSON.parse(readFileSync((await download.path())!, 'utf8'))
      expect(data.sections.accounts.profile.email).toBe(person.email)
      expect(data.sections.discovery.savedSearches).toEqual([
        expect.objectContaining({ name: 'Pottery near me', query: 'q=pottery' }),
      ])

      await tabTo(page, 'a[href="/en/account/delete"]')
      await Promise.all([page.waitForURL(`${base}/en/account/delete`), page.keyboard.press('Enter')])
      expect(await page.locator('h1').textContent()).toBe('Delete your account')
      await expectAccessible(journey.browser, page)

      // A wrong password: the error summary says so, and nothing is deleted.
      await tabTo(page, '#password')
      await page.keyboard.type('not the password')
      await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')])
      await page.waitForSelector('.error-summary')
      expect(await page.locator('.error-summary').textContent()).toContain(
        'The password is not right. Nothing was deleted.',
      )
      await expectAccessible(journey.browser, page)
      expect(
        await firstRow(journey.server.t.platform.db, sql`select id from users where id = ${person.userId}`),
      ).toBeDefined()

      await tabTo(page, '#password')
      await page.keyboard.type(PASSWORD)
      await Promise.all([page.waitForURL(`${base}/en/account/deleted`), page.keyboard.press('Enter')])
      expect(await page.locator('h1').textContent()).toBe('Your account was deleted')
      expect(await page.locator('header form[action$="/account/sign-out"]').count()).toBe(0)
      await expectAccessible(journey.browser, page)

      const mail = await journey.server.smtp.waitFor(person.email, 15_000, (m) =>
        m.subject.includes('Your account was deleted'),
      )
      expect(mail.text).toContain(`${base}/en/account/sign-up`)
      const again = await signInUseCase(
        journey.server.t.platform,
        { email: person.email, password: PASSWORD, remember: false },
        { ip: '198.51.100.20', userAgent: 'e2e' },
      )
      expect(again).toMatchObject({ ok: false, error: 'wrong-credentials' })
    } finally {
      await context.close()
    }
  }, 240_000)

  it('in Arabic, right to left, the deletion page explains what goes and what stays', async () => {
    const person = await learner(journey)
    const context = await journey.browser.newContext()
    try {
      const page = await context.newPage()
      const base = journey.server.baseUrl
      await signIn(page, base, person)
      await page.goto(`${base}/ar/account/delete`)
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('h1').textContent()).toBe('حذف حسابك')
      expect(await page.locator('main').textContent()).toContain('ما نحتفظ به دون اسمك')
      await expectAccessible(journey.browser, page)

      // The only admin of a provider is told to hand over first, in Arabic, and nothing is deleted.
      const { platform } = journey.server.t
      const city = (await findCityBySlug(platform.db, 'chicago'))!
      const org = await createOrganization(platform, city.id, {
        slug: `solo-${journey.engine}-${n}`,
        name: { en: 'Solo Studio', ar: 'استوديو منفرد' },
        sector: 'community',
        trusted: true,
      })
      if (!org.ok) throw new Error(org.error)
      await addStaff(platform, city.id, org.value, person.userId, 'admin')
      await page.fill('#password', PASSWORD)
      await Promise.all([page.waitForLoadState('load'), page.click('main form button[type="submit"]')])
      await page.waitForSelector('#blockers')
      expect(await page.locator('.error-summary').textContent()).toContain('استوديو منفرد')
      await expectAccessible(journey.browser, page)
      expect(await firstRow(platform.db, sql`select id from users where id = ${person.userId}`)).toBeDefined()
    } finally {
      await context.close()
    }
  }, 120_000)
})
