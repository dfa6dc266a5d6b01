import { readFileSync } from 'node:fs'
import pg from 'pg'
import pino from 'pino'
import { inject } from 'vitest'
import { createApp, type Started, startPlatform } from '../src/app.ts'
import { type Config, loadConfig } from '../src/config.ts'
import { type Database, openDatabase } from '../src/platform/db/index.ts'
import type { App, Platform } from '../src/platform/module.ts'

let counter = 0

/** Engines a database test runs on: PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export const engines: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite']

/** A fresh, migrated database from the run's template. */
export async function freshDatabase(engine: 'pglite' | 'postgres'): Promise<Database> {
  if (engine === 'pglite') {
    const dump = readFileSync(inject('pgliteTemplate'))
    const copy = dump.buffer.slice(dump.byteOffset, dump.byteOffset + dump.byteLength)
    return openDatabase({ kind: 'pglite', dataDir: 'memory', loadDataDir: copy })
  }
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_DATABASE_URL is not set')
  const name = `${inject('runId')}_${process.pid}_${Date.now().toString(36)}_${counter++}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create database "${name}" template "${inject('postgresTemplate')}"`)
  await admin.end()
  const target = new URL(url)
  target.pathname = `/${name}`
  const database = await openDatabase({ kind: 'postgres', url: target.toString() })
  const close = database.close
  return {
    ...database,
    async close() {
      await close()
      const dropper = new pg.Client({ connectionString: url })
      await dropper.connect()
      await dropper.query(`drop database if exists "${name}" with (force)`)
      await dropper.end()
    },
  }
}

export interface TestPlatform extends Started {
  app: App
  platform: Platform
  config: Config
}

/** A whole platform (database, jobs, mail, HTTP app) on a fresh database, for one test file. */
export async function testPlatform(
  engine: 'pglite' | 'postgres' = 'pglite',
  env: Record<string, string> = {},
): Promise<TestPlatform> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JOBS_POLL_MS: '50',
    DEMO_SIZE: 'small',
    ...env,
  })
  const database = await freshDatabase(engine)
  const started = await startPlatform(config, { database, log: pino({ level: 'silent' }) })
  return { ...started, app: createApp(started.platform), config }
}
