import { describe, expect, it } from 'vitest'
import { registerMessages, translator } from '../../../platform/i18n/index.ts'
import { parseFeaturing, parsePreferences } from './input.ts'
import { centroid, MAX_WALK_KM, walkingMinutes } from './place.ts'
import { reasonParts, reasonText } from './reasons.tsx'
import { type Fragment, type LearnerContext, SOURCES } from './signals.ts'

registerMessages('what-next', new URL('./messages/', import.meta.url))

const known: Fragment[] = [
  { key: 'free' },
  { key: 'walk', values: { minutes: 12 } },
  { key: 'days', values: { day: 'sa' } },
  { key: 'follows', quote: { name: 'title', text: { en: 'Robotics 1', es: 'Robótica 1' } } },
]

describe('the reasons sentence', () => {
  it('joins translated fragments the way each language lists things, first letter capitalised', () => {
    expect(reasonText(known, translator('en'), 'en')).toBe(
      "Free, 12 minutes' walk, Saturdays, follows Robotics 1",
    )
    expect(reasonText(known, translator('fr'), 'fr')).toBe(
      'Gratuit, 12 minutes à pied, le samedi, fait suite à Robotics 1',
    )
    expect(reasonText(known, translator('es'), 'es')).toBe(
      'Gratis, 12 minutos a pie, los sábados y continuación de Robótica 1',
    )
    expect(reasonText(known, translator('zh'), 'zh')).toBe('免费、步行12分钟、每周六、接续《Robotics 1》')
    expect(reasonText(known, translator('ru'), 'ru')).toBe(
      'Бесплатно, 12 минут пешком, по субботам, продолжение «Robotics 1»',
    )
    expect(reasonText(known, translator('ar'), 'ar')).toContain('أيام السبت')
  })

  it('keeps a quoted title apart with its own language', () => {
    const parts = reasonParts(known, translator('fr'), 'fr')
    expect(parts.find((p) => p.lang)).toEqual({ text: 'Robotics 1', lang: 'en' })
  })

  it('says one minute and a day with a time of day in the singular forms', () => {
    const t = translator('en')
    expect(reasonText([{ key: 'walk', values: { minutes: 1 } }], t, 'en')).toBe("1 minute's walk")
    expect(reasonText([{ key: 'daysAndTimes', values: { day: 'tu', time: 'evening' } }], t, 'en')).toBe(
      'Tuesday evenings',
    )
  })
})

describe('follows', () => {
  const ctx = {
    booked: [
      { id: 2, organizationId: 5, topics: ['ceramics'], title: { en: 'Pottery' } },
      { id: 1, organizationId: 9, topics: ['robotics'], title: { en: 'Robotics 1' } },
    ],
  } as unknown as LearnerContext
  const follows = SOURCES.find((s) => s.name === 'follows')!
  const row = (topics: string[], organizationId: number) => ({
    id: 3,
    title: {},
    sessionId: 1,
    startsAt: new Date(),
    follows: true,
    topics,
    organization_id: organizationId,
  })

  it('names the latest booked sharing a topic (case-blind) before one of the same provider', () => {
    expect(follows.reason(row(['Robotics'], 5), ctx)?.quote?.text).toEqual({ en: 'Robotics 1' })
    expect(follows.reason(row(['chess'], 5), ctx)?.quote?.text).toEqual({ en: 'Pottery' })
    expect(follows.reason({ ...row(['chess'], 7), follows: false }, ctx)).toBeNull()
  })
})

describe('place', () => {
  it('turns straight-line kilometres into minutes on foot at 5 km/h with a detour of 1.3', () => {
    expect(walkingMinutes(1)).toBe(16)
    expect(walkingMinutes(0.01)).toBe(1)
    expect(walkingMinutes(MAX_WALK_KM)).toBe(45)
  })

  it('finds the centre of a square district and of an L-shaped one', () => {
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [2, 0],
          [2, 2],
          [0, 2],
          [0, 0],
        ],
      ],
    }
    expect(centroid(square)).toEqual([1, 1])
    const twoSquares = {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
            [0, 0],
          ],
        ],
        [
          [
            [2, 0],
            [3, 0],
            [3, 1],
            [2, 1],
            [2, 0],
          ],
        ],
      ],
    }
    expect(centroid(twoSquares)).toEqual([0.5, 1.5])
  })
})

describe('preferences input', () => {
  const districts = new Set(['1', '2'])

  it('keeps ticked and typed topics lower-cased, once each, sorted, and a district of the city', () => {
    const parsed = parsePreferences(
      { interests: ['Robotics', 'art'], more: ' Chess, art ,, 象棋、观鸟', district: '2' },
      districts,
    )
    expect(parsed.ok && parsed.value).toEqual({
      interests: ['art', 'chess', 'robotics', '观鸟', '象棋'],
      districtCode: '2',
    })
    expect(parsePreferences({ district: '' }, districts)).toMatchObject({
      ok: true,
      value: { interests: [], districtCode: null },
    })
  })

  it('reports a typed word that is not a topic, too many topics and an unknown district', () => {
    const parsed = parsePreferences({ more: 'chess, <script>, drop table', district: '99' }, districts)
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      { field: 'more', key: 'errors.topic', values: { topic: '<script>' } },
      { field: 'district', key: 'errors.district' },
    ])
    const many = Array.from({ length: 21 }, (_, i) => `topic${i}`).join(',')
    expect(parsePreferences({ more: many }, districts)).toMatchObject({
      ok: false,
      problems: [{ field: 'more', key: 'errors.tooMany' }],
    })
    expect(parsePreferences({ interests: ['a'.repeat(41)] }, districts)).toMatchObject({
      ok: false,
      problems: [{ field: 'interests', key: 'errors.interests' }],
    })
  })
})

describe('featuring input', () => {
  const city = { slug: 'chicago', timeZone: 'America/Chicago' }
  const now = new Date('2027-03-01T12:00:00Z')

  it('takes a number or the address of an opportunity of this city, and a last day on its clock', () => {
    expect(parseFeaturing({ opportunity: '42', until: '' }, city, now)).toEqual({
      ok: true,
      value: { opportunityId: 42, until: null },
    })
    const parsed = parseFeaturing(
      { opportunity: 'https://learn.example.org/es/chicago/opportunities/7/book?x=1', until: '2027-03-06' },
      city,
      now,
    )
    // The end of 6 March in Chicago (CST, UTC-6).
    expect(parsed).toEqual({ ok: true, value: { opportunityId: 7, until: new Date('2027-03-07T06:00:00Z') } })
  })

  it('says when the address is another city’s, not an opportunity, or the day is past or not a date', () => {
    const problems = (body: Record<string, string>) => {
      const parsed = parseFeaturing(body, city, now)
      return parsed.ok ? [] : parsed.problems.map((p) => p.key)
    }
    expect(problems({ opportunity: '/en/lakeside/opportunities/7' })).toEqual(['errors.otherCity'])
    expect(problems({ opportunity: 'robots' })).toEqual(['errors.opportunity'])
    expect(problems({ opportunity: '' })).toEqual(['errors.opportunity'])
    expect(problems({ opportunity: '7', until: '2027-02-28' })).toEqual(['errors.untilPast'])
    expect(problems({ opportunity: '7', until: '2027-02-30' })).toEqual(['errors.until'])
  })
})
