import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filtersOf } from '../../../test/catalogue.ts'
import { opportunityFactory } from '../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { type Db, rows, sql } from '../../platform/db/index.ts'
import { searchDocument } from '../../platform/search/index.ts'
import { findCityBySlug } from '../cities/index.ts'
import { listMatches } from '../discovery/index.ts'
import { createOrganization } from '../organizations/index.ts'
import { runImport, startImport } from './import.ts'
import { EXAMPLE_ROW, IMPORT_COLUMNS } from './import-columns.ts'
import { csvLine } from './import-files.ts'
import { type Actor, createOpportunity, updateOpportunity } from './opportunities.ts'
import { indexSearchChunk } from './repository.ts'
import { INDEX_SEARCH_JOB, indexSearchDocuments } from './search-index.ts'

/** A CSV of the template's example row with these ids, titles and more, one row each. */
function csvOf(rows: Record<string, string>[]): string {
  const lines = rows.map((row) =>
    csvLine(
      IMPORT_COLUMNS.map(
        (c) =>
          row[c] ??
          ({ title_es: '', description_es: '' } as Record<string, string>)[c] ??
          EXAMPLE_ROW[c] ??
          '',
      ),
    ),
  )
  return [csvLine([...IMPORT_COLUMNS]), ...lines].join('')
}

