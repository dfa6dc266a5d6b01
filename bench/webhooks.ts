/**
 * Webhook delivery throughput (`npm run bench -- webhooks`): N messages for one subscription are
 * queued the way the scanner queues them (fanOut: messages and their jobs in one statement), then
 * one job worker (jobs.drain, one job after another) delivers them to a receiver on 127.0.0.1 that
 * answers 204: signing, the safe fetcher's POST, the log line and the bookkeeping per delivery.
 * The floor row is the same signed POSTs through the safe fetcher without the database.
 * Also measured: reading the change log after publishing opportunities (events/s of scanChanges).
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import pino from 'pino'
import { startPlatform } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { createCity, findCityById } from '../src/modules/cities/index.ts'
import { post } from '../src/modules/interop/webhooks/deliver.ts'
import { fanOut, scanChanges } from '../src/modules/interop/webhooks/scan.ts'
import { createSubscription } from '../src/modules/interop/webhooks/subscriptions.ts'
import { createOpportunity } from '../src/modules/opportunities/index.ts'
import { createOrganization } from '../src/modules/organizations/index.ts'
import { type Db, openDatabase } from '../src/platform/db/index.ts'
import { opportunityFactory } from '../test/factories.ts'

const DELIVERIES = Number(process.env.BENCH_WEBHOOK_COUNT ?? 2000)
const PUBLISHED = Number(process.env.BENCH_WEBHOOK_PUBLISH ?? 200)

async function receiver() {
  let received = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received++
      res.writeHead(204).end()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => received,
  }
}

async function database(engine: 'pglite' | 'postgres') {
  if (engine === 'pglite') return openDatabase({ kind: 'pglite', dataDir: 'memory' })
  const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
  await admin.connect()
  const name = `bench_webhooks_${Date.now().toString(36)}`
  await admin.query(`create database "${name}"`)
  await admin.end()
  const target = new URL(process.env.BENCH_DATABASE_URL!)
  target.pathname = `/${name}`
  return openDatabase({ kind: 'postgres', url: target.toString() })
}

interface Row {
  name: string
  url: string
  requestsPerSec: number
  p50ms: number
  p99ms: number
  errors: number
  non2xx: number
  relativeToFloor?: number
}

const row = (name: string, url: string, perSec: number, floor?: number): Row => ({
  name,
  url,
  requestsPerSec: Math.round(perSec),
  p50ms: 0,
  p99ms: 0,
  errors: 0,
  non2xx: 0,
  ...(floor ? { relativeToFloor: Math.round((perSec / floor) * 1000) / 1000 } : {}),
})

async function measure(engine: 'pglite' | 'postgres', url: string, count: () => number, floor: number) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', FETCH_ALLOW_ADDRESSES: 'loopback' })
  const started = await startPlatform(config, {
    database: await database(engine),
    log: pino({ level: 'silent' }),
  })
  const { platform } = started
  try {
    const made = await createCity(platform, {
      slug: 'bench-hooks',
      name: { en: 'Bench' },
      defaultLanguage: 'en',
      timeZone: 'America/Chicago',
    })
    if (!made.ok) throw new Error('city')
    const org = await createOrganization(platform, made.value, {
      slug: 'bench-hooks-org',
      name: { en: 'Bench org' },
      sector: 'community',
      trusted: true,
    })
    if (!org.ok) throw new Error('org')
    const sub = await createSubscription(
      platform.db,
      config.fetch,
      { cityId: made.value, organizationId: org.value },
      null,
      { url, events: ['opportunity.created'] },
    )
    if (!sub.ok) throw new Error(JSON.stringify(sub.fields))
    const city = (await findCityById(platform.db, made.value))!

    // Scanning: publish, then time reading the change log into messages.
    const actor = {
      userId: null,
      label: 'bench',
      cityId: made.value,
      timeZone: 'America/Chicago',
      coordinator: true,
      organizations: [{ id: org.value, role: 'admin' as const, trusted: true }],
    }
    for (let i = 0; i < PUBLISHED; i++) {
      const res = await createOpportunity(
        platform,
        actor,
        org.value,
        opportunityFactory({ title: { en: `Bench ${i}` } }),
        { publish: true },
      )
      if (!res.ok) throw new Error(JSON.stringify(res))
    }
    const s0 = performance.now()
    await scanChanges(platform.db, config.publicUrl)
    const scanSeconds = (performance.now() - s0) / 1000
    await platform.jobs.drain()

    // Delivering: N messages queued at once, then one worker delivers them.
    const data = { id: 1, title: { en: 'x'.repeat(600) }, url: 'https://example.org/x' }
    await platform.db.transaction((tx) =>
      fanOut(
        tx as unknown as Db,
        city,
        Array.from({ length: DELIVERIES }, () => ({
          type: 'opportunity.created' as const,
          organizationId: org.value,
          isPublic: true,
          data,
        })),
      ),
    )
    const before = count()
    const t0 = performance.now()
    await platform.jobs.drain()
    const seconds = (performance.now() - t0) / 1000
    const delivered = count() - before
    if (delivered !== DELIVERIES) throw new Error(`delivered ${delivered} of ${DELIVERIES}`)
    console.log(
      `webhooks ${engine}: ${DELIVERIES} deliveries in ${seconds.toFixed(1)} s = ${Math.round(DELIVERIES / seconds)}/s; scan of ${PUBLISHED} created opportunities ${scanSeconds.toFixed(2)} s`,
    )
    return [
      row(`deliveries ${engine}, one worker (deliveries/s)`, url, DELIVERIES / seconds, floor),
      row(`scan ${engine}: change log → messages (events/s)`, url, PUBLISHED / scanSeconds),
    ]
  } finally {
    await started.close()
  }
}

export async function webhooksSuite(): Promise<Row[]> {
  const { server, url, count } = await receiver()
  try {
    // Floor: the same signed POSTs through the safe fetcher, one after another, no database.
    const sub = {
      id: 1,
      secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
      previousSecret: null,
      previousSecretUntil: null,
      url,
    } as never
    const platform = { config: { fetch: { allowLoopback: true, allowPrivate: false } } } as never
    const body = JSON.stringify({
      id: 'msg_x',
      type: 'opportunity.created',
      data: { title: 'x'.repeat(600) },
    })
    const t0 = performance.now()
    for (let i = 0; i < DELIVERIES; i++) {
      const o = await post(platform, sub, `msg_${i}`, body)
      if (!o.ok) throw new Error(o.error ?? 'floor failed')
    }
    const floor = DELIVERIES / ((performance.now() - t0) / 1000)
    const rows = [row('floor: signed POST through the safe fetcher, no database', url, floor)]
    const engines: ('pglite' | 'postgres')[] = process.env.BENCH_DATABASE_URL
      ? ['pglite', 'postgres']
      : ['pglite']
    for (const engine of engines) rows.push(...(await measure(engine, url, count, floor)))
    return rows
  } finally {
    server.close()
  }
}
