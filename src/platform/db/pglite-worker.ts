/**
 * Worker thread that owns the embedded PGlite database, so SQL never runs on the HTTP thread
 * (a PGlite query blocks the thread it runs on). The main thread speaks the PostgreSQL wire
 * protocol to it through node-postgres; this side executes raw protocol messages.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'

export interface WorkerInit {
  dataDir?: string
  loadDataDir?: ArrayBuffer
}

export type WorkerRequest =
  | { id: number; op: 'protocol'; message: Uint8Array }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' }

const init = workerData as WorkerInit
const port = parentPort!

const db = await PGlite.create({
  dataDir: init.dataDir,
  extensions: { pg_trgm, unaccent, btree_gin },
  loadDataDir: init.loadDataDir ? new Blob([init.loadDataDir]) : undefined,
})
port.postMessage({ ready: true })

port.on('message', async (request: WorkerRequest) => {
  try {
    if (request.op === 'protocol') {
      // The answer may be a view into PGlite's memory: copy it before handing it over.
      const response = (await db.execProtocolRaw(request.message)).slice()
      port.postMessage({ id: request.id, ok: true, data: response }, [response.buffer as ArrayBuffer])
    } else if (request.op === 'dump') {
      const dump = await db.dumpDataDir('none')
      const data = await dump.arrayBuffer()
      port.postMessage({ id: request.id, ok: true, data }, [data])
    } else if (request.op === 'close') {
      await db.close()
      port.postMessage({ id: request.id, ok: true })
      port.close()
    }
  } catch (error) {
    port.postMessage({
      id: request.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    })
  }
})
