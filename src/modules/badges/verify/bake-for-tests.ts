import { deflateSync } from 'node:zlib'
import { itxtChunk, pngChunk } from '../wallet/bake.ts'

/**
 * A 1×1 PNG (tests only) with `itxt` chunks added as given, before IDAT: unlike the production
 * baker (wallet/bake.ts, one uncompressed credential chunk before IEND) it can make the hostile
 * cases, e.g. two credential chunks or a compressed one.
 */
export function testPng(
  itxt: { keyword: string; text: string | Buffer; compressed?: boolean }[] = [],
): Uint8Array<ArrayBuffer> {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
  const idat = deflateSync(Buffer.from([0, 0]))
  const texts = itxt.map((t) => {
    const text = typeof t.text === 'string' ? Buffer.from(t.text, 'utf8') : t.text
    return itxtChunk(t.keyword, t.compressed ? deflateSync(text) : text, t.compressed)
  })
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...texts,
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
  return new Uint8Array(png)
}
