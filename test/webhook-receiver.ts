import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedHook {
  headers: IncomingHttpHeaders
  body: string
  /** The parsed JSON body. */
  json: { id: string; type: string; timestamp: string; city: string; data: Record<string, unknown> }
}

export interface WebhookReceiver {
  url: string
  received: ReceivedHook[]
  /** The status every request is answered with (200 unless changed). */
  status: number
  close(): Promise<void>
}

/** A webhook receiver on 127.0.0.1 (random port) that keeps every request it is sent. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = []
  const state = { status: 200 }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json: ReceivedHook['json']
      try {
        json = JSON.parse(body)
      } catch {
        json = { id: '', type: '', timestamp: '', city: '', data: {} }
      }
      received.push({ headers: req.headers, body, json })
      res.writeHead(state.status, { 'content-type': 'text/plain' })
      res.end(state.status < 300 ? 'ok' : 'receiver is down')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    get status() {
      return state.status
    },
    set status(v: number) {
      state.status = v
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
