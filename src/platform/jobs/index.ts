import { hostname } from 'node:os'
import type { Logger } from 'pino'
import { type Db, rows, sql } from '../db/index.ts'

export type JobHandler = (payload: unknown, job: { id: number; attempts: number }) => Promise<void>

export interface EnqueueOptions {
  /** When to run, default now. */
  runAt?: Date
  maxAttempts?: number
}

export interface JobQueue {
  enqueue(name: string, payload?: unknown, options?: EnqueueOptions): Promise<number>
  /** Enqueues a job unless one of that name is already waiting or running (for recurring work). */
  enqueueUnique(name: string, options?: EnqueueOptions): Promise<void>
  /** Makes sure every recurring job has its next run queued (the first one interval from now). */
  scheduleRecurring(): Promise<void>
  /** Claims and runs due jobs until none is left; returns how many ran. Used by the worker and tests. */
  drain(limit?: number): Promise<number>
  start(): void
  stop(): Promise<void>
}

interface ClaimedJob {
  id: number | string
  name: string
  payload: unknown
  attempts: number
  max_attempts: number
}

/** Seconds to wait before retry n (1-based): 2, 4, 8 … capped at one hour. */
export function backoffSeconds(attempt: number): number {
  return Math.min(3600, 2 ** attempt)
}

/**
 * A durable queue in the `jobs` table. Claims use FOR UPDATE SKIP LOCKED, so any number of app
 * processes can work the same table without running a job twice; a job whose worker died is
 * reclaimed after `staleAfterMs`.
 */
export function createJobQueue(
  db: Db,
  handlers: Record<string, JobHandler>,
  options: {
    log: Logger
    pollMs: number
    staleAfterMs?: number
    batch?: number
    /** Jobs that run again every so many milliseconds after each run (whatever its outcome). */
    recurring?: Record<string, number>
  },
): JobQueue {
  const recurring = options.recurring ?? {}

  async function enqueueUnique(name: string, opts: EnqueueOptions = {}): Promise<void> {
    await db.execute(
      sql`insert into jobs (name, payload, run_at, max_attempts)
          select ${name}, '{}'::jsonb, ${(opts.runAt ?? new Date()).toISOString()}, ${opts.maxAttempts ?? 3}
          where not exists (select 1 from jobs where name = ${name} and status in ('queued', 'running'))`,
    )
  }

  const workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`
  const staleSeconds = Math.round((options.staleAfterMs ?? 10 * 60_000) / 1000)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = true

  async function claim(limit: number): Promise<ClaimedJob[]> {
    return rows<ClaimedJob>(
      db,
      sql`update jobs set status = 'running', locked_by = ${workerId}, locked_at = now(), attempts = attempts + 1
          where id in (
            select id from jobs
            where (status = 'queued' and run_at <= now())
               or (status = 'running' and locked_at < now() - make_interval(secs => ${staleSeconds}))
            order by run_at, id
            limit ${limit}
            for update skip locked)
          returning id, name, payload, attempts, max_attempts`,
    )
  }

  async function runOne(job: ClaimedJob): Promise<void> {
    await runHandler(job)
    const every = recurring[job.name]
    if (every !== undefined) await enqueueUnique(job.name, { runAt: new Date(Date.now() + every) })
  }

  async function runHandler(job: ClaimedJob): Promise<void> {
    const id = Number(job.id)
    const handler = handlers[job.name]
    try {
      if (!handler) throw new Error(`No handler for job "${job.name}"`)
      await handler(job.payload, { id, attempts: job.attempts })
      await db.execute(
        sql`update jobs set status = 'done', finished_at = now(), locked_by = null, last_error = null where id = ${id}`,
      )
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const final = job.attempts >= job.max_attempts
      options.log.warn(
        { jobId: id, job: job.name, attempts: job.attempts, final, err: message },
        'job failed',
      )
      await db.execute(
        sql`update jobs set status = ${final ? 'failed' : 'queued'}, last_error = ${message.slice(0, 2000)},
            locked_by = null, finished_at = ${final ? sql`now()` : null},
            run_at = now() + make_interval(secs => ${backoffSeconds(job.attempts)})
            where id = ${id}`,
      )
    }
  }

  async function drain(limit = Number.POSITIVE_INFINITY): Promise<number> {
    let ran = 0
    while (ran < limit) {
      const batch = await claim(Math.min(options.batch ?? 10, limit - ran))
      if (batch.length === 0) break
      for (const job of batch) await runOne(job)
      ran += batch.length
    }
    return ran
  }

  function schedule(): void {
    if (stopped) return
    timer = setTimeout(() => {
      running = drain()
        .catch((error) => options.log.error({ err: error }, 'job worker error'))
        .finally(schedule)
    }, options.pollMs)
    timer.unref()
  }

  return {
    async enqueue(name, payload = {}, opts = {}) {
      const [row] = await rows<{ id: number | string }>(
        db,
        sql`insert into jobs (name, payload, run_at, max_attempts)
            values (${name}, ${JSON.stringify(payload)}::jsonb, ${(opts.runAt ?? new Date()).toISOString()}, ${opts.maxAttempts ?? 5})
            returning id`,
      )
      return Number(row!.id)
    },
    enqueueUnique,
    async scheduleRecurring() {
      // The first run comes one interval after the first start: a new install has just seeded and
      // checked its data, and its first minutes should not reach out to every link it was seeded with.
      for (const [name, every] of Object.entries(recurring))
        await enqueueUnique(name, { runAt: new Date(Date.now() + every) })
    },
    drain,
    start() {
      if (!stopped) return
      stopped = false
      schedule()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
