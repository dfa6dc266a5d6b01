import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import {
  expandSchedule,
  isValidTimeZone,
  type Schedule,
  utcToZoned,
  validateSchedule,
  zonedToUtc,
} from './index.ts'

const iso = (dates: { start: Date }[]) => dates.map((o) => o.start.toISOString())
const window = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) })

describe('zonedToUtc and utcToZoned', () => {
  const cases: [string, string, string][] = [
    ['America/Chicago', '2026-01-15T09:00', '2026-01-15T15:00:00.000Z'],
    ['America/Chicago', '2026-07-01T10:00', '2026-07-01T15:00:00.000Z'],
    ['Europe/Paris', '2026-01-15T09:00', '2026-01-15T08:00:00.000Z'],
    ['Europe/Paris', '2026-07-01T10:00', '2026-07-01T08:00:00.000Z'],
    ['Asia/Shanghai', '2026-07-01T10:00', '2026-07-01T02:00:00.000Z'],
    // Egypt brought DST back in 2023: UTC+2 in winter, UTC+3 in summer.
    ['Africa/Cairo', '2026-01-15T09:00', '2026-01-15T07:00:00.000Z'],
    ['Africa/Cairo', '2026-07-01T10:00', '2026-07-01T07:00:00.000Z'],
    ['Asia/Riyadh', '2026-07-01T10:00', '2026-07-01T07:00:00.000Z'],
  ]

  it.each(cases)('converts %s %s and back', (zone, local, utc) => {
    const instant = zonedToUtc(local, zone)
    expect(instant.toISOString()).toBe(utc)
    expect(utcToZoned(instant, zone)).toBe(`${local}:00`)
  })

  it('moves a spring-forward gap time forward by the gap (02:30 becomes 03:30)', () => {
    const chicago = zonedToUtc('2026-03-08T02:30', 'America/Chicago')
    expect(chicago.toISOString()).toBe('2026-03-08T08:30:00.000Z')
    expect(utcToZoned(chicago, 'America/Chicago')).toBe('2026-03-08T03:30:00')
    expect(zonedToUtc('2026-03-29T02:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z')
  })

  it('takes the first of two fall-back occurrences, east and west of UTC', () => {
    const chicago = zonedToUtc('2026-11-01T01:30', 'America/Chicago')
    expect(chicago.toISOString()).toBe('2026-11-01T06:30:00.000Z')
    // The hour later shows the same wall clock: the overlap is real, and the earlier instant was chosen.
    expect(utcToZoned(new Date('2026-11-01T07:30:00Z'), 'America/Chicago')).toBe('2026-11-01T01:30:00')
    expect(zonedToUtc('2026-10-25T02:30', 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z')
  })

  it('keeps seconds and rejects impossible input', () => {
    expect(zonedToUtc('2026-07-01T10:00:30', 'Asia/Riyadh').toISOString()).toBe('2026-07-01T07:00:30.000Z')
    expect(() => zonedToUtc('2026-02-30T10:00', 'UTC')).toThrow(RangeError)
    expect(() => zonedToUtc('2026-07-01 10:00', 'UTC')).toThrow(RangeError)
    expect(() => zonedToUtc('2026-07-01T10:00', 'Mars/Olympus')).toThrow(RangeError)
  })

  it('knows IANA zones and rejects the rest', () => {
    expect(isValidTimeZone('America/Chicago')).toBe(true)
    expect(isValidTimeZone('UTC')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
    expect(isValidTimeZone('')).toBe(false)
    expect(isValidTimeZone('+05:00')).toBe(false)
  })
})

describe('offsets remembered per hour', () => {
  // Zones with 30-minute DST (Lord Howe), a 45-minute offset (Kathmandu), an offset in seconds
  // (Amsterdam before 1937) and the ordinary kind, each compared with what Intl shows directly.
  const zones = ['America/Chicago', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Europe/Amsterdam']
  const formats = new Map<string, Intl.DateTimeFormat>()
  const formatFor = (timeZone: string) =>
    formats.get(timeZone) ??
    formats
      .set(
        timeZone,
        new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
      )
      .get(timeZone)!
  const direct = (ms: number, timeZone: string) => {
    const parts = formatFor(timeZone).formatToParts(ms)
    const f = Object.fromEntries(parts.map((p) => [p.type, p.value]))
    return `${f.year}-${f.month}-${f.day}T${f.hour}:${f.minute}:${f.second}`
  }
  it.each(zones)('shows the same wall clock as Intl every 7 minutes through transitions in %s', (zone) => {
    const mismatches: string[] = []
    for (const year of [1936, 1937, 2026]) {
      const start = Date.UTC(year, 0, 1)
      for (let ms = start; ms < start + 366 * 86_400_000; ms += 7 * 60_000) {
        const expected = direct(ms, zone)
        if (utcToZoned(new Date(ms), zone) !== expected)
          mismatches.push(`${new Date(ms).toISOString()} ${expected}`)
      }
    }
    expect(mismatches).toEqual([])
  })
})

describe('expandSchedule', () => {
  const saturdays: Schedule = {
    kind: 'series',
    start: '2026-10-17T10:00',
    durationMinutes: 90,
    rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=5',
    timeZone: 'America/Chicago',
  }
  const autumn = window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')

  it('gives the same sessions whichever windows the same open-ended rule was expanded for before', () => {
    const weekly: Schedule = {
      kind: 'series',
      start: '2026-01-03T10:00',
      durationMinutes: 60,
      rrule: 'FREQ=WEEKLY;BYDAY=SA',
      timeZone: 'America/Chicago',
    }
    const count = (from: string, to: string) => expandSchedule(weekly, window(from, to)).length
    expect(count('2027-01-01T00:00:00Z', '2027-03-01T00:00:00Z')).toBe(9)
    // An earlier window than the one remembered, then a later end: both computed afresh.
    expect(count('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).toBe(5)
    expect(count('2027-01-01T00:00:00Z', '2027-06-01T00:00:00Z')).toBe(22)
    expect(count('2027-02-01T00:00:00Z', '2027-03-01T00:00:00Z')).toBe(4)
    expect(expandSchedule(weekly, window('2027-02-01T00:00:00Z', '2027-02-07T00:00:00Z'))[0]?.local).toBe(
      '2027-02-06T10:00',
    )
  })

  it('keeps a weekly class at 10:00 local across the November DST change', () => {
    const sessions = expandSchedule(saturdays, autumn)
    expect(iso(sessions)).toEqual([
      '2026-10-17T15:00:00.000Z',
      '2026-10-24T15:00:00.000Z',
      '2026-10-31T15:00:00.000Z',
      '2026-11-07T16:00:00.000Z',
      '2026-11-14T16:00:00.000Z',
    ])
    expect(sessions.every((o) => o.local.endsWith('T10:00'))).toBe(true)
    expect(sessions[3]?.end.toISOString()).toBe('2026-11-07T17:30:00.000Z')
  })

  it('counts COUNT before removing an EXDATE, by date-time or whole local day', () => {
    for (const exdate of ['2026-10-31T10:00', '2026-10-31']) {
      const sessions = expandSchedule({ ...saturdays, exdates: [exdate] }, autumn)
      // Four sessions, not five: the cancelled one still used up one of the COUNT.
      expect(sessions.map((o) => o.local)).toEqual([
        '2026-10-17T10:00',
        '2026-10-24T10:00',
        '2026-11-07T10:00',
        '2026-11-14T10:00',
      ])
    }
  })

  it('adds an RDATE in order, once, even if the rule already has it', () => {
    const sessions = expandSchedule(
      { ...saturdays, rdates: ['2026-10-28T18:00', '2026-10-24T10:00'] },
      autumn,
    )
    expect(sessions.map((o) => o.local)).toEqual([
      '2026-10-17T10:00',
      '2026-10-24T10:00',
      '2026-10-28T18:00',
      '2026-10-31T10:00',
      '2026-11-07T10:00',
      '2026-11-14T10:00',
    ])
    expect(sessions[2]?.start.toISOString()).toBe('2026-10-28T23:00:00.000Z')
  })

  it('returns only starts within [from, to)', () => {
    const sessions = expandSchedule(saturdays, window('2026-10-24T15:00:00Z', '2026-11-07T16:00:00Z'))
    expect(iso(sessions)).toEqual(['2026-10-24T15:00:00.000Z', '2026-10-31T15:00:00.000Z'])
  })

  it('ends a rule at a UTC or DATE UNTIL, inclusive', () => {
    for (const until of ['20261107T160000Z', '20261107']) {
      const rule = `FREQ=WEEKLY;BYDAY=SA;UNTIL=${until}`
      const sessions = expandSchedule({ ...saturdays, rrule: rule }, autumn)
      expect(sessions.at(-1)?.local).toBe('2026-11-07T10:00')
      expect(sessions).toHaveLength(4)
    }
  })

  it('places a session that falls in a DST gap at the real instant, keeping its nominal name', () => {
    const early: Schedule = { ...saturdays, start: '2026-03-07T02:30', rrule: 'FREQ=DAILY;COUNT=3' }
    const sessions = expandSchedule(early, window('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'))
    expect(iso(sessions)).toEqual([
      '2026-03-07T08:30:00.000Z',
      '2026-03-08T08:30:00.000Z',
      '2026-03-09T07:30:00.000Z',
    ])
    expect(sessions[1]?.local).toBe('2026-03-08T02:30')
  })

  it('materialises a single session, a series of rdates only, and nothing for self-paced', () => {
    const once: Schedule = {
      kind: 'once',
      start: '2026-05-02T09:00',
      durationMinutes: 60,
      timeZone: 'Europe/Paris',
    }
    expect(iso(expandSchedule(once, autumn))).toEqual(['2026-05-02T07:00:00.000Z'])
    expect(expandSchedule(once, window('2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z'))).toEqual([])
    const listed: Schedule = { ...once, kind: 'series', rdates: ['2026-05-09T09:00'] }
    expect(expandSchedule(listed, autumn).map((o) => o.local)).toEqual([
      '2026-05-02T09:00',
      '2026-05-09T09:00',
    ])
    expect(expandSchedule({ kind: 'self-paced', timeZone: 'Europe/Paris' }, autumn)).toEqual([])
  })

  it('stops an unbounded rule at the limit, even over a ten-year window', () => {
    const daily: Schedule = { ...saturdays, rrule: 'FREQ=DAILY' }
    const decade = window('2026-01-01T00:00:00Z', '2036-01-01T00:00:00Z')
    const sessions = expandSchedule(daily, decade)
    expect(sessions).toHaveLength(1000)
    expect(sessions[0]?.local).toBe('2026-10-17T10:00')
    expect(sessions.at(-1)?.local).toBe('2029-07-12T10:00')
    expect(expandSchedule(daily, decade, 3).map((o) => o.local)).toEqual([
      '2026-10-17T10:00',
      '2026-10-18T10:00',
      '2026-10-19T10:00',
    ])
  })

  it('yields nothing for a rule no date satisfies', () => {
    // ical.js alone turns "30 February" into 2 March.
    const never: Schedule = {
      ...saturdays,
      start: '2026-01-01T10:00',
      rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
    }
    expect(expandSchedule(never, window('2026-01-01T00:00:00Z', '2036-01-01T00:00:00Z'))).toEqual([])
  })

  it('refuses to expand an invalid schedule', () => {
    expect(() => expandSchedule({ ...saturdays, rrule: 'FREQ=HOURLY' }, autumn)).toThrow(/rrule: FREQ=HOURLY/)
  })

  it('reproduces the OpenActive samples: 49 Thursdays, 48 once 23 July is cancelled by local date', () => {
    // sessionseries-with-schedule-exdates.json: its exceptDate 2020-07-23T11:00Z names no session
    // (11:00 BST is 10:00Z), so only a whole-day exdate cancels it.
    const thursdays: Schedule = {
      kind: 'series',
      start: '2020-01-02T11:00',
      durationMinutes: 180,
      rrule: 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20201204',
      timeZone: 'Europe/London',
    }
    const year = window('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z')
    const all = expandSchedule(thursdays, year)
    expect(all).toHaveLength(49)
    expect(all.at(-1)?.local).toBe('2020-12-03T11:00')
    expect(all.find((o) => o.local === '2020-07-23T11:00')?.start.toISOString()).toBe(
      '2020-07-23T10:00:00.000Z',
    )
    expect(expandSchedule({ ...thursdays, exdates: ['2020-07-23'] }, year)).toHaveLength(48)
  })
})

describe('validateSchedule', () => {
  const good: Schedule = {
    kind: 'series',
    start: '2026-10-17T10:00',
    durationMinutes: 90,
    rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=10',
    timeZone: 'America/Chicago',
  }
  const problems = (s: Partial<Schedule>) => validateSchedule({ ...good, ...s })

  it('accepts good schedules of each kind', () => {
    expect(validateSchedule(good)).toEqual([])
    expect(problems({ kind: 'once', rrule: undefined })).toEqual([])
    expect(validateSchedule({ kind: 'self-paced', timeZone: 'UTC' })).toEqual([])
    expect(
      problems({ rrule: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20261231T235959Z', exdates: ['2026-10-24'] }),
    ).toEqual([])
  })

  it.each<[string, Partial<Schedule>, string, RegExp]>([
    ['missing start', { start: undefined }, 'start', /required/],
    ['impossible start', { start: '2026-02-30T10:00' }, 'start', /not a local date-time/],
    ['start with a zone', { start: '2026-10-17T10:00Z' }, 'start', /not a local date-time/],
    ['zero duration', { durationMinutes: 0 }, 'durationMinutes', /1 to 1440/],
    ['fractional duration', { durationMinutes: 1.5 }, 'durationMinutes', /1 to 1440/],
    ['duration over a day', { durationMinutes: 1441 }, 'durationMinutes', /1 to 1440/],
    ['missing duration', { durationMinutes: undefined }, 'durationMinutes', /required/],
    ['unknown zone', { timeZone: 'Mars/Olympus' }, 'timeZone', /unknown time zone/],
    ['hourly rule', { rrule: 'FREQ=HOURLY' }, 'rrule', /FREQ=HOURLY is not supported/],
    ['minutely rule', { rrule: 'FREQ=MINUTELY;COUNT=5' }, 'rrule', /FREQ=MINUTELY is not supported/],
    ['secondly rule', { rrule: 'FREQ=SECONDLY' }, 'rrule', /FREQ=SECONDLY is not supported/],
    ['unknown frequency', { rrule: 'FREQ=FORTNIGHTLY' }, 'rrule', /FORTNIGHTLY is not supported/],
    ['rule without FREQ', { rrule: 'BYDAY=SA' }, 'rrule', /FREQ is required/],
    ['RRULE: prefix', { rrule: 'RRULE:FREQ=DAILY' }, 'rrule', /without the 'RRULE:' prefix/],
    ['unknown part', { rrule: 'FREQ=DAILY;FOO=1' }, 'rrule', /unknown rule part FOO/],
    ['COUNT=0', { rrule: 'FREQ=DAILY;COUNT=0' }, 'rrule', /COUNT must be a positive integer/],
    ['INTERVAL=0', { rrule: 'FREQ=DAILY;INTERVAL=0' }, 'rrule', /INTERVAL must be a positive integer/],
    ['COUNT and UNTIL', { rrule: 'FREQ=DAILY;COUNT=3;UNTIL=20261231' }, 'rrule', /cannot both/],
    ['bad weekday', { rrule: 'FREQ=WEEKLY;BYDAY=XX' }, 'rrule', /invalid RRULE: .*BYDAY/],
    ['bad part combination', { rrule: 'FREQ=MONTHLY;BYWEEKNO=3' }, 'rrule', /invalid RRULE: .*BYWEEKNO/],
    [
      'UNTIL before start',
      { rrule: 'FREQ=DAILY;UNTIL=20261001T000000Z' },
      'rrule',
      /UNTIL .* is before start/,
    ],
    ['no rule nor rdate', { rrule: undefined }, 'rrule', /needs an rrule or at least one rdate/],
    ['malformed rdate', { rdates: ['2026-10-20'] }, 'rdates[0]', /not a local date-time/],
    [
      'malformed exdate',
      { exdates: ['2026-10-24', '24/10/2026'] },
      'exdates[1]',
      /neither a local date-time/,
    ],
    ['rule on a one-off', { kind: 'once' }, 'rrule', /only a series/],
  ])('reports %s', (_name, change, field, message) => {
    const found = problems(change)
    expect(found).toHaveLength(1)
    expect(found[0]?.field).toBe(field)
    expect(found[0]?.message).toMatch(message)
  })
})

describe('RFC 5545 conformance samples (ical.js samples/)', () => {
  const fixtures = new URL('./fixtures/', import.meta.url)
  const shared = new URL('../../../../shared/conformance/opportunities/ical/', import.meta.url)
  const hashes: Record<string, string> = {
    'daily_recur.ics': 'f701b2df8523e43f1d63ffaa851d858f90075273b341ba1bb02dfc68ecdde97a',
    'rdate_exdate.ics': '6023456cfac1ac598bb3501f7ff45c5d126e44bf22700f8aff290bd463a16bff',
    'recur_instances.ics': '47c2fad6ee4677f4f37d05ab55d2768d43e48c939e9b4ff5b082f2db77371aa6',
  }

  it.each(Object.entries(hashes))('%s is the unedited sample', (name, sha256) => {
    const bytes = readFileSync(new URL(name, fixtures))
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256)
    if (existsSync(new URL(name, shared)))
      expect(bytes.equals(readFileSync(new URL(name, shared)))).toBe(true)
  })

  /** The master VEVENT of a sample as a Schedule: RRULE and EXDATEs only (RDATEs and overrides left out). */
  function masterSchedule(name: string): Schedule {
    const calendar = new ICAL.Component(ICAL.parse(readFileSync(new URL(name, fixtures), 'utf8')))
    const event = calendar.getAllSubcomponents('vevent').find((e) => !e.hasProperty('recurrence-id'))!
    const dtstart = event.getFirstProperty('dtstart')!
    const start = String(dtstart.getFirstValue())
    // A UTC DTSTART ends in 'Z'; anything else here carries a TZID.
    const timeZone = start.endsWith('Z') ? 'UTC' : String(dtstart.getParameter('tzid'))
    const dtend = event.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time> | null
    const duration = dtend?.subtractDate(dtstart.getFirstValue() as InstanceType<typeof ICAL.Time>)
    const exdates = event.getAllProperties('exdate').flatMap((p) => {
      const tzid = p.getParameter('tzid')
      if (tzid) expect(tzid).toBe(timeZone)
      return p.getValues().map((v) => String(v).replace(/Z$/, ''))
    })
    return {
      kind: 'series',
      start: start.replace(/Z$/, ''),
      durationMinutes: duration ? duration.toSeconds() / 60 : 60,
      rrule: String(event.getFirstPropertyValue('rrule')),
      exdates,
      timeZone,
    }
  }

  it('rdate_exdate.ics: a DATE exdate removes that day, after COUNT has counted it', () => {
    const schedule = masterSchedule('rdate_exdate.ics')
    expect(schedule.exdates).toEqual(['2024-06-11'])
    const sessions = expandSchedule(schedule, window('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'))
    expect(iso(sessions)).toEqual([
      '2024-06-09T03:00:00.000Z',
      '2024-06-10T03:00:00.000Z',
      '2024-06-12T03:00:00.000Z',
    ])
  })

  it('daily_recur.ics: an unbounded daily rule is window-bounded and follows the DST change', () => {
    const schedule = masterSchedule('daily_recur.ics')
    expect(schedule).toMatchObject({
      rrule: 'FREQ=DAILY',
      timeZone: 'America/Los_Angeles',
      durationMinutes: 60,
    })
    const sessions = expandSchedule(schedule, window('2012-11-02T00:00:00Z', '2012-11-08T00:00:00Z'))
    expect(iso(sessions)).toEqual([
      '2012-11-02T12:00:00.000Z',
      '2012-11-03T12:00:00.000Z',
      '2012-11-04T13:00:00.000Z',
      '2012-11-05T13:00:00.000Z',
      '2012-11-06T13:00:00.000Z',
      '2012-11-07T13:00:00.000Z',
    ])
  })

  it('recur_instances.ics: first Tuesdays minus the three EXDATEs', () => {
    const schedule = masterSchedule('recur_instances.ics')
    expect(schedule.exdates).toHaveLength(3)
    const sessions = expandSchedule(schedule, window('2012-01-01T00:00:00Z', '2013-06-01T00:00:00Z'))
    expect(iso(sessions)).toEqual([
      '2012-10-02T17:00:00.000Z',
      '2012-11-06T18:00:00.000Z',
      '2013-01-01T18:00:00.000Z',
      '2013-03-05T18:00:00.000Z',
      '2013-05-07T17:00:00.000Z',
    ])
    expect(sessions[0]?.end.toISOString()).toBe('2012-10-02T17:30:00.000Z')
  })
})
