import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { createVerifiedUser } from '../src/modules/accounts/index.ts'
import { defineAchievement } from '../src/modules/badges/achievements.ts'
import { png } from '../src/modules/badges/console/test-png.ts'
import { DEMO_PROVIDER } from '../src/modules/demo/index.ts'
import { firstRow, sql } from '../src/platform/db/index.ts'
import { describeJourneys, expectAccessible, type Journey, signIn } from './server.ts'

const PASSWORD = 'correct horse battery staple'
let n = 0

/** A learner account (verified, as after the sign-up flow's email link). */
async function learner(journey: Journey) {
  const account = { email: `learner-${n++}-${journey.engine}@example.org`, password: PASSWORD }
  await createVerifiedUser(journey.server.t.platform, {
    ...account,
    displayName: 'Lee Learner',
    language: 'en',
  })
  return account
}

/** The id of the demo provider the demo provider admin runs. */
async function demoOrganization(journey: Journey) {
  const row = await firstRow<{ id: number }>(
    journey.server.t.platform.db,
    sql`select s.organization_id::int as id from organization_staff s join users u on u.id = s.user_id
        where u.email = ${DEMO_PROVIDER} limit 1`,
  )
  return row!.id
}

/** Presses Tab until the focused element matches the selector (as a keyboard user moves through a page). */
async function tabTo(page: Page, selector: string, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`${selector} not reached with the Tab key`)
}

/** Signs in with the keyboard only: Tab to each field, type, Enter. */
async function signInByKeyboard(
  page: Page,
  baseUrl: string,
  account: { email: string; password: string },
  next: string,
) {
  await page.goto(`${baseUrl}/en/account/sign-in?next=${encodeURIComponent(next)}`)
  await tabTo(page, '#email')
  await page.keyboard.type(account.email)
  await tabTo(page, '#password')
  await page.keyboard.type(account.password)
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/en/account/sign-in'),
    page.keyboard.press('Enter'),
  ])
}

