import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { manageTokenFor, newManageKey, readManageToken } from './manage-token.ts'

const SECRET = 'a test secret that is long enough to sign with'

describe('guest manage tokens', () => {
  it('open the key they were made from, and only with the secret that made them', () => {
    const key = newManageKey()
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const token = manageTokenFor(SECRET, key)
    expect(token.startsWith(key)).toBe(true)
    expect(readManageToken(SECRET, token)).toEqual({ key })
    expect(readManageToken(`${SECRET}!`, token)).toBeUndefined()
  })

  it('reject a key with a made-up or borrowed signature', () => {
    const key = newManageKey()
    const other = manageTokenFor(SECRET, newManageKey())
    expect(readManageToken(SECRET, key + other.slice(22))).toBeUndefined()
    const token = manageTokenFor(SECRET, key)
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
    expect(readManageToken(SECRET, flipped)).toBeUndefined()
    expect(readManageToken(SECRET, `${token}x`)).toBeUndefined()
    expect(readManageToken(SECRET, '')).toBeUndefined()
    expect(readManageToken(SECRET, 'wrong-token-that-is-long-enough')).toBeUndefined()
  })

  it('still read tokens issued before manage keys, by the hash stored for them', () => {
    const legacy = randomBytes(32).toString('base64url')
    expect(readManageToken(SECRET, legacy)).toEqual({
      hash: createHash('sha256').update(legacy).digest('hex'),
    })
  })
})
