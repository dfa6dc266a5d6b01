import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, freshDatabase } from '../../../test/platform.ts'
import { type Database, rows, sql } from '../db/index.ts'
import {
  parseSearch,
  type SearchClause,
  searchDocument,
  searchText,
  searchWithFallback,
  textSearch,
} from './index.ts'

const DOCS: { name: string; title: Record<string, string>; body: Record<string, string> }[] = [
  {
    name: 'learning',
    title: { en: 'Building learning cities' },
    body: { en: 'Guidelines for lifelong learning.' },
  },
  { name: 'libraries', title: { en: 'Public libraries' }, body: { en: 'Learning in every library branch.' } },
  {
    name: 'french',
    title: { fr: 'Villes apprenantes' },
    body: { fr: "L'apprentissage tout au long de la vie." },
  },
  {
    name: 'spanish',
    title: { es: 'Ciudades del aprendizaje' },
    body: { es: 'Aprender en familias y comunidades.' },
  },
  {
    name: 'russian',
    title: { ru: 'Обучающиеся города' },
    body: { ru: 'Обучение на протяжении всей жизни.' },
  },
  { name: 'arabic', title: { ar: 'مدن التعلم' }, body: { ar: 'التعلم مدى الحياة للجميع' } },
  { name: 'chinese', title: { zh: '建设学习型城市指南' }, body: { zh: '终身学习与社区教育' } },
  { name: 'gardens', title: { en: 'Community gardens' }, body: { en: 'Growing food together.' } },
]

describe.each(engines)('platform search on %s', (engine) => {
  let database: Database

  beforeAll(async () => {
    database = await freshDatabase(engine)
    await database.db.execute(sql`create temporary table search_probe (
      name text primary key,
      title jsonb not null,
      body jsonb not null,
      doc tsvector generated always as (${searchDocument([
        { column: 'title', weight: 'A' },
        { column: 'body', weight: 'C' },
      ])}) stored,
      txt text generated always as (${searchText(['title', 'body'])}) stored
    )`)
    for (const d of DOCS) {
      await database.db.execute(
        sql`insert into search_probe (name, title, body) values (${d.name}, ${JSON.stringify(d.title)}::jsonb, ${JSON.stringify(d.body)}::jsonb)`,
      )
    }
  })
  afterAll(() => database.close())

  const find = async (typed: string) => {
    const query = parseSearch(typed)
    if (!query) throw new Error('empty query')
    const search = textSearch(sql.raw('doc'), sql.raw('txt'), query)
    return searchWithFallback(search, async (clause: SearchClause) => {
      const found = await rows<{ name: string }>(
        database.db,
        sql`select name from search_probe where ${clause.where} order by ${clause.rank} desc, name`,
      )
      return { names: found.map((r) => r.name), total: found.length }
    })
  }

  it('finds English words by their stem and ranks title matches first', async () => {
    const result = await find('learn')
    expect(result.mode).toBe('fts')
    expect(result.names).toEqual(['learning', 'libraries'])
  })

  it('stems French, Spanish and Russian text with their own configurations', async () => {
    expect((await find('apprenante')).names).toEqual(['french'])
    expect((await find('comunidad')).names).toEqual(['spanish'])
    expect((await find('города')).names).toEqual(['russian'])
  })

  it('understands web-search syntax: phrases, OR and exclusion', async () => {
    expect((await find('"public libraries"')).names).toEqual(['libraries'])
    expect((await find('gardens or libraries')).names.sort()).toEqual(['gardens', 'libraries'])
    expect((await find('learning -library')).names).toEqual(['learning'])
  })

  it('finds Arabic words as written', async () => {
    expect((await find('التعلم')).names).toEqual(['arabic'])
  })

  it('finds Chinese words inside unspaced text', async () => {
    const result = await find('学习城市')
    expect(result.mode).toBe('fts')
    expect(result.names).toEqual(['chinese'])
    expect((await find('社区')).names).toEqual(['chinese'])
  })

  it('falls back to trigram similarity for typos', async () => {
    const result = await find('lerning')
    expect(result.mode).toBe('fuzzy')
    expect(result.names[0]).toBe('learning')
    expect((await find('comunity gardns')).names[0]).toBe('gardens')
  })

  it('finds nothing for words that are nowhere, in either pass', async () => {
    const result = await find('xylophone')
    expect(result.total).toBe(0)
    expect(result.mode).toBe('fuzzy')
  })

  it('treats SQL and tsquery syntax in the query as plain text', async () => {
    expect((await find("'); drop table search_probe; --")).total).toBe(0)
    expect((await find('learning & | ! :*')).names).toContain('learning')
    const left = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from search_probe`)
    expect(left[0]?.n).toBe(DOCS.length)
  })
})
