import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCatalogue } from '../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../test/platform.ts'
import { analyze } from './app.ts'
import { rows, sql } from './platform/db/index.ts'

describe.each(engines)('planner statistics on %s', (engine) => {
  let t: TestPlatform
  beforeAll(async () => {
    t = await testPlatform(engine)
  })
  afterAll(() => t.close())

  it('counts what was written once analysed, so searches are planned on real sizes', async () => {
    const catalogue = await testCatalogue(t, 'statsville')
    const org = await catalogue.provider('stats', 'library')
    await catalogue.add('weekly', org, {})
    await analyze(t.platform.db)
    const [stats] = await rows<{ sessions: number }>(
      t.platform.db,
      sql`select reltuples::int as sessions from pg_class where relname = 'opportunity_sessions'`,
    )
    // The factory's weekly series has eight sessions (other tests' cities may add theirs).
    expect(stats!.sessions).toBeGreaterThanOrEqual(8)
  })
})
