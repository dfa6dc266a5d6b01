import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { feedCity, taiChiCourse, yogaSeries } from '../../../../test/interop.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { rows, sql } from '../../../platform/db/index.ts'
import { transition } from '../../opportunities/index.ts'

interface Page {
  next: string
  license: string
  items: { state: string; kind: string; id: number; modified: number; data?: Record<string, unknown> }[]
}

describe.each(engines)('RPDE feeds (%s)', (engine) => {
  let t: TestPlatform
  let city: Awaited<ReturnType<typeof feedCity>>
  let other: Awaited<ReturnType<typeof feedCity>>
  const origin = 'http://feeds.test'

  beforeAll(async () => {
    t = await testPlatform(engine, { PUBLIC_URL: origin })
    city = await feedCity(t, 'rpde-city')
    other = await feedCity(t, 'rpde-other')
  })
  afterAll(() => t.close())

  const get = async (url: string) => {
    const res = await t.app.request(url.replace(origin, ''))
    return { res, body: (await res.json()) as Page }
  }
  /** Every item of a feed, following next to the end, and the last page's URL. */
  const walk = async (start: string) => {
    let url = `${origin}${start}`
    const items: Page['items'] = []
    for (let i = 0; i < 100; i++) {
      const { res, body } = await get(url)
      expect(res.status).toBe(200)
      if (body.items.length === 0) {
        expect(body.next).toBe(url)
        return { items, last: url }
      }
      items.push(...body.items)
      url = body.next
    }
    throw new Error('feed never ended')
  }

  it('lists published opportunities in modified-then-id order, with absolute next links to an empty last page', async () => {
    const ids = [await city.publish(), await city.publish(), await city.publish()]
    const { body, res } = await get(`/api/v1/cities/${city.slug}/feeds/opportunities?limit=2`)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600')
    expect(body.license).toBe('https://creativecommons.org/licenses/by/4.0/')
    expect(body.items).toHaveLength(2)
    const last = body.items[1]!
    expect(body.next).toBe(
      `${origin}/api/v1/cities/${city.slug}/feeds/opportunities?afterTimestamp=${last.modified}&afterId=${last.id}&limit=2`,
    )
    const all = await walk(`/api/v1/cities/${city.slug}/feeds/opportunities?limit=2`)
    expect(all.items.map((i) => i.id)).toEqual(ids)
    const modified = all.items.map((i) => i.modified)
    expect([...modified].sort((a, b) => a - b)).toEqual(modified)
    expect(new Set(modified).size).toBe(modified.length)
    expect(all.items[0]).toMatchObject({ state: 'updated', kind: 'LearningOpportunity' })
    expect(all.items[0]!.data).toMatchObject({
      id: ids[0],
      url: `${origin}/en/${city.slug}/opportunities/${ids[0]}`,
      title: { en: 'Robotics for beginners', es: 'Robótica para principiantes' },
      cost: { free: true },
    })
    const lastPage = await t.app.request(all.last.replace(origin, ''))
    expect(lastPage.headers.get('cache-control')).toBe('public, max-age=8')
  })

  it('answers a cursor beyond the end, even one it never gave, with an empty page pointing to itself', async () => {
    const future = Date.now() + 365 * 86_400_000
    const url = `${origin}/api/v1/cities/${city.slug}/feeds/opportunities?afterTimestamp=${future}&afterId=1`
    const { body } = await get(url)
    expect(body).toEqual({ next: url, items: [], license: 'https://creativecommons.org/licenses/by/4.0/' })
  })

  it('moves a changed item to the end, and an archived one becomes a tombstone without data', async () => {
    const id = await city.publish({ title: { en: 'Soon archived' } })
    const before = await walk(`/api/v1/cities/${city.slug}/feeds/opportunities`)
    const first = before.items.find((i) => i.id === id)!
    expect(first.state).toBe('updated')
    const archived = await transition(t.platform, city.actor, id, 'archive')
    expect(archived.ok).toBe(true)
    // A harvester at the end of the feed sees only the change.
    const after = await walk(before.last.replace(origin, ''))
    expect(after.items).toEqual([
      { state: 'deleted', kind: 'LearningOpportunity', id, modified: expect.any(Number) },
    ])
    expect(after.items[0]!.modified).toBeGreaterThan(first.modified)
    // From the start, it is there once: as a tombstone.
    const again = await walk(`/api/v1/cities/${city.slug}/feeds/opportunities`)
    expect(again.items.filter((i) => i.id === id)).toHaveLength(1)
    expect(again.items.find((i) => i.id === id)?.state).toBe('deleted')
  })

  it('records deletions of venues and organizations as tombstones, and never lists a draft', async () => {
    const [venue] = await rows<{ id: number }>(
      t.platform.db,
      sql`insert into venues (city_id, kind, name, address, lat, lon)
          values (${city.cityId}, 'community', '{"en":"Old hall"}', '1 Main St', 41.9, -87.6) returning id::int as id`,
    )
    const seen = await walk(`/api/v1/cities/${city.slug}/feeds/venues`)
    expect(seen.items.find((i) => i.id === venue!.id)?.data).toMatchObject({
      name: { en: 'Old hall' },
      lat: 41.9,
    })
    await t.platform.db.execute(sql`delete from venues where id = ${venue!.id}`)
    const after = await walk(seen.last.replace(origin, ''))
    expect(after.items).toEqual([
      { state: 'deleted', kind: 'Place', id: venue!.id, modified: expect.any(Number) },
    ])

    const orgs = await walk(`/api/v1/cities/${city.slug}/feeds/organizations`)
    expect(orgs.items.map((i) => i.id)).toContain(city.organizationId)
    await t.platform.db.execute(
      sql`update organizations set status = 'suspended' where id = ${city.organizationId}`,
    )
    const suspended = await walk(orgs.last.replace(origin, ''))
    expect(suspended.items.find((i) => i.id === city.organizationId)?.state).toBe('deleted')
    await t.platform.db.execute(
      sql`update organizations set status = 'trusted' where id = ${city.organizationId}`,
    )

    // A draft was never in the feed, so its deletion leaves nothing behind.
    const draft = await rows<{ id: number }>(
      t.platform.db,
      sql`update opportunities set status = 'draft' where id = (select max(id) from opportunities where city_id = ${city.cityId}) returning id::int as id`,
    )
    await t.platform.db.execute(sql`delete from opportunities where id = ${draft[0]!.id}`)
    const withDraft = await walk(`/api/v1/cities/${city.slug}/feeds/opportunities`)
    expect(withDraft.items.filter((i) => i.id === draft[0]!.id)).toHaveLength(1)
    expect(withDraft.items.find((i) => i.id === draft[0]!.id)?.state).toBe('deleted')
  })

  it('keeps each city to its own items, whatever the cursor', async () => {
    const mine = await other.publish({ title: { en: 'Only in the other city' } })
    const theirs = await walk(`/api/v1/cities/${other.slug}/feeds/opportunities`)
    expect(theirs.items.map((i) => i.id)).toEqual([mine])
    const ours = await walk(`/api/v1/cities/${city.slug}/feeds/opportunities`)
    expect(ours.items.map((i) => i.id)).not.toContain(mine)
    const orgs = await walk(`/api/v1/cities/${other.slug}/feeds/organizations`)
    expect(orgs.items.map((i) => i.id)).toEqual([other.organizationId])
    const zero = await walk(`/api/v1/cities/${other.slug}/feeds/opportunities?afterTimestamp=0&afterId=0`)
    expect(zero.items.map((i) => i.id)).toEqual([mine])
  })

  it('publishes physical activities as OpenActive SessionSeries, ScheduledSessions and CourseInstances', async () => {
    const yoga = await city.publish(yogaSeries)
    const taiChi = await city.publish(taiChiCourse)
    const robotics = await city.publish()
    const series = await walk(`/api/v1/cities/${city.slug}/openactive/session-series`)
    expect(series.items.map((i) => i.id)).toEqual([yoga])
    expect(series.items[0]!.data).toMatchObject({
      '@context': 'https://openactive.io/',
      '@type': 'SessionSeries',
      activity: [{ prefLabel: 'Yoga', inScheme: 'https://openactive.io/activity-list' }],
      eventSchedule: [
        {
          '@type': 'Schedule',
          repeatFrequency: 'P1W',
          byDay: ['https://schema.org/Tuesday'],
          startTime: '18:00',
          endTime: '19:00',
          scheduleTimezone: 'America/Chicago',
        },
      ],
    })
    const courses = await walk(`/api/v1/cities/${city.slug}/openactive/course-instance`)
    expect(courses.items.map((i) => i.id)).toEqual([taiChi])
    expect(courses.items[0]!.data).toMatchObject({
      '@type': 'CourseInstance',
      activity: [{ prefLabel: 'Tai Chi' }],
      startDate: '2027-10-02',
      endDate: '2027-11-20',
      duration: 'P49D',
      eventSchedule: [{ repeatCount: 8, exceptDate: ['2027-10-16T14:00:00Z'] }],
    })
    const sessions = await walk(`/api/v1/cities/${city.slug}/openactive/scheduled-sessions`)
    expect(sessions.items.length).toBeGreaterThan(0)
    const superEvents = new Set(sessions.items.map((i) => i.data?.superEvent))
    expect([...superEvents]).toEqual([`${origin}/en/${city.slug}/opportunities/${yoga}`])
    const starts = sessions.items.map((i) => String(i.data?.startDate)).sort()
    // 18:00 in Chicago (CDT) on the first Tuesday, weekly after that.
    expect(starts.slice(0, 2)).toEqual(['2027-10-05T23:00:00Z', '2027-10-12T23:00:00Z'])
    expect(sessions.items.every((i) => i.data?.['@type'] === 'ScheduledSession')).toBe(true)
    expect(JSON.stringify([series, courses, sessions])).not.toContain(`opportunities/${robotics}"`)

    // Yoga stops being an activity: the series and every session it had become tombstones.
    await t.platform.db.execute(sql`update opportunities set topics = '{coding}' where id = ${yoga}`)
    const gone = await walk(series.last.replace(origin, ''))
    expect(gone.items).toEqual([
      { state: 'deleted', kind: 'SessionSeries', id: yoga, modified: expect.any(Number) },
    ])
    const goneSessions = await walk(sessions.last.replace(origin, ''))
    expect(goneSessions.items.length).toBe(sessions.items.length)
    expect(goneSessions.items.every((i) => i.state === 'deleted' && !i.data)).toBe(true)
  })

  it('refuses bad parameters with a problem listing each one', async () => {
    const base = `/api/v1/cities/${city.slug}/feeds/opportunities`
    const res = await t.app.request(
      `${base}?afterTimestamp=1%27%20or%201=1--&afterId=99999999999999999999&limit=5000&evil=%3Cscript%3E`,
    )
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = (await res.json()) as { errors: { field: string }[] }
    expect(body.errors.map((e) => e.field).sort()).toEqual(['afterId', 'afterTimestamp', 'evil', 'limit'])
    const half = (await (await t.app.request(`${base}?afterTimestamp=5`)).json()) as {
      errors: { field: string }[]
    }
    expect(half.errors.map((e) => e.field)).toEqual(['afterId'])
    const twice = await t.app.request(`${base}?afterTimestamp=5&afterTimestamp=6&afterId=1`)
    expect(twice.status).toBe(400)
    const negative = await t.app.request(`${base}?afterTimestamp=-1&afterId=1`)
    expect(negative.status).toBe(400)
    expect((await t.app.request('/api/v1/cities/nowhere/feeds/opportunities')).status).toBe(404)
  })
})

