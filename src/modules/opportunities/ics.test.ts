import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { contentLineProblems, readCalendar } from '../../../test/calendar-reader.ts'
import { expandSchedule } from '../../platform/time/index.ts'
import { opportunityCalendar } from './ics.ts'
import type { ScheduleInput } from './model.ts'
import type { OpportunityRow, SessionRow } from './repository.ts'

const TZ = 'America/Chicago'
const HOST = 'learn.example.org'
const URL_7 = 'https://learn.example.org/en/chicago/opportunities/7'
const FAR = new Date('2031-01-01T00:00:00Z')

function row(overrides: Partial<OpportunityRow> = {}): OpportunityRow {
  return {
    id: 7,
    cityId: 1,
    organizationId: 3,
    externalId: null,
    status: 'published',
    title: { en: 'Robotics for beginners', es: 'Robótica para principiantes' },
    description: { en: 'Build and program a small robot.' },
    outcomes: { en: '' },
    buildingBlock: 'learning-technologies',
    topics: [],
    ageMin: 9,
    ageMax: 14,
    groups: [],
    languages: ['en'],
    format: 'in-person',
    venueId: null,
    address: '1230 W Greenleaf Ave, Chicago, IL',
    lat: 42.0106,
    lon: -87.6627,
    districtId: null,
    joinUrl: null,
    // Saturdays at 10:00 across the fall-back of 2027-11-07: 15:00Z, then 16:00Z.
    schedule: {
      kind: 'series',
      start: '2027-10-02T10:00',
      durationMinutes: 90,
      rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=8',
      rdates: [],
      exdates: [],
    },
    free: true,
    price: null,
    currency: 'USD',
    concessions: '',
    financialHelp: false,
    accessibility: [],
    accessibilityNote: '',
    capacity: 12,
    imageUrl: '/static/images/robotics.jpg',
    imageAlt: { en: '' },
    contactEmail: null,
    contactPhone: null,
    isDemo: false,
    publishedAt: new Date('2026-09-01T00:00:00Z'),
    updatedAt: new Date('2026-09-01T12:00:00Z'),
    ...overrides,
  }
}

/** The sessions the platform stores for a schedule: its own expansion, as the app materialises it. */
function stored(schedule: ScheduleInput, to = new Date('2028-06-01T00:00:00Z'), firstId = 100): SessionRow[] {
  const window = { from: new Date('2020-01-01T00:00:00Z'), to }
  return expandSchedule({ ...schedule, timeZone: TZ }, window, 10_000).map((o, i) => ({
    id: firstId + i,
    startsAt: o.start,
    endsAt: o.end,
    localStart: o.local,
    cancelled: false,
  }))
}

function calendar(
  items: { row: OpportunityRow; sessions: SessionRow[]; revision?: number }[],
  name = 'Chicago learning',
) {
  return opportunityCalendar({
    opportunities: items.map((i) => ({ revision: 1, ...i, url: URL_7 })),
    calendarName: name,
    lang: 'en',
    fallbackLanguages: [],
    timeZone: TZ,
    host: HOST,
  })
}

/** What the stored sessions look like to a calendar program. */
const asRead = (sessions: SessionRow[]) =>
  sessions.map((s) => ({
    start: s.startsAt.toISOString(),
    end: s.endsAt.toISOString(),
    cancelled: s.cancelled,
  }))
const read = (ics: string, until = FAR) =>
  readCalendar(ics, until).map(({ start, end, cancelled }) => ({ start, end, cancelled }))

const vevents = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent')

