import { crc32, deflateSync } from 'node:zlib'

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A 1×1 PNG (tests only); `itxt` chunks are added before IEND as given. */
export function testPng(
  itxt: { keyword: string; text: string | Buffer; compressed?: boolean }[] = [],
): Uint8Array<ArrayBuffer> {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
  const idat = deflateSync(Buffer.from([0, 0]))
  const texts = itxt.map((t) => {
    const text = typeof t.text === 'string' ? Buffer.from(t.text, 'utf8') : t.text
    const payload = t.compressed ? deflateSync(text) : text
    return chunk(
      'iTXt',
      Buffer.concat([Buffer.from(`${t.keyword}\0${t.compressed ? '\x01' : '\0'}\0\0\0`, 'latin1'), payload]),
    )
  })
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...texts,
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ])
  return new Uint8Array(png)
}
