/**
 * Our feeds against software nobody here wrote: OpenActive's RPDE validator walks every feed over
 * HTTP on 127.0.0.1, OpenActive's harvester reads each one to the end, and OpenActive's data-model
 * validator checks every OpenActive item, offline (its cache is filled from the conformance folder).
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { validate } from '@openactive/data-model-validator'
import { harvestRPDE } from '@openactive/harvesting-utils'
import { RpdeValidator } from '@openactive/rpde-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feedCity, taiChiCourse, yogaSeries } from '../../../../test/interop.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { rows, sql } from '../../../platform/db/index.ts'
import { cancelSession, listSessions, transition } from '../../opportunities/index.ts'
import { feedPath } from '../rpde/routes.ts'
import { stampAll } from '../rpde/stamp.ts'
import { RPDE_FEEDS } from '../schema.ts'

const CONFORMANCE = '/work/shared/conformance/opportunities/openactive'
const conformance = process.env.CONFORMANCE_DIR ?? CONFORMANCE

interface Problem {
  severity: string
  type: string
  message: string
  path?: string
}

/** The validator's JSON cache, filled with the vocabularies it would otherwise fetch. */
function seededCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-cache-'))
  const put = (url: string, data: unknown) =>
    writeFileSync(
      join(dir, `${createHash('sha256').update(url).digest('hex')}.json`),
      JSON.stringify({
        errorCode: 'error_none',
        data,
        statusCode: 200,
        url,
        exception: null,
        contentType: 'application/ld+json',
        fetchTime: Date.now(),
      }),
    )
  put(
    'https://openactive.io/activity-list',
    JSON.parse(readFileSync(join(conformance, 'activity-list.jsonld'), 'utf8')),
  )
  put('https://openactive.io/ns-beta', JSON.parse(readFileSync(join(conformance, 'ns-beta.jsonld'), 'utf8')))
  // ns-beta imports this context; no copy of it is stored anywhere, and the validator needs only an object.
  put('https://openactive.io/ns-extension', {
    '@context': { rdfs: 'http://www.w3.org/2000/01/rdf-schema#', schema: 'https://schema.org/' },
  })
  return dir
}

