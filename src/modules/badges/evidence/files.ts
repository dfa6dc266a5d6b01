import type { EvidenceFileType } from '../schema-evidence.ts'

/** The largest evidence file kept: 5 MB. */
export const MAX_EVIDENCE_FILE_BYTES = 5 * 1024 * 1024

export const EXTENSIONS: Record<EvidenceFileType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
}

/**
 * What a file really is, from its first bytes (never from its name or the type the browser sent):
 * a PDF starts with `%PDF-`, a PNG with its 8-byte signature, a JPEG with FF D8 FF. Anything else
 * (an HTML page named .pdf, a script, an SVG) is refused.
 */
export function sniffEvidenceFile(bytes: Uint8Array): EvidenceFileType | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b)
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  return undefined
}

export type FileProblem = 'too-large' | 'wrong-type' | 'empty'

export function checkEvidenceFile(
  bytes: Uint8Array,
): { ok: true; type: EvidenceFileType } | { ok: false; problem: FileProblem } {
  if (bytes.length === 0) return { ok: false, problem: 'empty' }
  if (bytes.length > MAX_EVIDENCE_FILE_BYTES) return { ok: false, problem: 'too-large' }
  const type = sniffEvidenceFile(bytes)
  return type ? { ok: true, type } : { ok: false, problem: 'wrong-type' }
}

/**
 * Headers for handing an evidence file to its learner or a reviewer: always a download (never shown
 * inline in our origin), under a name we make, with the sniffed type, no sniffing by the browser and
 * a policy that lets nothing run if it were opened anyway.
 */
export function downloadHeaders(submissionId: number, type: EvidenceFileType, size: number) {
  return {
    'content-type': type,
    'content-length': String(size),
    'content-disposition': `attachment; filename="evidence-${submissionId}.${EXTENSIONS[type]}"`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-store',
    'cross-origin-resource-policy': 'same-origin',
  }
}
