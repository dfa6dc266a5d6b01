/**
 * A provider admin's journey through the webhook pages with JavaScript off: subscribe a receiver on
 * 127.0.0.1 (the server allows loopback), see the secret once, send a test event, find it in the
 * delivery log, the receiver having verified its signature with the standardwebhooks library; axe on
 * every page, the Arabic (right-to-left) page too.
 */
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { firstRow, sql } from '../src/platform/db/index.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver.ts'
import { describeJourneys, expectAccessible, signIn } from './server.ts'

let receiver: WebhookReceiver
beforeAll(async () => {
  receiver = await startWebhookReceiver()
})
afterAll(() => receiver?.close())

describeJourneys(
  'webhook pages in the browser (JavaScript off)',
  (journey) => {
    it('subscribes, sends a test event and sees it delivered in the log', async () => {
      // One receiver for both engines: this run's requests only.
      receiver.received.length = 0
      const context = await journey.browser.newContext({ javaScriptEnabled: false })
      try {
        const page = await context.newPage()
        const base = journey.server.baseUrl
        const org = await firstRow<{ id: number }>(
          journey.server.t.platform.db,
          sql`select id::int as id from organizations where slug = 'demo-learning-collective'`,
        )
        const path = `/en/chicago/provide/${org!.id}/webhooks`
        await signIn(page, base, journey.server.provider, path)
        expect(await page.locator('h1').textContent()).toBe('Webhooks of Demo Learning Collective (demo)')
        expect(await page.getByText('No subscriptions yet.').count()).toBe(1)
        await expectAccessible(journey.browser, page)

        // Nothing chosen and an address inside a private network: both named in the summary.
        await page.fill('#url', 'https://192.168.1.20/hook')
        await page.locator(`form[action="${path}"] button[type="submit"]`).click()
        await page.waitForLoadState('load')
        expect(await page.title()).toMatch(/^Error: /)
        const summary = page.locator('.error-summary')
        expect(await summary.locator('a[href="#url"]').textContent()).toContain('private or local network')
        expect(await summary.locator('a[href="#events"]').count()).toBe(1)
        await expectAccessible(journey.browser, page)

        await page.fill('#url', receiver.url)
        await page.fill('#description', 'Our booking system')
        await page.check('#events')
        await page.check('[id="events-opportunity.updated"]')
        await page.locator(`form[action="${path}"] button[type="submit"]`).click()
        await page.waitForLoadState('load')
        const secret = (await page.locator('#webhook-secret').textContent()) ?? ''
        expect(secret).toMatch(/^whsec_/)
        await expectAccessible(journey.browser, page)

        await page.getByRole('button', { name: 'Send a test event' }).click()
        await page.waitForURL(/\?done=test$/)
        expect(await page.locator('[role="status"]').textContent()).toContain('test event is on its way')
        // The worker delivers it; reload, as a person would, until the log shows it.
        let rows = 0
        for (let tries = 0; tries < 100 && rows === 0; tries++) {
          await new Promise((r) => setTimeout(r, 100))
          await page.reload()
          rows = await page.locator('main table tbody tr').count()
        }
        const line = page.locator('main table tbody tr').first()
        expect(await line.textContent()).toContain('webhook.test')
        expect(await line.textContent()).toContain('200')
        await expectAccessible(journey.browser, page)

        const hook = receiver.received.find((h) => h.json.type === 'webhook.test')!
        expect(new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>)).toMatchObject({
          type: 'webhook.test',
          city: 'chicago',
        })

        // The list shows it; the Arabic page reads right to left and passes axe too.
        await page.goto(`${base}${path}`)
        expect(await page.locator('main table').textContent()).toContain(receiver.url)
        await page.goto(`${base}/ar/chicago/provide/${org!.id}/webhooks`)
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
        await expectAccessible(journey.browser, page)
      } finally {
        await context.close()
      }
    })
  },
  { FETCH_ALLOW_ADDRESSES: 'loopback' },
)
