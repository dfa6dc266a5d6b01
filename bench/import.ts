/**
 * The import suite: generates a CSV of BENCH_IMPORT_ROWS rows (default 100,000) and imports it through
 * the real job (startImport → jobs.drain) on PGlite and, with BENCH_DATABASE_URL, on PostgreSQL. Each
 * measurement runs in a child process so its peak memory is its own; a tenth of the rows is imported
 * too, so memory can be compared across file sizes. The floor is bare SQL: the same rows inserted
 * into `opportunities` 250 at a time, on the same engine, in the same run.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import pino from 'pino'

const root = fileURLToPath(new URL('..', import.meta.url))

interface Measurement {
  engine: 'pglite' | 'postgres'
  kind: Kind
  rows: number
  seconds: number
  rowsPerSec: number
  baselineRssMb: number
  peakRssMb: number
  /** The largest live JavaScript heap seen right after a forced collection: what the import keeps. */
  peakLiveHeapMb: number
  /** CPU time of the whole process (every thread) during the import: what the rows cost this side of the database. */
  cpuSeconds: number
  imported: number
  rejected: number
  /** Seconds the search indexing job (queued by the import) took after it, and its rows per second. */
  indexSeconds?: number
  indexRowsPerSec?: number
}

/** A row of the results table, in the shape bench/run.ts prints and stores. */
export interface ImportRow {
  name: string
  url: string
  requestsPerSec: number
  p50ms: number
  p99ms: number
  errors: number
  non2xx: number
  relativeToFloor?: number
  rows: number
  seconds: number
  baselineRssMb: number
  peakRssMb: number
  peakLiveHeapMb: number
}

/** A small deterministic generator, so every run imports the same file. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

const RULES = [
  'FREQ=WEEKLY;BYDAY=SA;COUNT=8',
  'FREQ=WEEKLY;BYDAY=TU,TH;COUNT=12',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=6',
  'FREQ=MONTHLY;BYDAY=1SA;COUNT=6',
  'FREQ=DAILY;COUNT=5',
]

/**
 * How schedules vary between rows. `catalogue`: as in a provider's real file, courses start on a few
 * dozen term dates at the usual times (some hundreds of distinct schedules). `unique`: every row's
 * schedule is different (the worst case: nothing is shared between rows).
 */
export type Variety = 'catalogue' | 'unique'

/**
 * The CSV: every template column, the example row varied the way a real provider's file varies:
 * unique external ids and titles, start dates and times, several repeat rules, one-off and
 * self-paced rows, places spread over the city (each one's district is looked up).
 */
async function csvOf(rows: number, variety: Variety): Promise<Buffer> {
  const { EXAMPLE_ROW, IMPORT_COLUMNS } = await import('../src/modules/opportunities/import-columns.ts')
  const { csvLine } = await import('../src/modules/opportunities/import-files.ts')
  const next = random(42)
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!
  const days = variety === 'catalogue' ? 24 : 365
  const parts = [csvLine([...IMPORT_COLUMNS])]
  for (let i = 0; i < rows; i++) {
    const offset = Math.floor(next() * days) * Math.floor(365 / days)
    const day = new Date(Date.UTC(2027, 0, 4) + offset * 86_400_000).toISOString().slice(0, 10)
    const minutes = variety === 'catalogue' ? pick(['00', '30']) : pick(['00', '15', '30', '45'])
    const time = `${String(9 + Math.floor(next() * 11)).padStart(2, '0')}:${minutes}`
    const kind = next() < 0.1 ? 'self-paced' : next() < 0.2 ? 'once' : 'series'
    const varied: Record<string, string> = {
      external_id: `BENCH-${i}`,
      title_en: `Course ${i}`,
      schedule_kind: kind,
      start: kind === 'self-paced' ? '' : `${day}T${time}`,
      duration_minutes: kind === 'self-paced' ? '' : pick(['60', '90', '120']),
      rrule: kind === 'series' ? pick(RULES) : '',
      lat: (41.66 + next() * 0.35).toFixed(5),
      lon: (-87.85 + next() * 0.3).toFixed(5),
      capacity: String(8 + Math.floor(next() * 30)),
    }
    parts.push(csvLine(IMPORT_COLUMNS.map((c) => varied[c] ?? EXAMPLE_ROW[c] ?? '')))
  }
  return Buffer.from(parts.join(''))
}

