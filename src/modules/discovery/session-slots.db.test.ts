import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filtersOf, testCatalogue } from '../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { sql } from '../../platform/db/index.ts'
import { zonedToUtc } from '../../platform/time/index.ts'
import { listMatches } from './matches.ts'

// Wednesday 29 September 2027, 09:00 in the city (Chicago, UTC-5 until 7 November).
const NOW = new Date('2027-09-29T14:00:00Z')

/**
 * The sessions' days and times in the search index (migration 0031): what a date, day or time
 * filter finds must be what the sessions say, however the sessions were written.
 */
describe.each(engines)('session slots in the search index on %s', (engine) => {
  let t: TestPlatform
  let catalogue: Awaited<ReturnType<typeof testCatalogue>>
  let city: { id: number; timeZone: string }

  const names = async (query: string) =>
    catalogue.names((await listMatches(t.platform.db, city, filtersOf(query), NOW)).matches)

  /** Writes a session by SQL, as a job, the CLI or a hand at the console would (local 'YYYY-MM-DDTHH:mm'). */
  const session = async (name: string, local: string) => {
    const starts = zonedToUtc(local, city.timeZone)
    await t.platform.db.execute(
      sql`insert into opportunity_sessions (city_id, opportunity_id, starts_at, ends_at, local_start)
          values (${city.id}, ${catalogue.ids[name]}, ${starts.toISOString()},
            ${new Date(starts.getTime() + 3600_000).toISOString()}, ${local})`,
    )
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    catalogue = await testCatalogue(t, 'slotville')
    city = catalogue.city
    const library = await catalogue.provider('slot-library', 'library')
    // One session each, either side of the times of day's bounds: Monday 11:59 (morning), Tuesday
    // 12:00 and Wednesday 16:59 (afternoon), Thursday 17:00 (evening), in the week of 4 October.
    const starts = { mo1159: '2027-10-04T11:59', tu1200: '2027-10-05T12:00', we1659: '2027-10-06T16:59' }
    for (const [name, start] of Object.entries({ ...starts, th1700: '2027-10-07T17:00' }))
      await catalogue.add(name, library, { schedule: { kind: 'once', start, durationMinutes: 60 } })
    // No schedule of its own: its sessions are written by SQL in the tests below.
    await catalogue.add('adhoc', library, { schedule: { kind: 'self-paced' } })
  })
  afterAll(() => t.close())

  it('puts each session in the time of day the filter means, minutes either side of its bounds', async () => {
    expect(await names('time=morning')).toEqual(['mo1159'])
    expect(await names('time=afternoon')).toEqual(['tu1200', 'we1659'])
    expect(await names('time=evening')).toEqual(['th1700'])
    expect(await names('time=morning,evening')).toEqual(['mo1159', 'th1700'])
    expect(await names('day=mo&time=morning')).toEqual(['mo1159'])
    expect(await names('day=mo&time=afternoon')).toEqual([])
    expect(await names('day=tu,th&time=afternoon')).toEqual(['tu1200'])
  })

  it('finds sessions on the dates of a span, with its days and times, short or long', async () => {
    expect(await names('from=2027-10-05&to=2027-10-06')).toEqual(['tu1200', 'we1659'])
    expect(await names('from=2027-10-05&to=2027-10-06&time=afternoon&day=we')).toEqual(['we1659'])
    // No date of the span is a Saturday: nothing, and no error.
    expect(await names('from=2027-10-04&to=2027-10-07&day=sa')).toEqual([])
    // Longer than the index looks up date by date (62 days): by weekday and time instead.
    expect(await names('from=2027-10-01&to=2028-03-31')).toEqual(['mo1159', 'tu1200', 'we1659', 'th1700'])
    expect(await names('from=2027-10-01&to=2028-03-31&day=th&time=evening')).toEqual(['th1700'])
    // The span starts now: a session earlier today is not offered, though its date is today's.
    const later = new Date('2027-10-04T18:00:00Z') // Monday 13:00, after the 11:59 session began
    const today = await listMatches(t.platform.db, city, filtersOf('when=today'), later)
    expect(catalogue.names(today.matches)).toEqual([])
  })

  it('follows sessions added, cancelled, restored, moved and deleted by SQL', async () => {
    const id = catalogue.ids.adhoc!
    expect(await names('day=sa')).toEqual([])
    await session('adhoc', '2027-10-09T10:00')
    expect(await names('day=sa')).toEqual(['adhoc'])
    expect(await names('when=this-weekend&time=morning')).toEqual([])
    expect(await names('from=2027-10-09&to=2027-10-09&time=morning')).toEqual(['adhoc'])

    await t.platform.db.execute(
      sql`update opportunity_sessions set cancelled = true where opportunity_id = ${id}`,
    )
    expect(await names('day=sa')).toEqual([])
    await t.platform.db.execute(
      sql`update opportunity_sessions set cancelled = false where opportunity_id = ${id}`,
    )
    expect(await names('day=sa')).toEqual(['adhoc'])

    // Moved to Sunday evening in one statement.
    const moved = zonedToUtc('2027-10-10T19:00', city.timeZone)
    await t.platform.db.execute(
      sql`update opportunity_sessions set starts_at = ${moved.toISOString()},
            ends_at = ${new Date(moved.getTime() + 3600_000).toISOString()}, local_start = '2027-10-10T19:00'
          where opportunity_id = ${id}`,
    )
    expect(await names('day=sa')).toEqual([])
    expect(await names('day=su&time=evening')).toEqual(['adhoc'])

    await t.platform.db.execute(sql`delete from opportunity_sessions where opportunity_id = ${id}`)
    expect(await names('day=su')).toEqual([])
    expect(await names('')).toContain('adhoc')
  })

  it('follows the sessions of a schedule the provider changes', async () => {
    expect(await names('day=mo')).toEqual(['mo1159'])
    // Monday's session becomes a Saturday series through the opportunities module.
    const schedule = {
      kind: 'series',
      start: '2027-10-09T09:30',
      durationMinutes: 60,
      rrule: 'FREQ=WEEKLY;COUNT=3',
    }
    await catalogue.change('mo1159', { schedule })
    expect(await names('day=mo')).toEqual([])
    expect(await names('day=sa&time=morning')).toEqual(['mo1159'])
    expect(await names('from=2027-10-23&to=2027-10-23')).toEqual(['mo1159'])
    expect(await names('from=2027-10-30&to=2027-10-30')).toEqual([])
  })
})
