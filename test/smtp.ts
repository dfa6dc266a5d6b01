import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  from: string
  to: string[]
  raw: string
  subject: string
  /** The decoded text body. */
  text: string
  /** The decoded HTML part, when the message has one. */
  html?: string
}

export interface TestSmtp {
  url: string
  messages: ReceivedMail[]
  /** Waits until a message to `to` arrives (polls), returns the newest one. */
  waitFor(to: string, timeoutMs?: number, predicate?: (m: ReceivedMail) => boolean): Promise<ReceivedMail>
  close(): Promise<void>
}

function decodeQuotedPrintable(s: string): string {
  const bytes = s
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

function decodePart(head: string, body: string): string {
  const encoding = /^content-transfer-encoding: (.*)$/im.exec(head)?.[1]?.trim().toLowerCase()
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body)
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  return body
}

function parse(raw: string): { subject: string; text: string; html?: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/)
  const body = rest.join('\n\n')
  const headers = head.replace(/\r?\n[ \t]+/g, ' ')
  const subjectRaw = /^subject: (.*)$/im.exec(headers)?.[1] ?? ''
  const subject = subjectRaw.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  )
  // A text + HTML message is multipart/alternative: decode each part on its own.
  const boundary = /^content-type: multipart\/[a-z]+;.*boundary="?([^";]+)"?/im.exec(headers)?.[1]
  if (!boundary) return { subject, text: decodePart(headers, body) }
  const parts: Record<string, string> = {}
  for (const part of body.split(`--${boundary}`).slice(1)) {
    const [partHead = '', ...partBody] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/)
    const type = /^content-type: ([a-z]+\/[a-z]+)/im.exec(partHead)?.[1]?.toLowerCase()
    if (type) parts[type] = decodePart(partHead, partBody.join('\n\n').replace(/\r?\n$/, ''))
  }
  return { subject, text: parts['text/plain'] ?? '', html: parts['text/html'] }
}

/**
 * A real SMTP server on 127.0.0.1 (random port) that keeps every message it receives. Addresses in
 * `rejectRecipients` are refused at RCPT TO with 550 (no such mailbox), as a real server bounces them.
 */
export async function startTestSmtp(options: { rejectRecipients?: string[] } = {}): Promise<TestSmtp> {
  const messages: ReceivedMail[] = []
  const rejected = new Set((options.rejectRecipients ?? []).map((a) => a.toLowerCase()))
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!rejected.has(address.address.toLowerCase())) return callback()
      const error = Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 })
      callback(error)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...parse(raw),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, timeoutMs = 10_000, predicate = () => true) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const found = messages.filter((m) => m.to.includes(to) && predicate(m)).at(-1)
        if (found) return found
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`No mail to ${to} within ${timeoutMs} ms (got ${messages.length} messages)`)
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** One header of a received mail (unfolded), or undefined. */
export function headerOf(mail: ReceivedMail, name: string): string | undefined {
  const [head = ''] = mail.raw.split(/\r?\n\r?\n/)
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  return new RegExp(`^${name}: ?(.*)$`, 'im').exec(unfolded)?.[1]?.trim()
}

/** The first link in a mail body that contains `path`. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((l) => l.includes(path))
  if (!link) throw new Error(`No link containing ${path} in:\n${mail.text}`)
  return link
}
