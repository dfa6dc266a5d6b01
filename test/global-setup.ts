import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrate, openDatabase } from '../src/platform/db/index.ts'

export const PG_TEMPLATE = 'learncity_test_template'

/**
 * Builds one migrated database template per run: a PGlite dump file (each test loads it in ~1 s
 * instead of running initdb), and, with TEST_DATABASE_URL, a PostgreSQL template database.
 */
export default async function setup(project: TestProject) {
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
    // Leftovers from an interrupted run.
    const old = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like 'learncity_test_%'`,
    )
    for (const { datname } of old.rows) await admin.query(`drop database if exists "${datname}" with (force)`)
    await admin.query(`create database ${PG_TEMPLATE}`)
    const target = new URL(url)
    target.pathname = `/${PG_TEMPLATE}`
    const db = await openDatabase({ kind: 'postgres', url: target.toString() })
    await migrate(db)
    await db.close()
    await admin.end()
    project.provide('postgresTemplate', PG_TEMPLATE)
  } else {
    project.provide('postgresTemplate', '')
  }
  console.log(
    `test databases ready in ${Date.now() - started} ms (${url ? 'PGlite + PostgreSQL' : 'PGlite'})`,
  )
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresTemplate: string
  }
}
