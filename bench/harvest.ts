/**
 * The harvest suite: a local RPDE feed on 127.0.0.1 of BENCH_HARVEST_ITEMS items (default 100,000;
 * OpenActive Events with a place, two offers and one session each, 500 a page) harvested through
 * harvestFeed into a fresh database, on PGlite and, with BENCH_DATABASE_URL, on PostgreSQL. The floor
 * is the same feed fetched and parsed page by page with the same safe fetcher, writing nothing.
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import pino from 'pino'
import { seedAll, startPlatform } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { registerFeed } from '../src/modules/interop/harvest/feeds.ts'
import { harvestFeed } from '../src/modules/interop/harvest/harvest.ts'
import { readPage } from '../src/modules/interop/harvest/rpde.ts'
import { createOrganization } from '../src/modules/organizations/index.ts'
import { openDatabase } from '../src/platform/db/index.ts'

const ITEMS = Number(process.env.BENCH_HARVEST_ITEMS ?? 100_000)
const PAGE = 500

function item(i: number) {
  const day = 1 + (i % 28)
  return {
    state: 'updated',
    kind: 'Event',
    id: `e${String(i).padStart(7, '0')}`,
    modified: 1_700_000_000 + i,
    data: {
      '@context': 'https://openactive.io/',
      '@type': 'Event',
      '@id': `https://publisher.example/events/${i}`,
      name: `Community class ${i}`,
      description: `A weekly class for everyone, number ${i}.`,
      url: `https://publisher.example/events/${i}`,
      image: [{ '@type': 'ImageObject', url: `https://publisher.example/img/${i % 50}.jpg` }],
      activity: [{ '@type': 'Concept', prefLabel: ['Yoga', 'Dance', 'Walking'][i % 3] }],
      startDate: `2027-03-${String(day).padStart(2, '0')}T17:00:00Z`,
      endDate: `2027-03-${String(day).padStart(2, '0')}T18:30:00Z`,
      location: {
        '@type': 'Place',
        name: `Hall ${i % 200}`,
        address: {
          '@type': 'PostalAddress',
          streetAddress: `${i % 900} W Madison St`,
          addressLocality: 'Chicago',
        },
        geo: {
          '@type': 'GeoCoordinates',
          latitude: 41.8 + (i % 100) / 1000,
          longitude: -87.7 + (i % 100) / 1000,
        },
      },
      offers: [
        { '@type': 'Offer', name: 'Adult', price: 5, priceCurrency: 'USD' },
        { '@type': 'Offer', name: 'Concession', price: 2.5, priceCurrency: 'USD' },
      ],
      ageRange: { '@type': 'QuantitativeValue', minValue: 16 },
      maximumAttendeeCapacity: 20,
    },
  }
}

async function feedServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const after = Number(url.searchParams.get('afterChangeNumber') ?? -1)
    const from = after + 1
    const items = []
    for (let i = from; i < Math.min(ITEMS, from + PAGE); i++) items.push(item(i))
    const next = `${base}/feed?afterChangeNumber=${items.length ? from + items.length - 1 : after}`
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ next, items, license: 'x' }))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { server, url: `${base}/feed` }
}

/** The PostgreSQL databases the suite made, dropped at its end. */
const made: string[] = []

async function database(engine: 'pglite' | 'postgres') {
  if (engine === 'pglite') return openDatabase({ kind: 'pglite', dataDir: 'memory' })
  const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
  await admin.connect()
  const name = `bench_harvest_${Date.now().toString(36)}`
  await admin.query(`create database "${name}"`)
  made.push(name)
  // HARVEST_EXPLAIN=N logs the plan of every statement (triggers' too) slower than N ms to the
  // server's log, with actual times: where a page's time goes.
  if (process.env.HARVEST_EXPLAIN)
    await admin.query(
      `alter database "${name}" set session_preload_libraries = 'auto_explain'; alter database "${name}" set auto_explain.log_min_duration = '${process.env.HARVEST_EXPLAIN}ms'; alter database "${name}" set auto_explain.log_nested_statements = on; alter database "${name}" set auto_explain.log_analyze = on`,
    )
  await admin.end()
  const target = new URL(process.env.BENCH_DATABASE_URL!)
  target.pathname = `/${name}`
  return openDatabase({ kind: 'postgres', url: target.toString() })
}

async function measure(engine: 'pglite' | 'postgres', url: string) {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO_SIZE: 'small',
    FETCH_ALLOW_ADDRESSES: 'loopback',
  })
  const started = await startPlatform(config, {
    database: await database(engine),
    log: pino({ level: 'silent' }),
  })
  const { platform } = started
  await seedAll(platform, () => {})
  const city = (await findCityBySlug(platform.db, 'chicago'))!
  const org = await createOrganization(platform, city.id, {
    slug: 'bench-feed',
    name: { en: 'Bench feed' },
    sector: 'community',
    trusted: true,
  })
  if (!org.ok) throw new Error(org.error)
  const feed = await registerFeed(platform, city.id, null, {
    organizationId: org.value,
    kind: 'rpde',
    name: 'bench',
    url,
    language: 'en',
    buildingBlock: 'culture-of-learning',
  })
  if (!feed.ok) throw new Error(JSON.stringify(feed.fields))
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 200)
  const t0 = performance.now()
  const run = await harvestFeed(platform, feed.value, { fetch: config.fetch, maxPages: ITEMS / PAGE + 2 })
  const seconds = (performance.now() - t0) / 1000
  clearInterval(timer)
  await started.close()
  if (run.error || run.imported !== ITEMS) throw new Error(`harvest: ${JSON.stringify(run)}`)
  return { seconds, itemsPerSec: ITEMS / seconds, peakRssMb: Math.round(peak / 1e6) }
}

async function floor(url: string) {
  const t0 = performance.now()
  let next = url
  let n = 0
  for (;;) {
    const page = await readPage(next, { allowLoopback: true })
    if (!page.ok) throw new Error(page.error)
    n += page.items.length
    if (page.items.length === 0) break
    next = page.next
  }
  return n / ((performance.now() - t0) / 1000)
}

export async function harvestSuite() {
  const { server, url } = await feedServer()
  try {
    const floorRate = await floor(url)
    const engines: ('pglite' | 'postgres')[] = process.env.BENCH_DATABASE_URL
      ? ['pglite', 'postgres']
      : ['pglite']
    const only = process.env.BENCH_HARVEST_ENGINE
    const rows = [
      {
        name: `floor: fetch + parse ${ITEMS} items`,
        url,
        requestsPerSec: Math.round(floorRate),
        p50ms: 0,
        p99ms: 0,
        errors: 0,
        non2xx: 0,
      },
    ]
    for (const engine of engines.filter((e) => !only || e === only)) {
      const m = await measure(engine, url)
      console.log(
        `harvest ${engine}: ${ITEMS} items in ${m.seconds.toFixed(1)} s = ${Math.round(m.itemsPerSec)} items/s, peak RSS ${m.peakRssMb} MB`,
      )
      rows.push({
        name: `harvest ${engine} ${ITEMS} items (items/s; peak RSS ${m.peakRssMb} MB)`,
        url,
        requestsPerSec: Math.round(m.itemsPerSec),
        p50ms: 0,
        p99ms: 0,
        errors: 0,
        non2xx: 0,
        relativeToFloor: m.itemsPerSec / floorRate,
      } as never)
    }
    return rows
  } finally {
    server.close()
    if (made.length) {
      const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL })
      await admin.connect()
      for (const name of made.splice(0)) await admin.query(`drop database if exists "${name}" with (force)`)
      await admin.end()
    }
  }
}
