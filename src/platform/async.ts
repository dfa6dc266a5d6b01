/**
 * The same items, but up to `depth` of them are taken from the source ahead of the consumer, so
 * producing the next items overlaps with the consumer's work on this one (e.g. checking a file's next
 * batches while the last one is written). A source failure reaches the consumer at the item where it
 * happened; when the consumer stops early, the source is closed.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]()
  const ready: IteratorResult<T>[] = []
  let failure: { error: unknown } | undefined
  let finished = false
  let wakeConsumer: (() => void) | undefined
  let wakeProducer: (() => void) | undefined
  let stopped = false
  const produce = async () => {
    try {
      while (!stopped) {
        if (ready.length >= depth) {
          await new Promise<void>((resolve) => (wakeProducer = resolve))
          continue
        }
        const next = await iterator.next()
        ready.push(next)
        wakeConsumer?.()
        if (next.done) return
      }
    } catch (error) {
      failure = { error }
      wakeConsumer?.()
    } finally {
      finished = true
      wakeConsumer?.()
    }
  }
  const producing = produce()
  try {
    for (;;) {
      const next = ready.shift()
      if (next) {
        wakeProducer?.()
        wakeProducer = undefined
        if (next.done) return
        yield next.value
        continue
      }
      if (failure) throw failure.error
      if (finished) return
      await new Promise<void>((resolve) => (wakeConsumer = resolve))
      wakeConsumer = undefined
    }
  } finally {
    stopped = true
    wakeProducer?.()
    await producing
    // Closes a source the consumer left early; a finished one ignores it.
    await iterator.return?.()
  }
}

/** Runs `work` on every item, at most `concurrency` at a time. */
export async function inParallel<I>(
  items: readonly I[],
  concurrency: number,
  work: (item: I) => Promise<unknown>,
) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}
