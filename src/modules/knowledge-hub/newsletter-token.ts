import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Newsletter links carry `key + mac`: the key (22 base64url characters, random, one per
 * subscription) is stored; the mac (43 characters) is an HMAC of purpose and key under
 * SESSION_SECRET and is never stored. A confirm link cannot unsubscribe and an unsubscribe link
 * cannot confirm; a copy of the database alone opens nothing.
 */
export type TokenPurpose = 'confirm' | 'unsubscribe'
const KEY_LENGTH = 22
const TOKEN = /^[A-Za-z0-9_-]{65}$/

/** A new random key for a subscription. */
export function newSubscriptionKey(): string {
  return randomBytes(16).toString('base64url')
}

function mac(secret: string, purpose: TokenPurpose, key: string): string {
  return createHmac('sha256', secret).update(`knowledge-hub.newsletter.${purpose}:${key}`).digest('base64url')
}

/** The token of a confirm or unsubscribe link. */
export function subscriptionToken(secret: string, purpose: TokenPurpose, key: string): string {
  return key + mac(secret, purpose, key)
}

/** The subscription key a token stands for; undefined when it is malformed or its mac is wrong. */
export function readSubscriptionToken(
  secret: string,
  purpose: TokenPurpose,
  token: string,
): string | undefined {
  if (!TOKEN.test(token)) return undefined
  const key = token.slice(0, KEY_LENGTH)
  const given = Buffer.from(token.slice(KEY_LENGTH))
  const expected = Buffer.from(mac(secret, purpose, key))
  return given.length === expected.length && timingSafeEqual(given, expected) ? key : undefined
}
