import { drizzle } from 'drizzle-orm/node-postgres'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { type Db, rows, sql } from '../../platform/db/index.ts'
import type { Platform } from '../../platform/module.ts'
import { createCity } from '../cities/index.ts'
import { createOrganization } from '../organizations/index.ts'
import { BATCH_ROWS, runImport, startImport } from './import.ts'
import { EXAMPLE_ROW, IMPORT_COLUMNS } from './import-columns.ts'
import { csvLine } from './import-files.ts'
import type { Actor } from './opportunities.ts'

type Query = string | { text: string }
type Queryable = { query(q: Query, ...rest: unknown[]): Promise<unknown> }

/** The same object, with some of its methods replaced (everything else still reaches the original). */
function replacing<T extends object>(target: T, methods: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, key) {
      if (typeof key === 'string' && key in methods) return methods[key]
      const value = Reflect.get(object, key, object)
      return typeof value === 'function' && key !== 'constructor' ? value.bind(object) : value
    },
  })
}

/**
 * The platform as a job worker sees it when its database connection drops in the middle of the
 * second batch: the first batch commits, the second writes its first opportunity, and from then on
 * every statement and every new connection fails. A rollback still goes through, as the server rolls
 * back the transaction of a dropped connection. A batch may also be one statement that is its own
 * transaction: it has committed when it returns, and the second such statement is lost on its way.
 */
