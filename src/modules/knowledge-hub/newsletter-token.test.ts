import { describe, expect, it } from 'vitest'
import { newSubscriptionKey, readSubscriptionToken, subscriptionToken } from './newsletter-token.ts'

const SECRET = 'a-test-secret-of-at-least-32-characters!'

describe('newsletter tokens', () => {
  it('reads back the key of a token for its own purpose only', () => {
    const key = newSubscriptionKey()
    const confirm = subscriptionToken(SECRET, 'confirm', key)
    const unsubscribe = subscriptionToken(SECRET, 'unsubscribe', key)
    expect(confirm).toHaveLength(65)
    expect(readSubscriptionToken(SECRET, 'confirm', confirm)).toBe(key)
    expect(readSubscriptionToken(SECRET, 'unsubscribe', unsubscribe)).toBe(key)
    expect(readSubscriptionToken(SECRET, 'unsubscribe', confirm)).toBeUndefined()
    expect(readSubscriptionToken(SECRET, 'confirm', unsubscribe)).toBeUndefined()
  })

  it('refuses tokens with a wrong mac, another secret, or a bad shape', () => {
    const key = newSubscriptionKey()
    const token = subscriptionToken(SECRET, 'unsubscribe', key)
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
    expect(readSubscriptionToken(SECRET, 'unsubscribe', flipped)).toBeUndefined()
    expect(readSubscriptionToken(`${SECRET}x`, 'unsubscribe', token)).toBeUndefined()
    expect(readSubscriptionToken(SECRET, 'unsubscribe', key)).toBeUndefined()
    expect(readSubscriptionToken(SECRET, 'unsubscribe', `${token}<script>`)).toBeUndefined()
  })
})
