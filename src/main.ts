import { serve } from '@hono/node-server'
import { createApp, seedIfEmpty, startPlatform } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'

/** Boot: config → database → migrations → seed (first start) → HTTP + jobs; SIGTERM drains gracefully. */
async function main() {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(78)
    }
    throw error
  }
  const started = await startPlatform(config)
  const { platform } = started
  if (config.seedDemo) {
    const lines: string[] = []
    if (await seedIfEmpty(platform, (line) => lines.push(line))) {
      console.log(['', 'LearnCity: seeded the demo city (Chicago).', ...lines, ''].join('\n'))
    }
  }
  const app = createApp(platform)
  await platform.jobs.scheduleRecurring()
  platform.jobs.start()

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    platform.log.info({ port: info.port, database: platform.dbKind }, 'listening')
    console.log(`LearnCity is running at http://localhost:${info.port} (database: ${platform.dbKind})`)
  })

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    platform.log.info({ signal }, 'shutting down: no new connections, finishing requests')
    const force = setTimeout(() => {
      platform.log.error('requests did not finish within 10 s; exiting')
      process.exit(1)
    }, 10_000)
    force.unref()
    server.close(async () => {
      await started.close()
      platform.log.info('stopped cleanly')
      process.exit(0)
    })
    // Idle keep-alive sockets would hold close() open.
    if ('closeIdleConnections' in server)
      (server as unknown as { closeIdleConnections(): void }).closeIdleConnections()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

await main()
