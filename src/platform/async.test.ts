import { describe, expect, it } from 'vitest'
import { readAhead } from './async.ts'

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('readAhead', () => {
  it('yields every item in order while taking at most `depth` ahead of the consumer', async () => {
    let taken = 0
    let consumed = 0
    let mostAhead = 0
    async function* source() {
      for (let i = 0; i < 20; i++) {
        taken++
        mostAhead = Math.max(mostAhead, taken - consumed)
        yield i
      }
    }
    const seen: number[] = []
    for await (const item of readAhead(source(), 3)) {
      // A slow consumer: the source gets every chance to run ahead.
      for (let k = 0; k < 5; k++) await tick()
      seen.push(item)
      consumed++
    }
    expect(seen).toEqual([...Array(20).keys()])
    expect(mostAhead).toBeGreaterThan(1)
    expect(mostAhead).toBeLessThanOrEqual(4)
  })

  it('delivers the items made before a failure, then the failure', async () => {
    async function* source() {
      yield 1
      yield 2
      throw new Error('unreadable at row 3')
    }
    const seen: number[] = []
    await expect(async () => {
      for await (const item of readAhead(source(), 2)) seen.push(item)
    }).rejects.toThrow('unreadable at row 3')
    expect(seen).toEqual([1, 2])
  })

  it('closes the source when the consumer stops early, and takes nothing more', async () => {
    let closed = false
    let taken = 0
    async function* source() {
      try {
        for (let i = 0; ; i++) {
          taken++
          yield i
        }
      } finally {
        closed = true
      }
    }
    for await (const item of readAhead(source(), 2)) {
      if (item === 4) break
    }
    expect(closed).toBe(true)
    const after = taken
    await tick()
    expect(taken).toBe(after)
    expect(taken).toBeLessThanOrEqual(8)
  })
})