/** Runs in the child: one engine, one size, one kind; prints a JSON measurement. */
/** What a child measures: the floor, or an import of a file with that variety of schedules. */
type Kind = 'floor' | Variety

async function child(engine: 'pglite' | 'postgres', kind: Kind, rows: number, url?: string) {
  const { startPlatform, seedAll } = await import('../src/app.ts')
  const { loadConfig } = await import('../src/config.ts')
  const { migrate, openDatabase, rows: rowsOf, sql } = await import('../src/platform/db/index.ts')
  const { findCityBySlug } = await import('../src/modules/cities/index.ts')
  const { createOrganization } = await import('../src/modules/organizations/index.ts')
  const { startImport } = await import('../src/modules/opportunities/import.ts')
  const { findImport } = await import('../src/modules/opportunities/import-repository.ts')
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SIZE: 'small' })
  const database =
    engine === 'postgres'
      ? await openDatabase({ kind: 'postgres', url: url! })
      : await openDatabase({ kind: 'pglite', dataDir: 'memory' })
  await migrate(database)
  const started = await startPlatform(config, { database, log: pino({ level: 'silent' }) })
  const platform = started.platform
  await seedAll(platform, () => {})
  const city = (await findCityBySlug(platform.db, 'chicago'))!
  const org = await createOrganization(platform, city.id, {
    slug: 'bench-provider',
    name: { en: 'Bench provider' },
    sector: 'community',
    trusted: true,
  })
  if (!org.ok) throw new Error('organization')
  const actor = {
    userId: null,
    label: 'bench',
    cityId: city.id,
    timeZone: city.timeZone,
    coordinator: false,
    organizations: [{ id: org.value, role: 'admin' as const, trusted: true }],
  }
  let bytes: Buffer | undefined = await csvOf(rows, kind === 'floor' ? 'catalogue' : kind)
  let importId = 0
  if (kind !== 'floor') {
    const accepted = await startImport(platform, actor, org.value, { name: 'bench.csv', bytes })
    if (!accepted.ok) throw new Error(accepted.error)
    importId = accepted.value.id
  }
  bytes = undefined
  globalThis.gc?.()
  const baseline = process.memoryUsage().rss
  let peak = baseline
  // rss() alone: memoryUsage() walks every heap space and costs the import measurable time at 50 Hz.
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 20)
  let liveHeap = process.memoryUsage().heapUsed
  const collector = setInterval(() => {
    globalThis.gc?.()
    liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed)
  }, 1000)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  // The import job alone (queued first); the search indexing it queues is timed after it.
  if (kind !== 'floor') await platform.jobs.drain(1)
  else {
    // The floor: the same number of rows as bare multi-row inserts, 250 per statement.
    for (let from = 0; from < rows; from += 250) {
      const batch = Array.from({ length: Math.min(250, rows - from) }, (_, i) => `FLOOR-${from + i}`)
      await platform.db.execute(
        sql`insert into opportunities (city_id, organization_id, external_id, title, description, building_block,
              languages, format, schedule, free, image_url, image_alt)
            select ${city.id}, ${org.value}, x, '{"en":"Course"}', '{"en":"Learn"}', 'quality', '{en}', 'online',
              '{"kind":"self-paced"}', true, '/static/x.jpg', '{"en":"x"}'
            from jsonb_array_elements_text(${JSON.stringify(batch)}::jsonb) as x`,
      )
    }
  }
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  clearInterval(sampler)
  clearInterval(collector)
  peak = Math.max(peak, process.memoryUsage().rss)
  const done = importId ? await findImport(platform.db, city.id, importId) : undefined
  if (done && done.status !== 'done') throw new Error(`the first job run was not the import (${done.status})`)
  let indexSeconds: number | undefined
  if (kind !== 'floor') {
    const t1 = performance.now()
    await platform.jobs.drain()
    indexSeconds = (performance.now() - t1) / 1000
    const [left] = await rowsOf<{ n: number }>(
      platform.db,
      sql`select count(*)::int as n from opportunities where search_document is null`,
    )
    if (left!.n > 0) throw new Error(`${left!.n} rows left without search words`)
  }
  const result: Measurement = {
    engine,
    kind,
    rows,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSec: Math.round(rows / seconds),
    baselineRssMb: Math.round(baseline / 1e6),
    peakRssMb: Math.round(peak / 1e6),
    peakLiveHeapMb: Math.round(liveHeap / 1e6),
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    imported: done?.imported ?? rows,
    rejected: done?.rejected ?? 0,
    ...(indexSeconds === undefined
      ? {}
      : {
          indexSeconds: Math.round(indexSeconds * 100) / 100,
          indexRowsPerSec: Math.round(rows / indexSeconds),
        }),
  }
  await started.close()
  console.log(`RESULT ${JSON.stringify(result)}`)
}

