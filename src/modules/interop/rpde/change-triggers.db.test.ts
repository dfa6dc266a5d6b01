import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { opportunityFactory } from '../../../../test/factories.ts'
import { feedCity, taiChiCourse, yogaSeries } from '../../../../test/interop.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { rows, sql } from '../../../platform/db/index.ts'
import { createOpportunity, updateOpportunity } from '../../opportunities/index.ts'

interface Item {
  state: string
  id: number
}

/** The change triggers of migration 0027: feed rows only for items that can be in their feed. */
describe.each(engines)('feed rows from the change triggers (%s)', (engine) => {
  let t: TestPlatform
  let city: Awaited<ReturnType<typeof feedCity>>
  const origin = 'http://feeds.test'

  beforeAll(async () => {
    t = await testPlatform(engine, { PUBLIC_URL: origin })
    city = await feedCity(t, 'triggers-city')
  })
  afterAll(() => t.close())

  /** Every item of one of the city's feeds, from the start. */
  const walk = async (feed: string) => {
    const group = feed === 'opportunities' ? 'feeds' : 'openactive'
    let url = `/api/v1/cities/${city.slug}/${group}/${feed}`
    const items: Item[] = []
    for (let i = 0; i < 100; i++) {
      const res = await t.app.request(url)
      expect(res.status).toBe(200)
      const body = (await res.json()) as { next: string; items: Item[] }
      if (body.items.length === 0) return items
      items.push(...body.items)
      url = body.next.replace(origin, '')
    }
    throw new Error('feed never ended')
  }
  const feedsOf = async (id: number) =>
    (
      await rows<{ feed: string }>(
        t.platform.db,
        sql`select feed from interop_feed_items
            where source_id = ${id} and feed in ('opportunities', 'session-series', 'course-instance')
            order by feed`,
      )
    ).map((r) => r.feed)
  const sessionItems = async (id: number) =>
    (
      await rows<{ n: number }>(
        t.platform.db,
        sql`select count(*)::int as n from interop_feed_items i join opportunity_sessions s on s.id = i.source_id
            where i.feed = 'scheduled-sessions' and s.opportunity_id = ${id}`,
      )
    )[0]!.n
  const sessionIds = async (id: number) =>
    (
      await rows<{ id: number }>(
        t.platform.db,
        sql`select id::int as id from opportunity_sessions where opportunity_id = ${id} order by id`,
      )
    ).map((r) => r.id)

  it('writes no feed rows for a draft, before or after an edit, and no feed lists it', async () => {
    const made = await createOpportunity(
      t.platform,
      city.actor,
      city.organizationId,
      opportunityFactory(yogaSeries),
    )
    if (!made.ok) throw new Error(JSON.stringify(made))
    const id = made.value.id
    expect(made.value.status).toBe('draft')
    expect(await feedsOf(id)).toEqual([])
    const edited = await updateOpportunity(
      t.platform,
      city.actor,
      id,
      opportunityFactory({ ...yogaSeries, title: { en: 'Gentle yoga, edited' } }),
    )
    expect(edited.ok).toBe(true)
    expect(await feedsOf(id)).toEqual([])
    expect((await walk('opportunities')).some((i) => i.id === id)).toBe(false)
    expect((await walk('session-series')).some((i) => i.id === id)).toBe(false)
  })

  it('gives a published opportunity that goes back to draft a tombstone in every feed it was in', async () => {
    const id = await city.publish(yogaSeries)
    const sessions = await sessionIds(id)
    expect(sessions.length).toBeGreaterThan(0)
    expect((await walk('session-series')).find((i) => i.id === id)?.state).toBe('updated')
    const before = await walk('scheduled-sessions')
    expect(before.filter((i) => sessions.includes(i.id)).map((i) => i.state)).toEqual(
      sessions.map(() => 'updated'),
    )

    await t.platform.db.execute(sql`update opportunities set status = 'draft' where id = ${id}`)
    expect((await walk('opportunities')).filter((i) => i.id === id)).toEqual([
      expect.objectContaining({ id, state: 'deleted' }),
    ])
    expect((await walk('session-series')).find((i) => i.id === id)?.state).toBe('deleted')
    const after = await walk('scheduled-sessions')
    expect(after.filter((i) => sessions.includes(i.id)).map((i) => i.state)).toEqual(
      sessions.map(() => 'deleted'),
    )
  })

  it('marks only the OpenActive feeds an opportunity can be in', async () => {
    const online = await city.publish({
      ...yogaSeries,
      format: 'online',
      joinUrl: 'https://meet.example/yoga',
      address: undefined,
      lat: undefined,
      lon: undefined,
    })
    expect(await feedsOf(online)).toEqual(['opportunities'])
    expect(await sessionItems(online)).toBe(0)

    const course = await city.publish(taiChiCourse)
    expect(await feedsOf(course)).toEqual(['course-instance', 'opportunities'])
    expect(await sessionItems(course)).toBe(0)
    expect((await walk('course-instance')).find((i) => i.id === course)?.state).toBe('updated')

    const series = await city.publish(yogaSeries)
    expect(await feedsOf(series)).toEqual(['opportunities', 'session-series'])
    expect(await sessionItems(series)).toBe((await sessionIds(series)).length)
  })

  it("notes no page change for a new opportunity's sessions, and one when an existing one's sessions change", async () => {
    const id = await city.publish(yogaSeries)
    const changes = async () =>
      (
        await rows<{ n: number }>(
          t.platform.db,
          sql`select count(*)::int as n from opportunity_page_changes where opportunity_id = ${id}`,
        )
      )[0]!.n
    expect(await changes()).toBe(0)
    await t.platform.db.execute(
      sql`update opportunity_sessions set capacity = 3 where opportunity_id = ${id}`,
    )
    expect(await changes()).toBe(1)
  })

  it("writes an opportunity's session slots for the search without marking a feed item or a page", async () => {
    const id = await city.publish(yogaSeries)
    const db = t.platform.db
    // As if the stamper had stamped every item of it.
    await db.execute(sql`update interop_feed_items set modified = 1 where source_id = ${id}`)
    const state = async () =>
      rows<{ slots: string | null; pages: number; unstamped: number }>(
        db,
        sql`select (select search_sessions::text from opportunities where id = ${id}) as slots,
              (select count(*)::int from opportunity_page_changes where opportunity_id = ${id}) as pages,
              (select count(*)::int from interop_feed_items where source_id = ${id} and modified is null) as unstamped`,
      )
    const [before] = await state()
    expect(before!.slots).toContain("'dow:")
    await db.execute(sql`update opportunities set search_sessions = null where id = ${id}`)
    await db.execute(sql`select lc_search_sessions_refresh(array[${id}]::bigint[])`)
    expect(await state()).toEqual([before])
  })
})
