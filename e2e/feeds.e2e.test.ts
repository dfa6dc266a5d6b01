/**
 * A coordinator's journey through the outside-feeds pages (/{lang}/{city}/admin/feeds) with
 * JavaScript off: register an OpenActive (RPDE) feed published on 127.0.0.1, watch its harvests and
 * log, harvest again after the publisher changed an item, edit and remove the feed, import an .ics
 * file once; axe on every page, and the Arabic (right-to-left) page too.
 */
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeJourneys, expectAccessible, expectNoAxeViolations, signIn } from './server.ts'

const CONFORMANCE = new URL('../../shared/conformance/opportunities/', import.meta.url)
const OFFICIAL = JSON.parse(
  readFileSync(new URL('openactive/courseinstance_example_1.json', CONFORMANCE), 'utf8'),
) as { items: { id: number; modified: number; data: Record<string, unknown> }[]; license: string }
const CALENDAR = new URL('ical/recur_instances.ics', CONFORMANCE)

/** The publisher's items, in RPDE "modified timestamp and id" order; a test changes them. */
interface Item {
  id: string
  modified: number
  state: 'updated' | 'deleted'
  kind: string
  data?: Record<string, unknown>
}
const official = OFFICIAL.items[0]!
const items: Item[] = []
function publishInitial() {
  items.length = 0
  items.push(
    // The official OpenActive CourseInstance example, as published.
    {
      id: String(official.id),
      modified: official.modified,
      state: 'updated',
      kind: 'CourseInstance',
      data: official.data,
    },
    // An item the importer must reject: it has no name, not even its course's.
    {
      id: 'nameless',
      modified: official.modified + 1,
      state: 'updated',
      kind: 'CourseInstance',
      data: {
        ...official.data,
        '@id': 'https://id.bookingsystem.example.com/course-instances/nameless',
        name: '',
        instanceOfCourse: undefined,
      },
    },
  )
}

let publisher: http.Server
let feedBase: string

