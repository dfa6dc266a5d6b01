/**
 * `npm run bench [-- SUITE…]`: runs benchmarks, writes bench/results/<suite>-<time>.json and prints a
 * table with the floor measured in the same run. Servers run in child processes on 127.0.0.1; every
 * load is bounded in connections and seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { badgesSuite } from './badges.ts'
import { badgesVerifySuite } from './badges-verify.ts'
import { seconds as detailSeconds, detailSuite } from './detail.ts'
import { seconds as discoverySeconds, discoverySuite } from './discovery.ts'
import { harvestSuite } from './harvest.ts'
import { importSuite } from './import.ts'
import { webhooksSuite } from './webhooks.ts'

const root = new URL('..', import.meta.url).pathname
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50)

interface Row {
  name: string
  url: string
  requestsPerSec: number
  p50ms: number
  p99ms: number
  errors: number
  non2xx: number
  relativeToFloor?: number
}

async function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 180_000)
    const onData = (d: Buffer) => {
      output += d
      const match = ready.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, match })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
}

async function load(name: string, url: string): Promise<Row> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 })
  return {
    name,
    url,
    requestsPerSec: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

async function httpSuite(): Promise<Row[]> {
  const rows: Row[] = []
  const hello = await startProcess(['bench/hello-server.ts'], { PORT: '0' }, /listening (\d+)/)
  rows.push(await load('floor: bare node:http hello world', `http://127.0.0.1:${hello.match[1]}/`))
  await stop(hello.child)

  const dataDir = mkdtempSync(join(tmpdir(), 'learncity-bench-'))
  const port = String(40000 + Math.floor(Math.random() * 20000))
  const app = await startProcess(
    ['src/main.ts'],
    { PORT: port, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '' },
    /running at/,
  )
  const base = `http://127.0.0.1:${port}`
  rows.push(await load('app: GET /healthz (database round trip)', `${base}/healthz`))
  rows.push(await load('app: GET /en/chicago (city home, 1 query)', `${base}/en/chicago`))
  rows.push(
    await load('app: GET /en/chicago/districts (77-area SVG map + table)', `${base}/en/chicago/districts`),
  )
  rows.push(await load('app: GET /en/account/sign-in (form page)', `${base}/en/account/sign-in`))
  await stop(app.child)
  rmSync(dataDir, { recursive: true, force: true })
  const floor = rows[0]!.requestsPerSec
  for (const row of rows) row.relativeToFloor = Math.round((row.requestsPerSec / floor) * 1000) / 1000
  return rows
}

const suites: Record<string, () => Promise<Row[]>> = {
  http: httpSuite,
  import: importSuite,
  discovery: discoverySuite,
  harvest: harvestSuite,
  detail: detailSuite,
  badges: badgesSuite,
  'badges-verify': badgesVerifySuite,
  webhooks: webhooksSuite,
}
/** The suites whose loads run for their own time, not BENCH_SECONDS. */
const ownSeconds: Record<string, number> = { discovery: discoverySeconds, detail: detailSeconds }
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const names = wanted.length > 0 ? wanted : Object.keys(suites)
for (const name of names)
  if (!suites[name]) throw new Error(`unknown suite "${name}"; have: ${Object.keys(suites).join(', ')}`)

mkdirSync(join(root, 'bench/results'), { recursive: true })
for (const name of names) {
  const started = new Date()
  const rows = await suites[name]!()
  const suiteSeconds = ownSeconds[name] ?? seconds
  const result = {
    suite: name,
    startedAt: started.toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    settings: { seconds: suiteSeconds, connections },
    database: process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite',
    rows,
    memory: { benchProcessRssMb: Math.round(process.memoryUsage().rss / 1e6) },
  }
  const file = join(root, 'bench/results', `${name}-${started.toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  console.log(`\n${name} (${suiteSeconds} s, ${connections} connections, ${result.database}) → ${file}`)
  console.table(
    rows.map((r) => ({
      name: r.name,
      'req/s': r.requestsPerSec,
      'p50 ms': r.p50ms,
      'p99 ms': r.p99ms,
      'vs floor': r.relativeToFloor,
      errors: r.errors + r.non2xx,
    })),
  )
}
