import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * A guest's manage-my-booking token is `key + mac`: the key (22 base64url characters, random, shared
 * by the places booked together) is stored; the mac (43 characters) is an HMAC of it under
 * SESSION_SECRET and is never stored. So every email can carry the link again, and a copy of the
 * database alone opens no booking. Tokens issued before keys (43 random characters, stored as a
 * sha256) still open their places.
 */
const KEY_LENGTH = 22
const CURRENT = /^[A-Za-z0-9_-]{65}$/
const LEGACY = /^[A-Za-z0-9_-]{43}$/

/** How a manage token finds its places: by key (the mac already checked) or by a legacy token's hash. */
export type ManageLookup = { key: string } | { hash: string }

/** A new manage key for the places of one booking. */
export function newManageKey(): string {
  return randomBytes(16).toString('base64url')
}

function mac(secret: string, key: string): string {
  return createHmac('sha256', secret).update(`registrations.manage:${key}`).digest('base64url')
}

/** The token of the manage link for a key. */
export function manageTokenFor(secret: string, key: string): string {
  return key + mac(secret, key)
}

/** Reads a manage token from a link or a form; undefined when it is malformed or its mac is wrong. */
export function readManageToken(secret: string, token: string): ManageLookup | undefined {
  if (CURRENT.test(token)) {
    const key = token.slice(0, KEY_LENGTH)
    const given = Buffer.from(token.slice(KEY_LENGTH))
    const expected = Buffer.from(mac(secret, key))
    return given.length === expected.length && timingSafeEqual(given, expected) ? { key } : undefined
  }
  if (LEGACY.test(token)) return { hash: createHash('sha256').update(token).digest('hex') }
  return undefined
}
