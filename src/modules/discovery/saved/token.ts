import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * A digest's unsubscribe link carries `key + mac`: the key (22 base64url characters, random, one per
 * saved search) is stored; the mac (43 characters) is an HMAC of the key under SESSION_SECRET and is
 * never stored, so a copy of the database alone unsubscribes nobody.
 */
const KEY_LENGTH = 22
const TOKEN = /^[A-Za-z0-9_-]{65}$/

/** The shape of an unsubscribe token in a URL, for routes and the CSRF exemption. */
export const TOKEN_PATTERN = '[A-Za-z0-9_-]{65}'

/** A new random key for a saved search. */
export function newSearchKey(): string {
  return randomBytes(16).toString('base64url')
}

function mac(secret: string, key: string): string {
  return createHmac('sha256', secret).update(`discovery.saved-search.unsubscribe:${key}`).digest('base64url')
}

/** The token of a saved search's unsubscribe link. */
export function unsubscribeToken(secret: string, key: string): string {
  return key + mac(secret, key)
}

/** The key a token stands for; undefined when it is malformed or its mac is wrong. */
export function readUnsubscribeToken(secret: string, token: string): string | undefined {
  if (!TOKEN.test(token)) return undefined
  const key = token.slice(0, KEY_LENGTH)
  const given = Buffer.from(token.slice(KEY_LENGTH))
  const expected = Buffer.from(mac(secret, key))
  return given.length === expected.length && timingSafeEqual(given, expected) ? key : undefined
}
