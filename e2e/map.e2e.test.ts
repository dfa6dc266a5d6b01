import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { describeJourneys, expectAccessible, expectNoAxeViolations } from './server.ts'

const MAP = '/en/chicago/opportunities/map'

/** The map's viewBox as numbers: x, y, width, height. */
const viewBox = (page: Page) =>
  page.$eval('svg.dmap-svg', (svg) => (svg.getAttribute('viewBox') ?? '').split(' ').map(Number))

/** How many results of the list are shown (not hidden by the island). */
const visibleItems = (page: Page) =>
  page.$$eval('.dmap-item', (items) => items.filter((i) => !(i as HTMLElement).hidden).length)

describeJourneys('the map of search results', (journey) => {
  it('works without JavaScript: districts, markers that are links, the list, and a closer view', async () => {
    const context = await journey.browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      await page.goto(`${journey.server.baseUrl}${MAP}`)
      expect(await page.locator('svg.dmap-svg path[role="img"]').count()).toBe(77)
      const markers = page.locator('a.dmap-marker')
      expect(await markers.count()).toBeGreaterThan(0)
      // Every demo opportunity is at a library: all are on the map, and all are in the list.
      const onMap = await markers.evaluateAll((as) =>
        as.reduce((s, a) => s + Number(a.getAttribute('data-n')), 0),
      )
      const listed = await page.locator('.dmap-item').count()
      expect(listed).toBeGreaterThan(0)
      expect(onMap).toBe(listed)
      expect(await page.locator('.dmap-controls').count()).toBe(0)
      expect(
        await page.getByRole('link', { name: 'Show these results as a list' }).getAttribute('href'),
      ).toBe('/en/chicago/opportunities')
      await expectAccessible(journey.browser, page)
      // A single marker opens its opportunity.
      const single = page.locator('a.dmap-open').first()
      const href = await single.getAttribute('href')
      await Promise.all([page.waitForURL(`**${href}`), single.click()])
      expect(await page.locator('h1').count()).toBe(1)
      // bbox shows part of the city, with its markers only, and a way back to the whole city.
      await page.goto(`${journey.server.baseUrl}${MAP}?bbox=-87.7,41.85,-87.6,41.95`)
      expect(await page.locator('.dmap-status').textContent()).toMatch(
        /in this part of the map\..*whole city/,
      )
      await expectAccessible(journey.browser, page)
    } finally {
      await context.close()
    }
  })

  it('with JavaScript: zooms and pans from the keyboard, and the list follows the view', async () => {
    const context = await journey.browser.newContext()
    try {
      const page = await context.newPage()
      const requests: string[] = []
      page.on('request', (r) => requests.push(r.url()))
      await page.goto(`${journey.server.baseUrl}${MAP}`)
      await page.getByRole('button', { name: 'Zoom in' }).waitFor()
      await expectNoAxeViolations(page)
      const whole = await viewBox(page)
      const listed = await page.locator('.dmap-item').count()
      expect(await visibleItems(page)).toBe(listed)

      await page.focus('svg.dmap-svg')
      await page.keyboard.press('+')
      await page.keyboard.press('+')
      await page.waitForFunction(() =>
        document.querySelector('.dmap-status')?.textContent?.includes('list below'),
      )
      const zoomed = await viewBox(page)
      expect(zoomed[2]).toBeCloseTo((whole[2] ?? 0) / 4, 1)
      expect(new URL(page.url()).searchParams.get('bbox')).toMatch(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/)

      // The live region says how many listed results are in view, and exactly those are shown.
      const inViewCount = async () => {
        const said = (await page.locator('.dmap-status').textContent()) ?? ''
        if (said.includes('None of the results')) return 0
        return Number(/(\d+) of the results in the list below/.exec(said)?.[1])
      }
      expect(await visibleItems(page)).toBe(await inViewCount())
      expect(await visibleItems(page)).toBeLessThan(listed)

      await page.keyboard.press('ArrowLeft')
      await page.keyboard.press('ArrowUp')
      await page.waitForFunction(
        (before) => document.querySelector('svg.dmap-svg')?.getAttribute('viewBox') !== before,
        zoomed.join(' '),
      )
      const panned = await viewBox(page)
      expect(panned[0]).toBeLessThan(zoomed[0] ?? 0)
      expect(panned[1]).toBeLessThan(zoomed[1] ?? 0)
      await page.waitForFunction(
        (count) =>
          Array.from(document.querySelectorAll('.dmap-item')).filter((i) => !(i as HTMLElement).hidden)
            .length === count,
        await inViewCount(),
      )
      await expectNoAxeViolations(page)

      // The mouse: dragging pans, the wheel zooms.
      const area = (await page.locator('svg.dmap-svg').boundingBox())!
      const middle = { x: area.x + area.width / 2, y: area.y + area.height / 2 }
      const beforeDrag = await viewBox(page)
      await page.mouse.move(middle.x, middle.y)
      await page.mouse.down()
      await page.mouse.move(middle.x + 40, middle.y + 30, { steps: 4 })
      await page.mouse.up()
      const dragged = await viewBox(page)
      expect(dragged[0]).toBeLessThan(beforeDrag[0] ?? 0)
      expect(dragged[2]).toBe(beforeDrag[2])
      await page.mouse.wheel(0, -120)
      await page.waitForFunction(
        (width) =>
          Number(document.querySelector('svg.dmap-svg')?.getAttribute('viewBox')?.split(' ')[2]) < width,
        dragged[2] ?? 0,
      )
      await page.mouse.wheel(0, 120)
      await page.waitForFunction(
        (width) =>
          Number(document.querySelector('svg.dmap-svg')?.getAttribute('viewBox')?.split(' ')[2]) === width,
        dragged[2] ?? 0,
      )

      // The zoom-out button and 0 bring the whole city (and every listed result) back.
      await page.getByRole('button', { name: 'Zoom out' }).click()
      expect((await viewBox(page))[2]).toBeCloseTo((whole[2] ?? 0) / 2, 1)
      await page.focus('svg.dmap-svg')
      await page.keyboard.press('0')
      expect(await viewBox(page)).toEqual(whole)
      expect(await visibleItems(page)).toBe(listed)

      // Focusing a marker marks its results in the list.
      await page.focus('a.dmap-marker')
      expect(await page.locator('.dmap-item.is-active').count()).toBeGreaterThan(0)
      // Nothing was asked of another site (no tile server is set).
      expect(requests.filter((u) => !u.startsWith(journey.server.baseUrl))).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('draws tiles under the districts when the site names a tile server', async () => {
    const config = journey.server.t.platform.config
    config.mapTileUrl = 'https://tiles.example.org/{z}/{x}/{y}.png'
    const context = await journey.browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${journey.server.baseUrl}${MAP}`)
      await page.getByRole('button', { name: 'Zoom in' }).waitFor()
      const tiles = await page.$$eval('.dmap-tiles image', (images) =>
        images.map((i) => i.getAttribute('href')),
      )
      expect(tiles.length).toBeGreaterThan(0)
      expect(tiles.length).toBeLessThanOrEqual(64)
      for (const href of tiles) expect(href).toMatch(/^https:\/\/tiles\.example\.org\/\d+\/\d+\/\d+\.png$/)
      // Chicago at about 1,000 px wide is some ten tiles of zoom 10 or 11 across.
      const zooms = new Set(tiles.map((h) => Number(h?.split('/')[3])))
      expect([...zooms].every((z) => z >= 9 && z <= 12)).toBe(true)
    } finally {
      config.mapTileUrl = undefined
      await context.close()
    }
  })

  it('in Arabic: right-to-left page, controls named in Arabic, axe clean', async () => {
    const context = await journey.browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${journey.server.baseUrl}/ar/chicago/opportunities/map`)
      await page.getByRole('button', { name: 'تكبير' }).waitFor()
      expect(await page.getAttribute('html', 'dir')).toBe('rtl')
      await expectNoAxeViolations(page)
    } finally {
      await context.close()
    }
  })
})
