import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readCalendar } from './ical.ts'

const ICAL = new URL('../../../../../shared/conformance/opportunities/ical/', import.meta.url)
const read = (name: string, from: string, to: string) =>
  readCalendar(
    readFileSync(new URL(name, ICAL), 'utf8'),
    { from: new Date(from), to: new Date(to) },
    'America/Chicago',
  )
const starts = (name: string, from: string, to: string) =>
  read(name, from, to).events.flatMap((e) =>
    e.occurrences.map((o) => o.start.toISOString().replace('.000', '')),
  )

describe('reading real calendars (samples from ical.js: Zimbra and Google exports)', () => {
  it('Zimbra: monthly rule, RDATEs in three forms, EXDATEs and two overrides give the first 8 sessions', () => {
    expect(starts('recur_instances.ics', '2000-01-01', '2013-06-01')).toEqual([
      '2012-10-02T22:00:00Z',
      '2012-11-06T18:00:00Z',
      '2012-11-07T04:00:00Z',
      '2012-11-10T18:00:00Z',
      '2012-11-30T18:00:00Z',
      '2013-01-01T18:00:00Z',
      '2013-03-05T18:00:00Z',
      '2013-05-07T17:00:00Z',
    ])
  })

  it('Zimbra: a PERIOD RDATE keeps its own end; 139 sessions start before March 2024', () => {
    const [event] = read('recur_instances.ics', '2023-10-01', '2024-03-01').events
    expect(
      event!.occurrences.map((o) => `${o.start.toISOString()}/${o.end.toISOString().slice(11, 16)}`),
    ).toEqual([
      '2023-10-03T17:00:00.000Z/17:30',
      '2023-11-07T18:00:00.000Z/18:30',
      '2023-11-23T09:00:00.000Z/09:30',
      '2023-11-25T09:00:00.000Z/12:30',
      '2023-12-05T18:00:00.000Z/18:30',
      '2024-01-02T18:00:00.000Z/18:30',
      '2024-02-06T18:00:00.000Z/18:30',
    ])
    expect(starts('recur_instances.ics', '2000-01-01', '2024-03-01')).toHaveLength(139)
    expect(event!.unbounded).toBe(true)
  })

  it('an EXDATE with a DATE value removes that day; COUNT counts before the exclusion', () => {
    expect(starts('rdate_exdate.ics', '2000-01-01', '2030-01-01')).toEqual([
      '2024-06-09T03:00:00Z',
      '2024-06-10T03:00:00Z',
      '2024-06-12T03:00:00Z',
    ])
  })

  it('Google: an unbounded daily rule is read only within the window, across the end of DST', () => {
    expect(starts('daily_recur.ics', '2012-11-02', '2012-11-08')).toEqual([
      '2012-11-02T12:00:00Z',
      '2012-11-03T12:00:00Z',
      '2012-11-04T13:00:00Z',
      '2012-11-05T13:00:00Z',
      '2012-11-06T13:00:00Z',
      '2012-11-07T13:00:00Z',
    ])
  })

  it('names events it cannot read and keeps the others', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'UID:good',
      'SUMMARY:Good',
      'DTSTART:20270101T100000Z',
      'DTEND:20270101T110000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:bad-zone',
      'SUMMARY:Bad zone',
      'DTSTART;TZID=Mars/Olympus:20270101T100000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'SUMMARY:No uid',
      'DTSTART:20270101T100000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n')
    const r = readCalendar(text, { from: new Date('2026-01-01'), to: new Date('2028-01-01') }, 'UTC')
    expect(r.events.map((e) => e.uid)).toEqual(['good'])
    expect(r.rejected).toEqual([
      { uid: '', title: 'No uid', reason: 'the event has no UID' },
      {
        uid: 'bad-zone',
        title: 'Bad zone',
        reason: 'unknown time zone "Mars/Olympus" and no VTIMEZONE for it',
      },
    ])
    expect(() => readCalendar('hello', { from: new Date(0), to: new Date() }, 'UTC')).toThrow()
  })
})
