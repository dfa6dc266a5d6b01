import { gunzipSync } from 'node:zlib'
import { type DocumentLoader, DocumentNotFoundError } from '../contexts/index.ts'
import { isObject, type Json, strings, values } from './credential.ts'
import { type Check, check, type Problem, type Report } from './report.ts'
import { documentProblemIn } from './terms.ts'

/** Status list bitstrings larger than this (decompressed) are refused: 16 MiB is 134 M entries. */
export const MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024

const LIST_TYPES: Record<string, { credential: string; subject: string }> = {
  BitstringStatusListEntry: { credential: 'BitstringStatusListCredential', subject: 'BitstringStatusList' },
  // The predecessor draft, still in credentials issued in 2022–2024.
  StatusList2021Entry: { credential: 'StatusList2021Credential', subject: 'StatusList2021' },
}

/** Verifies a status list credential as a credential in its own right (proof, key, dates). */
export type VerifyListCredential = (credential: Json) => Promise<Report>

/** The bit at `index` of a GZIP-compressed, base64url (optionally multibase `u`) bitstring. */
export function readStatusBit(encodedList: string, index: number): boolean | undefined {
  const base64 = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(base64)) return undefined
  let bits: Buffer
  try {
    // Bounded: a remote list is untrusted, and a small GZIP stream can inflate to gigabytes.
    bits = gunzipSync(Buffer.from(base64, 'base64url'), { maxOutputLength: MAX_STATUS_LIST_BYTES })
  } catch {
    return undefined
  }
  const byte = bits[index >> 3]
  if (byte === undefined) return undefined
  // Bit 0 is the most significant bit of the first byte (Bitstring Status List §4).
  return ((byte >> (7 - (index & 7))) & 1) === 1
}

async function entryProblems(
  entry: Json,
  documentLoader: DocumentLoader,
  verifyList: VerifyListCredential,
): Promise<{ problems: Problem[]; unavailable: boolean }> {
  const kind = typeof entry.type === 'string' ? LIST_TYPES[entry.type] : undefined
  if (!kind)
    return {
      problems: [
        { code: 'status-unsupported', detail: { type: strings(entry.type).join(', ').slice(0, 100) } },
      ],
      unavailable: true,
    }
  const url = entry.statusListCredential
  // The spec says a decimal string; some issuers (1EdTech's own samples) write a number.
  const raw = entry.statusListIndex
  const index =
    typeof raw === 'string' && /^\d{1,12}$/.test(raw)
      ? Number(raw)
      : typeof raw === 'number'
        ? raw
        : Number.NaN
  const purpose = entry.statusPurpose
  if (typeof url !== 'string' || !Number.isSafeInteger(index) || index < 0 || typeof purpose !== 'string')
    return { problems: [{ code: 'status-entry-invalid' }], unavailable: false }
  let list: Json
  try {
    const loaded = (await documentLoader(url)).document
    if (!isObject(loaded)) throw new DocumentNotFoundError(url, 'unresolvable')
    list = loaded
  } catch (error) {
    const missing = documentProblemIn(error)
    return {
      problems: [{ code: 'status-unreachable', detail: { url: (missing?.url ?? url).slice(0, 300) } }],
      unavailable: true,
    }
  }
  const subject = values(list.credentialSubject)[0]
  if (
    !strings(list.type).includes(kind.credential) ||
    !isObject(subject) ||
    subject.type !== kind.subject ||
    typeof subject.encodedList !== 'string'
  )
    return {
      problems: [{ code: 'status-list-malformed', detail: { url: url.slice(0, 300) } }],
      unavailable: false,
    }
  if (subject.statusPurpose !== purpose)
    return {
      problems: [{ code: 'status-list-malformed', detail: { url: url.slice(0, 300) } }],
      unavailable: false,
    }
  const report = await verifyList(list)
  if (report.verdict !== 'valid') {
    const failed = report.checks.filter((c) => c.outcome !== 'pass' && c.outcome !== 'not-applicable')
    const dates = report.checks.find((c) => c.id === 'dates')
    const code = dates?.problems.some((p) => p.code === 'expired')
      ? 'status-list-expired'
      : dates?.problems.some((p) => p.code === 'not-yet-valid')
        ? 'status-list-not-yet-valid'
        : 'status-list-invalid'
    return {
      problems: [
        {
          code,
          detail: {
            url: url.slice(0, 300),
            reason: failed.flatMap((c) => c.problems.map((p) => p.code)).join(', '),
          },
        },
      ],
      unavailable: report.verdict === 'unconfirmed',
    }
  }
  const bit = readStatusBit(subject.encodedList, index)
  if (bit === undefined)
    return {
      problems: [{ code: 'status-list-malformed', detail: { url: url.slice(0, 300) } }],
      unavailable: false,
    }
  if (!bit) return { problems: [], unavailable: false }
  if (purpose === 'revocation') return { problems: [{ code: 'revoked' }], unavailable: false }
  if (purpose === 'suspension') return { problems: [{ code: 'suspended' }], unavailable: false }
  // Other purposes (e.g. "message") carry information, not validity.
  return { problems: [], unavailable: false }
}

/**
 * The credential's status entries (Bitstring Status List, or StatusList2021): each list is loaded,
 * verified as a credential and read at the entry's index. Revoked and suspended fail; a list that
 * cannot be had, or a status method this verifier does not read, is unavailable.
 */
export async function checkStatus(
  credential: Json,
  documentLoader: DocumentLoader,
  verifyList: VerifyListCredential,
): Promise<Check> {
  const entries = values(credential.credentialStatus)
  if (entries.length === 0) return { id: 'status', outcome: 'not-applicable', problems: [] }
  const problems: Problem[] = []
  let unavailable = false
  let failed = false
  for (const entry of entries.slice(0, 4)) {
    if (!isObject(entry)) {
      problems.push({ code: 'status-entry-invalid' })
      failed = true
      continue
    }
    const found = await entryProblems(entry, documentLoader, verifyList)
    problems.push(...found.problems)
    if (found.problems.length > 0) {
      if (found.unavailable) unavailable = true
      else failed = true
    }
  }
  if (entries.length > 4) problems.push({ code: 'status-entry-invalid' })
  return check(
    'status',
    problems,
    failed || entries.length > 4 ? 'fail' : unavailable ? 'unavailable' : 'fail',
  )
}
