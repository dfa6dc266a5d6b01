import { deflateSync } from 'node:zlib'

/** A real PNG of w×h grey pixels, padded with a text chunk to reach `pad` bytes more. */
export function png(w = 4, h = 4, pad = 0): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr.set([8, 0, 0, 0, 0], 8)
  const raw = Buffer.alloc((w + 1) * h, 0x80)
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      ...(pad ? [chunk('tEXt', Buffer.alloc(pad, 0x61))] : []),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  )
}
