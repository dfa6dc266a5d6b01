import { describe, expect, it } from 'vitest'
import { randomToken } from './random.ts'

describe('randomToken', () => {
  it('hands out each pooled byte once: no two tokens alike, across pool refills', () => {
    // 1,000 nonces of 16 bytes are four refills of the 4 KB pool.
    const tokens = Array.from({ length: 1000 }, () => randomToken(16, 'base64'))
    expect(new Set(tokens).size).toBe(1000)
    for (const t of tokens) expect(Buffer.from(t, 'base64')).toHaveLength(16)
    // Every 16-byte block is distinct, so no byte range of the pool was handed out twice.
    const blocks = new Set(tokens.map((t) => Buffer.from(t, 'base64').toString('hex')))
    expect(blocks.size).toBe(1000)
  })

  it('gives CSRF seeds in base64url that the cookie check accepts', () => {
    const seed = randomToken(24, 'base64url')
    expect(seed).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(randomToken(5000, 'base64url')).toHaveLength(6667)
  })
})
