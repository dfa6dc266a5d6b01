import { Worker } from 'node:worker_threads'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import pg from 'pg'
import { Parser } from 'pg-protocol/dist/parser.js'
import type { WorkerInit } from './pglite-worker.ts'

/** Message types that end a batch: Sync, simple Query, Flush, CopyDone, CopyFail, Terminate. */
const FLUSHING = new Set(['S', 'Q', 'H', 'c', 'f', 'X'].map((c) => c.charCodeAt(0)))

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }

/**
 * The main-thread side of the PGlite worker: looks like a PGlite instance to the node-postgres
 * adapter (`execProtocolStream`), but ships the raw protocol bytes to the worker and parses the
 * answer with node-postgres's own parser.
 */
export class PgliteWorkerClient {
  readonly waitReady: Promise<void>
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private batch: Uint8Array[] = []

  constructor(init: WorkerInit) {
    this.worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), {
      workerData: init,
      transferList: init.loadDataDir ? [init.loadDataDir] : [],
      execArgv: ['--import', 'tsx'],
    })
    this.waitReady = new Promise((resolve, reject) => {
      const onReady = (message: { ready?: boolean }) => {
        if (message.ready) {
          this.worker.off('message', onReady)
          this.worker.on('message', (m) => this.settle(m))
          resolve()
        }
      }
      this.worker.on('message', onReady)
      this.worker.once('error', reject)
    })
    this.worker.on('error', (error: Error) => {
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
    })
  }

  private settle(message: { id: number; ok: boolean; data?: unknown; error?: string }) {
    const p = this.pending.get(message.id)
    if (!p) return
    this.pending.delete(message.id)
    if (message.ok) p.resolve(message.data)
    else p.reject(new Error(message.error))
  }

  private call<T>(op: 'protocol' | 'dump' | 'close', message?: Uint8Array): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ id, op, message })
    })
  }

  /**
   * Called by the node-postgres adapter for every protocol message the client sends. Messages of an
   * extended query (Parse, Bind, Describe, Execute) are held until its Sync and sent as one batch,
   * the way they travel over a socket, so an error at Parse ends the batch exactly as a server would.
   */
  async execProtocolStream(message: Uint8Array): Promise<unknown[]> {
    this.batch.push(message)
    if (!FLUSHING.has(message[0] ?? 0)) return []
    const batch = this.batch.length === 1 ? message : Buffer.concat(this.batch)
    this.batch = []
    await this.waitReady
    const raw = await this.call<Uint8Array>('protocol', batch)
    const messages: unknown[] = []
    new Parser().parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), (m) => messages.push(m))
    return messages
  }

  /** A tarball of the whole database (for test templates). */
  async dumpDataDir(): Promise<ArrayBuffer> {
    await this.waitReady
    return this.call<ArrayBuffer>('dump')
  }

  async close(): Promise<void> {
    await this.waitReady
    await this.call('close')
    await this.worker.terminate()
  }

  /**
   * A node-postgres pool whose single connection talks to this worker. Each client gets its own
   * adapter connection: the pool discards a client after an error, and its connection with it.
   */
  pool(): pg.Pool {
    const worker = this
    class WorkerClient extends pg.Client {
      constructor(config: pg.ClientConfig) {
        const connection = createPgConfig(worker as never).connection as unknown as {
          parse(query: { types?: unknown }): void
        }
        // Drizzle hands node-postgres a type-parser object in `types`; the wire protocol wants a list
        // of parameter type OIDs there, and the adapter's serializer fails on anything else.
        const parse = connection.parse.bind(connection)
        connection.parse = (query) =>
          parse({ ...query, types: Array.isArray(query.types) ? query.types : [] })
        super({ ...config, connection } as pg.ClientConfig)
      }
    }
    return new pg.Pool({ Client: WorkerClient, max: 1 } as unknown as pg.PoolConfig)
  }
}
