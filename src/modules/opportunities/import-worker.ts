/**
 * The import's worker thread: reads the file's records and checks them (import-check.ts) while the
 * job's thread writes the batches already checked. The file arrives in chunks the worker asks for;
 * checked batches go back at most CREDIT ahead of the writes, so memory stays flat in file size.
 */
import { Readable } from 'node:stream'
import { parentPort, workerData } from 'node:worker_threads'
import { type CheckPlan, checkedBatches, type PlaceData, placesFrom } from './import-check.ts'
import { type FileKind, readRows } from './import-read.ts'

export interface ImportWorkerInit {
  fileKind: FileKind
  plan: CheckPlan
  places: PlaceData
}

/** Messages from the job's thread: a chunk of the file, its end, or room for one more batch. */
export type ToWorker = { type: 'chunk'; bytes: Uint8Array } | { type: 'end' } | { type: 'credit' }

/** Messages to the job's thread. */
export type FromWorker =
  | { type: 'read' }
  | { type: 'batch'; rows: unknown[] }
  | { type: 'done' }
  | { type: 'error'; message: string }

/** Checked batches the job's thread may hold before the worker waits. */
export const CREDIT = 2

const port = parentPort
if (!port) throw new Error('import-worker.ts runs as a worker thread')
const init = workerData as ImportWorkerInit

const chunkWaiters: ((m: ToWorker) => void)[] = []
let credit = CREDIT
let creditWaiter: (() => void) | undefined

port.on('message', (message: ToWorker) => {
  if (message.type === 'credit') {
    credit++
    creditWaiter?.()
    creditWaiter = undefined
  } else chunkWaiters.shift()?.(message)
})

/** The file, one chunk at a time as the parser needs it. */
async function* chunks() {
  for (;;) {
    const next = new Promise<ToWorker>((resolve) => chunkWaiters.push(resolve))
    port?.postMessage({ type: 'read' } satisfies FromWorker)
    const message = await next
    if (message.type !== 'chunk') return
    yield Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength)
  }
}

async function run() {
  const records = readRows(init.fileKind, Readable.from(chunks(), { objectMode: false }))
  for await (const rows of checkedBatches(records, init.plan, placesFrom(init.places))) {
    if (credit === 0) await new Promise<void>((resolve) => (creditWaiter = resolve))
    credit--
    port?.postMessage({ type: 'batch', rows } satisfies FromWorker)
  }
  port?.postMessage({ type: 'done' } satisfies FromWorker)
}

run().catch((error: unknown) => {
  port.postMessage({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
  } satisfies FromWorker)
})
