/**
 * The discovery suite: a catalogue of BENCH_DISCOVERY_PGLITE_ROWS opportunities (default 100,000) on
 * PGlite and, with BENCH_DATABASE_URL, BENCH_DISCOVERY_ROWS (default 1,000,000) on PostgreSQL
 * (discovery-data.ts), then the fixed mix of 500 searches (discovery-queries.ts) against the search
 * API and, in the same run and alternating with it 25 queries at a time, the bare SQL of the same
 * searches (discovery-floor.ts): p50/p95/p99 of each, one query at a time. Then throughput under
 * autocannon (BENCH_CONNECTIONS, default 50, for BENCH_DISCOVERY_SECONDS, default 20): the search
 * API against its floor at the same concurrency, and the opportunity page against a bare node:http
 * hello world. Memory and the machine's load average are recorded with each row.
 *
 * BENCH_DISCOVERY_ENGINES=pglite,postgres picks engines; BENCH_DISCOVERY_KEEP=1 keeps the generated
 * database (its name is printed) and BENCH_DISCOVERY_REUSE_PGLITE=dir / BENCH_DISCOVERY_REUSE_POSTGRES=name
 * measure an existing one again without generating it (migrations still run).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { cpSync, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import type { FloorRequest } from './discovery-floor.ts'
import type { SetupResult } from './discovery-setup.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
/** How long each load runs (run.ts prints it with the results). */
export const seconds = Number(process.env.BENCH_DISCOVERY_SECONDS ?? 20)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const CHUNK = 25

type Engine = 'pglite' | 'postgres'

/** A row of the results table, in the shape bench/run.ts prints and stores, with this suite's extras. */
export interface DiscoveryRow {
  name: string
  url: string
  requestsPerSec: number
  p50ms: number
  p95ms?: number
  p99ms: number
  errors: number
  non2xx: number
  relativeToFloor?: number
  engine: Engine
  opportunities: number
  /** The 1-, 5- and 15-minute load averages when the measurement ended (2 cores: above 2 is contention). */
  loadAverage: number[]
  [extra: string]: unknown
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits
const load = () => loadavg().map((l) => round(l, 2))

function percentile(sorted: number[], p: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0, 2)
}

function node(args: string[], env: Record<string, string> = {}, ipc = false): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  })
}

/** Waits until the child prints a line matching `ready` (or exits, for a child that just runs). */
function until(child: ChildProcess, ready: RegExp | 'exit', echo = false): Promise<RegExpMatchArray | null> {
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d
      if (echo) process.stdout.write(d)
      const match = ready === 'exit' ? null : ready.exec(output)
      if (match) resolve(match)
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) =>
      ready === 'exit' && code === 0
        ? resolve(null)
        : reject(new Error(`child exited with ${code}:\n${output}`)),
    )
  })
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Peak and current resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number): { peakRssMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { peakRssMb: Math.round(kb('VmHWM') / 1000), rssMb: Math.round(kb('VmRSS') / 1000) }
}

/** Asks the floor process one thing and waits for its answer. */
function ask<T>(floor: ChildProcess, request: FloorRequest): Promise<T> {
  return new Promise((resolve) => {
    floor.once('message', (m) => resolve(m as T))
    floor.send(request)
  })
}

