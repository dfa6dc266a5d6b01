import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filtersOf, testCatalogue } from '../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { sql } from '../../platform/db/index.ts'
import { holdsMost } from './city-share.ts'
import { listMatches } from './matches.ts'

const NOW = new Date('2027-09-29T14:00:00Z')
/** Past the time a city's share is trusted, so the next call reads the statistics again. */
const LATER = Date.now() + 120_000

describe.each(engines)('a city that holds most of the catalogue, on %s', (engine) => {
  let t: TestPlatform
  let big: Awaited<ReturnType<typeof testCatalogue>>
  let small: Awaited<ReturnType<typeof testCatalogue>>
  const found = async (catalogue: typeof big, query: string) =>
    catalogue.names((await listMatches(t.platform.db, catalogue.city, filtersOf(query), NOW)).matches).sort()

  beforeAll(async () => {
    t = await testPlatform(engine)
    big = await testCatalogue(t, 'bigtown')
    small = await testCatalogue(t, 'smalltown')
    const bigClub = await big.provider('big-club', 'community')
    const smallClub = await small.provider('small-club', 'community')
    for (const n of [1, 2, 3, 4, 5, 6])
      await big.add(`big${n}`, bigClub, { title: { en: `Knitting circle ${n}` } })
    for (const n of [1, 2]) await small.add(`small${n}`, smallClub, { title: { en: `Knitting circle ${n}` } })
  })
  afterAll(() => t.close())

  it('is looked up in the index until the statistics say it holds most, then checked on each row', async () => {
    const db = t.platform.db
    // No statistics yet: a minority, as every city is in a network.
    expect(await holdsMost(db, big.city.id, Date.now())).toBe(false)
    const before = { big: await found(big, 'q=knitting'), small: await found(small, 'q=knitting') }
    await db.execute(sql`analyze opportunities`)
    expect(await holdsMost(db, big.city.id, LATER)).toBe(true)
    expect(await holdsMost(db, small.city.id, LATER)).toBe(false)
    // Either way each city lists its own and only its own.
    expect(before.big).toEqual(['big1', 'big2', 'big3', 'big4', 'big5', 'big6'])
    expect(await found(big, 'q=knitting')).toEqual(before.big)
    expect(await found(big, 'q=knitting&page=1&sort=soonest')).toEqual(before.big)
    expect(before.small).toEqual(['small1', 'small2'])
    expect(await found(small, 'q=knitting')).toEqual(before.small)
  })
})
