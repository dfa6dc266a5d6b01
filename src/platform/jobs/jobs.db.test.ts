import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, freshDatabase } from '../../../test/platform.ts'
import { type Database, firstRow, migrate, openDatabase, rows, sql } from '../db/index.ts'
import { backoffSeconds, createJobQueue } from './index.ts'

const log = pino({ level: 'silent' })

describe('backoff', () => {
  it('doubles per attempt and is capped at an hour', () => {
    expect([1, 2, 3, 4].map(backoffSeconds)).toEqual([2, 4, 8, 16])
    expect(backoffSeconds(30)).toBe(3600)
  })
})

describe.each(engines)('durable job queue on %s', (engine) => {
  let database: Database
  beforeAll(async () => {
    database = await freshDatabase(engine)
  })
  afterAll(() => database.close())

  it('runs a queued job once and marks it done', async () => {
    const seen: unknown[] = []
    const queue = createJobQueue(
      database.db,
      { 'test.echo': async (p) => void seen.push(p) },
      { log, pollMs: 10 },
    )
    const id = await queue.enqueue('test.echo', { hello: 'world' })
    expect(await queue.drain()).toBe(1)
    expect(seen).toEqual([{ hello: 'world' }])
    const row = await firstRow<{ status: string; attempts: number }>(
      database.db,
      sql`select status, attempts from jobs where id = ${id}`,
    )
    expect(row).toEqual({ status: 'done', attempts: 1 })
    expect(await queue.drain()).toBe(0)
  })

  it('retries a failing job later with backoff, then marks it failed after max attempts', async () => {
    let calls = 0
    const queue = createJobQueue(
      database.db,
      {
        'test.flaky': async () => {
          calls++
          throw new Error('SMTP down')
        },
      },
      { log, pollMs: 10 },
    )
    const id = await queue.enqueue('test.flaky', {}, { maxAttempts: 2 })
    await queue.drain()
    const after1 = await firstRow<{ status: string; last_error: string; wait: number }>(
      database.db,
      sql`select status, last_error, extract(epoch from run_at - now())::float8 as wait from jobs where id = ${id}`,
    )
    expect(after1?.status).toBe('queued')
    expect(after1?.last_error).toBe('SMTP down')
    expect(after1?.wait).toBeGreaterThan(0.5)
    // Not due yet: nothing runs.
    expect(await queue.drain()).toBe(0)
    await database.db.execute(sql`update jobs set run_at = now() where id = ${id}`)
    await queue.drain()
    const after2 = await firstRow<{ status: string; attempts: number }>(
      database.db,
      sql`select status, attempts from jobs where id = ${id}`,
    )
    expect(after2).toEqual({ status: 'failed', attempts: 2 })
    expect(calls).toBe(2)
  })

  it('survives a restart: a job claimed by a worker that died is picked up again', async () => {
    const id = await createJobQueue(database.db, {}, { log, pollMs: 10 }).enqueue('test.crash')
    // A worker claimed it and died before finishing.
    await database.db.execute(
      sql`update jobs set status = 'running', locked_by = 'dead-worker', locked_at = now() - interval '1 hour', attempts = 1 where id = ${id}`,
    )
    let ran = 0
    const fresh = createJobQueue(
      database.db,
      { 'test.crash': async () => void ran++ },
      { log, pollMs: 10, staleAfterMs: 60_000 },
    )
    await fresh.drain()
    expect(ran).toBe(1)
    const row = await firstRow<{ status: string }>(database.db, sql`select status from jobs where id = ${id}`)
    expect(row?.status).toBe('done')
  })

  it('runs recurring jobs again after each run, never queueing two at once', async () => {
    /** Hours until the queued run of test.daily, rounded. */
    const hoursUntilQueued = async () =>
      (
        await firstRow<{ hours: number }>(
          database.db,
          sql`select round(extract(epoch from run_at - now()) / 3600)::int as hours from jobs
              where name = 'test.daily' and status = 'queued'`,
        )
      )?.hours
    let runs = 0
    const queue = createJobQueue(
      database.db,
      { 'test.daily': async () => void runs++ },
      { log, pollMs: 10, recurring: { 'test.daily': 3600_000 } },
    )
    await queue.scheduleRecurring()
    await queue.scheduleRecurring()
    await queue.enqueueUnique('test.daily')
    const queued = await rows(
      database.db,
      sql`select id from jobs where name = 'test.daily' and status = 'queued'`,
    )
    expect(queued).toHaveLength(1)
    // The first run waits one interval; then each run queues the next.
    expect(await hoursUntilQueued()).toBe(1)
    expect(await queue.drain()).toBe(0)
    await database.db.execute(sql`update jobs set run_at = now() where name = 'test.daily'`)
    expect(await queue.drain()).toBe(1)
    expect(runs).toBe(1)
    expect(await hoursUntilQueued()).toBe(1)
    expect(await queue.drain()).toBe(0)
  })

  it('the polling worker picks up jobs by itself and stops cleanly', async () => {
    let done: () => void = () => {}
    const finished = new Promise<void>((r) => {
      done = r
    })
    const queue = createJobQueue(database.db, { 'test.poll': async () => done() }, { log, pollMs: 20 })
    queue.start()
    await queue.enqueue('test.poll')
    await finished
    await queue.stop()
  })
})

describe.each(engines)('two workers on %s', (engine) => {
  it('never run the same job twice when two workers drain one table at once', async () => {
    const database = await freshDatabase(engine)
    // On PostgreSQL a second, independent connection pool: what a second app process would have.
    // PGlite is one process by design, so there the two workers share its single connection.
    let other = database
    if (engine === 'postgres') {
      const url = (database.db as unknown as { $client: { options: { connectionString: string } } }).$client
        .options.connectionString
      other = await openDatabase({ kind: 'postgres', url })
      await migrate(other)
    }
    const runs: number[] = []
    const handler = async (p: unknown) => {
      runs.push((p as { n: number }).n)
      await new Promise((r) => setTimeout(r, 2))
    }
    const a = createJobQueue(database.db, { 'test.count': handler }, { log, pollMs: 10, batch: 3 })
    const b = createJobQueue(other.db, { 'test.count': handler }, { log, pollMs: 10, batch: 3 })
    for (let n = 0; n < 60; n++) await a.enqueue('test.count', { n })
    const [ranA, ranB] = await Promise.all([a.drain(), b.drain()])
    expect(ranA + ranB).toBe(60)
    expect(ranA).toBeGreaterThan(0)
    expect(ranB).toBeGreaterThan(0)
    expect(new Set(runs).size).toBe(60)
    expect(runs).toHaveLength(60)
    const left = await rows(database.db, sql`select id from jobs where status <> 'done'`)
    expect(left).toEqual([])
    if (other !== database) await other.close()
    await database.close()
  })
})
