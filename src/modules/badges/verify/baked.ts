import { crc32, inflateSync } from 'node:zlib'
import { SaxesParser } from 'saxes'

/** Why a file holds no readable credential. */
export type BakedProblem =
  | 'png-malformed'
  | 'png-no-credential'
  | 'baked-twice'
  | 'ob2-baked'
  | 'svg-malformed'
  | 'svg-no-credential'

export type Extracted = { ok: true; text: string } | { ok: false; problem: BakedProblem }

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
/** A credential is text of a few kilobytes; a compressed chunk inflating past this is refused. */
export const MAX_CREDENTIAL_BYTES = 1024 * 1024
const MAX_CHUNKS = 10_000

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE)
}

/**
 * The credential baked into a PNG (Open Badges 3.0 §5.3): the text of the one `iTXt` chunk with
 * keyword `openbadgecredential`. Chunk lengths and CRCs are checked, a compressed chunk is
 * inflated within a bound, and two credential chunks are refused (the spec allows one).
 */
export function extractFromPng(bytes: Uint8Array): Extracted {
  const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (!isPng(png)) return { ok: false, problem: 'png-malformed' }
  const found: string[] = []
  let ob2 = false
  let offset = 8
  for (let n = 0; n < MAX_CHUNKS; n++) {
    if (offset + 12 > png.length) return { ok: false, problem: 'png-malformed' }
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    const end = offset + 12 + length
    if (length > 0x7fffffff || end > png.length) return { ok: false, problem: 'png-malformed' }
    const data = png.subarray(offset + 8, offset + 8 + length)
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== png.readUInt32BE(offset + 8 + length))
      return { ok: false, problem: 'png-malformed' }
    if (type === 'iTXt') {
      const chunk = readITXt(data)
      if (chunk === 'bad') return { ok: false, problem: 'png-malformed' }
      if (chunk.keyword === 'openbadgecredential') found.push(chunk.text)
      if (chunk.keyword === 'openbadges') ob2 = true
    } else if (type === 'tEXt' && data.toString('latin1', 0, 11) === 'openbadges\0') ob2 = true
    offset = end
    if (type === 'IEND') break
  }
  if (found.length > 1) return { ok: false, problem: 'baked-twice' }
  const [text] = found
  if (text !== undefined) return { ok: true, text }
  return { ok: false, problem: ob2 ? 'ob2-baked' : 'png-no-credential' }
}

function readITXt(data: Buffer): { keyword: string; text: string } | 'bad' {
  const keywordEnd = data.indexOf(0)
  if (keywordEnd < 1 || keywordEnd > 79 || keywordEnd + 2 >= data.length) return 'bad'
  const keyword = data.toString('latin1', 0, keywordEnd)
  const compressed = data[keywordEnd + 1] === 1
  const languageEnd = data.indexOf(0, keywordEnd + 3)
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1)
  if (translatedEnd < 0) return 'bad'
  let text = data.subarray(translatedEnd + 1)
  if (keyword !== 'openbadgecredential') return { keyword, text: '' }
  if (compressed) {
    try {
      text = inflateSync(text, { maxOutputLength: MAX_CREDENTIAL_BYTES })
    } catch {
      return 'bad'
    }
  }
  return { keyword, text: text.toString('utf8') }
}

const OB3_NS = 'https://purl.imsglobal.org/ob/v3p0'
const OB2_NS = 'http://openbadges.org'

/**
 * The credential baked into an SVG: the `credential` element in the OB 3.0 namespace, its JWS in
 * `verify` or its JSON as text (CDATA). Parsed with saxes, which expands no external or custom
 * entities, so hostile markup cannot make it read files or blow up.
 */
export function extractFromSvg(svg: string): Extracted {
  const found: string[] = []
  let ob2 = false
  let current: string[] | undefined
  let depth = 0
  const parser = new SaxesParser({ xmlns: true })
  parser.on('opentag', (tag) => {
    depth++
    if (depth > 256) throw new Error('too deep')
    if (tag.uri === OB3_NS && tag.local === 'credential') {
      const verify = tag.attributes.verify
      const value = typeof verify === 'object' ? verify.value : verify
      if (value) found.push(value.trim())
      else current = []
    } else if (tag.uri === OB2_NS && tag.local === 'assertion') ob2 = true
  })
  parser.on('text', (t) => current?.push(t))
  parser.on('cdata', (t) => current?.push(t))
  parser.on('closetag', (tag) => {
    depth--
    if (tag.uri === OB3_NS && tag.local === 'credential' && current) {
      found.push(current.join('').trim())
      current = undefined
    }
  })
  try {
    parser.write(svg).close()
  } catch {
    return { ok: false, problem: 'svg-malformed' }
  }
  if (found.length > 1) return { ok: false, problem: 'baked-twice' }
  const [text] = found
  if (text) return { ok: true, text }
  return { ok: false, problem: ob2 ? 'ob2-baked' : 'svg-no-credential' }
}