async function timedGet(url: string, lang: string): Promise<number> {
  const t0 = performance.now()
  const response = await fetch(url, { headers: { 'accept-language': lang } })
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`)
  return performance.now() - t0
}

async function cannon(name: string, base: string, paths: string[], engine: Engine, opportunities: number) {
  let next = 0
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    pipelining: 1,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
  })
  return {
    name,
    url: `${base}${paths[0]}`,
    requestsPerSec: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    engine,
    opportunities,
    loadAverage: load(),
  } satisfies DiscoveryRow
}

/** Creates the engine's database (or takes the one to reuse) and returns where it is. */
async function prepare(
  engine: Engine,
): Promise<{ target: string; dir: string; reuse: boolean; drop: () => Promise<void> }> {
  const keep = process.env.BENCH_DISCOVERY_KEEP === '1'
  const dir = mkdtempSync(join(tmpdir(), `learncity-discovery-${engine}-`))
  if (engine === 'pglite') {
    const reused = process.env.BENCH_DISCOVERY_REUSE_PGLITE
    const target = reused ?? join(dir, 'data')
    return {
      target,
      dir,
      reuse: reused !== undefined,
      drop: async () => {
        // The copy the floor read goes in any case; the database itself only when not kept.
        rmSync(join(dir, 'floor'), { recursive: true, force: true })
        if (keep || reused)
          return console.log(`  kept the PGlite database: BENCH_DISCOVERY_REUSE_PGLITE=${target}`)
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const reused = process.env.BENCH_DISCOVERY_REUSE_POSTGRES
  const name = reused ?? `learncity_bench_discovery_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
  await admin.connect()
  if (!reused) await admin.query(`create database "${name}"`)
  await admin.end()
  const url = new URL(process.env.BENCH_DATABASE_URL!)
  url.pathname = `/${name}`
  return {
    target: url.toString(),
    dir,
    reuse: reused !== undefined,
    drop: async () => {
      rmSync(dir, { recursive: true, force: true })
      if (keep || reused) return console.log(`  kept the database: BENCH_DISCOVERY_REUSE_POSTGRES=${name}`)
      const again = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
      await again.connect()
      await again.query(`drop database if exists "${name}" with (force)`)
      await again.end()
    },
  }
}

