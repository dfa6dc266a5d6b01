/**
 * The floor of the discovery benchmark, in its own process: the search API's own SQL statements
 * (recorded by discovery-setup.ts), replayed from a plain client with no HTTP and no application
 * code: node-postgres on PostgreSQL, PGlite itself (in this process, on a copy of the database) on
 * PGlite. The parent asks over IPC for one query's latency or for a load at some concurrency.
 */
import { readFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import pg from 'pg'
import type { RecordedQuery, SetupResult, Statement } from './discovery-setup.ts'

export type FloorRequest =
  | { op: 'latency'; index: number }
  | { op: 'load'; seconds: number; connections: number }
  | { op: 'memory' }

const [, , engine, target, file] = process.argv
const { queries } = JSON.parse(readFileSync(file!, 'utf8')) as SetupResult

let run: (s: Statement) => Promise<unknown>
if (engine === 'postgres') {
  // As many connections as the app's pool (src/platform/db), so both have the same share of the server.
  const pool = new pg.Pool({ connectionString: target, max: 10, options: '-c jit=off' })
  run = (s) => pool.query(s.text, s.values)
} else {
  const db = await PGlite.create({ dataDir: target, extensions: { pg_trgm, unaccent, btree_gin } })
  run = (s) => db.query(s.text, s.values)
}

/** One search: its groups in order, the statements of a group together, as the API runs them. */
async function search(q: RecordedQuery) {
  for (const group of q.groups) await Promise.all(group.map(run))
}

async function load(seconds: number, connections: number) {
  let next = 0
  let done = 0
  const latencies: number[] = []
  const t0 = performance.now()
  const until = t0 + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const q = queries[next++ % queries.length]!
        const s = performance.now()
        await search(q)
        latencies.push(performance.now() - s)
        done++
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
  return { requestsPerSec: done / ((performance.now() - t0) / 1000), p50ms: at(0.5), p99ms: at(0.99) }
}

process.on('message', async (request: FloorRequest) => {
  if (request.op === 'latency') {
    const q = queries[request.index]!
    const s = performance.now()
    await search(q)
    process.send!({ ms: performance.now() - s })
  } else if (request.op === 'load') {
    process.send!(await load(request.seconds, request.connections))
  } else {
    process.send!({ rssMb: Math.round(process.memoryUsage.rss() / 1e6) })
  }
})
process.send!({ ready: true })
