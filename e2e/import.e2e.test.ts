import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { createVerifiedUser } from '../src/modules/accounts/index.ts'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { addStaff, findOrganization } from '../src/modules/organizations/index.ts'
import { type Account, describeJourneys, expectAccessible, signIn } from './server.ts'

/** Markup a provider might paste into a title; it must come back as text, never as elements. */
const SCRIPT_TITLE =
  'Robots <script id="xss">alert("xss")</script><img id="xss-img" src="x" onerror="alert(1)">'
const MARKUP_ID = '<b id="xss-id">B-1</b>'

/** A CSV cell, always quoted, as spreadsheets write it. */
const cell = (value: string) => `"${value.replace(/"/g, '""')}"`

/**
 * The file a provider makes from the downloaded template: its header, then rows copied from the
 * example row with some cells changed.
 */
function fileFromTemplate(template: string[][], rows: Record<string, string>[]): string {
  const [header, example] = template as [string[], string[]]
  const lines = [header.map(cell).join(',')]
  for (const changes of rows)
    lines.push(header.map((column, i) => cell(changes[column] ?? example[i] ?? '')).join(','))
  return `${lines.join('\r\n')}\r\n`
}

/** The rows of the report table: line, external id and the reasons, as the reader sees them. */
async function reportRows(page: Page) {
  return page.locator('main table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const [line, id, reasons] = Array.from(tr.querySelectorAll('td'))
      return {
        line: Number(line?.textContent),
        externalId: id?.textContent ?? '',
        reasons: Array.from(reasons?.querySelectorAll('li') ?? []).map((li) => li.textContent ?? ''),
      }
    }),
  )
}

/** Follows the progress page's Refresh link, as a person would, until the import has finished. */
async function refreshUntilFinished(page: Page) {
  const refresh = page.locator(`main a[href="${new URL(page.url()).pathname}"]`)
  for (let tries = 0; tries < 180 && (await refresh.count()) > 0; tries++) {
    await page.waitForTimeout(500)
    await Promise.all([page.waitForEvent('load'), refresh.click()])
  }
  expect(await refresh.count(), 'the import finished').toBe(0)
}

