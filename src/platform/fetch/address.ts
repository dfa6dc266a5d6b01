import ipaddr from 'ipaddr.js'

/** Which non-public address classes the operator lets the fetcher reach (all off by default). */
export interface AddressPolicy {
  /** 127.0.0.0/8 and ::1: a feed served from the same machine (tests, a local publisher). */
  allowLoopback?: boolean
  /** RFC 1918, unique-local fc00::/7, link-local and CGNAT 100.64.0.0/10: an intranet publisher. */
  allowPrivate?: boolean
}

/** What kind of address a refused one is, for the error message and the log. */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'unique-local'
  | 'link-local'
  | 'carrier-grade-nat'
  | 'multicast'
  | 'ipv4-mapped'
  | 'reserved'

const PRIVATE_CLASSES = new Set<AddressClass>(['private', 'unique-local', 'link-local', 'carrier-grade-nat'])

/** ipaddr.js range names mapped onto ours; anything not listed and not `unicast` is `reserved`. */
const RANGES: Record<string, AddressClass> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'unique-local',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade-nat',
  multicast: 'multicast',
  // Forms that carry an IPv4 address inside IPv6 (mapped, translated, NAT64, 6to4, Teredo) could
  // reach any IPv4 host behind a check that reads them as IPv6: refused outright.
  ipv4Mapped: 'ipv4-mapped',
  rfc6145: 'ipv4-mapped',
  rfc6052: 'ipv4-mapped',
  '6to4': 'ipv4-mapped',
  teredo: 'ipv4-mapped',
}

/** The class of a non-public address, or null for an ordinary public unicast address. */
export function classifyAddress(address: string): AddressClass | null {
  if (!ipaddr.isValid(address)) return 'reserved'
  const range = ipaddr.parse(address).range()
  if (range === 'unicast') return null
  return RANGES[range] ?? 'reserved'
}

/** Why the policy refuses this address, or null when it may be fetched. */
export function refusedAddress(address: string, policy: AddressPolicy = {}): AddressClass | null {
  const cls = classifyAddress(address)
  if (cls === null) return null
  if (cls === 'loopback' && policy.allowLoopback) return null
  if (PRIVATE_CLASSES.has(cls) && policy.allowPrivate) return null
  return cls
}

/**
 * Reads the operator's `FETCH_ALLOW_ADDRESSES` value (`loopback`, `private`, comma-separated, or
 * empty) into a policy; unknown words are returned so configuration can name them.
 */
export function parseAddressPolicy(value: string | undefined): { policy: AddressPolicy; unknown: string[] } {
  const words = (value ?? '')
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean)
  const unknown = words.filter((w) => w !== 'loopback' && w !== 'private' && w !== 'none')
  return {
    policy: { allowLoopback: words.includes('loopback'), allowPrivate: words.includes('private') },
    unknown,
  }
}
