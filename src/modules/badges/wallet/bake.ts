/**
 * Baking (Open Badges 3.0 §5.3): the credential travels inside the badge image. PNG: one `iTXt`
 * chunk, keyword `openbadgecredential`, uncompressed, before IEND. SVG: an `openbadges:credential`
 * element in the `https://purl.imsglobal.org/ob/v3p0` namespace right after `<svg>`, the JSON in
 * CDATA (or a VC-JWT in `verify`). verify/baked.ts reads both back.
 */
import { crc32 } from 'node:zlib'
import { PNG } from 'pngjs'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
export const CREDENTIAL_KEYWORD = 'openbadgecredential'
const OB3_NS = 'https://purl.imsglobal.org/ob/v3p0'

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** An `iTXt` chunk: keyword, compression flag and method, empty language and translated keyword, text. */
export function itxtChunk(keyword: string, text: Buffer, compressed = false): Buffer {
  return pngChunk(
    'iTXt',
    Buffer.concat([Buffer.from(`${keyword}\0${compressed ? '\x01' : '\0'}\0\0\0`, 'latin1'), text]),
  )
}

interface Chunk {
  type: string
  start: number
  end: number
  data: Buffer
}

/** The chunks of a PNG up to IEND; undefined when it is not a well-formed PNG. */
function chunksOf(png: Buffer): Chunk[] | undefined {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined
  const chunks: Chunk[] = []
  let offset = 8
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset)
    const end = offset + 12 + length
    if (end > png.length) return undefined
    const type = png.toString('latin1', offset + 4, offset + 8)
    chunks.push({ type, start: offset, end, data: png.subarray(offset + 8, offset + 8 + length) })
    offset = end
    if (type === 'IEND') return chunks
  }
  return undefined
}

/**
 * Bakes the credential (JSON text or compact JWS) into a PNG. A credential already baked in is
 * replaced (the spec: overwrite or refuse), so a badge never carries two.
 */
export function bakePng(png: Uint8Array, credential: string): Buffer {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  const chunks = chunksOf(bytes)
  if (chunks?.[0]?.type !== 'IHDR') throw new Error('not a PNG')
  const kept = chunks.filter(
    (c) =>
      !(
        c.type === 'iTXt' &&
        c.data.toString('latin1', 0, CREDENTIAL_KEYWORD.length + 1) === `${CREDENTIAL_KEYWORD}\0`
      ),
  )
  const iend = kept.pop()!
  return Buffer.concat([
    PNG_SIGNATURE,
    ...kept.map((c) => bytes.subarray(c.start, c.end)),
    itxtChunk(CREDENTIAL_KEYWORD, Buffer.from(credential, 'utf8')),
    bytes.subarray(iend.start, iend.end),
  ])
}

/** Text safe inside CDATA: a `]]>` in the JSON is split across two sections. */
function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** A 400 × 400 SVG that shows a PNG badge image (the achievement's), for baking into. */
export function svgAroundPng(png: Uint8Array, title: string): string {
  const data = Buffer.from(png).toString('base64')
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img">` +
    `<title>${escapeAttribute(title)}</title>` +
    `<image width="400" height="400" href="data:image/png;base64,${data}"/></svg>`
  )
}

/**
 * Bakes into an SVG of ours (svgAroundPng or defaultBadgeSvg): the namespace on the root element
 * and the credential element as its first child. JSON goes in CDATA, a JWS in `verify`.
 */
export function bakeSvg(svg: string, credential: string): string {
  const open = /<svg\b[^>]*>/.exec(svg)
  if (!open) throw new Error('not an SVG')
  const root = open[0].includes('xmlns:openbadges=')
    ? open[0]
    : open[0].replace(/^<svg\b/, `<svg xmlns:openbadges="${OB3_NS}"`)
  const trimmed = credential.trim()
  const element = trimmed.startsWith('{')
    ? `<openbadges:credential>${cdata(trimmed)}</openbadges:credential>`
    : `<openbadges:credential verify="${escapeAttribute(trimmed)}"/>`
  const rest = svg
    .slice(open.index + open[0].length)
    .replace(/<openbadges:credential\b[\s\S]*?(<\/openbadges:credential>|\/>)/g, '')
  return `${svg.slice(0, open.index)}${root}${element}${rest}`
}

/** A colour as RGB from #rrggbb (or #rgb); the default blue otherwise. */
export function rgbOf(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim())
  if (!m?.[1]) return [0x1d, 0x4e, 0xd8]
  const h = m[1].length === 3 ? [...m[1]].map((x) => x + x).join('') : m[1]
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number]
}

/** Points of a five-pointed star around (cx, cy). */
function star(cx: number, cy: number, outer: number, inner: number): [number, number][] {
  return Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? outer : inner
    const a = -Math.PI / 2 + (i * Math.PI) / 5
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)]
  })
}

function inPolygon(x: number, y: number, points: [number, number][]): boolean {
  let inside = false
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i]!
    const [xj, yj] = points[j]!
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

const DEFAULT_SIZE = 400

/**
 * The image of an achievement that has none: a disc in the city's colour with a white ring and
 * star, drawn pixel by pixel (2 × 2 samples per pixel for smooth edges).
 */