/** Runs one measurement in a fresh child process (and a fresh PostgreSQL database when asked). */
async function measure(engine: 'pglite' | 'postgres', kind: Kind, rows: number) {
  let url: string | undefined
  let admin: pg.Client | undefined
  const name = `learncity_bench_import_${process.pid}_${Date.now().toString(36)}`
  if (engine === 'postgres') {
    admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
    await admin.connect()
    await admin.query(`create database "${name}"`)
    const target = new URL(process.env.BENCH_DATABASE_URL!)
    target.pathname = `/${name}`
    url = target.toString()
  }
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const proc = spawn(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', 'bench/import.ts', '--child', engine, kind, String(rows)],
        { cwd: root, env: { ...process.env, BENCH_CHILD_URL: url ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let out = ''
      proc.stdout.on('data', (d) => {
        out += d
      })
      proc.stderr.on('data', (d) => {
        out += d
      })
      proc.on('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`child exited ${code}:\n${out}`)),
      )
    })
    const line = output.split('\n').find((l) => l.startsWith('RESULT '))
    if (!line) throw new Error(`no result:\n${output}`)
    return JSON.parse(line.slice('RESULT '.length)) as Measurement
  } finally {
    if (admin) {
      await admin.query(`drop database if exists "${name}" with (force)`)
      await admin.end()
    }
  }
}

const toRow = (m: Measurement, floor: number): ImportRow => ({
  name: `${m.engine}: ${
    m.kind === 'floor'
      ? 'floor: bare SQL insert, 250 rows per statement'
      : `import job (CSV → use cases), ${m.kind === 'unique' ? 'every schedule unique' : 'catalogue schedules'}`
  }, ${m.rows} rows`,
  url: m.kind === 'floor' ? 'sql:insert' : 'job:opportunities.import',
  requestsPerSec: m.rowsPerSec,
  // Not request latencies: the import is one job. Kept at 0 so the shared table stays readable.
  p50ms: 0,
  p99ms: 0,
  // Rows neither imported nor reported (should be none), and rows rejected (none in this file).
  errors: m.rows - m.imported - m.rejected,
  non2xx: m.rejected,
  relativeToFloor: Math.round((m.rowsPerSec / floor) * 1000) / 1000,
  rows: m.rows,
  seconds: m.seconds,
  baselineRssMb: m.baselineRssMb,
  peakRssMb: m.peakRssMb,
  peakLiveHeapMb: m.peakLiveHeapMb,
})

/** The suite bench/run.ts calls: rows per second and peak memory of the import on each engine. */
export async function importSuite(): Promise<ImportRow[]> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000)
  const small = Math.max(100, Math.round(rows / 10))
  const engines: ('pglite' | 'postgres')[] = process.env.BENCH_DATABASE_URL
    ? ['pglite', 'postgres']
    : ['pglite']
  const out: ImportRow[] = []
  for (const engine of engines) {
    const floor = await measure(engine, 'floor', rows)
    out.push(toRow(floor, floor.rowsPerSec))
    for (const size of [small, rows]) {
      const m = await measure(engine, 'catalogue', size)
      out.push(toRow(m, floor.rowsPerSec))
      if (size === rows && m.indexSeconds !== undefined)
        out.push({
          ...toRow(m, floor.rowsPerSec),
          name: `${engine}: search indexing job after the import, ${m.rows} rows`,
          url: 'job:opportunities.index-search',
          requestsPerSec: m.indexRowsPerSec ?? 0,
          relativeToFloor: Math.round(((m.indexRowsPerSec ?? 0) / floor.rowsPerSec) * 1000) / 1000,
          seconds: m.indexSeconds,
        })
    }
    out.push(toRow(await measure(engine, 'unique', small), floor.rowsPerSec))
  }
  return out
}

if (process.argv[2] === '--child') {
  const [, , , engine, kind, rows] = process.argv
  await child(engine as 'pglite' | 'postgres', kind as Kind, Number(rows), process.env.BENCH_CHILD_URL)
  process.exit(0)
}
