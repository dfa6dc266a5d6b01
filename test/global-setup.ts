import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrate, openDatabase } from '../src/platform/db/index.ts'

/** Every database of a run carries the run's process id, so runs side by side never touch each other's. */
const RUN = `learncity_test_${process.pid}`

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Builds one migrated database template per run: a PGlite dump file (each test loads it in ~1 s
 * instead of running initdb), and, with TEST_DATABASE_URL, a PostgreSQL template database.
 */
export default async function setup(project: TestProject) {
  // Drops this run's databases when it ends.
  const teardown = async () => {
    const url = process.env.TEST_DATABASE_URL
    if (!url) return
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    const mine = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like '${RUN}\\_%'`,
    )
    for (const { datname } of mine.rows)
      await admin.query(`drop database if exists "${datname}" with (force)`)
    await admin.end()
  }
  const started = Date.now()
  const pglite = await openDatabase({ kind: 'pglite', dataDir: 'memory' })
  await migrate(pglite)
  const dump = await pglite.dump!()
  const file = join(tmpdir(), `learncity-template-${process.pid}.tar`)
  writeFileSync(file, Buffer.from(dump))
  await pglite.close()
  project.provide('pgliteTemplate', file)

  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    // Leftovers of interrupted runs: databases of runs whose process is gone.
    const old = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like 'learncity\\_test\\_%'`,
    )
    for (const { datname } of old.rows) {
      const pid = Number(/^learncity_test_(\d+)_/.exec(datname)?.[1])
      if (pid && !alive(pid)) await admin.query(`drop database if exists "${datname}" with (force)`)
    }
    const template = `${RUN}_template`
    await admin.query(`create database "${template}"`)
    const target = new URL(url)
    target.pathname = `/${template}`
    const db = await openDatabase({ kind: 'postgres', url: target.toString() })
    await migrate(db)
    await db.close()
    await admin.end()
    project.provide('postgresTemplate', template)
  } else {
    project.provide('postgresTemplate', '')
  }
  project.provide('runId', RUN)
  console.log(
    `test databases ready in ${Date.now() - started} ms (${url ? 'PGlite + PostgreSQL' : 'PGlite'})`,
  )
  return teardown
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresTemplate: string
    runId: string
  }
}
