import { describe, expect, it } from 'vitest'
import { dateWindow } from './date-window.ts'
import { parseFilters } from './filters.ts'

/** The date filters of a query that must parse. */
function filtersOf(query: string) {
  const parsed = parseFilters(new URLSearchParams(query))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.filters
}

const CHICAGO = 'America/Chicago'
const windowOf = (query: string, now: string, timeZone = CHICAGO) => {
  const span = dateWindow(filtersOf(query), new Date(now), timeZone)
  return span && { from: span.from.toISOString(), to: span.to.toISOString() }
}

describe('date filters on the city’s wall clock', () => {
  it('finds the coming weekend from a weekday, and what is left of it at the weekend', () => {
    // Wednesday 3 March 2027, noon in Chicago (UTC−6).
    expect(windowOf('when=this-weekend', '2027-03-03T18:00:00Z')).toEqual({
      from: '2027-03-06T06:00:00.000Z',
      to: '2027-03-08T06:00:00.000Z',
    })
    // Saturday afternoon: from now, not from the morning already gone.
    expect(windowOf('when=this-weekend', '2027-03-06T21:00:00Z')).toEqual({
      from: '2027-03-06T21:00:00.000Z',
      to: '2027-03-08T06:00:00.000Z',
    })
    // Sunday evening: what is left of Sunday.
    expect(windowOf('when=this-weekend', '2027-03-08T01:00:00Z')?.to).toBe('2027-03-08T06:00:00.000Z')
  })

  it('keeps the weekend Saturday to Sunday across the change to and from summer time', () => {
    // Clocks go forward on Sunday 14 March 2027: the weekend is 47 hours long.
    const spring = windowOf('when=this-weekend', '2027-03-10T18:00:00Z')!
    expect(spring).toEqual({ from: '2027-03-13T06:00:00.000Z', to: '2027-03-15T05:00:00.000Z' })
    // Clocks go back on Sunday 7 November 2027: 49 hours.
    const autumn = windowOf('when=this-weekend', '2027-11-03T17:00:00Z')!
    expect(autumn).toEqual({ from: '2027-11-06T05:00:00.000Z', to: '2027-11-08T06:00:00.000Z' })
  })

  it('uses the city’s date, not the server’s, near midnight', () => {
    // 04:30 UTC on Saturday 6 March is still Friday 22:30 in Chicago.
    const now = '2027-03-06T04:30:00Z'
    expect(windowOf('when=today', now)).toEqual({
      from: '2027-03-06T04:30:00.000Z',
      to: '2027-03-06T06:00:00.000Z',
    })
    expect(windowOf('when=tomorrow', now)).toEqual({
      from: '2027-03-06T06:00:00.000Z',
      to: '2027-03-07T06:00:00.000Z',
    })
    // The same instant is already Saturday in Paris, so its weekend has begun.
    expect(windowOf('when=this-weekend', now, 'Europe/Paris')?.from).toBe('2027-03-06T04:30:00.000Z')
  })

  it('runs "this week" to the end of Sunday and date ranges to the end of their last day', () => {
    expect(windowOf('when=this-week', '2027-03-03T18:00:00Z')?.to).toBe('2027-03-08T06:00:00.000Z')
    expect(windowOf('when=next-7-days', '2027-03-03T18:00:00Z')?.to).toBe('2027-03-10T06:00:00.000Z')
    expect(windowOf('from=2027-04-01&to=2027-04-02', '2027-03-03T18:00:00Z')).toEqual({
      from: '2027-04-01T05:00:00.000Z',
      to: '2027-04-03T05:00:00.000Z',
    })
    // A range that has passed is empty, never a span in the past.
    const past = windowOf('from=2027-01-01&to=2027-01-02', '2027-03-03T18:00:00Z')!
    expect(past.from).toBe(past.to)
    expect(windowOf('', '2027-03-03T18:00:00Z')).toBeNull()
  })
})
