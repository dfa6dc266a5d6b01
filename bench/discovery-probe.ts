/**
 * A look inside the discovery mix on a kept benchmark database (not part of `npm run bench`): runs
 * each query of the mix through the search once, timing each statement, and prints the slowest
 * queries with their statements' times. `node --import tsx bench/discovery-probe.ts URL [count]`.
 */
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { parseFilters } from '../src/modules/discovery/index.ts'
import { search } from '../src/modules/discovery/search.ts'
import type { Db } from '../src/platform/db/index.ts'
import { placesOf } from './discovery-data.ts'
import { queryMix } from './discovery-queries.ts'

const [, , url, countText] = process.argv
// PROBE_PG_OPTIONS: more server settings for the probe's connections (e.g. '-c enable_seqscan=off').
const options = `-c jit=off ${process.env.PROBE_PG_OPTIONS ?? ''}`.trim()
const pool = new pg.Pool({ connectionString: url, max: 10, options })
const timings: { text: string; ms: number }[] = []
const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>
;(pool as unknown as { query: unknown }).query = async (config: unknown, values?: unknown) => {
  const text0 = typeof config === 'string' ? config : (config as { text: string }).text
  if (process.env.PROBE_EXPLAIN && text0.startsWith(process.env.PROBE_EXPLAIN)) {
    const params = typeof config === 'string' ? values : ((config as { values?: unknown[] }).values ?? values)
    // PROBE_EXPLAIN_TWICE: the plan of a second run, with the first one's caches warm.
    if (process.env.PROBE_EXPLAIN_TWICE) await query(`explain (analyze, buffers) ${text0}`, params)
    const plan = (await query(`explain (analyze, buffers) ${text0}`, params)) as {
      rows: { 'QUERY PLAN': string }[]
    }
    console.log(text0, params)
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'))
  }
  const t0 = performance.now()
  try {
    return await query(config, values)
  } finally {
    const text = typeof config === 'string' ? config : (config as { text: string }).text
    timings.push({ text: text.replace(/\s+/g, ' ').slice(0, 90), ms: performance.now() - t0 })
  }
}
const db = drizzle(pool) as unknown as Db
const city = (await findCityBySlug(db, 'chicago'))!
const places = await placesOf(db, city.id, 4000)
const results: { query: string; ms: number; total: number; steps: string[] }[] = []
for (const q of process.env.PROBE_QUERY
  ? [process.env.PROBE_QUERY]
  : queryMix(places).slice(0, Number(countText ?? 100))) {
  const parsed = parseFilters(new URLSearchParams(q))
  if (!parsed.ok) throw new Error(q)
  timings.length = 0
  const t0 = performance.now()
  const answer = await search(db, city, parsed.filters, new Date(), { lang: 'en' })
  const ms = performance.now() - t0
  results.push({
    query: q,
    ms,
    total: answer.total,
    steps: timings.map((t) => `${t.ms.toFixed(1)} ms ${t.text}`),
  })
}
const sorted = results.map((r) => r.ms).sort((a, b) => a - b)
const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1)
console.log(`n ${sorted.length} p50 ${at(0.5)} p95 ${at(0.95)} p99 ${at(0.99)} ms`)
for (const r of results.sort((a, b) => b.ms - a.ms).slice(0, 8)) {
  console.log(`\n${r.ms.toFixed(1)} ms, ${r.total} matches: ${r.query}`)
  for (const s of r.steps) console.log(`   ${s}`)
}
await pool.end()
