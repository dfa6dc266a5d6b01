import { Worker } from 'node:worker_threads'
import type { CheckedRow } from './import-check.ts'
import type { FromWorker, ImportWorkerInit, ToWorker } from './import-worker.ts'

/**
 * Checked batches from a worker thread (import-worker.ts) that reads the file from `chunks` as it
 * asks for them. The worker stays at most a couple of batches ahead of the consumer; it is stopped
 * when the consumer stops, whether it finished, failed or gave up.
 */
export async function* checkedInWorker(
  init: ImportWorkerInit,
  chunks: AsyncIterator<Uint8Array>,
): AsyncGenerator<CheckedRow[]> {
  const worker = new Worker(new URL('./import-worker.ts', import.meta.url), {
    workerData: init,
    // A profiled import (node --cpu-prof) profiles its worker too.
    execArgv: [...process.execArgv.filter((flag) => flag.startsWith('--cpu-prof')), '--import', 'tsx'],
  })
  const send = (message: ToWorker, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer)
  const ready: FromWorker[] = []
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const arrive = () => {
    wake?.()
    wake = undefined
  }
  const fail = (error: Error) => {
    failure ??= error
    arrive()
  }
  worker.on('message', (message: FromWorker) => {
    if (message.type !== 'read') {
      ready.push(message)
      arrive()
      return
    }
    // The next chunk is read from the database here, whatever the consumer is doing meanwhile.
    chunks.next().then((next) => {
      if (next.done) send({ type: 'end' })
      else {
        const bytes = new Uint8Array(next.value)
        send({ type: 'chunk', bytes }, [bytes.buffer])
      }
    }, fail)
  })
  worker.on('error', fail)
  worker.on('exit', (code) => fail(new Error(`The import worker stopped (exit code ${code})`)))
  try {
    for (;;) {
      const message = ready.shift()
      if (!message) {
        if (failure) throw failure
        await new Promise<void>((resolve) => (wake = resolve))
        continue
      }
      if (message.type === 'done') return
      if (message.type === 'error') throw new Error(message.message)
      if (message.type === 'batch') {
        yield message.rows as CheckedRow[]
        send({ type: 'credit' })
      }
    }
  } finally {
    worker.removeAllListeners('exit')
    await worker.terminate()
  }
}
