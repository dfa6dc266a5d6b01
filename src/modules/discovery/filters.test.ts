import { describe, expect, it } from 'vitest'
import { type Filters, filtersQuery, parseFilters } from './filters.ts'

const parse = (query: string) => parseFilters(new URLSearchParams(query))

/** The filters of a query that must parse. */
function filtersOf(query: string): Filters {
  const parsed = parse(query)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.filters
}

/** The problems of a query that must not parse, by parameter. */
function problemsOf(query: string) {
  const parsed = parse(query)
  if (parsed.ok) throw new Error(`parsed: ${query}`)
  return parsed.problems
}

describe('search filters in the URL', () => {
  it('reads every filter a resident can set', () => {
    const f = filtersOf(
      'q=robotics+club&block=learning-technologies&topic=Robots,coding&age=9&max_price=20&lang=es&lang=en' +
        '&format=in-person&access=step-free&district=77&lat=41.88&lon=-87.63&radius=3&when=this-weekend' +
        '&time=morning&day=sa,su&sector=library&sort=nearest&page=2&utm_source=newsletter',
    )
    expect(f).toEqual({
      q: 'robotics club',
      blocks: ['learning-technologies'],
      topics: ['coding', 'robots'],
      age: 9,
      free: false,
      maxPrice: 20,
      languages: ['en', 'es'],
      formats: ['in-person'],
      access: ['step-free'],
      districts: ['77'],
      near: { lat: 41.88, lon: -87.63, radiusKm: 3 },
      when: 'this-weekend',
      from: null,
      to: null,
      times: ['morning'],
      days: ['sa', 'su'],
      sectors: ['library'],
      sort: 'nearest',
      page: 2,
    })
  })

  it('gives each view one canonical URL, whatever order and form its parameters came in', () => {
    const a = filtersQuery(filtersOf('topic=music,art&free=yes&lang=fr&q=dessin&page=1'))
    const b = filtersQuery(filtersOf('q=dessin&lang=fr&topic=art&topic=music&free=yes&sort=relevance'))
    expect(a).toBe(b)
    expect(a).toBe('q=dessin&topic=art%2Cmusic&free=yes&lang=fr')
    // Reading the canonical URL back gives the same filters.
    const full = filtersOf('q=a&lat=41.9&lon=-87.6&radius=2&from=2027-03-01&to=2027-03-31&day=mo&page=3')
    expect(filtersOf(filtersQuery(full))).toEqual(full)
    // Feeds and calendars of a view leave its page out.
    expect(filtersQuery(full, { page: false })).not.toContain('page=')
    expect(filtersQuery(filtersOf(''))).toBe('')
  })

  it('reports every bad parameter at once, each with what to do instead', () => {
    const problems = problemsOf(
      'block=robots&age=nine&lat=100&when=someday&from=2027-02-30&sort=nearest&page=0',
    )
    expect(problems.map((p) => p.param).sort()).toEqual(
      ['age', 'block', 'from', 'lat', 'page', 'sort', 'when'].sort(),
    )
    expect(problems.find((p) => p.param === 'block')!.detail).toBe(
      '"robots" is not a block. Use one of: inclusive-education, families-communities, workplace, learning-technologies, quality, culture-of-learning.',
    )
    expect(problems.find((p) => p.param === 'from')!.detail).toContain('YYYY-MM-DD')
    expect(problems.find((p) => p.param === 'lat')!.detail).toBe('lat must be between -90 and 90.')
  })

  it('refuses combinations that cannot mean anything', () => {
    expect(problemsOf('lat=41.9').map((p) => p.param)).toEqual(['lon'])
    expect(problemsOf('radius=3').map((p) => p.param)).toEqual(['radius'])
    expect(problemsOf('when=today&from=2027-01-01').map((p) => p.param)).toEqual(['when'])
    expect(problemsOf('from=2027-03-02&to=2027-03-01').map((p) => p.param)).toEqual(['to'])
    expect(problemsOf('from=2027-01-01&to=2028-06-01').map((p) => p.param)).toEqual(['to'])
    expect(problemsOf('when=today&when=tomorrow').map((p) => p.param)).toEqual(['when'])
    expect(problemsOf('free=no').map((p) => p.param)).toEqual(['free'])
    expect(problemsOf('age=9.5').map((p) => p.param)).toEqual(['age'])
  })

  it('keeps hostile text as text to search for, and bounds what it cannot use', () => {
    for (const q of [
      "robotics' or 1=1 --",
      'a & !b | (c <-> d):*',
      '<script>alert(1)</script>',
      '🤖 роботы 机器人',
    ]) {
      expect(filtersOf(`q=${encodeURIComponent(q)}`).q).toBe(q)
    }
    expect(problemsOf(`q=${'a'.repeat(201)}`).map((p) => p.param)).toEqual(['q'])
    const topic = problemsOf(`topic=${encodeURIComponent("art'); drop table opportunities;--")}`)
    expect(topic).toEqual([
      { param: 'topic', detail: '"art\'); drop table opportunities;--" is not a topic.' },
    ])
    expect(problemsOf(`topic=${Array.from({ length: 21 }, (_, i) => `t${i}`).join(',')}`)[0]!.param).toBe(
      'topic',
    )
    expect(problemsOf('page=1e400').map((p) => p.param)).toEqual(['page'])
    expect(problemsOf('max_price=Infinity').map((p) => p.param)).toEqual(['max_price'])
    expect(problemsOf('sort=relevance&sort=soonest').map((p) => p.param)).toEqual(['sort'])
  })
})
