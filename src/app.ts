import pino, { type Logger } from 'pino'
import type { Config } from './config.ts'
import { accountsModule } from './modules/accounts/index.ts'
import { adminModule } from './modules/admin/index.ts'
import {
  badgeConsoleModule,
  badgeEvidenceModule,
  badgesModule,
  badgeVerifierModule,
  badgeWalletModule,
} from './modules/badges/index.ts'
import { citiesModule } from './modules/cities/index.ts'
import { demoModule } from './modules/demo/index.ts'
import {
  discoveryMapModule,
  discoveryModule,
  savedSearchesModule,
  whatNextModule,
} from './modules/discovery/index.ts'
import { harvestModule, hsdsModule, interopModule, webhooksModule } from './modules/interop/index.ts'
import { knowledgeHubModule } from './modules/knowledge-hub/index.ts'
import { opportunitiesModule } from './modules/opportunities/index.ts'
import { organizationsModule } from './modules/organizations/index.ts'
import { registrationsModule } from './modules/registrations/index.ts'
import { type Database, firstRow, migrate, openDatabase, sql } from './platform/db/index.ts'
import { createEventBus } from './platform/events.ts'
import { createHttpApp, finishHttpApp } from './platform/http/app.ts'
import { pruneRateLimits } from './platform/http/rate-limit.ts'
import { systemRoutes } from './platform/http/system-routes.tsx'
import { registerMessages } from './platform/i18n/index.ts'
import { createJobQueue, type JobHandler } from './platform/jobs/index.ts'
import { createMailer, DELIVER_JOB } from './platform/mail/index.ts'
import type { App, Module, Platform } from './platform/module.ts'

/**
 * Every module of the system, in order. Routes are added in this order (accounts before cities, so
 * `/en/account/…` is never read as a city) and seeds run in this order.
 */
export const modules: Module[] = [
  accountsModule,
  adminModule,
  organizationsModule,
  opportunitiesModule,
  registrationsModule,
  knowledgeHubModule,
  citiesModule,
  demoModule,
  discoveryModule,
  discoveryMapModule,
  savedSearchesModule,
  whatNextModule,
  interopModule,
  hsdsModule,
  harvestModule,
  webhooksModule,
  badgesModule,
  badgeConsoleModule,
  badgeEvidenceModule,
  badgeVerifierModule,
  badgeWalletModule,
]

registerMessages('ui', new URL('./platform/i18n/messages/', import.meta.url))
for (const m of modules) if (m.messages) registerMessages(m.name, m.messages)

/** Refreshes planner statistics hourly on PGlite, which has no autovacuum. */
export const ANALYZE_JOB = 'platform.analyze'

export interface Started {
  platform: Platform
  database: Database
  /** Stops the job worker, mail transport and database. */
  close(): Promise<void>
}

/** Opens (or takes) the database, applies migrations and wires jobs and mail. */
export async function startPlatform(
  config: Config,
  options: { database?: Database; log?: Logger } = {},
): Promise<Started> {
  const log = options.log ?? pino({ level: config.logLevel, base: { service: 'learncity' } })
  const database =
    options.database ??
    (await openDatabase(
      config.database.kind === 'postgres'
        ? config.database
        : { kind: 'pglite', dataDir: `${config.database.dataDir.replace(/\/$/, '')}/pglite` },
    ))
  await migrate(database)
  const handlers: Record<string, JobHandler> = {}
  const recurring: Record<string, number> = { 'platform.prune-rate-limits': 24 * 3600_000 }
  // PGlite has no autovacuum: without fresh statistics the planner guesses (a search over 3,000
  // opportunities took 2.5 s instead of 0.1 s). PostgreSQL's own daemon does this there.
  if (database.kind === 'pglite') recurring[ANALYZE_JOB] = 3600_000
  for (const m of modules) Object.assign(recurring, m.recurring ?? {})
  const jobs = createJobQueue(database.db, handlers, { log, pollMs: config.jobsPollMs, recurring })
  const mail = createMailer(database.db, (name, payload) => jobs.enqueue(name, payload), {
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
  })
  const events = createEventBus((name, error) =>
    log.error({ event: name, err: error }, 'event handler failed'),
  )
  const platform: Platform = { config, db: database.db, dbKind: database.kind, log, jobs, mail, events }
  handlers[DELIVER_JOB] = mail.deliverJob
  handlers['platform.prune-rate-limits'] = () => pruneRateLimits(database.db)
  handlers[ANALYZE_JOB] = () => analyze(database.db)
  for (const m of modules) Object.assign(handlers, m.jobs?.(platform) ?? {})
  for (const m of modules) m.subscribe?.(platform)
  return {
    platform,
    database,
    async close() {
      await jobs.stop()
      mail.close()
      await database.close()
    },
  }
}

/** Builds the HTTP app: platform middleware, then each module's middleware and routes, by name. */
export function createApp(platform: Platform): App {
  const app = createHttpApp(platform, { csrfExempt: modules.flatMap((m) => m.csrfExempt ?? []) })
  const cityNav = modules.flatMap((m) => m.nav ?? []).sort((a, b) => (a.order ?? 50) - (b.order ?? 50))
  app.use(async (c, next) => {
    c.set('cityNav', cityNav)
    await next()
  })
  for (const m of modules) {
    const middleware = m.middleware?.(platform)
    if (middleware) app.use(middleware)
  }
  systemRoutes(app, platform)
  for (const m of modules) m.routes?.(app, platform)
  finishHttpApp(app, platform)
  return app
}

/** Runs every module's seed when the database has no city yet; returns whether it seeded. */
export async function seedIfEmpty(platform: Platform, say: (line: string) => void): Promise<boolean> {
  const row = await firstRow<{ n: number }>(platform.db, sql`select count(*)::int as n from cities`)
  if ((row?.n ?? 0) > 0) return false
  await seedAll(platform, say)
  return true
}

/** Runs every module's seed (each is idempotent). */
export async function seedAll(platform: Platform, say: (line: string) => void): Promise<void> {
  for (const m of modules) await m.seed?.(platform, { say })
  // The seed filled every table at once: plan the first searches on what is there.
  await analyze(platform.db)
}

/** Refreshes the planner's statistics of every table. */
export async function analyze(db: Platform['db']): Promise<void> {
  await db.execute(sql`analyze`)
}
