/** Largest badge image accepted, in bytes. */
export const MAX_IMAGE_BYTES = 256 * 1024
const MAX_SIDE = 2048
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export type ImageProblem = 'too-large' | 'not-png' | 'bad-size'

/**
 * Checks an uploaded badge image: a complete PNG (signature, IHDR first, chunks within the file,
 * IEND last), at most MAX_IMAGE_BYTES and MAX_SIDE pixels a side. PNG because Open Badges bakes
 * credentials into PNG and SVG, and SVG can carry script. The upload's file name is never used: the
 * image is stored in the database by achievement id, so no path comes from the client.
 */
export function checkPng(bytes: Uint8Array): { ok: true } | { ok: false; problem: ImageProblem } {
  if (bytes.byteLength > MAX_IMAGE_BYTES) return { ok: false, problem: 'too-large' }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE)) return { ok: false, problem: 'not-png' }
  let offset = 8
  let first = true
  let sawEnd = false
  while (offset + 12 <= buf.length) {
    const length = buf.readUInt32BE(offset)
    const type = buf.toString('latin1', offset + 4, offset + 8)
    if (offset + 12 + length > buf.length) return { ok: false, problem: 'not-png' }
    if (first) {
      if (type !== 'IHDR' || length !== 13) return { ok: false, problem: 'not-png' }
      const width = buf.readUInt32BE(offset + 8)
      const height = buf.readUInt32BE(offset + 12)
      if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE)
        return { ok: false, problem: 'bad-size' }
      first = false
    }
    offset += 12 + length
    if (type === 'IEND') {
      sawEnd = true
      break
    }
  }
  return sawEnd && !first ? { ok: true } : { ok: false, problem: 'not-png' }
}
