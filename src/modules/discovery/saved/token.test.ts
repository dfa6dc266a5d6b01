import { describe, expect, it } from 'vitest'
import { newSearchKey, readUnsubscribeToken, unsubscribeToken } from './token.ts'

describe('unsubscribe tokens', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters'

  it('stand for their key under the secret that made them, and nothing else', () => {
    const key = newSearchKey()
    const token = unsubscribeToken(secret, key)
    expect(token).toMatch(/^[A-Za-z0-9_-]{65}$/)
    expect(readUnsubscribeToken(secret, token)).toBe(key)
    expect(readUnsubscribeToken('another-secret-of-thirty-two-characters!', token)).toBeUndefined()
    const last = token.at(-1) === 'A' ? 'B' : 'A'
    expect(readUnsubscribeToken(secret, token.slice(0, -1) + last)).toBeUndefined()
    expect(readUnsubscribeToken(secret, key)).toBeUndefined()
    expect(readUnsubscribeToken(secret, `${token}x`)).toBeUndefined()
    expect(newSearchKey()).not.toBe(key)
  })
})
