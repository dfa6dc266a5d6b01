import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentLineProblems, readCalendar } from '../../../test/calendar-reader.ts'
import { testCatalogue } from '../../../test/catalogue.ts'
import { opportunityFactory } from '../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { findCityBySlug } from '../cities/index.ts'
import { type Actor, cancelSession, listSessions, updateOpportunity } from './index.ts'

const UNTIL = new Date('2030-01-01T00:00:00Z')

describe.each(engines)('iCalendar files on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let weekly: number
  let actor: Actor
  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'icstown')
    cityId = catalogue.city.id
    const org = await catalogue.provider('makers', 'community', 'Makers')
    // Saturdays 10:00 from 2 October 2027, across the fall-back of 7 November, one Saturday off.
    await catalogue.add('weekly', org, {
      title: { en: 'Weekly robots' },
      schedule: {
        kind: 'series',
        start: '2027-10-02T10:00',
        durationMinutes: 90,
        rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=8',
        exdates: ['2027-10-16T10:00'],
      },
    })
    weekly = catalogue.ids.weekly!
    actor = {
      userId: null,
      label: 'Editor',
      cityId,
      timeZone: 'America/Chicago',
      coordinator: false,
      organizations: [{ id: org, role: 'admin', trusted: true }],
    }
    const other = await testCatalogue(t, 'elsewhere')
    const otherOrg = await other.provider('makers', 'community', 'Other makers')
    await other.add('theirs', otherOrg, { title: { en: 'Not in icstown' } })
  })
  afterAll(() => t.close())

  const fetchCalendar = async (path: string) => {
    const res = await t.app.request(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/calendar')
    return res.text()
  }
  const sequence = (ics: string) =>
    Number(
      new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence'),
    )

  it('gives ical.js exactly the stored sessions, in the city zone, across the DST change', async () => {
    const ics = await fetchCalendar(`/en/icstown/opportunities/${weekly}/calendar.ics`)
    expect(ics).toContain('TZID:America/Chicago')
    expect(ics).toContain('RRULE:')
    expect(ics).toContain('EXDATE;TZID=America/Chicago:20271016T100000')
    expect(contentLineProblems(ics)).toEqual([])
    const stored = await listSessions(t.platform.db, cityId, weekly)
    const read = readCalendar(ics, UNTIL)
    expect(read.map((o) => [o.start, o.end, o.cancelled])).toEqual(
      stored.map((s) => [new Date(s.startsAt).toISOString(), new Date(s.endsAt).toISOString(), false]),
    )
    expect(read.map((o) => o.start)).toContain('2027-11-06T15:00:00.000Z')
    expect(read.map((o) => o.start)).toContain('2027-11-13T16:00:00.000Z')
  })

  it('raises SEQUENCE and marks the session CANCELLED when one session is cancelled', async () => {
    const path = `/en/icstown/opportunities/${weekly}/calendar.ics`
    const before = await fetchCalendar(path)
    const stored = await listSessions(t.platform.db, cityId, weekly)
    const cancelled = await cancelSession(t.platform, actor, weekly, stored[2]!.id)
    expect(cancelled.ok).toBe(true)
    const after = await fetchCalendar(path)
    expect(sequence(after)).toBeGreaterThan(sequence(before))
    const read = readCalendar(after, UNTIL)
    expect(read.filter((o) => o.cancelled).map((o) => o.start)).toEqual([
      new Date(stored[2]!.startsAt).toISOString(),
    ])
    expect(read).toHaveLength(stored.length)
  })

  it('raises SEQUENCE again when the schedule changes, keeping the UID', async () => {
    const path = `/en/icstown/opportunities/${weekly}/calendar.ics`
    const before = await fetchCalendar(path)
    const updated = await updateOpportunity(
      t.platform,
      actor,
      weekly,
      opportunityFactory({
        title: { en: 'Weekly robots' },
        schedule: {
          kind: 'series',
          start: '2027-10-02T11:00',
          durationMinutes: 60,
          rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=8',
        },
      }),
    )
    expect(updated.ok).toBe(true)
    const after = await fetchCalendar(path)
    const uid = (ics: string) =>
      new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!.getFirstPropertyValue('uid')
    expect(uid(after)).toBe(uid(before))
    expect(sequence(after)).toBeGreaterThan(sequence(before))
    const stored = await listSessions(t.platform.db, cityId, weekly)
    expect(readCalendar(after, UNTIL).map((o) => [o.start, o.end, o.cancelled])).toEqual(
      stored.map((s) => [new Date(s.startsAt).toISOString(), new Date(s.endsAt).toISOString(), s.cancelled]),
    )
  })

  it('carries the zone and only the city’s own sessions in the provider and search calendars', async () => {
    const city = await findCityBySlug(t.platform.db, 'icstown')
    expect(city?.timeZone).toBe('America/Chicago')
    for (const path of [
      '/en/icstown/providers/makers/calendar.ics',
      '/en/icstown/opportunities/calendar.ics',
    ]) {
      const ics = await fetchCalendar(path)
      expect(ics).toContain('BEGIN:VTIMEZONE')
      const read = readCalendar(ics, UNTIL)
      expect(read.length).toBeGreaterThan(0)
      expect(new Set(read.map((o) => o.summary))).toEqual(new Set(['Weekly robots']))
    }
  })
})