describe.each(engines)('search words off the import path on %s', (engine) => {
  let t: TestPlatform
  let city: { id: number; timeZone: string }
  let actor: Actor
  let orgId: number

  /** Runs the import job of a file itself, as the worker would, leaving every other job queued. */
  async function importOnly(name: string, csv: string) {
    const started = await startImport(t.platform, actor, orgId, {
      name,
      bytes: new TextEncoder().encode(csv),
    })
    if (!started.ok) throw new Error(started.error)
    // Left queued, the import's own job finds the import done and does nothing.
    await runImport(t.platform, started.value.id)
  }

  /** The external ids of this provider's published opportunities that a search finds. */
  async function found(query: string): Promise<string[]> {
    const page = await listMatches(t.platform.db, city, filtersOf(query), new Date())
    const ids = page.matches.map((m) => m.id)
    if (ids.length === 0) return []
    const named = await rows<{ externalId: string }>(
      t.platform.db,
      sql`select external_id as "externalId" from opportunities
          where organization_id = ${orgId} and id = any(${`{${ids.join(',')}}`}::int8[]) order by external_id`,
    )
    return named.map((r) => r.externalId)
  }

  const unindexed = async (db: Db = t.platform.db) =>
    (
      await rows<{ n: number }>(
        db,
        sql`select count(*)::int as n from opportunities where search_document is null and organization_id = ${orgId}`,
      )
    )[0]!.n

  const queuedIndexing = async () =>
    (
      await rows<{ n: number }>(
        t.platform.db,
        sql`select count(*)::int as n from jobs where name = ${INDEX_SEARCH_JOB} and status = 'queued'`,
      )
    )[0]!.n

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    const chicago = (await findCityBySlug(t.platform.db, 'chicago'))!
    city = { id: chicago.id, timeZone: chicago.timeZone }
    const org = await createOrganization(t.platform, city.id, {
      slug: 'search-index-provider',
      name: { en: 'Index provider' },
      sector: 'community',
      trusted: true,
    })
    if (!org.ok) throw new Error('org')
    orgId = org.value
    actor = {
      userId: null,
      label: 'test',
      cityId: city.id,
      timeZone: city.timeZone,
      coordinator: false,
      organizations: [{ id: orgId, role: 'admin', trusted: true }],
    }
  })
  afterAll(() => t.close())

  it('seeds the demo city with every opportunity already searchable', async () => {
    const [left] = await rows<{ n: number; all: number }>(
      t.platform.db,
      sql`select count(*) filter (where search_document is null)::int as n, count(*)::int as all
          from opportunities where city_id = ${city.id}`,
    )
    expect(left!.all).toBeGreaterThan(0)
    expect(left!.n).toBe(0)
  })

  it('computes the same words as the search helper: weights, languages, topics, Chinese by character', async () => {
    const helper = searchDocument(
      [
        { column: 'title', weight: 'A' },
        { column: 'topics', weight: 'B', words: true },
        { column: 'description', weight: 'C' },
      ],
      { splitHan: true },
    )
    const [same] = await rows<{ fn: string; helper: string }>(
      t.platform.db,
      sql`select lc_search_document(title, topics, description)::text as fn, (${helper})::text as helper
          from (values (
            '{"en":"Gardening for families","fr":"Jardinage","es":"Jardinería","ru":"Садоводство","ar":"البستنة","zh":"园艺课程"}'::jsonb,
            '{Soil,compost}'::text[],
            '{"en":"Grow vegetables","zh":"种植蔬菜"}'::jsonb
          )) as v(title, topics, description)`,
    )
    expect(same!.fn).toBe(same!.helper)
    expect(same!.fn).toContain("'园':")
    expect(same!.fn).toMatch(/'garden':\d+A/)
    expect(same!.fn).toMatch(/'compost':\d+B/)
  })

  it('lets the search find imported rows, by words and by filters, once the indexing job has run', async () => {
    await importOnly(
      'first.csv',
      csvOf([
        { external_id: 'IX-1', title_en: 'Pottery wheel evenings', topics: 'ceramics' },
        { external_id: 'IX-2', title_en: 'Chess for everyone', topics: 'games' },
        { external_id: 'IX-3', title_en: 'Welding basics', description_en: 'Metalwork with a mentor.' },
      ]),
    )
    expect(await unindexed()).toBe(3)
    // One job however many batches asked for it, waiting for the worker.
    expect(await queuedIndexing()).toBe(1)
    // The search looks words and filters up in one index, which holds a row once it has its words.
    expect(await found('q=pottery')).toEqual([])
    expect(await found('block=learning-technologies')).toEqual([])

    expect(await t.platform.jobs.drain()).toBeGreaterThanOrEqual(1)
    expect(await unindexed()).toBe(0)
    expect(await found('block=learning-technologies')).toEqual(
      expect.arrayContaining(['IX-1', 'IX-2', 'IX-3']),
    )
    expect(await found('q=pottery')).toEqual(['IX-1'])
    expect(await found('q=ceramics')).toEqual(['IX-1'])
    expect(await found('q=metalwork')).toEqual(['IX-3'])
  })

  it('re-indexes a changed title: at once from the form, through the job after an import', async () => {
    // An import that changes one title and another row's capacity only.
    await importOnly(
      'second.csv',
      csvOf([
        { external_id: 'IX-1', title_en: 'Pottery wheel evenings', topics: 'ceramics' },
        { external_id: 'IX-2', title_en: 'Draughts for everyone', topics: 'games' },
        {
          external_id: 'IX-3',
          title_en: 'Welding basics',
          description_en: 'Metalwork with a mentor.',
          capacity: '20',
        },
      ]),
    )
    const documents = await rows<{ externalId: string; indexed: boolean }>(
      t.platform.db,
      sql`select external_id as "externalId", search_document is not null as indexed from opportunities
          where organization_id = ${orgId} order by external_id`,
    )
    // Only the row whose words changed waits for the job; the others keep theirs.
    expect(documents).toEqual([
      { externalId: 'IX-1', indexed: true },
      { externalId: 'IX-2', indexed: false },
      { externalId: 'IX-3', indexed: true },
    ])
    expect(await found('q=chess')).toEqual([])
    expect(await found('q=metalwork')).toEqual(['IX-3'])
    await t.platform.jobs.drain()
    expect(await found('q=draughts')).toEqual(['IX-2'])

    // The form: a single save computes the words with the row, no job needed.
    const created = await createOpportunity(
      t.platform,
      actor,
      orgId,
      opportunityFactory({ externalId: 'IX-4', title: { en: 'Beekeeping taster' } }),
      { publish: true },
    )
    if (!created.ok) throw new Error(JSON.stringify(created))
    expect(await found('q=beekeeping')).toEqual(['IX-4'])
    const updated = await updateOpportunity(
      t.platform,
      actor,
      created.value.id,
      opportunityFactory({ externalId: 'IX-4', title: { en: 'Candle making taster' } }),
    )
    expect(updated.ok).toBe(true)
    expect(await found('q=candle')).toEqual(['IX-4'])
    expect(await found('q=beekeeping')).toEqual([])
    expect(await unindexed()).toBe(0)
  })

  it('indexes in chunks, touches only rows without words, and does nothing the second time', async () => {
    await rows(
      t.platform.db,
      sql`update opportunities set search_document = null where organization_id = ${orgId} and external_id <> 'IX-4'`,
    )
    const before = await rows<{ doc: string }>(
      t.platform.db,
      sql`select search_document::text as doc from opportunities where external_id = 'IX-4' and organization_id = ${orgId}`,
    )
    // One statement does one chunk, at most.
    const first = await indexSearchChunk(t.platform.db, city.id, 2)
    expect(first).toMatchObject({ seen: 2, indexed: 2 })
    expect(await unindexed()).toBe(1)
    // Another city has nothing to do.
    expect(await indexSearchDocuments(t.platform.db, city.id + 1000)).toBe(0)
    expect(await indexSearchDocuments(t.platform.db, city.id, { chunkRows: 2 })).toBe(1)
    expect(await indexSearchDocuments(t.platform.db)).toBe(0)
    expect(await unindexed()).toBe(0)
    const [stale] = await rows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunities
          where search_document is distinct from lc_search_document(title, topics, description)`,
    )
    expect(stale!.n).toBe(0)
    expect(
      await rows<{ doc: string }>(
        t.platform.db,
        sql`select search_document::text as doc from opportunities where external_id = 'IX-4' and organization_id = ${orgId}`,
      ),
    ).toEqual(before)
  })

  it('keeps rows without words out of the search index, which a text search still reads', async () => {
    // With the other indexes out of the way (rolled back after), the planner may use the search
    // index only if its predicate (published, with words) follows from the search's conditions.
    const plan = await t.platform.db
      .transaction(async (tx) => {
        await tx.execute(sql`drop index opportunities_city_status_idx`)
        await tx.execute(sql`set local enable_seqscan = off`)
        const explained = await rows<{ 'QUERY PLAN': string }>(
          tx as unknown as Db,
          sql`explain select id from opportunities o
              where o.city_id = ${city.id} and o.status = 'published'
                and o.search_document @@ websearch_to_tsquery('english', 'pottery')`,
        )
        throw Object.assign(new Error('rollback'), { explained })
      })
      .catch((error: { explained?: { 'QUERY PLAN': string }[] }) => error.explained ?? [])
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('opportunities_search_idx')
  })
})