async function measureEngine(engine: Engine, wanted: number): Promise<DiscoveryRow[]> {
  const say = (line: string) => console.log(`[discovery ${engine}] ${line}`)
  const db = await prepare(engine)
  const out: DiscoveryRow[] = []
  // Each row is printed as it is measured, so a run that fails later still shows what it measured.
  const keep = (...rows: DiscoveryRow[]) => {
    out.push(...rows)
    for (const r of rows)
      say(
        `${r.name}: ${r.requestsPerSec} req/s, p50 ${r.p50ms} p95 ${r.p95ms ?? '–'} p99 ${r.p99ms} ms, vs floor ${r.relativeToFloor ?? '–'}, load ${r.loadAverage.join(' ')}`,
      )
  }
  const children: ChildProcess[] = []
  try {
    // The app's PGlite lives in DATA_DIR/pglite; the floor reads a copy (one process per database).
    const pgliteDir = engine === 'pglite' ? join(db.target, 'pglite') : ''
    const setupFile = join(db.dir, 'setup.json')
    say(db.reuse ? 'recording the mix on the existing database' : `generating ${wanted} opportunities`)
    await until(
      node([
        'bench/discovery-setup.ts',
        engine,
        engine === 'pglite' ? pgliteDir : db.target,
        String(wanted),
        db.reuse ? 'reuse' : 'new',
        setupFile,
      ]),
      'exit',
      true,
    )
    const setup = JSON.parse(readFileSync(setupFile, 'utf8')) as SetupResult
    const count = setup.generated?.opportunities ?? wanted
    let floorTarget = db.target
    if (engine === 'pglite') {
      floorTarget = join(db.dir, 'floor')
      cpSync(pgliteDir, floorTarget, { recursive: true })
    }
    const port = String(40000 + Math.floor(Math.random() * 20000))
    const app = node(['src/main.ts'], {
      PORT: port,
      HOST: '127.0.0.1',
      DATA_DIR: engine === 'pglite' ? db.target : join(db.dir, 'unused'),
      DATABASE_URL: engine === 'postgres' ? db.target : '',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'never',
    })
    children.push(app)
    // What the app says after it is up (warnings, a crash) goes to a file beside the results.
    const appLog = createWriteStream(join(root, 'bench/results', `discovery-${engine}-app.log`))
    app.stdout?.pipe(appLog)
    app.stderr?.pipe(appLog)
    await until(app, /running at/)
    const floor = node(['bench/discovery-floor.ts', engine, floorTarget, setupFile], {}, true)
    children.push(floor)
    await new Promise<void>((resolve) => floor.once('message', () => resolve()))
    const hello = node(['bench/hello-server.ts'], { PORT: '0' })
    children.push(hello)
    const helloPort = (await until(hello, /listening (\d+)/))![1]

    const base = `http://127.0.0.1:${port}`
    const api = (q: string) => `/api/v1/cities/chicago/search?${q}`
    const queries = setup.queries
    const langOf = (i: number) => (i % 4 === 0 ? 'es' : 'en')
    say(`warming up: the mix once through the API and once through the floor (load ${load().join(' ')})`)
    for (let i = 0; i < queries.length; i++) await timedGet(`${base}${api(queries[i]!.query)}`, langOf(i))
    for (let i = 0; i < queries.length; i++) await ask(floor, { op: 'latency', index: i })
    say('latency: API and floor alternating, 25 queries at a time')
    const apiMs: number[] = []
    const floorMs: number[] = []
    const loadBefore = load()
    for (let from = 0; from < queries.length; from += CHUNK) {
      for (let i = from; i < Math.min(queries.length, from + CHUNK); i++)
        apiMs.push(await timedGet(`${base}${api(queries[i]!.query)}`, langOf(i)))
      for (let i = from; i < Math.min(queries.length, from + CHUNK); i++)
        floorMs.push((await ask<{ ms: number }>(floor, { op: 'latency', index: i })).ms)
    }
    const stats = (ms: number[]) => {
      const sorted = [...ms].sort((a, b) => a - b)
      const mean = ms.reduce((a, b) => a + b, 0) / ms.length
      return {
        mean,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
      }
    }
    const a = stats(apiMs)
    const f = stats(floorMs)
    const totals = queries.map((q) => q.total).sort((x, y) => x - y)
    const mix = {
      queries: queries.length,
      medianTotal: percentile(totals, 0.5),
      p90Total: percentile(totals, 0.9),
      corrected: queries.filter((q) => q.corrected).length,
      statementsPerSearch: round(queries.reduce((n, q) => n + q.groups.flat().length, 0) / queries.length, 2),
    }
    const latencyRow = (
      name: string,
      url: string,
      s: typeof a,
      extra: Record<string, unknown>,
    ): DiscoveryRow => ({
      name,
      url,
      requestsPerSec: round(1000 / s.mean, 0),
      p50ms: s.p50,
      p95ms: s.p95,
      p99ms: s.p99,
      errors: 0,
      non2xx: 0,
      engine,
      opportunities: count,
      loadAverage: load(),
      loadAverageBefore: loadBefore,
      ...extra,
    })
    keep(
      latencyRow(`${engine} ${count}: floor: bare SQL of the mix, one at a time`, 'sql:search', f, {
        relativeToFloor: 1,
        mix,
      }),
    )
    keep(
      latencyRow(
        `${engine} ${count}: search API, the mix one at a time`,
        `${base}${api(queries[0]!.query)}`,
        a,
        {
          relativeToFloor: round(f.p95 / a.p95, 3),
          p95VsFloor: round(a.p95 / f.p95, 2),
          server: memoryOf(app.pid!),
        },
      ),
    )

    say(`throughput: ${connections} connections, ${seconds} s each (load ${load().join(' ')})`)
    const apiPaths = queries.map((q) => api(q.query))
    const searchRow = await cannon(
      `${engine} ${count}: search API under load (mix)`,
      base,
      apiPaths,
      engine,
      count,
    )
    const floorLoad = await ask<{ requestsPerSec: number; p50ms: number; p99ms: number }>(floor, {
      op: 'load',
      seconds,
      connections,
    })
    const floorRow: DiscoveryRow = {
      name: `${engine} ${count}: floor: bare SQL of the mix, ${connections} at a time`,
      url: 'sql:search',
      requestsPerSec: Math.round(floorLoad.requestsPerSec),
      p50ms: round(floorLoad.p50ms, 2),
      p99ms: round(floorLoad.p99ms, 2),
      errors: 0,
      non2xx: 0,
      relativeToFloor: 1,
      engine,
      opportunities: count,
      loadAverage: load(),
      floorProcess: await ask(floor, { op: 'memory' }),
    }
    keep(floorRow, {
      ...searchRow,
      relativeToFloor: round(searchRow.requestsPerSec / floorRow.requestsPerSec, 3),
    })

    const pagePaths = queries.map((q) => `/en/chicago/opportunities?${q.query}`)
    const probe = await fetch(`${base}${pagePaths[0]}`).catch((error: Error) => {
      throw new Error(
        `the app stopped answering (see bench/results/discovery-${engine}-app.log): ${error.message}`,
      )
    })
    await probe.arrayBuffer()
    if (probe.status === 200 && probe.headers.get('content-type')?.includes('text/html')) {
      const pageRow = await cannon(
        `${engine} ${count}: search results page under load (mix)`,
        base,
        pagePaths,
        engine,
        count,
      )
      keep({ ...pageRow, relativeToFloor: round(pageRow.requestsPerSec / floorRow.requestsPerSec, 3) })
    } else say(`no search results page yet (GET ${pagePaths[0]} → ${probe.status}): not measured`)

    const helloRow = await cannon(
      `${engine} ${count}: ceiling: bare node:http hello world`,
      `http://127.0.0.1:${helloPort}`,
      ['/'],
      engine,
      count,
    )
    const detailPaths = setup.detailIds.map((id) => `/en/chicago/opportunities/${id}`)
    const detailRow = await cannon(
      `${engine} ${count}: opportunity page under load`,
      base,
      detailPaths,
      engine,
      count,
    )
    keep(
      { ...helloRow, relativeToFloor: 1 },
      {
        ...detailRow,
        relativeToFloor: round(detailRow.requestsPerSec / helloRow.requestsPerSec, 3),
        server: memoryOf(app.pid!),
      },
    )
    const generation: DiscoveryRow = {
      name: `${engine} ${count}: catalogue generated (rows/s), vocabulary in ${setup.wordsSeconds ?? '–'} s`,
      url: 'sql:generate',
      requestsPerSec: setup.generated
        ? Math.round(setup.generated.opportunities / setup.generated.seconds)
        : 0,
      p50ms: 0,
      p99ms: 0,
      errors: 0,
      non2xx: 0,
      engine,
      opportunities: count,
      loadAverage: load(),
      generated: setup.generated,
      databaseMb: await databaseSize(engine, db.target),
    }
    out.unshift(generation)
  } finally {
    for (const child of children) await stop(child)
    await db.drop()
  }
  return out
}

