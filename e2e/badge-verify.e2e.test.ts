import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { testPng } from '../src/modules/badges/verify/bake-for-tests.ts'
import { CONFORMANCE_DIR } from '../src/modules/badges/verify/conformance-fixtures.ts'
import { describeJourneys, expectAccessible } from './server.ts'

const vector = (file: string) => fileURLToPath(new URL(file, CONFORMANCE_DIR))

describeJourneys('checking a badge', (journey) => {
  it('without JavaScript: upload a baked badge, then paste a tampered one, in English and Arabic', async () => {
    const context = await journey.browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const base = journey.server.baseUrl
      await page.goto(`${base}/en/chicago`)
      await Promise.all([
        page.waitForURL('**/en/chicago/badges/verify'),
        page.getByRole('link', { name: 'Check a badge', exact: true }).first().click(),
      ])
      expect(await page.locator('h1').textContent()).toBe('Check a badge')
      await expectAccessible(journey.browser, page)

      // Nothing given: the error summary links to the field.
      await page.getByRole('button', { name: 'Check the badge' }).click()
      expect(await page.locator('.error-summary a[href="#credential"]').textContent()).toBe(
        'Paste a badge or choose a file to check.',
      )
      await expectAccessible(journey.browser, page)

      // A badge baked into a PNG (a did:key credential, so nothing is fetched from outside).
      const png = testPng([
        {
          keyword: 'openbadgecredential',
          text: readFileSync(vector('valid/dcc-verifier-core__v2NoStatus.json'), 'utf8'),
        },
      ])
      await page
        .getByLabel('Or upload a badge file')
        .setInputFiles({ name: 'badge.png', mimeType: 'image/png', buffer: Buffer.from(png) })
      await page.getByRole('button', { name: 'Check the badge' }).click()
      expect(await page.locator('h1').textContent()).toBe('Badge check result')
      expect(await page.locator('#verdict').textContent()).toBe('This badge is genuine and valid')
      expect(await page.getByText('Passed: Signature').count()).toBe(1)
      expect(await page.getByText('Passed: Validity dates').count()).toBe(1)
      expect(await page.getByText('taken from a PNG image').count()).toBe(1)
      await expectAccessible(journey.browser, page)

      // A did:key badge whose achievement name was changed after signing.
      await page
        .getByLabel('Paste the badge')
        .fill(
          readFileSync(vector('invalid/derived__v2OBv3SpecExample__achievement-name-changed.json'), 'utf8'),
        )
      await page.getByRole('button', { name: 'Check the badge' }).click()
      expect(await page.locator('#verdict').textContent()).toBe('This badge is not valid')
      expect(await page.getByText('Failed: Signature').count()).toBe(1)

      await page.getByRole('link', { name: 'العربية' }).first().click()
      await page.waitForURL('**/ar/chicago/badges/verify')
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('h1').textContent()).toBe('التحقق من شارة')
      await page
        .getByLabel('الصق الشارة')
        .fill(readFileSync(vector('valid/dcc-verifier-core__v2NoStatus.json'), 'utf8'))
      await page.getByRole('button', { name: 'تحقق من الشارة' }).click()
      expect(await page.locator('#verdict').textContent()).toBe('هذه الشارة أصلية وصالحة')
      await expectAccessible(journey.browser, page)
    } finally {
      await context.close()
    }
  })

  it('with JavaScript on, the same page checks a pasted badge', async () => {
    const page = await journey.browser.newPage()
    try {
      await page.goto(`${journey.server.baseUrl}/fr/chicago/badges/verify`)
      await page
        .getByLabel('Collez le badge')
        .fill(readFileSync(vector('valid/dcc-verifier-core__v2NoStatus.json'), 'utf8'))
      await page.getByRole('button', { name: 'Vérifier le badge' }).click()
      expect(await page.locator('#verdict').textContent()).toBe('Ce badge est authentique et valide')
      await expectAccessible(journey.browser, page)
    } finally {
      await page.close()
    }
  })
})
