/** Reading untrusted credential JSON without trusting its shape. */

export type Json = Record<string, unknown>

export const VC_V1 = 'https://www.w3.org/2018/credentials/v1'
export const VC_V2 = 'https://www.w3.org/ns/credentials/v2'

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A JSON-LD value as a list: a single value, an array, or nothing. */
export function values(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

/** The strings among a value's entries (e.g. the types). */
export function strings(value: unknown): string[] {
  return values(value).filter((v): v is string => typeof v === 'string')
}

/** The id of a node given as a string or as an object with `id`. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (isObject(value) && typeof value.id === 'string') return value.id
  return undefined
}

/** The issuer's id, from `issuer` as a string or a Profile object. */
export function issuerId(credential: Json): string | undefined {
  return idOf(values(credential.issuer)[0])
}

/** Which VC data model the credential's first context names. */
export function vcVersion(credential: Json): 1 | 2 | undefined {
  const first = values(credential['@context'])[0]
  return first === VC_V2 ? 2 : first === VC_V1 ? 1 : undefined
}

/** The start and end of the validity window, by data model (VC 1.1 names differ). */
export function validityDates(credential: Json): {
  from?: unknown
  until?: unknown
  fromField: string
  untilField: string
} {
  if (vcVersion(credential) === 1 && !('validFrom' in credential)) {
    return {
      from: credential.issuanceDate,
      until: credential.expirationDate,
      fromField: 'issuanceDate',
      untilField: 'expirationDate',
    }
  }
  return {
    from: credential.validFrom,
    until: credential.validUntil,
    fromField: 'validFrom',
    untilField: 'validUntil',
  }
}

// XML Schema dateTime, anchored (the VC data models require it for every date).
const DATE_TIME =
  /^-?(?:[1-9][0-9]{3,}|0[0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$/

/** The instant a dateTime string names, or undefined when it is not one. */
export function parseDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** The proofs of a credential, as objects (an embedded proof may be one or a set). */
export function proofsOf(credential: Json): Json[] {
  return values(credential.proof).filter(isObject)
}
