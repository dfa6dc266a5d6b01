import { createHash } from 'node:crypto'

/**
 * HSDS wants UUIDs; our rows have integer ids. Each HSDS id is an RFC 9562 version 8 (custom) UUID
 * that carries the city, the kind of object and the row's id, so it is stable, needs no table and
 * reads back to its row. A UUID minted for one city never decodes in another.
 */
export const KINDS = {
  organization: 1,
  service: 2,
  venue: 3,
  place: 4,
  serviceAtLocation: 5,
  schedule: 6,
  phone: 7,
  language: 8,
  costOption: 9,
  taxonomy: 10,
  taxonomyTerm: 11,
  attribute: 12,
  address: 13,
} as const
export type Kind = keyof typeof KINDS

const MAX_ID = 2 ** 48 - 1
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const tags = new Map<number, Buffer>()
function cityTag(cityId: number): Buffer {
  let tag = tags.get(cityId)
  if (!tag) {
    tag = createHash('sha256').update(`learncity-hsds-city:${cityId}`).digest().subarray(0, 4)
    tags.set(cityId, tag)
  }
  return tag
}

/** The UUID of a row (and, for lists inside it such as phones, the item's index, 0-255). */
export function hsdsId(cityId: number, kind: Kind, id: number, index = 0): string {
  if (!Number.isSafeInteger(id) || id < 0 || id > MAX_ID) throw new RangeError(`id out of range: ${id}`)
  const bytes = Buffer.alloc(16)
  cityTag(cityId).copy(bytes, 0)
  bytes[4] = KINDS[kind]
  bytes[5] = index & 0xff
  bytes[6] = 0x80 // version 8
  bytes[8] = 0x80 // RFC 9562 variant
  bytes.writeUIntBE(id, 10, 6)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Whether text is a UUID at all (any version), as HSDS ids are. */
export function isUuid(text: string): boolean {
  return UUID.test(text)
}

/** The row id a UUID of this city and kind stands for, or undefined when it is not one of ours. */
export function rowIdOf(cityId: number, kind: Kind, uuid: string): number | undefined {
  if (!isUuid(uuid.toLowerCase())) return undefined
  const bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex')
  if (!bytes.subarray(0, 4).equals(cityTag(cityId)) || bytes[4] !== KINDS[kind] || bytes[5] !== 0)
    return undefined
  if (bytes[6] !== 0x80 || bytes[7] !== 0 || bytes[8] !== 0x80 || bytes[9] !== 0) return undefined
  return bytes.readUIntBE(10, 6)
}
