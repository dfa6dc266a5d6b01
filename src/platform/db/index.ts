import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type SQL, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { PgliteWorkerClient } from './pglite-client.ts'

export { type SQL, sql }
export type Db = PgDatabase<PgQueryResultHKT>

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | 'memory'; loadDataDir?: ArrayBuffer }

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  /** A tarball of the embedded database (PGlite only), for test templates. */
  dump?: () => Promise<ArrayBuffer>
  close(): Promise<void>
}

export const migrationsFolder = fileURLToPath(new URL('../../../db/migrations', import.meta.url))

/**
 * Opens PostgreSQL, or PGlite running in a worker thread (its queries block the thread they run on,
 * so they never run on the HTTP thread). Both are driven by node-postgres, so results have the same
 * types on both engines (int8 and numeric as strings: cast counts to int in SQL).
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    // JIT off: the planner's cost of a search over a large catalogue passes jit_above_cost, and
    // compiling it took 40-115 ms of a 45-130 ms search (discovery benchmark); these are short queries.
    const pool = new pg.Pool({ connectionString: target.url, max: 10, options: '-c jit=off' })
    // An idle connection the server closes (a restart, a dropped database) has already been discarded
    // by the pool, and the next query opens a new one; without a listener the pool's 'error' event
    // would crash the process.
    pool.on('error', () => {})
    // Fail fast with a readable error when the server is unreachable.
    const client = await pool.connect()
    client.release()
    return { db: drizzle(pool) as unknown as Db, kind: 'postgres', close: () => pool.end() }
  }
  let dataDir: string | undefined
  if (target.dataDir !== 'memory') {
    mkdirSync(target.dataDir, { recursive: true })
    dataDir = target.dataDir
  }
  const worker = new PgliteWorkerClient({ dataDir, loadDataDir: target.loadDataDir })
  await worker.waitReady
  const pool = worker.pool()
  return {
    db: drizzle(pool) as unknown as Db,
    kind: 'pglite',
    dump: () => worker.dumpDataDir(),
    async close() {
      await pool.end()
      await worker.close()
    },
  }
}

/** Applies every pending migration from db/migrations (one timeline for both engines). */
export async function migrate(database: Database): Promise<void> {
  await migrateNodePg(database.db as never, { migrationsFolder })
}

/** Runs raw SQL and returns its rows, the same shape on both engines. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

/** Runs raw SQL and returns its first row, if any. */
export async function firstRow<T>(db: Db, query: SQL): Promise<T | undefined> {
  return (await rows<T>(db, query))[0]
}

/**
 * An SQL array as ONE parameter, e.g. arrayOf(['en', 'es'], 'text'): the values travel in
 * PostgreSQL's array syntax, every element quoted and escaped, so no value is ever SQL. One
 * parameter instead of one per element keeps statements with hundreds of values cheap to plan.
 */
export function arrayOf(values: readonly (string | number)[], type: 'text' | 'float8' | 'int8'): SQL {
  const literal = `{${values
    .map((v) => {
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new RangeError(`Not a finite number: ${v}`)
        return String(v)
      }
      return `"${v.replace(/[\\"]/g, '\\$&')}"`
    })
    .join(',')}}`
  return sql`${literal}::${sql.raw(type)}[]`
}

/**
 * Runs several data-changing statements (inserts, updates, deletes) as one, in one round trip: all
 * but the last become WITH clauses of the last. They must not depend on each other's effects, which
 * one statement cannot see; foreign keys between them hold, as they are checked at its end.
 */
export async function executeTogether(db: Db, statements: (SQL | undefined)[]): Promise<void> {
  const present = statements.filter((s): s is SQL => s !== undefined)
  const last = present.pop()
  if (!last) return
  if (present.length === 0) {
    await db.execute(last)
    return
  }
  const clauses = present.map((statement, i) => sql`${sql.raw(`step${i}`)} as (${statement})`)
  await db.execute(sql`with ${sql.join(clauses, sql`, `)} ${last}`)
}
