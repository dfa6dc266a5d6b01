import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, freshDatabase } from '../../../test/platform.ts'
import { arrayOf, type Database, executeTogether, rows, sql } from './index.ts'

describe.each(engines)('arrayOf on %s', (engine) => {
  let database: Database
  beforeAll(async () => {
    database = await freshDatabase(engine)
  })
  afterAll(() => database.close())

  it('carries any text unchanged, however hostile, as one array parameter', async () => {
    const values = [
      '',
      'plain',
      'NULL',
      'with "double" quotes',
      'back\\slash\\',
      'comma, {braces}',
      "it's'); drop table jobs; --",
      ' spaced ',
      'عربي 中文 🧪',
      '\\"',
    ]
    const [row] = await rows<{ v: string[]; n: number }>(
      database.db,
      sql`select ${arrayOf(values, 'text')} as v, cardinality(${arrayOf(values, 'text')})::int as n`,
    )
    expect(row).toEqual({ v: values, n: values.length })
  })

  it('carries numbers and the empty array, and refuses what is not a number', async () => {
    const [row] = await rows<{ ints: string[]; floats: number[]; none: number }>(
      database.db,
      sql`select ${arrayOf([1, 42, 9_007_199_254_740_991], 'int8')} as ints,
                 ${arrayOf([0.5, -87.6627], 'float8')} as floats,
                 cardinality(${arrayOf([], 'text')})::int as none`,
    )
    expect(row).toEqual({ ints: ['1', '42', '9007199254740991'], floats: [0.5, -87.6627], none: 0 })
    expect(() => arrayOf([Number.NaN], 'float8')).toThrow(RangeError)
  })
})

describe.each(engines)('executeTogether on %s', (engine) => {
  let database: Database
  beforeAll(async () => {
    database = await freshDatabase(engine)
    await database.db.execute(sql`create table parents (id int primary key)`)
    await database.db.execute(
      sql`create table children (parent_id int not null references parents (id), n int)`,
    )
  })
  afterAll(() => database.close())

  it('runs every statement once, a row and the rows referring to it together', async () => {
    await executeTogether(database.db, [
      sql`insert into parents (id) values (1), (2)`,
      undefined,
      sql`insert into children (parent_id, n) values (1, 10), (2, 20), (2, 21)`,
    ])
    const counted = await rows<{ parents: number; children: number }>(
      database.db,
      sql`select (select count(*)::int from parents) as parents, (select count(*)::int from children) as children`,
    )
    expect(counted).toEqual([{ parents: 2, children: 3 }])
  })

  it('still refuses a row referring to nothing, and then writes none of them', async () => {
    const failure = await executeTogether(database.db, [
      sql`insert into parents (id) values (3)`,
      sql`insert into children (parent_id, n) values (99, 1)`,
    ]).catch((error: Error & { cause?: Error }) => error.cause?.message ?? error.message)
    expect(failure).toMatch(/foreign key/)
    expect(await rows(database.db, sql`select id from parents where id = 3`)).toEqual([])
  })
})