beforeAll(async () => {
  publisher = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', feedBase)
    if (url.pathname !== '/course-instances') return res.writeHead(404).end()
    const t = Number(url.searchParams.get('afterTimestamp') ?? -1)
    const after = url.searchParams.get('afterId') ?? ''
    const page = [...items]
      .sort((a, b) => a.modified - b.modified || a.id.localeCompare(b.id))
      .filter((i) => i.modified > t || (i.modified === t && i.id > after))
    const last = page.at(-1)
    const next = last
      ? `${feedBase}/course-instances?afterTimestamp=${last.modified}&afterId=${last.id}`
      : `${feedBase}${req.url}`
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ next, items: page, license: OFFICIAL.license }))
  })
  publisher.listen(0, '127.0.0.1')
  await once(publisher, 'listening')
  feedBase = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`
})
afterAll(() => {
  publisher.closeAllConnections()
  publisher.close()
})

/** The harvests table as the reader sees it: one record per row, by column heading. */
function runsOf(page: Page) {
  return page.locator('main table').evaluateAll((tables) => {
    const table = tables[0]
    if (!table) return []
    const heads = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent ?? '')
    return Array.from(table.querySelectorAll('tbody tr')).map((tr) =>
      Object.fromEntries(
        Array.from(tr.querySelectorAll('td')).map((td, i) => [heads[i], td.textContent ?? '']),
      ),
    )
  })
}

/** Reloads the feed's page, as a person would, until it shows `count` finished harvests. */
async function waitForRuns(page: Page, feedUrl: string, count: number) {
  for (let tries = 0; tries < 120; tries++) {
    const runs = await runsOf(page)
    if (runs.length >= count && runs.every((r) => r.Status?.startsWith('finished'))) return runs
    await page.waitForTimeout(250)
    await page.goto(feedUrl)
  }
  throw new Error(`no ${count} finished harvests on ${feedUrl}: ${JSON.stringify(await runsOf(page))}`)
}

describeJourneys(
  'outside feeds pages in the browser (JavaScript off)',
  (journey) => {
    it('registers an RPDE feed, reads its log, harvests the change, edits and removes it, imports an .ics file', async () => {
      publishInitial()
      const context = await journey.browser.newContext({ javaScriptEnabled: false })
      try {
        const page = await context.newPage()
        const base = journey.server.baseUrl
        const list = `${base}/en/chicago/admin/feeds`
        await signIn(page, base, journey.server.coordinator, '/en/chicago/admin/feeds')
        expect(await page.locator('h1').textContent()).toBe('Outside feeds')
        expect(await page.getByText('No feed yet.').count()).toBe(1)
        await expectAccessible(journey.browser, page)

        // A registration with nothing filled in: an error summary linked to the fields.
        await page.fill('#url', '')
        await page.locator('form[action="/en/chicago/admin/feeds"] button[type="submit"]').click()
        await page.waitForLoadState('load')
        expect(await page.title()).toMatch(/^Error: /)
        const summary = page.locator('.error-summary')
        expect(await summary.locator('a[href="#url"]').count()).toBe(1)
        expect(await summary.locator('a[href="#organizationId"]').count()).toBe(1)
        expect(await summary.locator('a[href="#buildingBlock"]').count()).toBe(1)
        await expectAccessible(journey.browser, page)

        // The real registration: the publisher on 127.0.0.1 (the server allows loopback).
        await page.selectOption('#kind', 'rpde')
        await page.fill('#url', `${feedBase}/course-instances`)
        await page.selectOption('#organizationId', { label: 'Demo Learning Collective (demo)' })
        await page.fill('#name', 'Netball camps')
        await page.selectOption('#language', 'en')
        await page.selectOption('#buildingBlock', 'culture-of-learning')
        await Promise.all([
          page.waitForURL(/\/admin\/feeds\/\d+\?queued=1$/),
          page.locator('form[action="/en/chicago/admin/feeds"] button[type="submit"]').click(),
        ])
        expect(await page.locator('[role="status"]').textContent()).toContain('The harvest is queued')
        const feedUrl = page.url().replace(/\?.*$/, '')
        await expectAccessible(journey.browser, page)

        const [first] = await waitForRuns(page, feedUrl, 1)
        expect(first).toMatchObject({
          'Items read': '2',
          Imported: '1',
          Updated: '0',
          Rejected: '1',
        })
        const log = page.locator('main ul > li')
        const rejected = log.filter({ hasText: 'Rejected' })
        expect(await rejected.count()).toBe(1)
        expect(await rejected.textContent()).toContain('the item has no name')
        expect(await rejected.textContent()).toContain('nameless')
        expect(await page.locator('h1').textContent()).toBe('Netball camps')
        await expectAccessible(journey.browser, page)

        // The publisher renames the camp; "Harvest now" reads only what changed since the cursor.
        items.push({
          ...items[0]!,
          modified: official.modified + 100,
          data: { ...official.data, name: 'Netball Youth Camp (new dates)' },
        })
        await Promise.all([
          page.waitForURL(/\?queued=1$/),
          page.getByRole('button', { name: 'Harvest now' }).click(),
        ])
        const [latest] = await waitForRuns(page, feedUrl, 2)
        expect(latest).toMatchObject({ 'Items read': '1', Imported: '0', Updated: '1', Rejected: '0' })
        await expectAccessible(journey.browser, page)

        // Edit: an empty name is refused with a summary; then a new name and interval are kept.
        await Promise.all([
          page.waitForURL(`${feedUrl}/edit`),
          page.getByRole('link', { name: "Edit the feed's settings" }).click(),
        ])
        expect(await page.locator('h1').textContent()).toBe('Settings of Netball camps')
        expect(await page.inputValue('#url')).toBe(`${feedBase}/course-instances`)
        await expectAccessible(journey.browser, page)
        await page.fill('#name', '')
        await page.getByRole('button', { name: 'Save the settings' }).click()
        await page.waitForLoadState('load')
        expect(await page.locator('.error-summary a[href="#name"]').textContent()).toBe(
          'Give the feed a name',
        )
        await expectAccessible(journey.browser, page)
        await page.fill('#name', 'Netball camps (England Netball)')
        await page.fill('#intervalMinutes', '120')
        await Promise.all([
          page.waitForURL(`${feedUrl}?saved=1`),
          page.getByRole('button', { name: 'Save the settings' }).click(),
        ])
        expect(await page.locator('h1').textContent()).toBe('Netball camps (England Netball)')
        expect(await page.locator('[role="status"]').textContent()).toBe('Saved.')
        await expectAccessible(journey.browser, page)

        // Remove, after a confirmation that says what stays.
        await Promise.all([
          page.waitForURL(`${feedUrl}/remove`),
          page.getByRole('link', { name: 'Remove the feed' }).click(),
        ])
        expect(await page.locator('main').textContent()).toContain('stay with their provider')
        await expectAccessible(journey.browser, page)
        await Promise.all([
          page.waitForURL(`${list}?removed=1`),
          page.getByRole('button', { name: 'Remove the feed' }).click(),
        ])
        expect(await page.locator('[role="status"]').textContent()).toBe('The feed was removed.')
        expect(await page.getByRole('link', { name: /Netball camps/ }).count()).toBe(0)
        expect((await page.goto(feedUrl))?.status()).toBe(404)
        await page.goto(list)

        // A one-off .ics import by file upload: the real Zimbra calendar, one recurring event.
        await page.setInputFiles('#ics-file', CALENDAR.pathname)
        await page.selectOption('#ics-organizationId', { label: 'Demo Learning Collective (demo)' })
        await page.fill('#ics-name', 'Library calendar')
        await page.selectOption('#ics-buildingBlock', 'culture-of-learning')
        // The calendar's event names no place the catalogue can map: it is held at a library branch.
        await page.selectOption('#ics-venueId', { label: 'Albany Park Library' })
        await Promise.all([
          page.waitForURL(/\/admin\/feeds\/\d+$/),
          page.getByRole('button', { name: 'Import the calendar' }).click(),
        ])
        expect(await page.locator('h1').textContent()).toBe('Library calendar')
        const [imported] = await runsOf(page)
        expect(imported).toMatchObject({ Imported: '1', Rejected: '0' })
        // A file import is not harvested again: no "Harvest now".
        expect(await page.getByRole('button', { name: 'Harvest now' }).count()).toBe(0)
        await expectAccessible(journey.browser, page)
        await page.goto(list)
        expect(await page.getByRole('link', { name: 'Library calendar' }).count()).toBe(1)
      } finally {
        await context.close()
      }
    }, 240_000)

    it('shows the feeds page right to left in Arabic, accessible', async () => {
      const context = await journey.browser.newContext()
      try {
        const page = await context.newPage()
        const base = journey.server.baseUrl
        await signIn(page, base, journey.server.coordinator)
        await page.goto(`${base}/ar/chicago/admin/feeds`)
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
        expect(await page.locator('html').getAttribute('lang')).toBe('ar')
        expect(await page.getByRole('link', { name: 'Library calendar' }).count()).toBe(1)
        await expectNoAxeViolations(page)
      } finally {
        await context.close()
      }
    })
  },
  { FETCH_ALLOW_ADDRESSES: 'loopback' },
)