function droppingConnection(platform: Platform) {
  const state = { committed: false, wroteAfterCommit: false, dropped: false }
  let open = false
  // The insert of opportunities may open the statement or be one of its WITH clauses.
  const writes = (text: string) => /(^|\(\s*)insert into "?opportunities"? /.test(text)
  const check = (text: string) => {
    if (text === 'rollback') {
      open = false
      return
    }
    if (state.wroteAfterCommit) {
      state.dropped = true
      throw new Error('Connection terminated unexpectedly')
    }
    if (state.committed && writes(text)) {
      state.wroteAfterCommit = true
      // Outside a transaction the statement would commit: it is lost before the server has it.
      if (!open) {
        state.dropped = true
        throw new Error('Connection terminated unexpectedly')
      }
    }
    if (text === 'begin') open = true
    if (text === 'commit') {
      open = false
      state.committed = true
    }
  }
  const guarded = <T extends Queryable>(target: T) =>
    replacing(target, {
      async query(query: Query, ...rest: unknown[]) {
        const text = (typeof query === 'string' ? query : query.text).trim().toLowerCase()
        check(text)
        const result = await target.query(query, ...rest)
        if (!open && writes(text)) state.committed = true
        return result
      },
    })
  const pool = (platform.db as unknown as { $client: pg.Pool }).$client
  const dropping = replacing(guarded(pool), {
    async connect() {
      if (state.dropped) throw new Error('connect ECONNREFUSED')
      return guarded(await pool.connect())
    },
  })
  const db = drizzle({ client: dropping }) as unknown as Db
  return { platform: { ...platform, db }, state }
}

/** A CSV of the template's example row, once per external id, with some rows changed. */
function csvOf(count: number, changes: Record<number, Record<string, string>>): string {
  const lines = [csvLine([...IMPORT_COLUMNS])]
  for (let n = 1; n <= count; n++) {
    const row: Record<string, string> = {
      ...EXAMPLE_ROW,
      external_id: `R-${n}`,
      title_en: `Course ${n}`,
      publish: 'no',
    }
    Object.assign(row, changes[n])
    lines.push(csvLine(IMPORT_COLUMNS.map((c) => row[c] ?? '')))
  }
  return lines.join('')
}

describe.each(engines)('an interrupted import on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let actor: Actor
  let organizationId: number

  beforeAll(async () => {
    t = await testPlatform(engine)
    const city = await createCity(t.platform, {
      slug: 'resume-city',
      name: { en: 'Resume City' },
      defaultLanguage: 'en',
      timeZone: 'America/Chicago',
    })
    if (!city.ok) throw new Error('city')
    cityId = city.value
    const org = await createOrganization(t.platform, cityId, {
      slug: 'resume-club',
      name: { en: 'Resume Club' },
      sector: 'community',
      trusted: true,
    })
    if (!org.ok) throw new Error('organization')
    organizationId = org.value
    actor = {
      userId: null,
      label: 'Importer',
      cityId,
      timeZone: 'America/Chicago',
      coordinator: false,
      organizations: [{ id: organizationId, role: 'editor', trusted: true }],
    }
  })
  afterAll(() => t?.close())

  const importState = async (id: number) =>
    (
      await rows<{
        status: string
        totalRows: number
        processedRows: number
        imported: number
        updated: number
        unchanged: number
        rejected: number
      }>(
        t.platform.db,
        sql`select status, total_rows as "totalRows", processed_rows as "processedRows", imported, updated,
              unchanged, rejected
            from opportunity_imports where id = ${id}`,
      )
    )[0]!

  const externalIds = () =>
    rows<{ externalId: string; copies: number }>(
      t.platform.db,
      sql`select external_id as "externalId", count(*)::int as copies from opportunities
          where organization_id = ${organizationId} group by external_id`,
    )

  it('resumes after the last committed batch: every row once, duplicates across the break still rejected', async () => {
    const total = Math.floor(BATCH_ROWS * 2.5)
    const second = BATCH_ROWS + 50 // a row of the batch the connection drops in
    const third = BATCH_ROWS * 2 + 20 // a row of the batch after the restart
    const csv = csvOf(total, {
      5: { age_min: 'ten' }, // wrong type, in the committed batch
      [BATCH_ROWS + 10]: { title_en: '', title_es: '' }, // missing title, in the interrupted batch
      [second]: { external_id: 'R-20' }, // its first occurrence committed before the break
      [third]: { external_id: `R-${BATCH_ROWS + 30}` }, // its first occurrence re-done after the break
    })
    const started = await startImport(t.platform, actor, organizationId, {
      name: 'resume.csv',
      bytes: new TextEncoder().encode(csv),
    })
    if (!started.ok) throw new Error(started.error)
    const { id } = started.value

    // The first worker loses its connection a few rows into the second batch.
    const crashing = droppingConnection(t.platform)
    await expect(runImport(crashing.platform, id)).rejects.toThrow()
    expect(crashing.state).toEqual({ committed: true, wroteAfterCommit: true, dropped: true })
    expect(await importState(id)).toMatchObject({
      status: 'running',
      totalRows: total,
      processedRows: BATCH_ROWS,
      imported: BATCH_ROWS - 1,
      rejected: 1,
    })
    // What the second batch wrote before the break was rolled back with it.
    expect((await externalIds()).length).toBe(BATCH_ROWS - 1)

    // The queued job runs again (as after a restart) and finishes the file.
    await t.platform.jobs.drain()
    const finished = await importState(id)
    expect(finished).toMatchObject({
      status: 'done',
      totalRows: total,
      processedRows: total,
      imported: total - 4,
      updated: 0,
      unchanged: 0,
      rejected: 4,
    })
    expect(finished.imported + finished.updated + finished.unchanged + finished.rejected).toBe(total)

    const stored = await externalIds()
    expect(stored.filter((s) => s.copies !== 1)).toEqual([])
    const expected = Array.from({ length: total }, (_, i) => `R-${i + 1}`).filter(
      (x) => x !== 'R-5' && x !== `R-${BATCH_ROWS + 10}` && x !== `R-${second}` && x !== `R-${third}`,
    )
    expect(stored.map((s) => s.externalId).sort()).toEqual(expected.sort())

    // Each bad row is reported once, by its line (the header is line 1), with its reason.
    const rejects = await rows<{ line: number; externalId: string | null; keys: string[] }>(
      t.platform.db,
      sql`select line, external_id as "externalId",
            coalesce((select jsonb_agg(e->>'key') from jsonb_array_elements(errors) e), '[]'::jsonb) as keys
          from opportunity_import_rejects where import_id = ${id} order by line`,
    )
    expect(rejects.map((r) => [r.line, r.externalId])).toEqual([
      [6, 'R-5'],
      [BATCH_ROWS + 11, `R-${BATCH_ROWS + 10}`],
      [second + 1, 'R-20'],
      [third + 1, `R-${BATCH_ROWS + 30}`],
    ])
    expect(rejects[2]!.keys).toEqual(['opportunities.import.reason.duplicate'])
    expect(rejects[3]!.keys).toEqual(['opportunities.import.reason.duplicate'])
    // The first occurrences were imported with their own data, not the duplicates'.
    const titles = await rows<{ externalId: string; title: string }>(
      t.platform.db,
      sql`select external_id as "externalId", title->>'en' as title from opportunities
          where organization_id = ${organizationId} and external_id in ('R-20', ${`R-${BATCH_ROWS + 30}`})
          order by external_id`,
    )
    expect(titles.map((r) => r.title).sort()).toEqual(['Course 20', `Course ${BATCH_ROWS + 30}`].sort())
    const pieces = await rows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunity_import_chunks where import_id = ${id}`,
    )
    expect(pieces[0]!.n).toBe(0)
  }, 300_000)
})
