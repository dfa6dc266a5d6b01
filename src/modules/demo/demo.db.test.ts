import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { firstRow, rows, sql } from '../../platform/db/index.ts'
import { citiesModule, findCityBySlug } from '../cities/index.ts'
import { prng, seedDemoCatalogue } from './catalogue.ts'

describe('demo PRNG', () => {
  it('gives the same sequence for the same seed', () => {
    const a = prng(7)
    const b = prng(7)
    expect([a.next(), a.next(), a.next()]).toEqual([b.next(), b.next(), b.next()])
    expect(prng(8).next()).not.toBe(prng(7).next())
  })
})

describe.each(engines)('demo catalogue on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  beforeAll(async () => {
    t = await testPlatform(engine)
    await citiesModule.seed?.(t.platform, { say: () => {} })
    cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
  })
  afterAll(() => t.close())

  it('creates providers of every sector with published, labelled, multilingual opportunities spread over districts', async () => {
    const result = await seedDemoCatalogue(t.platform, cityId, { perProvider: 2 })
    expect(result).toEqual({ providers: 150, opportunities: 300 })
    const sectors = await rows<{ sector: string }>(
      t.platform.db,
      sql`select distinct sector from organizations where city_id = ${cityId} order by sector`,
    )
    expect(sectors.map((s) => s.sector)).toEqual([
      'community',
      'employer',
      'library',
      'museum',
      'online',
      'school',
      'university',
    ])
    const facts = await firstRow<{
      notDemo: number
      unpublished: number
      districts: number
      spanish: number
      sessions: number
    }>(
      t.platform.db,
      sql`select (select count(*)::int from opportunities where city_id = ${cityId} and not is_demo) as "notDemo",
                 (select count(*)::int from opportunities where city_id = ${cityId} and status <> 'published') as unpublished,
                 (select count(distinct district_id)::int from opportunities where city_id = ${cityId}) as districts,
                 (select count(*)::int from opportunities where city_id = ${cityId} and title ? 'es') as spanish,
                 (select count(*)::int from opportunity_sessions where city_id = ${cityId}) as sessions`,
    )
    expect(facts?.notDemo).toBe(0)
    expect(facts?.unpublished).toBe(0)
    expect(facts?.districts).toBeGreaterThan(30)
    expect(facts?.spanish).toBeGreaterThan(50)
    expect(facts?.sessions).toBeGreaterThan(300)
  })
})
