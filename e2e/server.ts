import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { AxeBuilder } from '@axe-core/playwright'
import { serve } from '@hono/node-server'
import { type Browser, chromium, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { seedAll } from '../src/app.ts'
import { DEMO_COORDINATOR } from '../src/modules/demo/index.ts'
import { type TestPlatform, testPlatform } from '../test/platform.ts'
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

export interface E2eServer {
  baseUrl: string
  smtp: TestSmtp
  t: TestPlatform
  /** Every line the demo seed said (it prints the demo passwords once). */
  seedLines: string[]
  /** The demo city coordinator of Chicago. */
  coordinator: { email: string; password: string }
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
export async function startE2eServer(engine: 'pglite' | 'postgres'): Promise<E2eServer> {
  const smtp = await startTestSmtp()
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const t = await testPlatform(engine, {
    SMTP_URL: smtp.url,
    PORT: String(port),
    PUBLIC_URL: baseUrl,
  })
  const seedLines: string[] = []
  await seedAll(t.platform, (line) => seedLines.push(line))
  const said = seedLines.find((l) => l.includes(DEMO_COORDINATOR))
  const password = said ? /password:\s*(\S+)/.exec(said)?.[1] : undefined
  if (!password)
    throw new Error(`The demo seed did not print the coordinator password:\n${seedLines.join('\n')}`)
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
    coordinator: { email: DEMO_COORDINATOR, password },
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
