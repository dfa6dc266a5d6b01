import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = new URL('..', import.meta.url).pathname
const dataDir = mkdtempSync(join(tmpdir(), 'learncity-main-'))

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  await new Promise((r) => server.close(r))
  return port
}

interface Running {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

async function start(env: Record<string, string>, cli: string[] = ['src/main.ts']): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...cli], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      DEMO_SIZE: 'small',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d) => {
    output += d
  })
  child.stderr?.on('data', (d) => {
    output += d
  })
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  return { child, output: () => output, exited }
}

async function waitFor(running: Running, text: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  while (!running.output().includes(text)) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for "${text}". Output:\n${running.output()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

// Each test boots real processes (PGlite start, migrations, seed): slow on a busy 2-core machine.
describe('the app process (npm start)', { timeout: 240_000 }, () => {
  it('migrates, seeds the demo city on first start, serves, and stops cleanly on SIGTERM', async () => {
    const port = await freePort()
    const app = await start({ PORT: String(port) })
    await waitFor(app, `running at http://localhost:${port}`)
    expect(app.output()).toContain('seeded the demo city (Chicago)')
    expect(app.output()).toMatch(/coordinator@demo\.learncity\.localhost\s+password: \S+/)
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()
    expect(health).toMatchObject({ status: 'ok', database: 'pglite' })

    // A request in flight when SIGTERM arrives still gets its answer.
    const inFlight = fetch(`http://127.0.0.1:${port}/en/chicago/districts`)
    await new Promise((r) => setTimeout(r, 5))
    app.child.kill('SIGTERM')
    expect((await inFlight).status).toBe(200)
    expect(await app.exited).toBe(0)
    expect(app.output()).toContain('LearnCity is running')
  })

  it('keeps its data across restarts and does not seed twice', async () => {
    const port = await freePort()
    const app = await start({ PORT: String(port) })
    await waitFor(app, 'running at')
    expect(app.output()).not.toContain('seeded the demo city')
    const districts = await (await fetch(`http://127.0.0.1:${port}/api/v1/cities/chicago/districts`)).json()
    expect(districts.data).toHaveLength(77)
    app.child.kill('SIGTERM')
    expect(await app.exited).toBe(0)
  })

  it('refuses to start with a bad setting and says how to fix it', async () => {
    const app = await start({ PORT: 'eighty' })
    expect(await app.exited).toBe(78)
    expect(app.output()).toContain('LearnCity cannot start: fix these settings')
    expect(app.output()).toContain('PORT')
  })

  it('runs operator commands: create-city, create-admin', async () => {
    const city = await start({}, [
      'src/cli.ts',
      'create-city',
      '--slug',
      'porto',
      '--name',
      'Porto',
      '--time-zone',
      'Europe/Lisbon',
    ])
    expect(await city.exited).toBe(0)
    expect(city.output()).toContain('created city porto')
    const bad = await start({}, ['src/cli.ts', 'create-city', '--slug', 'Bad Slug'])
    expect(await bad.exited).toBe(2)
    expect(bad.output()).toContain('--slug: Use 1 to 40 lower-case letters')
    const admin = await start({}, [
      'src/cli.ts',
      'create-admin',
      '--email',
      'ops@example.org',
      '--city',
      'porto',
      '--role',
      'coordinator',
    ])
    expect(await admin.exited).toBe(0)
    expect(admin.output()).toMatch(/coordinator of porto: ops@example\.org\s+password: \S{10,}/)
  })
})