// Two connections at once need a server; PGlite has one connection and cannot interleave transactions.
describe.each(engines.filter((e) => e === 'postgres'))('RPDE under concurrent writers (%s)', (engine) => {
  let t: TestPlatform
  beforeAll(async () => {
    t = await testPlatform(engine, { PUBLIC_URL: 'http://feeds.test' })
  })
  afterAll(() => t.close())

  it('never lets a harvester pass a change that commits after a later one', async () => {
    const city = await feedCity(t, 'late-city')
    const early = await city.publish({ title: { en: 'Early' } })
    const late = await city.publish({ title: { en: 'Late' } })
    const path = `/api/v1/cities/${city.slug}/feeds/opportunities`
    const read = async (url: string) => (await (await t.app.request(url)).json()) as Page
    let page = await read(path)
    while (page.items.length > 0) page = await read(page.next.replace('http://feeds.test', ''))
    const cursor = page.next.replace('http://feeds.test', '')

    // The first writer changes `early` and holds its transaction open…
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const slow = t.platform.db.transaction(async (tx) => {
      await tx.execute(sql`update opportunities set title = '{"en":"Early, edited"}' where id = ${early}`)
      await held
    })
    // …while a second writer changes `late` and commits, and a harvester reads it.
    await t.platform.db.execute(
      sql`update opportunities set title = '{"en":"Late, edited"}' where id = ${late}`,
    )
    const seen = await read(cursor)
    expect(seen.items.map((i) => i.id)).toEqual([late])
    release()
    await slow
    const next = await read(seen.next.replace('http://feeds.test', ''))
    expect(next.items.map((i) => i.id)).toEqual([early])
    expect(next.items[0]!.modified).toBeGreaterThan(seen.items[0]!.modified)
    expect(next.items[0]!.data?.title).toEqual({ en: 'Early, edited' })
  })
})