async function databaseSize(engine: Engine, target: string): Promise<number> {
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: target })
    await client.connect()
    const { rows } = await client.query('select pg_database_size(current_database())::float8 as bytes')
    await client.end()
    return Math.round(rows[0].bytes / 1e6)
  }
  const du = spawn('du', ['-sb', target])
  let text = ''
  du.stdout.on('data', (d) => {
    text += d
  })
  await new Promise((resolve) => du.on('exit', resolve))
  return Math.round(Number(text.split('\t')[0]) / 1e6)
}

/** The suite bench/run.ts calls. */
export async function discoverySuite(): Promise<DiscoveryRow[]> {
  const engines = (
    process.env.BENCH_DISCOVERY_ENGINES ?? (process.env.BENCH_DATABASE_URL ? 'pglite,postgres' : 'pglite')
  )
    .split(',')
    .map((e) => e.trim()) as Engine[]
  const out: DiscoveryRow[] = []
  for (const engine of engines) {
    if (engine === 'postgres' && !process.env.BENCH_DATABASE_URL)
      throw new Error(
        'the postgres engine needs BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres',
      )
    const wanted =
      engine === 'postgres'
        ? Number(process.env.BENCH_DISCOVERY_ROWS ?? 1_000_000)
        : Number(process.env.BENCH_DISCOVERY_PGLITE_ROWS ?? 100_000)
    out.push(...(await measureEngine(engine, wanted)))
  }
  console.table(
    out.map((r) => ({
      name: r.name,
      'req/s': r.requestsPerSec,
      'p50 ms': r.p50ms,
      'p95 ms': r.p95ms,
      'p99 ms': r.p99ms,
      'vs floor': r.relativeToFloor,
      load: r.loadAverage[0],
    })),
  )
  return out
}