describeJourneys('bulk import in the browser (JavaScript off, and on for the live progress)', (journey) => {
  /**
   * Opens the pages with JavaScript on, with the cookies of `context`, and checks that the markup
   * in them stayed text: no injected element, no dialog.
   */
  async function expectInert(context: BrowserContext, urls: string[]) {
    const checker = await journey.browser.newContext({ storageState: await context.storageState() })
    try {
      const page = await checker.newPage()
      const dialogs: string[] = []
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message())
        void dialog.dismiss()
      })
      for (const url of urls) {
        await page.goto(url, { waitUntil: 'load' })
        for (const id of ['#xss', '#xss-img', '#xss-id'])
          expect(await page.$(id), `${id} on ${url}`).toBeNull()
      }
      expect(dialogs).toEqual([])
    } finally {
      await checker.close()
    }
  }

  let editor: Account
  let orgId: number
  beforeAll(async () => {
    const { server, engine } = journey
    const { platform } = server.t
    const city = (await findCityBySlug(platform.db, 'chicago'))!
    orgId = (await findOrganization(platform.db, city.id, 'demo-learning-collective'))!.id
    editor = { email: `import-editor-${engine}@example.org`, password: 'import editor e2e password' }
    const userId = await createVerifiedUser(platform, {
      ...editor,
      displayName: 'Ida Editor',
      language: 'en',
    })
    await addStaff(platform, city.id, orgId, userId, 'editor')
  })

  it('an editor downloads the template, uploads a file with good and bad rows and reads the report', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    const { jobs } = server.t.platform
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      const base = server.baseUrl
      const importPath = `/en/chicago/provide/${orgId}/import`
      // From the provider dashboard, as a provider finds it.
      await signIn(page, base, editor, '/en/chicago/provide')
      await Promise.all([
        page.waitForURL(`${base}${importPath}`),
        page.click('main a:has-text("Import many from a spreadsheet")'),
      ])
      expect(await page.locator('h1').textContent()).toBe('Import opportunities from a file')
      await expectAccessible(browser, page)

      // The template: a CSV with every column and one example row.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('a:has-text("Download the CSV template")'),
      ])
      expect(download.suggestedFilename()).toBe('opportunities-template.csv')
      const text = await readFile(await download.path(), 'utf8')
      expect(text.startsWith('\uFEFF')).toBe(true)
      const template = parse(text, { bom: true }) as string[][]
      expect(template).toHaveLength(2)
      expect(template[0]).toEqual(
        expect.arrayContaining([
          'external_id',
          'publish',
          'title_en',
          'title_ar',
          'description_en',
          'building_block',
          'schedule_kind',
          'start',
          'duration_minutes',
          'free',
          'price',
          'image_url',
          'image_alt_en',
        ]),
      )
      expect(template[0]![0]).toBe('external_id')
      const served = await context.request.get(`${base}${importPath}/template.csv`)
      expect(served.headers()['content-type']).toBe('text/csv; charset=utf-8')

      // A wrong kind of file is refused on the form, with the error linked to the field.
      await page.setInputFiles('#file', {
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('hi'),
      })
      await Promise.all([
        page.waitForURL(`${base}${importPath}`),
        page.click('main form button[type="submit"]'),
      ])
      expect(await page.locator('.error-summary a[href="#file"]').textContent()).toBe(
        'The file must be a CSV file (.csv) or an Excel workbook (.xlsx)',
      )
      expect(await page.locator('#file').getAttribute('aria-invalid')).toBe('true')
      await expectAccessible(browser, page)

      const csv = fileFromTemplate(template, [
        { external_id: 'E2E-1', title_en: 'Clay for families' }, // line 2
        { external_id: 'E2E-2', title_en: SCRIPT_TITLE }, // line 3
        { external_id: 'E2E-3', title_en: 'Two lines', description_en: 'One.\nTwo.', publish: 'no' }, // 4–5
        { external_id: 'E2E-4', title_en: 'Chess', age_min: 'ten' }, // 6: wrong type
        { external_id: 'E2E-5', title_en: '', title_es: '', building_block: '' }, // 7: missing fields
        { external_id: 'E2E-6', title_en: 'Yoga', start: '2027-13-45T10:00' }, // 8: bad date
        { external_id: 'E2E-1', title_en: 'Clay again' }, // 9: duplicate external id
        { external_id: MARKUP_ID, title_en: 'Paid', free: 'no', price: 'abc' }, // 10: wrong type
        { external_id: '', title_en: 'No id' }, // 11: no external id
      ])

      // Uploaded while the job worker is busy elsewhere: the progress page says it is waiting.
      await jobs.stop()
      await page.setInputFiles('#file', {
        name: 'autumn.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv),
      })
      await Promise.all([
        page.waitForURL(/\/en\/chicago\/provide\/imports\/\d+$/),
        page.click('main form button[type="submit"]'),
      ])
      const reportUrl = page.url()
      expect(await page.locator('h1').textContent()).toBe('Import progress')
      expect(await page.locator('main [role="status"]').textContent()).toBe('Waiting to start')
      expect(await page.locator('progress#import-progress').getAttribute('value')).toBeNull()
      expect(
        await page.locator('main p', { has: page.locator('a', { hasText: 'Refresh' }) }).textContent(),
      ).toBe('This page does not update by itself. Refresh')
      // It never reloads by itself (a timed refresh fails WCAG 2.2.1).
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0)
      await expectAccessible(browser, page)

      // The worker picks the job up; Refresh shows how far it got, until it is finished.
      jobs.start()
      await refreshUntilFinished(page)
      expect(page.url()).toBe(reportUrl)
      expect(await page.locator('main [role="status"]').textContent()).toBe('Finished')
      expect(await page.locator('main progress#import-progress').getAttribute('value')).toBe('9')
      expect(await page.locator('main').textContent()).toContain('9 of 9 rows processed')
      const summary = await page
        .locator('main dl.facts')
        .evaluate((dl) =>
          Array.from(dl.querySelectorAll('dt')).map((dt) => [
            dt.textContent,
            dt.nextElementSibling?.textContent,
          ]),
        )
      expect(summary).toEqual([
        ['New opportunities', '3'],
        ['Updated', '0'],
        ['Unchanged', '0'],
        ['Rejected rows', '6'],
      ])
      const bad = await reportRows(page)
      expect(bad.map((r) => [r.line, r.externalId])).toEqual([
        [6, 'E2E-4'],
        [7, 'E2E-5'],
        [8, 'E2E-6'],
        [9, 'E2E-1'],
        [10, MARKUP_ID],
        [11, ''],
      ])
      const reasons = Object.fromEntries(bad.map((r) => [r.line, r.reasons]))
      expect(reasons[6]).toEqual([expect.stringMatching(/^age_min: .*number/i)])
      expect(reasons[7]).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^title_\*: /),
          expect.stringMatching(/^building_block: /),
        ]),
      )
      expect(reasons[8]).toEqual([expect.stringMatching(/^start: /)])
      expect(reasons[9]).toEqual([
        'external_id: An earlier row in the file has the same external id, so this row was not imported',
      ])
      expect(reasons[10]).toEqual([expect.stringMatching(/^price: /)])
      expect(reasons[11]).toEqual(['external_id: Give your own id for this row'])
      expect(await page.locator('main caption').textContent()).toBe('Showing 6 of 6 rejected rows')
      expect(await page.locator('a[href$="/rejected.csv"]').count()).toBe(1)
      // The markup in the external id is shown as the text it is.
      expect(await page.$('#xss-id')).toBeNull()
      await expectAccessible(browser, page)

      // The new opportunities are on the dashboard; the one with markup in its title shows it as text.
      await page.goto(`${base}/en/chicago/provide`)
      const statusOf = (title: string) => page.locator('main tr', { hasText: title }).locator('td').first()
      expect(await statusOf('Clay for families').textContent()).toBe('published')
      expect(await statusOf('Two lines').textContent()).toBe('draft')
      expect(await page.locator('main tr', { hasText: 'Clay again' }).count()).toBe(0)
      expect(await statusOf('Robots <script id="xss">').textContent()).toBe('published')
      await Promise.all([
        page.waitForURL(/\/en\/chicago\/opportunities\/\d+$/),
        page.locator('main tr', { hasText: 'Robots <script' }).locator('a', { hasText: 'Preview' }).click(),
      ])
      expect(await page.locator('h1').textContent()).toBe(SCRIPT_TITLE)
      expect(await page.$('#xss')).toBeNull()
      expect(await page.$('#xss-img')).toBeNull()
      await expectInert(context, [reportUrl, page.url(), `${base}/en/chicago/provide`])

      // The column guide, from the upload page.
      await page.goto(`${base}${importPath}`)
      expect(await page.locator('main a', { hasText: 'autumn.csv' }).getAttribute('href')).toBe(
        new URL(reportUrl).pathname,
      )
      await Promise.all([
        page.waitForURL(`${base}${importPath}/columns`),
        page.click('a:has-text("What each column means")'),
      ])
      expect(await page.locator('h1').textContent()).toBe('Columns of the import file')
      const guide = page.locator('main table tbody tr', {
        has: page.locator('th code', { hasText: /^building_block$/ }),
      })
      expect(await guide.locator('td').first().textContent()).toBe('Yes')
      expect(await guide.textContent()).toContain('learning-technologies')
      await expectAccessible(browser, page)
    } finally {
      jobs.start()
      await context.close()
    }
  }, 300_000)

  it('with JavaScript the progress page updates in place until the report appears', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: true })
    const { jobs } = server.t.platform
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      await signIn(page, server.baseUrl, editor, `/en/chicago/provide/${orgId}/import`)
      const template = parse(
        await (
          await context.request.get(`${server.baseUrl}/en/chicago/provide/${orgId}/import/template.csv`)
        ).text(),
        { bom: true },
      ) as string[][]
      await jobs.stop()
      await page.setInputFiles('#file', {
        name: 'live.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          fileFromTemplate(template, [{ external_id: 'LIVE-1' }, { external_id: 'LIVE-2', age_min: 'ten' }]),
        ),
      })
      await Promise.all([
        page.waitForURL(/\/en\/chicago\/provide\/imports\/\d+$/),
        page.click('main form button[type="submit"]'),
      ])
      let loads = 0
      page.on('load', () => {
        loads++
      })
      expect(await page.locator('#import-status').textContent()).toBe('Waiting to start')
      expect(await page.locator('#import-not-live').textContent()).toBe(
        'This page updates by itself while the import runs.',
      )
      jobs.start()
      // No reload and no click: the status line and the report change by themselves.
      await page.locator('#import-status', { hasText: 'Finished' }).waitFor({ timeout: 60_000 })
      await page.locator('main table tbody tr').first().waitFor()
      expect(loads).toBe(0)
      expect(await page.locator('#import-not-live').count()).toBe(0)
      expect(await page.locator('main progress#import-progress').getAttribute('value')).toBe('2')
      expect((await reportRows(page)).map((r) => [r.line, r.externalId])).toEqual([[3, 'LIVE-2']])
      await expectAccessible(browser, page)
    } finally {
      jobs.start()
      await context.close()
    }
  }, 120_000)

  it('the Arabic import pages are right-to-left and accessible', async () => {
    const { browser, server } = journey
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      await signIn(page, server.baseUrl, editor)
      for (const path of [
        `/ar/chicago/provide/${orgId}/import`,
        `/ar/chicago/provide/${orgId}/import/columns`,
      ]) {
        const response = await page.goto(`${server.baseUrl}${path}`)
        expect(response?.status()).toBe(200)
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
        expect(await page.locator('html').getAttribute('lang')).toBe('ar')
        expect(await page.locator('h1').count()).toBe(1)
        await expectAccessible(browser, page)
      }
      // An upload from the Arabic page: the progress page and the report are Arabic too.
      const template = parse(
        await (
          await context.request.get(`${server.baseUrl}/ar/chicago/provide/${orgId}/import/template.csv`)
        ).text(),
        { bom: true },
      ) as string[][]
      await page.goto(`${server.baseUrl}/ar/chicago/provide/${orgId}/import`)
      await page.setInputFiles('#file', {
        name: 'خريف.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(fileFromTemplate(template, [{ external_id: 'AR-1' }, { external_id: 'AR-1' }])),
      })
      await Promise.all([
        page.waitForURL(/\/ar\/chicago\/provide\/imports\/\d+$/),
        page.click('main form button[type="submit"]'),
      ])
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      await expectAccessible(browser, page)
      await refreshUntilFinished(page)
      expect(await page.locator('main [role="status"]').textContent()).toBe('اكتمل')
      expect(await reportRows(page)).toEqual([
        {
          line: 3,
          externalId: 'AR-1',
          reasons: ['external_id: يحمل صف سابق في الملف المعرّف الخارجي نفسه، لذلك لم يُستورد هذا الصف'],
        },
      ])
      expect(await page.locator('main p[dir="auto"]').first().textContent()).toBe('خريف.csv')
      await expectAccessible(browser, page)
    } finally {
      await context.close()
    }
  }, 120_000)
})