describe('opportunityCalendar', () => {
  it('writes a weekly class as one RRULE event in the city zone, expanding to its sessions across DST', () => {
    const r = row()
    const sessions = stored(r.schedule)
    const ics = calendar([{ row: r, sessions }])
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:America/Chicago')
    expect(ics).toContain('DTSTART;TZID=America/Chicago:20271002T100000')
    expect(ics).toContain('DTEND;TZID=America/Chicago:20271002T113000')
    expect(vevents(ics)).toHaveLength(1)
    expect(String(vevents(ics)[0]!.getFirstPropertyValue('rrule'))).toBe('FREQ=WEEKLY;COUNT=8;BYDAY=SA')
    const occurrences = read(ics)
    expect(occurrences).toEqual(asRead(sessions))
    // 10:00 CDT before the change, 10:00 CST after it.
    expect(occurrences.map((o) => o.start).slice(4, 7)).toEqual([
      '2027-10-30T15:00:00.000Z',
      '2027-11-06T15:00:00.000Z',
      '2027-11-13T16:00:00.000Z',
    ])
    expect(contentLineProblems(ics)).toEqual([])
  })

  it('writes excluded dates (exact times and whole days) as EXDATE, counted as RFC 5545 counts them', () => {
    const r = row({
      schedule: { ...row().schedule, exdates: ['2027-10-16T10:00', '2027-11-13'] } as ScheduleInput,
    })
    const sessions = stored(r.schedule)
    expect(sessions).toHaveLength(6)
    const ics = calendar([{ row: r, sessions }])
    expect(ics).toContain('EXDATE;TZID=America/Chicago:20271016T100000,20271113T100000')
    expect(read(ics)).toEqual(asRead(sessions))
  })

  it('keeps a session in the spring-forward gap at the instant the platform stores', () => {
    // 02:30 does not exist on 2027-03-14 in Chicago: the platform holds it at 03:30 CDT.
    const schedule: ScheduleInput = {
      kind: 'series',
      start: '2027-03-12T02:30',
      durationMinutes: 60,
      rrule: 'FREQ=DAILY;COUNT=4',
      rdates: [],
      exdates: [],
    }
    const sessions = stored(schedule)
    const ics = calendar([{ row: row({ schedule }), sessions }])
    expect(read(ics)).toEqual(asRead(sessions))
    expect(sessions[2]!.startsAt.toISOString()).toBe('2027-03-14T08:30:00.000Z')
  })

  it('marks a cancelled session CANCELLED in an override of the series, the others CONFIRMED', () => {
    const r = row()
    const sessions = stored(r.schedule)
    sessions[5]!.cancelled = true
    const ics = calendar([{ row: r, sessions }])
    const events = vevents(ics)
    expect(events).toHaveLength(2)
    const override = events[1]!
    expect(override.getFirstPropertyValue('uid')).toBe(`opportunity-7@${HOST}`)
    expect(override.getFirstPropertyValue('status')).toBe('CANCELLED')
    expect(ics).toContain('RECURRENCE-ID;TZID=America/Chicago:20271106T100000')
    expect(read(ics)).toEqual(asRead(sessions))
    expect(read(ics).filter((o) => o.cancelled)).toHaveLength(1)
  })

  it('leaves an open-ended class open while published, and ends it at its last session once cancelled', () => {
    const schedule = { ...row().schedule, rrule: 'FREQ=WEEKLY;BYDAY=SA' } as ScheduleInput
    const sessions = stored(schedule, new Date('2028-01-01T00:00:00Z'))
    const open = calendar([{ row: row({ schedule }), sessions }])
    expect(open).toContain('RRULE:FREQ=WEEKLY;BYDAY=SA\r\n')
    expect(read(open, new Date('2028-01-01T00:00:00Z'))).toEqual(asRead(sessions))
    expect(read(open, new Date('2028-03-01T00:00:00Z')).length).toBeGreaterThan(sessions.length)

    const cancelled = sessions.map((s) =>
      s.startsAt > new Date('2027-11-01T00:00:00Z') ? { ...s, cancelled: true } : s,
    )
    const closed = calendar([{ row: row({ schedule, status: 'cancelled' }), sessions: cancelled }])
    expect(closed).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=SA;UNTIL=\d{8}T\d{6}Z/)
    expect(read(closed)).toEqual(asRead(cancelled))
  })

  it('writes a local or date UNTIL in UTC, as RFC 5545 requires beside a TZID start', () => {
    const schedule = { ...row().schedule, rrule: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20271120' } as ScheduleInput
    const sessions = stored(schedule)
    const ics = calendar([{ row: row({ schedule }), sessions }])
    expect(ics).toContain('UNTIL=20271121T055959Z')
    expect(read(ics)).toEqual(asRead(sessions))
    expect(sessions.at(-1)!.localStart).toBe('2027-11-20T10:00')
  })

  it('adds extra dates as RDATE and keeps sessions of an earlier schedule as events of their own', () => {
    const schedule = { ...row().schedule, rdates: ['2027-10-06T18:00'] } as ScheduleInput
    const old: SessionRow = {
      id: 99,
      startsAt: new Date('2027-09-25T15:00:00Z'),
      endsAt: new Date('2027-09-25T16:30:00Z'),
      localStart: '2027-09-25T10:00',
      cancelled: false,
    }
    const sessions = [old, ...stored(schedule)]
    const ics = calendar([{ row: row({ schedule }), sessions }])
    expect(ics).toContain('RDATE;TZID=America/Chicago:20271006T180000')
    expect(vevents(ics).map((e) => e.getFirstPropertyValue('uid'))).toEqual([
      `opportunity-7@${HOST}`,
      `session-99@${HOST}`,
    ])
    expect(read(ics)).toEqual(asRead(sessions))
  })

  it('writes sessions one by one when the rule is too long to check up to the last of them', () => {
    // Daily for 15 years: more occurrences than the fitting looks at.
    const schedule = { ...row().schedule, start: '2020-01-01T10:00', rrule: 'FREQ=DAILY' } as ScheduleInput
    const sessions = stored(schedule, new Date('2035-01-01T00:00:00Z'))
    expect(sessions.length).toBeGreaterThan(5000)
    const ics = calendar([{ row: row({ schedule }), sessions }])
    expect(vevents(ics).some((e) => e.hasProperty('rrule'))).toBe(false)
    expect(read(ics, new Date('2036-01-01T00:00:00Z'))).toEqual(asRead(sessions))
  })

  it('writes a one-off event without a rule', () => {
    const schedule: ScheduleInput = { kind: 'once', start: '2027-12-04T14:00', durationMinutes: 120 }
    const sessions = stored(schedule)
    const ics = calendar([{ row: row({ schedule }), sessions }])
    expect(vevents(ics).map((e) => e.hasProperty('rrule'))).toEqual([false])
    expect(read(ics)).toEqual(asRead(sessions))
  })

  it('keeps UIDs when the opportunity changes and raises SEQUENCE with every change', () => {
    const r = row()
    const sessions = stored(r.schedule)
    sessions[1]!.cancelled = true
    const first = calendar([{ row: r, sessions }])
    const later = calendar([{ row: row({ title: { en: 'Renamed' } }), sessions, revision: 2 }])
    const uids = (ics: string) => vevents(ics).map((e) => e.getFirstPropertyValue('uid'))
    const sequences = (ics: string) => vevents(ics).map((e) => Number(e.getFirstPropertyValue('sequence')))
    expect(uids(later)).toEqual(uids(first))
    for (const [i, s] of sequences(later).entries()) expect(s).toBeGreaterThan(sequences(first)[i]!)
  })

  it('round-trips text with commas, semicolons, backslashes and newlines, the calendar name too', () => {
    const title = 'Clay, glaze; fire\\kiln\nDay 2, part; two'
    const r = row({ title: { en: title } })
    const ics = calendar([{ row: r, sessions: stored(r.schedule) }], title)
    const parsed = new ICAL.Component(ICAL.parse(ics))
    expect(new ICAL.Event(parsed.getFirstSubcomponent('vevent')!).summary).toBe(title)
    expect(parsed.getFirstPropertyValue('x-wr-calname')).toBe(title)
    expect(parsed.getFirstPropertyValue('name')).toBe(title)
    expect(contentLineProblems(ics)).toEqual([])
  })

  it('folds long lines of any script within 75 octets', () => {
    const r = row({ title: { en: 'مرحبا بالجميع في ورشة الروبوتات '.repeat(6) } })
    const ics = calendar([{ row: r, sessions: stored(r.schedule) }])
    expect(contentLineProblems(ics)).toEqual([])
    expect(readCalendar(ics, FAR)[0]!.summary).toBe(r.title.en)
  })

  it('gives online events an Online location with the join link and no GEO', () => {
    const r = row({ format: 'online', address: null, joinUrl: 'https://meet.example.org/robots' })
    const event = new ICAL.Event(vevents(calendar([{ row: r, sessions: stored(r.schedule) }]))[0]!)
    expect(event.location).toBe('Online: https://meet.example.org/robots')
    expect(event.component.getFirstPropertyValue('geo')).toBeNull()
  })

  it('gives in-person events their address and coordinates; self-paced ones no event', () => {
    const selfPaced = row({ id: 8, schedule: { kind: 'self-paced' } })
    const r = row()
    const events = vevents(
      calendar([
        { row: selfPaced, sessions: [] },
        { row: r, sessions: stored(r.schedule) },
      ]),
    )
    expect(events).toHaveLength(1)
    expect(events[0]!.getFirstPropertyValue('location')).toBe('1230 W Greenleaf Ave, Chicago, IL')
    expect(events[0]!.getFirstPropertyValue('geo')).toEqual([42.0106, -87.6627])
  })
})
