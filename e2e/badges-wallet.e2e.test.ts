import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { createVerifiedUser } from '../src/modules/accounts/index.ts'
import { awardManually, defineAchievement } from '../src/modules/badges/index.ts'
import { CONFORMANCE_DIR } from '../src/modules/badges/verify/conformance-fixtures.ts'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { addStaff } from '../src/modules/organizations/index.ts'
import { firstRow, sql } from '../src/platform/db/index.ts'
import { describeJourneys, expectAccessible, type Journey, signIn } from './server.ts'

const vector = (file: string) => fileURLToPath(new URL(file, CONFORMANCE_DIR))
const PASSWORD = 'correct horse battery staple'
let n = 0

/** A learner account holding a badge of a Chicago provider, awarded through the use cases. */
async function learnerWithBadge(journey: Journey, badge: string) {
  const { platform } = journey.server.t
  const city = (await findCityBySlug(platform.db, 'chicago'))!
  const org = (await firstRow<{ id: number }>(
    platform.db,
    sql`select id::int as id from organizations where city_id = ${city.id} order by id limit 1`,
  ))!
  const account = (role: string) => ({
    email: `${role}-${n++}-${journey.engine}@example.org`,
    password: PASSWORD,
  })
  const issuerAccount = account('issuer')
  const issuerId = await createVerifiedUser(platform, {
    ...issuerAccount,
    displayName: 'Issuer',
    language: 'en',
  })
  await addStaff(platform, city.id, org.id, issuerId, 'issuer')
  const issuer = { userId: issuerId, isNetworkAdmin: false }
  const made = await defineAchievement(platform, issuer, city.id, org.id, {
    type: 'participation',
    name: { en: badge, ar: `${badge} (ar)` },
    description: { en: 'Took part in every session of the repair café.' },
    criteria: { en: 'Attend four sessions.' },
    tags: [],
    alignments: [],
    level: null,
  })
  if (!made.ok) throw new Error(JSON.stringify(made))
  const learner = account('learner')
  await createVerifiedUser(platform, { ...learner, displayName: 'Learner', language: 'en' })
  const awarded = await awardManually(platform, issuer, city.id, made.value, org.id, [learner.email])
  if (!awarded.ok) throw new Error(JSON.stringify(awarded))
  return { learner, uuid: awarded.value[0]!.uuid }
}

describeJourneys('the badge wallet', (journey) => {
  it('without JavaScript: open the wallet, make a badge public, open its page, import a badge file', async () => {
    const { learner, uuid } = await learnerWithBadge(journey, 'Repair café regular')
    const context = await journey.browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const base = journey.server.baseUrl
      await signIn(page, base, learner)
      await page.goto(`${base}/en/chicago`)
      await Promise.all([
        page.waitForURL('**/en/chicago/wallet'),
        page.getByRole('link', { name: 'My badges', exact: true }).first().click(),
      ])
      expect(await page.locator('h1').textContent()).toBe('My badges')
      expect(await page.getByRole('heading', { name: 'Repair café regular' }).count()).toBe(1)
      expect(await page.getByText('Private: only you can see it').count()).toBe(1)
      await expectAccessible(journey.browser, page)

      await page.getByRole('button', { name: 'Make public' }).click()
      expect(await page.getByRole('status').textContent()).toContain('The badge is public now')
      expect(await page.getByText('Public: anyone with the link can see it').count()).toBe(1)
      await expectAccessible(journey.browser, page)

      await Promise.all([
        page.waitForURL(`**/en/chicago/badges/${uuid}`),
        page.getByRole('link', { name: 'Public page' }).click(),
      ])
      expect(await page.locator('h1').textContent()).toBe('Repair café regular')
      expect(await page.getByText('This badge is valid').count()).toBe(1)
      expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toBe(
        `${base}/credentials/${uuid}/og.png`,
      )
      await expectAccessible(journey.browser, page)
      // The public page in Arabic, right to left.
      await page.goto(`${base}/ar/chicago/badges/${uuid}`)
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('h1').textContent()).toBe('Repair café regular (ar)')
      await expectAccessible(journey.browser, page)

      // Someone else (signed out) sees the public page too; the check button hands it to the checker.
      const visitor = await (await journey.browser.newContext({ javaScriptEnabled: false })).newPage()
      await visitor.goto(`${base}/en/chicago/badges/${uuid}`)
      await visitor.getByRole('button', { name: 'Check this badge' }).click()
      expect(await visitor.locator('h1').textContent()).toBe('Badge check result')
      await visitor.context().close()

      // Import a conformance badge by upload.
      await page.goto(`${base}/en/chicago/wallet`)
      await page.getByLabel('Badge file').setInputFiles(vector('valid/dcc-verifier-core__v2NoStatus.json'))
      await page.getByRole('button', { name: 'Check and add' }).click()
      expect(await page.getByRole('status').textContent()).toContain('The badge was checked and added.')
      expect(await page.getByText('This badge is genuine and valid').count()).toBe(1)
      await expectAccessible(journey.browser, page)

      // A tampered one is refused with the reason, and the error summary links to the field.
      await page
        .getByLabel('Badge file')
        .setInputFiles(vector('invalid/derived__v2OBv3SpecExample__achievement-name-changed.json'))
      await page.getByRole('button', { name: 'Check and add' }).click()
      expect(await page.locator('.error-summary a[href="#file"]').textContent()).toContain(
        'did not pass the checks',
      )
      expect(await page.getByRole('heading', { name: 'This badge was not added' }).count()).toBe(1)
      expect(await page.getByText('Failed: Signature').count()).toBe(1)
      await expectAccessible(journey.browser, page)
    } finally {
      await context.close()
    }
    // Seven pages checked by axe: about 45 s on a quiet machine, more when it is shared.
  }, 240_000)

  it('with JavaScript on, the wallet pastes a badge and offers the ZIP', async () => {
    const { learner } = await learnerWithBadge(journey, 'Night owl reader')
    const context = await journey.browser.newContext()
    try {
      const page = await context.newPage()
      const base = journey.server.baseUrl
      await signIn(page, base, learner, '/fr/chicago/wallet')
      expect(await page.locator('h1').textContent()).toBe('Mes badges')
      await page
        .getByLabel('Ou collez le badge')
        .fill(readFileSync(vector('valid/dcc-verifier-core__v2SimpleIssuerId.json'), 'utf8'))
      await page.getByRole('button', { name: 'Vérifier et ajouter' }).click()
      expect(await page.getByRole('status').textContent()).toContain('Le badge a été vérifié et ajouté.')
      const download = page.waitForEvent('download')
      await page.getByRole('link', { name: 'Télécharger tous mes badges (ZIP)' }).click()
      expect((await download).suggestedFilename()).toBe('my-badges.zip')
      await expectAccessible(journey.browser, page)
    } finally {
      await context.close()
    }
  }, 120_000)
})
