/**
 * The discovery benchmark's set-up child: builds the catalogue (unless it is reused), then records,
 * for each query of the mix, the SQL statements the search API runs for it, in the order it runs
 * them (statements in flight together form one group, as the API issues them in parallel). The
 * floor replays exactly these statements. Writes everything to a JSON file for the parent.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import pino from 'pino'
import { createApp, seedAll, startPlatform } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { refreshWords } from '../src/modules/discovery/words.ts'
import { type Database, type Db, rows, sql } from '../src/platform/db/index.ts'
import { PgliteWorkerClient } from '../src/platform/db/pglite-client.ts'
import { generateCatalogue, placesOf } from './discovery-data.ts'
import { queryMix } from './discovery-queries.ts'

export interface Statement {
  text: string
  values: unknown[]
}

/** One query of the mix: its query string and the statements of its search, group by group. */
export interface RecordedQuery {
  query: string
  groups: Statement[][]
  total: number
  corrected: boolean
}

export interface SetupResult {
  generated: null | { seconds: number; providers: number; opportunities: number; sessions: number }
  wordsSeconds: number | null
  queries: RecordedQuery[]
  detailIds: number[]
  /** Statements the API ran that the floor leaves out (not part of the search: the city lookup). */
  leftOut: string[]
}

/** A pool whose queries are recorded while `on`, grouped by overlap in time. */
function recording(pool: pg.Pool) {
  const log = { on: false, groups: [] as Statement[][], all: [] as string[] }
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>
  let inFlight = 0
  ;(pool as unknown as { query: unknown }).query = (config: unknown, values?: unknown) => {
    if (!log.on) return query(config, values)
    const text = typeof config === 'string' ? config : (config as { text: string }).text
    const params =
      (typeof config === 'string' ? values : ((config as { values?: unknown[] }).values ?? values)) ?? []
    if (inFlight === 0 || log.groups.length === 0) log.groups.push([])
    log.groups.at(-1)!.push({ text, values: params as unknown[] })
    log.all.push(text)
    inFlight++
    return query(config, values).finally(() => {
      inFlight--
    })
  }
  return log
}

async function open(engine: 'pglite' | 'postgres', target: string) {
  let pool: pg.Pool
  let close: () => Promise<void>
  if (engine === 'postgres') {
    pool = new pg.Pool({ connectionString: target, max: 10, options: '-c jit=off' })
    close = () => pool.end()
  } else {
    mkdirSync(target, { recursive: true })
    const worker = new PgliteWorkerClient({ dataDir: target })
    await worker.waitReady
    pool = worker.pool()
    close = async () => {
      await pool.end()
      await worker.close()
    }
  }
  const log = recording(pool)
  const database: Database = { db: drizzle(pool) as unknown as Db, kind: engine, close }
  return { database, log }
}

async function setup(
  engine: 'pglite' | 'postgres',
  target: string,
  rowsWanted: number,
  reuse: boolean,
  out: string,
) {
  const say = (line: string) => console.log(line)
  const { database, log } = await open(engine, target)
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SIZE: 'small' })
  const started = await startPlatform(config, { database, log: pino({ level: 'silent' }) })
  const { platform } = started
  const db = platform.db
  let generated: SetupResult['generated'] = null
  let wordsSeconds: number | null = null
  if (!reuse) {
    await seedAll(platform, () => {})
    const city = (await findCityBySlug(db, 'chicago'))!
    const t0 = performance.now()
    await db.execute(sql.raw(`set maintenance_work_mem = '512MB'`))
    const made = await generateCatalogue(db, city, rowsWanted, {
      chunk: engine === 'postgres' ? 100_000 : 20_000,
      say,
    })
    await db.execute(sql`vacuum analyze opportunities`)
    await db.execute(sql`vacuum analyze opportunity_sessions`)
    const { places: _, ...counts } = made
    generated = { seconds: Math.round((performance.now() - t0) / 100) / 10, ...counts }
    say(
      `  generated ${made.opportunities} opportunities, ${made.sessions} sessions in ${generated.seconds} s`,
    )
    const t1 = performance.now()
    await refreshWords(db, city.id)
    wordsSeconds = Math.round((performance.now() - t1) / 100) / 10
    say(`  vocabulary rebuilt in ${wordsSeconds} s`)
  }
  const city = (await findCityBySlug(db, 'chicago'))!
  const places = await placesOf(db, city.id, 4000)
  const app = createApp(platform)
  const queries: RecordedQuery[] = []
  const leftOut = new Set<string>()
  // BENCH_DISCOVERY_QUERIES: the first n queries of the mix only (default all 500), for a quick look.
  for (const query of queryMix(places).slice(0, Number(process.env.BENCH_DISCOVERY_QUERIES ?? 500))) {
    log.groups = []
    log.on = true
    const response = await app.request(`/api/v1/cities/chicago/search?${query}`)
    log.on = false
    const body = (await response.json()) as { total: number; corrected: string | null }
    if (response.status !== 200) throw new Error(`${query}: ${response.status} ${JSON.stringify(body)}`)
    // The city lookup is how the route finds its tenant, not part of the search: the floor leaves it out.
    const isCity = (s: Statement) => /from "cities"/.test(s.text)
    for (const s of log.groups.flat()) if (isCity(s)) leftOut.add(s.text)
    const groups = log.groups.map((g) => g.filter((s) => !isCity(s))).filter((g) => g.length > 0)
    queries.push({ query, groups, total: body.total, corrected: body.corrected !== null })
  }
  const detailIds = (
    await rows<{ id: number }>(
      db,
      sql`select id::int as id from opportunities
          where city_id = ${city.id} and status = 'published' and external_id like 'bench-%'
          order by hashint4(id::int) limit 1000`,
    )
  ).map((r) => r.id)
  await started.close()
  const result: SetupResult = { generated, wordsSeconds, queries, detailIds, leftOut: [...leftOut] }
  writeFileSync(out, JSON.stringify(result))
}

const [, , engine, target, rowsWanted, reuse, out] = process.argv
await setup(engine as 'pglite' | 'postgres', target!, Number(rowsWanted), reuse === 'reuse', out!)
process.exit(0)
