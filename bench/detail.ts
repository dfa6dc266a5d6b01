/**
 * The detail suite (`npm run bench -- detail`): the opportunity page `/{lang}/{city}/opportunities/{id}`
 * under autocannon (BENCH_CONNECTIONS, default 50, for BENCH_DETAIL_SECONDS, default 20) against two
 * ceilings measured in the same run: a bare node:http hello world and bare node:http answering with the
 * same HTML the page sends. The app runs on a fresh PGlite database with the demo city
 * (BENCH_DETAIL_DEMO_SIZE, default full), or on PostgreSQL with BENCH_DATABASE_URL (an empty database,
 * seeded on start). The page is asked for BENCH_DETAIL_PAGES distinct published opportunities in turn
 * (default 20), anonymously, as a reader arriving from a search would. Load averages and the app's
 * memory are recorded with each row.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const root = fileURLToPath(new URL('..', import.meta.url))
/** How long each load runs (run.ts prints it with the results). */
export const seconds = Number(process.env.BENCH_DETAIL_SECONDS ?? 20)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)
const pages = Number(process.env.BENCH_DETAIL_PAGES ?? 20)

export interface DetailRow {
  name: string
  url: string
  requestsPerSec: number
  p50ms: number
  p99ms: number
  errors: number
  non2xx: number
  relativeToFloor?: number
  /** The 1-, 5- and 15-minute load averages when the measurement ended (2 cores: above 2 is contention). */
  loadAverage: number[]
  [extra: string]: unknown
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits
const load = () => loadavg().map((l) => round(l, 2))

function node(args: string[], env: Record<string, string>, cwd = root): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function until(child: ChildProcess, ready: RegExp): Promise<RegExpMatchArray> {
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d
      const match = ready.exec(output)
      if (match) resolve(match)
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`child exited with ${code}:\n${output}`)))
  })
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

function memoryOf(pid: number): { peakRssMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { peakRssMb: Math.round(kb('VmHWM') / 1000), rssMb: Math.round(kb('VmRSS') / 1000) }
}

async function cannon(name: string, base: string, paths: string[]): Promise<DetailRow> {
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
    loadAverage: load(),
  }
}

/** The suite bench/run.ts calls. */
export async function detailSuite(): Promise<DetailRow[]> {
  const children: ChildProcess[] = []
  const dir = mkdtempSync(join(tmpdir(), 'learncity-bench-detail-'))
  const rows: DetailRow[] = []
  const say = (line: string) => console.log(`[detail] ${line}`)
  try {
    const startApp = async (cwd: string, name: string) => {
      const port = String(40000 + Math.floor(Math.random() * 20000))
      const dataDir = mkdtempSync(join(dir, 'data-'))
      const app = node(
        ['src/main.ts'],
        {
          PORT: port,
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
          LOG_LEVEL: 'warn',
          DEMO_SIZE: process.env.BENCH_DETAIL_DEMO_SIZE ?? 'full',
        },
        cwd,
      )
      children.push(app)
      const appLog = createWriteStream(join(root, 'bench/results', `detail-${name}.log`))
      app.stdout?.pipe(appLog)
      app.stderr?.pipe(appLog)
      say(`starting ${name} (seeding the demo city)`)
      await until(app, /running at/)
      const base = `http://127.0.0.1:${port}`
      const search = await fetch(`${base}/api/v1/cities/chicago/search`)
      const found = (await search.json()) as { results?: { id: number }[] }
      const ids = (found.results ?? []).map((r) => r.id).slice(0, pages)
      if (ids.length === 0) throw new Error(`no published opportunity found (search → ${search.status})`)
      return { app, base, paths: ids.map((id) => `/en/chicago/opportunities/${id}`) }
    }
    mkdirSync(join(root, 'bench/results'), { recursive: true })
    const baselineDir = process.env.BENCH_DETAIL_BASELINE
    const baseline = baselineDir ? await startApp(baselineDir, 'baseline-app') : undefined
    const { app, base, paths } = await startApp(root, 'app')
    const ids = paths
    const first = await fetch(`${base}${paths[0]}`)
    const html = await first.text()
    if (first.status !== 200) throw new Error(`${paths[0]}: ${first.status}`)
    const htmlFile = join(dir, 'page.html')
    writeFileSync(htmlFile, html)

    const hello = node(['bench/hello-server.ts'], { PORT: '0' })
    children.push(hello)
    const helloPort = (await until(hello, /listening (\d+)/))[1]
    const same = node(['bench/detail-html-server.ts'], { PORT: '0', HTML_FILE: htmlFile })
    children.push(same)
    const samePort = (await until(same, /listening (\d+)/))[1]

    say(`${ids.length} pages, ${connections} connections, ${seconds} s each (load ${load().join(' ')})`)
    const helloRow = await cannon('ceiling: bare node:http hello world', `http://127.0.0.1:${helloPort}`, [
      '/',
    ])
    say(`hello world ${helloRow.requestsPerSec} req/s`)
    const sameRow = await cannon(
      `ceiling: bare node:http sending the page's HTML (${round(html.length / 1024)} kB)`,
      `http://127.0.0.1:${samePort}`,
      ['/'],
    )
    say(`same HTML ${sameRow.requestsPerSec} req/s`)
    const detailRow = await cannon(`opportunity page, ${ids.length} opportunities in turn`, base, paths)
    say(`opportunity page ${detailRow.requestsPerSec} req/s`)
    const baselineRow = baseline
      ? await cannon(`baseline (${baselineDir}): opportunity page`, baseline.base, baseline.paths)
      : undefined
    if (baselineRow) say(`baseline opportunity page ${baselineRow.requestsPerSec} req/s`)
    const ceiling = helloRow.requestsPerSec
    rows.push(
      { ...helloRow, relativeToFloor: 1 },
      { ...sameRow, relativeToFloor: round(sameRow.requestsPerSec / ceiling, 3) },
      {
        ...detailRow,
        relativeToFloor: round(detailRow.requestsPerSec / ceiling, 3),
        relativeToSameHtml: round(detailRow.requestsPerSec / sameRow.requestsPerSec, 3),
        server: memoryOf(app.pid!),
        engine: process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite',
      },
    )
    if (baselineRow && baseline)
      rows.push({
        ...baselineRow,
        relativeToFloor: round(baselineRow.requestsPerSec / ceiling, 3),
        server: memoryOf(baseline.app.pid!),
      })
  } finally {
    for (const child of children) await stop(child)
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
