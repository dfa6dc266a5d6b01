import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { AxeBuilder } from '@axe-core/playwright'
import { serve } from '@hono/node-server'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { seedAll } from '../src/app.ts'
import { DEMO_COORDINATOR, DEMO_PROVIDER } from '../src/modules/demo/index.ts'
import { engines, type TestPlatform, testPlatform } from '../test/platform.ts'
import { startTestSmtp, type TestSmtp } from '../test/smtp.ts'

export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Whether the Debian Chromium is installed; e2e files skip without it unless CHROMIUM_REQUIRED is set. */
export const hasChromium = existsSync(CHROMIUM_PATH)

/** One headless Chromium for a test file. Never downloads a browser: Debian's or nothing. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface Account {
  email: string
  password: string
}

export interface E2eServer {
  baseUrl: string
  smtp: TestSmtp
  t: TestPlatform
  /** Every line the demo seed said (it prints the demo passwords once). */
  seedLines: string[]
  /** The demo city coordinator of Chicago. */
  coordinator: Account
  /** The admin of the demo provider, Demo Learning Collective (trusted). */
  provider: Account
  close(): Promise<void>
}

/** A free TCP port on 127.0.0.1 (listen on port 0, read it, close). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/**
 * The whole platform behind a real HTTP server on 127.0.0.1: fresh database, demo seed, the real job
 * queue delivering mail to a real test SMTP server.
 */
export async function startE2eServer(
  engine: 'pglite' | 'postgres',
  env: Record<string, string> = {},
): Promise<E2eServer> {
  const smtp = await startTestSmtp()
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const t = await testPlatform(engine, {
    SMTP_URL: smtp.url,
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    ...env,
  })
  const seedLines: string[] = []
  await seedAll(t.platform, (line) => seedLines.push(line))
  /** The password the demo seed printed once for this demo account. */
  const demoAccount = (email: string): Account => {
    const said = seedLines.find((l) => l.includes(email))
    const password = said ? /password:\s*(\S+)/.exec(said)?.[1] : undefined
    if (!password)
      throw new Error(`The demo seed did not print the password of ${email}:\n${seedLines.join('\n')}`)
    return { email, password }
  }
  const coordinator = demoAccount(DEMO_COORDINATOR)
  const provider = demoAccount(DEMO_PROVIDER)
  t.platform.jobs.start()
  const server = serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' })
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve()
    else {
      server.once('listening', resolve)
      server.once('error', reject)
    }
  })
  return {
    baseUrl,
    smtp,
    t,
    seedLines,
    coordinator,
    provider,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Chromium keeps sockets alive; without this close() waits for them.
        if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections()
      })
      await t.close()
      await smtp.close()
    },
  }
}

/** Runs axe (WCAG 2.0/2.1/2.2 A and AA) on the page and fails with a readable list of violations. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    // Passes and incomplete results are not reported; leaving them out makes each run faster.
    .options({ resultTypes: ['violations'] })
    // axe.run in the page itself: our pages have no cross-origin frames, and the default mode opens
    // an extra blank page for every check to merge frame results (about a second each here).
    .setLegacyMode(true)
    .analyze()
  const report = results.violations
    .map((v) =>
      [
        `- ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}`,
        ...v.nodes.map(
          (n) =>
            `    at ${n.target.join(' ')}${n.failureSummary ? `: ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`,
        ),
      ].join('\n'),
    )
    .join('\n')
  expect(
    results.violations.map((v) => v.id),
    `axe found violations on ${page.url()}:\n${report}`,
  ).toEqual([])
}

/**
 * Signs in through the sign-in form (works with JavaScript off) and waits for the page it leads to:
 * `next` when given, the home page otherwise. Fails unless the header then offers to sign out.
 */
export async function signIn(page: Page, baseUrl: string, account: Account, next?: string): Promise<void> {
  await page.goto(`${baseUrl}/en/account/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`)
  await page.fill('#email', account.email)
  await page.fill('#password', account.password)
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/en/account/sign-in'),
    page.click('main form button[type="submit"]'),
  ])
  expect(new URL(page.url()).pathname, `where signing in ${account.email} led`).toBe(
    next ? new URL(next, baseUrl).pathname : '/en',
  )
  expect(await page.locator('header form[action$="/account/sign-out"]').count()).toBe(1)
}

/** One JavaScript-enabled page per browser that replays pages for axe, and the page it replays now. */
const replays = new WeakMap<Browser, Promise<{ page: Page; current: { url: string; html: string } }>>()

function replayPage(browser: Browser) {
  let replay = replays.get(browser)
  if (!replay) {
    replay = (async () => {
      const page = await (await browser.newContext()).newPage()
      const current = { url: '', html: '' }
      await page.route(
        (u) => u.href === current.url,
        (route) =>
          route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: current.html }),
      )
      return { page, current }
    })()
    replays.set(browser, replay)
  }
  return replay
}

/**
 * axe needs JavaScript, which the journeys run without: the exact HTML the JavaScript-free page got
 * (POST results included) is replayed at the same address in a JavaScript-enabled page (one per
 * browser, kept between checks, with no cookies), with the real stylesheet, and checked there.
 */
export async function expectAccessible(browser: Browser, page: Page): Promise<void> {
  const url = page.url()
  const replay = await replayPage(browser)
  replay.current.url = url
  replay.current.html = await page.content()
  await replay.page.goto(url)
  await expectNoAxeViolations(replay.page)
}

/** What the journeys of a file share on one engine; filled in before its first test runs. */
export interface Journey {
  engine: 'pglite' | 'postgres'
  browser: Browser
  server: E2eServer
}

/**
 * The browser journeys of a file: `body` declares its tests once per database engine, with one
 * headless Chromium for the file and a fresh server per engine. Without Chromium they are skipped,
 * unless CHROMIUM_REQUIRED is set: then they run and fail at launch.
 */
export function describeJourneys(
  name: string,
  body: (journey: Journey) => void,
  /** Extra environment for the server (e.g. FETCH_ALLOW_ADDRESSES for a local publisher). */
  env: Record<string, string> = {},
): void {
  const suite = hasChromium || process.env.CHROMIUM_REQUIRED ? describe : describe.skip
  suite(name, () => {
    let browser: Browser | undefined
    beforeAll(async () => {
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
    })
    describe.each(engines)('on %s', (engine) => {
      const journey = { engine } as Journey
      beforeAll(async () => {
        journey.browser = browser!
        journey.server = await startE2eServer(engine, env)
      })
      afterAll(async () => {
        await journey.server?.close()
      })
      body(journey)
    })
  })
}