describeJourneys('the badges console', (journey) => {
  it('keyboard only, without JavaScript: the provider withdraws a claim code after confirming; a learner is told it was withdrawn', async () => {
    const base = journey.server.baseUrl
    const org = await demoOrganization(journey)
    const db = journey.server.t.platform.db
    const provider = (await firstRow<{ id: number }>(
      db,
      sql`select id::int as id from users where email = ${DEMO_PROVIDER}`,
    ))!
    const city = (await firstRow<{ id: number }>(
      db,
      sql`select id::int as id from cities where slug = 'chicago'`,
    ))!
    const made = await defineAchievement(
      journey.server.t.platform,
      { userId: provider.id, isNetworkAdmin: false },
      city.id,
      org,
      {
        type: 'participation',
        name: { en: 'Festival stand' },
        description: { en: 'Visited our stand at the learning festival.' },
        criteria: { en: 'Come to the stand and try the soldering kit.' },
      },
    )
    if (!made.ok) throw new Error(JSON.stringify(made))
    const badge = `/en/chicago/provide/${org}/badges/${made.value}`
    const early = await learner(journey)
    const late = await learner(journey)
    const staff = await journey.browser.newContext({ javaScriptEnabled: false })
    const learners = await journey.browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await staff.newPage()
      await signInByKeyboard(page, base, journey.server.provider, badge)
      expect(new URL(page.url()).pathname).toBe(badge)
      // A claim code for three people, made from the keyboard.
      await tabTo(page, '#maxUses')
      await page.keyboard.press('Control+A')
      await page.keyboard.type('3')
      await Promise.all([page.waitForURL(/\/codes\/\d+\?done=code$/), page.keyboard.press('Enter')])
      const code = (await page.locator('.poster code').textContent())!
      const codeUrl = new URL(page.url()).pathname
      expect(await page.locator('.facts').textContent()).toContain('Can be claimed')

      // One learner claims before it is withdrawn.
      const mine = await learners.newPage()
      await signInByKeyboard(mine, base, early, `/en/chicago/badges/claim?code=${code}`)
      await tabTo(mine, 'main button[type="submit"]')
      await Promise.all([mine.waitForURL(/claimed=/), mine.keyboard.press('Enter')])

      // Withdraw: the link on the code's page, then the confirmation.
      await page.goto(`${base}${badge}`)
      await tabTo(page, `a[href="${codeUrl}"]`)
      await Promise.all([page.waitForURL(`**${codeUrl}`), page.keyboard.press('Enter')])
      await tabTo(page, `a[href="${codeUrl}/withdraw"]`)
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Withdraw this code')
      await Promise.all([page.waitForURL(`**${codeUrl}/withdraw`), page.keyboard.press('Enter')])
      expect(await page.locator('h1').textContent()).toBe(`Withdraw the claim code ${code}?`)
      await expectAccessible(journey.browser, page)
      await tabTo(page, 'main button[type="submit"]')
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Yes, withdraw it')
      await Promise.all([page.waitForURL(/\?done=withdrawn$/), page.keyboard.press('Enter')])
      expect(await page.getByRole('status').textContent()).toContain('The claim code is withdrawn')
      expect(await page.locator('main').textContent()).toContain('It can no longer be claimed')
      expect(await page.locator('main img').count()).toBe(0)
      await expectAccessible(journey.browser, page)
      // Still listed on the badge's page, marked withdrawn, with when and by whom.
      await tabTo(page, `main a[href="${badge}"]`)
      await Promise.all([page.waitForURL(`**${badge}`), page.keyboard.press('Enter')])
      const row = page.locator('tr', { hasText: code })
      expect(await row.textContent()).toMatch(/Withdrawn .+ by /)
      await expectAccessible(journey.browser, page)

      // A learner who types the code (in Arabic, right to left) is told it was withdrawn.
      const other = await journey.browser.newContext({ javaScriptEnabled: false })
      try {
        const theirs = await other.newPage()
        await signInByKeyboard(theirs, base, late, '/ar/chicago/badges/claim')
        expect(await theirs.locator('html').getAttribute('dir')).toBe('rtl')
        await tabTo(theirs, '#code')
        await theirs.keyboard.type(code)
        await theirs.keyboard.press('Enter')
        await theirs.waitForSelector('.error-summary')
        expect(await theirs.locator('.error-summary a[href="#code"]').textContent()).toBe(
          'سحبَ هذا الرمزَ من وزّعه، فلم يعد من الممكن استخدامه.',
        )
        await expectAccessible(journey.browser, theirs)
      } finally {
        await other.close()
      }
    } finally {
      await staff.close()
      await learners.close()
    }
  }, 240_000)

  it('without JavaScript: a provider defines a badge with an image, awards it, makes a claim code; a learner claims it', async () => {
    const base = journey.server.baseUrl
    const org = await demoOrganization(journey)
    const badges = `/en/chicago/provide/${org}/badges`
    const [awarded, claimer] = [await learner(journey), await learner(journey)]
    const provider = await journey.browser.newContext({ javaScriptEnabled: false })
    const learnerContext = await journey.browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await provider.newPage()
      await signIn(page, base, journey.server.provider, badges)
      expect(await page.locator('h1').textContent()).toBe('Badges')
      await expectAccessible(journey.browser, page)

      await page.getByRole('link', { name: 'Define a new badge' }).click()
      await page.waitForURL(`**${badges}/new`)
      await expectAccessible(journey.browser, page)
      // Nothing filled in: every problem is listed at the top and linked to its field.
      await page.getByRole('button', { name: 'Define the badge' }).click()
      expect(await page.locator('.error-summary a[href="#name-en"]').textContent()).toBe(
        "Enter the badge's name in at least one language",
      )
      expect(await page.locator('.error-summary a[href="#criteria-en"]').count()).toBe(1)
      await expectAccessible(journey.browser, page)

      await page.selectOption('#type', 'skill')
      await page.fill('#name-en', 'Bike mechanic')
      await page.fill('#description-en', 'Can service a bicycle safely.')
      await page.fill('#criteria-en', 'Attend the repair workshop and fix a puncture on your own.')
      await page.selectOption('#level', 'introductory')
      await page.fill('#tags', 'repair, cycling')
      await page.fill('#alignment-0-name', 'repair bicycles')
      await page.fill(
        '#alignment-0-url',
        'http://data.europa.eu/esco/skill/7a5a3b1e-0000-4000-8000-000000000001',
      )
      await page.fill('#alignment-0-framework', 'ESCO')
      await page.fill('#validDays', '730')
      await page
        .locator('#image')
        .setInputFiles({ name: 'bike.png', mimeType: 'image/png', buffer: Buffer.from(png(64, 64)) })
      await page.getByRole('button', { name: 'Define the badge' }).click()
      await page.waitForURL(/\/badges\/\d+\?done=saved$/)
      expect(await page.locator('h1').textContent()).toBe('Bike mechanic')
      expect(await page.getByRole('status').textContent()).toBe('The badge is saved.')
      expect(await page.locator('main img[src$="/image.png"]').count()).toBe(1)
      await expectAccessible(journey.browser, page)

      // Award it by email.
      await page.fill('#emails', `${awarded.email}\n`)
      await page.getByRole('button', { name: 'Award the badge' }).click()
      await page.waitForURL(/done=awarded$/)
      expect(await page.getByRole('status').textContent()).toContain('The badge is awarded.')
      expect(await page.locator('table').last().textContent()).toContain(`${awarded.email[0]}•••@example.org`)
      await expectAccessible(journey.browser, page)

      // A claim code for up to five people, with its QR code and a print view.
      await page.fill('#maxUses', '5')
      await page.getByRole('button', { name: 'Create a claim code' }).click()
      await page.waitForURL(/\/codes\/\d+\?done=code$/)
      const code = (await page.locator('.poster code').textContent())!
      expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/)
      expect(await page.getByAltText(`QR code of the claim page with the code ${code}`).count()).toBe(1)
      await expectAccessible(journey.browser, page)
      await page.getByRole('link', { name: 'Print-friendly view' }).click()
      await page.waitForURL(/\/print$/)
      expect(await page.locator('h1').textContent()).toBe('Get the badge Bike mechanic')
      await expectAccessible(journey.browser, page)

      // The learner scans the QR code: sign in first, then back to the filled-in claim page.
      const mine = await learnerContext.newPage()
      await mine.goto(`${base}/en/chicago/badges/claim?code=${code}`)
      expect(new URL(mine.url()).pathname).toBe('/en/account/sign-in')
      await mine.fill('#email', claimer.email)
      await mine.fill('#password', claimer.password)
      await mine.click('main form button[type="submit"]')
      await mine.waitForURL('**/en/chicago/badges/claim?code=*')
      expect(await mine.inputValue('#code')).toBe(code)
      await expectAccessible(journey.browser, mine)
      await mine.getByRole('button', { name: 'Claim the badge' }).click()
      await mine.waitForURL(/claimed=/)
      expect(await mine.locator('h1').textContent()).toBe('You have a new badge')
      expect(await mine.getByRole('status').textContent()).toContain('Bike mechanic')
      await expectAccessible(journey.browser, mine)
      const download = await mine
        .getByRole('link', { name: 'Download the badge (Open Badges file)' })
        .getAttribute('href')
      const credential = await (await mine.request.get(`${base}${download}`)).json()
      expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential'])
      expect(credential.credentialSubject.achievement.name).toBe('Bike mechanic')

      // Claiming again says so clearly.
      await mine.goto(`${base}/en/chicago/badges/claim?code=${code}`)
      await mine.getByRole('button', { name: 'Claim the badge' }).click()
      expect(await mine.locator('.error-summary a[href="#code"]').textContent()).toBe(
        'You already hold this badge.',
      )
      await expectAccessible(journey.browser, mine)
    } finally {
      await provider.close()
      await learnerContext.close()
    }
  }, 240_000)

  it('with JavaScript on: the coordinator defines a city badge, in Arabic right to left', async () => {
    const page = await journey.browser.newPage()
    try {
      const base = journey.server.baseUrl
      await signIn(page, base, journey.server.coordinator, '/ar/chicago/admin/badges')
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('h1').textContent()).toBe('الشارات')
      await expectAccessible(journey.browser, page)
      // The city admin area, from the coordinator's navigation, leads back to the city's badges.
      await page.locator('nav.main-nav').getByRole('link', { name: 'إدارة المدينة' }).click()
      await page.waitForURL('**/ar/chicago/admin')
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('main a[href="/ar/chicago/admin/webhooks"]').count()).toBe(1)
      expect(await page.locator('main a[href="/ar/chicago/admin/badges/evidence"]').count()).toBe(1)
      await expectAccessible(journey.browser, page)
      await page.locator('main a[href="/ar/chicago/admin/badges"]').click()
      await page.waitForURL('**/ar/chicago/admin/badges')
      await page.goto(`${base}/ar/chicago/admin/badges/new`)
      await page.fill('#name-ar', 'مدينة التعلّم')
      await page.fill('#description-ar', 'شارك في مهرجان التعلّم.')
      await page.fill('#criteria-ar', 'احضر ثلاث فعاليات.')
      await page.getByRole('button', { name: 'تعريف الشارة' }).click()
      await page.waitForURL(/\/admin\/badges\/\d+\?done=saved$/)
      expect(await page.locator('h1').textContent()).toBe('مدينة التعلّم')
      await expectAccessible(journey.browser, page)

      // In English: award it, then revoke it after the confirm step; the edit and archive pages.
      const id = /\/admin\/badges\/(\d+)/.exec(page.url())![1]
      const cityBadge = `${base}/en/chicago/admin/badges/${id}`
      const holder = await learner(journey)
      await page.goto(cityBadge)
      await page.fill('#emails', holder.email)
      await page.getByRole('button', { name: 'Award the badge' }).click()
      await page.waitForURL(/done=awarded$/)
      await page.getByRole('link', { name: 'Revoke' }).click()
      await page.waitForURL(/\/revoke$/)
      expect(await page.locator('h1').textContent()).toBe('Revoke the badge مدينة التعلّم?')
      await expectAccessible(journey.browser, page)
      await page.fill('#reason', 'awarded by mistake')
      await page.getByRole('button', { name: 'Yes, revoke it' }).click()
      await page.waitForURL(/done=status$/)
      expect(await page.locator('table').last().textContent()).toContain('Revoked')
      await page.goto(`${cityBadge}/edit`)
      expect(await page.inputValue('#name-ar')).toBe('مدينة التعلّم')
      await expectAccessible(journey.browser, page)
      await page.goto(`${cityBadge}/archive`)
      await expectAccessible(journey.browser, page)
      await page.getByRole('button', { name: 'Yes, archive it' }).click()
      await page.waitForURL(/\/admin\/badges\?done=archived$/)
      expect(await page.getByRole('status').textContent()).toContain('The badge is archived.')
    } finally {
      await page.close()
    }
  }, 180_000)
})