describe.each(engines)('OpenActive conformance (%s)', (engine) => {
  let t: TestPlatform
  let server: ReturnType<typeof serve>
  let baseUrl = ''
  let cache = ''
  let slug = ''

  beforeAll(async () => {
    let handler: (request: Request) => Response | Promise<Response> = () =>
      new Response('starting', { status: 503 })
    server = serve({ fetch: (request) => handler(request), hostname: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    t = await testPlatform(engine, { PUBLIC_URL: baseUrl })
    handler = (request) => t.app.fetch(request)
    cache = seededCache()

    const city = await feedCity(t, 'oa-city')
    slug = city.slug
    const yoga = await city.publish(yogaSeries)
    await city.publish(taiChiCourse)
    await city.publish({
      title: { en: 'Zumba in the park' },
      topics: ['Zumba®'],
      ageMin: 16,
      ageMax: null,
      cost: { free: false, price: 4.5, currency: 'USD' },
      schedule: { kind: 'once', start: '2027-11-06T11:00', durationMinutes: 60 },
    })
    await city.publish({ title: { en: 'Walking group' }, topics: ['walking'] })
    const walking = await city.publish({ title: { en: 'Walking, cancelled later' }, topics: ['Walking'] })
    await city.publish() // robotics: not a physical activity
    const [session] = await listSessions(t.platform.db, city.cityId, yoga)
    await cancelSession(t.platform, city.actor, yoga, session!.id, 'Hall closed')
    // Tombstones in every feed: the harvester sees an item, then its deletion.
    await stampAll(t.platform.db)
    await transition(t.platform, city.actor, walking, 'archive')
    await t.platform.db.execute(
      sql`insert into venues (city_id, kind, name, address, lat, lon)
          values (${city.cityId}, 'community', '{"en":"Gone hall"}', '2 Main St', 41.9, -87.6)`,
    )
    await stampAll(t.platform.db)
    await t.platform.db.execute(
      sql`delete from venues where city_id = ${city.cityId} and address = '2 Main St'`,
    )
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await t.close()
    rmSync(cache, { recursive: true, force: true })
  })

  it.each(RPDE_FEEDS)('%s passes the OpenActive RPDE validator with no failures', async (feed) => {
    const url = `${baseUrl}${feedPath(slug, feed)}?limit=2`
    const log = (await RpdeValidator(url, { pageLimit: 500, timeoutMs: 10_000 })) as {
      pages: { url: string; errors: Problem[] }[]
    }
    const failures = log.pages.flatMap((p) =>
      p.errors
        .filter((e) => e.severity === 'failure')
        .map((e) => `${p.url}: ${e.type} ${e.message.slice(0, 160)}`),
    )
    expect(failures).toEqual([])
    // It walked the feed, then checked a page beyond the end.
    expect(log.pages.length).toBeGreaterThan(1)
  })

  it.each(RPDE_FEEDS)("%s is read to its end by OpenActive's harvester, every item once", async (feed) => {
    const items = new Map<string, { state: string }>()
    let ended = false
    const result = await harvestRPDE({
      baseUrl: `${baseUrl}${feedPath(slug, feed)}`,
      feedContextIdentifier: feed,
      headers: async () => ({}),
      processPage: async ({
        rpdePage,
      }: {
        rpdePage: { items: { id: string | number; state: string }[] }
      }) => {
        for (const item of rpdePage.items) items.set(String(item.id), item)
      },
      onReachedEndOfFeed: async () => {
        ended = true
      },
      // Stop polling once the end is reached: the harvester would otherwise watch the feed for ever.
      optionallyWaitBeforeNextRequest: async () => {
        if (ended) throw new Error('reached the end')
      },
      onRetryDueToHttpError: async (_url: string, _headers: unknown, status: number, error: Error) => {
        throw new Error(`HTTP ${status}: ${error.message}`)
      },
      isOrdersFeed: false,
      loggingFns: { log: () => {}, logError: () => {}, logErrorDuringHarvest: () => {} },
      config: { howLongToSleepAtFeedEnd: () => 0, REQUEST_LOGGING_ENABLED: false },
    }).catch((error: Error) => ({ stopped: error.message }))
    expect(result).toEqual({ stopped: 'reached the end' })
    const expected = await rows<{ id: string; state: string }>(
      t.platform.db,
      sql`select i.source_id::text as id, i.state from interop_feed_items i join cities c on c.id = i.city_id
          where c.slug = ${slug} and i.feed = ${feed} and i.modified is not null`,
    )
    expect(expected.length).toBeGreaterThan(0)
    expect(new Map([...items].map(([id, item]) => [id, item.state]))).toEqual(
      new Map(expected.map((e) => [e.id, e.state])),
    )
  })

  it.each(['session-series', 'scheduled-sessions', 'course-instance'] as const)(
    '%s items pass the OpenActive data-model validator offline with no failures',
    async (feed) => {
      let url = `${baseUrl}${feedPath(slug, feed)}?limit=3`
      const failures: string[] = []
      let checked = 0
      for (let i = 0; i < 200; i++) {
        const page = (await (await fetch(url)).json()) as { next: string; items: unknown[] }
        if (page.items.length === 0) break
        const problems = (await validate(page, {
          validationMode: 'RPDEFeed',
          loadRemoteJson: true,
          remoteJsonCachePath: cache,
          remoteJsonCacheTimeToLive: 10 * 365 * 86_400,
          rpdeItemLimit: 500,
        })) as Problem[]
        failures.push(
          ...problems
            .filter((p) => p.severity === 'failure')
            .map((p) => `${p.path}: ${p.type} ${p.message.slice(0, 160)}`),
        )
        checked += page.items.length
        url = page.next
      }
      expect(failures).toEqual([])
      expect(checked).toBeGreaterThan(0)
      // Anything it had fetched would be in its cache now: only the three documents seeded are.
      expect(readdirSync(cache)).toHaveLength(3)
    },
  )
})
