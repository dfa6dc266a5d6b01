import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { type SQL, sql } from 'drizzle-orm'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'

export { sql }
export type Db = PgDatabase<PgQueryResultHKT>

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | 'memory'; loadDataDir?: Blob | File }

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  /** The PGlite instance, for dumps in tests; undefined on PostgreSQL. */
  pglite?: PGlite
  close(): Promise<void>
}

export const migrationsFolder = fileURLToPath(new URL('../../../db/migrations', import.meta.url))

// int8 and numeric come back as strings from pg; counts are cast to int in SQL instead.
const pgliteExtensions = { pg_trgm, unaccent, btree_gin }

/** Opens PGlite (embedded) or PostgreSQL with the same Drizzle API. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 })
    // Fail fast with a readable error when the server is unreachable.
    const client = await pool.connect()
    client.release()
    return { db: drizzleNodePg(pool) as unknown as Db, kind: 'postgres', close: () => pool.end() }
  }
  let dataDir: string | undefined
  if (target.dataDir !== 'memory') {
    mkdirSync(target.dataDir, { recursive: true })
    dataDir = target.dataDir
  }
  const client = await PGlite.create({
    dataDir,
    extensions: pgliteExtensions,
    loadDataDir: target.loadDataDir,
  })
  return {
    db: drizzlePglite(client) as unknown as Db,
    kind: 'pglite',
    pglite: client,
    close: () => client.close(),
  }
}

/** Applies every pending migration from db/migrations (one timeline for both engines). */
export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder })
  } else {
    await migrateNodePg(database.db as never, { migrationsFolder })
  }
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

/** A parameterised SQL array literal, e.g. arrayOf(['en', 'es'], 'text'). */
export function arrayOf(values: readonly (string | number)[], type: 'text' | 'float8' | 'int8'): SQL {
  if (values.length === 0) return sql`'{}'::${sql.raw(type)}[]`
  return sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::${sql.raw(type)}[]`
}