export function defaultBadgePng(colour: string): Buffer {
  const key = rgbOf(colour).join(',')
  let png = defaults.get(key)
  if (!png) {
    png = drawDefaultBadge(colour)
    defaults.set(key, png)
    // A city has one colour; a few cities' worth is plenty.
    while (defaults.size > 64) defaults.delete(defaults.keys().next().value!)
  }
  return png
}

/** Drawn once per colour (about half a second of pixel work), then kept. */
const defaults = new Map<string, Buffer>()

function drawDefaultBadge(colour: string): Buffer {
  const [r, g, b] = rgbOf(colour)
  const size = DEFAULT_SIZE
  const png = new PNG({ width: size, height: size })
  const c = size / 2
  const points = star(c, c, 110, 45)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let disc = 0
      let white = 0
      for (const [dx, dy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const) {
        const px = x + dx
        const py = y + dy
        const d = Math.hypot(px - c, py - c)
        if (d > 196) continue
        disc++
        if ((d > 160 && d < 172) || inPolygon(px, py, points)) white++
      }
      const i = (y * size + x) * 4
      const colourShare = (disc - white) / 4
      const whiteShare = white / 4
      const alpha = disc / 4
      png.data[i] = alpha ? Math.round((r * colourShare + 255 * whiteShare) / alpha) : 0
      png.data[i + 1] = alpha ? Math.round((g * colourShare + 255 * whiteShare) / alpha) : 0
      png.data[i + 2] = alpha ? Math.round((b * colourShare + 255 * whiteShare) / alpha) : 0
      png.data[i + 3] = Math.round(alpha * 255)
    }
  return PNG.sync.write(png)
}

/** The same default image as SVG (no script, no external reference). */
export function defaultBadgeSvg(colour: string, title: string): string {
  const [r, g, b] = rgbOf(colour)
  const fill = `rgb(${r},${g},${b})`
  const points = star(200, 200, 110, 45)
    .map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`)
    .join(' ')
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img">` +
    `<title>${escapeAttribute(title)}</title>` +
    `<circle cx="200" cy="200" r="196" fill="${fill}"/>` +
    `<circle cx="200" cy="200" r="166" fill="none" stroke="#fff" stroke-width="12"/>` +
    `<polygon points="${points}" fill="#fff"/></svg>`
  )
}

/** Reads a PNG to RGBA; undefined when pngjs cannot decode it. */
function decode(png: Uint8Array): PNG | undefined {
  try {
    return PNG.sync.read(Buffer.from(png))
  } catch {
    return undefined
  }
}

export const OG_WIDTH = 1200
export const OG_HEIGHT = 630

/**
 * The Open Graph picture of a badge: 1200 × 630, the city's colour, the badge image scaled
 * (bilinear) into a 440 px square in the middle on a white disc, alpha-blended.
 */
export function ogImage(badgePng: Uint8Array, colour: string): Buffer {
  const [br, bg, bb] = rgbOf(colour)
  const out = new PNG({ width: OG_WIDTH, height: OG_HEIGHT })
  const data = out.data
  for (let i = 0; i < data.length; i += 4) {
    data[i] = br
    data[i + 1] = bg
    data[i + 2] = bb
    data[i + 3] = 255
  }
  const cx = OG_WIDTH / 2
  const cy = OG_HEIGHT / 2
  // A white disc behind the badge, so any badge colour stands out from the city's.
  for (let y = cy - 265; y < cy + 265; y++)
    for (let x = cx - 265; x < cx + 265; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy)
      const cover = Math.max(0, Math.min(1, 265 - d))
      if (cover === 0) continue
      const i = (y * OG_WIDTH + x) * 4
      data[i] = Math.round(data[i]! * (1 - cover) + 255 * cover)
      data[i + 1] = Math.round(data[i + 1]! * (1 - cover) + 255 * cover)
      data[i + 2] = Math.round(data[i + 2]! * (1 - cover) + 255 * cover)
    }
  const badge = decode(badgePng) ?? decode(defaultBadgePng(colour))!
  const box = 440
  const scale = Math.min(box / badge.width, box / badge.height)
  const w = Math.max(1, Math.round(badge.width * scale))
  const h = Math.max(1, Math.round(badge.height * scale))
  const left = Math.round(cx - w / 2)
  const top = Math.round(cy - h / 2)
  const src = badge.data
  const sample = (sx: number, sy: number, k: number) =>
    src[(Math.min(badge.height - 1, sy) * badge.width + Math.min(badge.width - 1, sx)) * 4 + k]!
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const fx = Math.max(0, (x + 0.5) / scale - 0.5)
      const fy = Math.max(0, (y + 0.5) / scale - 0.5)
      const x0 = Math.floor(fx)
      const y0 = Math.floor(fy)
      const tx = fx - x0
      const ty = fy - y0
      const px = [0, 0, 0, 0]
      for (let k = 0; k < 4; k++) {
        const top0 = sample(x0, y0, k) * (1 - tx) + sample(x0 + 1, y0, k) * tx
        const bottom = sample(x0, y0 + 1, k) * (1 - tx) + sample(x0 + 1, y0 + 1, k) * tx
        px[k] = top0 * (1 - ty) + bottom * ty
      }
      const alpha = px[3]! / 255
      const i = ((top + y) * OG_WIDTH + left + x) * 4
      for (let k = 0; k < 3; k++) data[i + k] = Math.round(data[i + k]! * (1 - alpha) + px[k]! * alpha)
    }
  return PNG.sync.write(out, { colorType: 2 })
}
