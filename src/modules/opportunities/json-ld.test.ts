import { describe, expect, it } from 'vitest'
import { validateStructuredData } from '../../../test/structured-data.ts'
import { jsonLdScript, opportunityJsonLd } from './json-ld.ts'
import type { OpportunityRow, SessionRow } from './repository.ts'

const TZ = 'America/Chicago'
const NOW = new Date('2027-01-01T00:00:00Z')

function row(overrides: Partial<OpportunityRow> = {}): OpportunityRow {
  return {
    id: 7,
    cityId: 1,
    organizationId: 3,
    externalId: null,
    status: 'published',
    title: { en: 'Robotics for beginners', es: 'Robótica para principiantes' },
    description: { en: 'Build and program a small robot.' },
    outcomes: { en: 'Program a robot to follow a line.' },
    buildingBlock: 'learning-technologies',
    topics: ['Robotics', 'coding'],
    ageMin: 9,
    ageMax: 14,
    groups: ['children'],
    languages: ['en', 'es'],
    format: 'in-person',
    venueId: null,
    address: '1230 W Greenleaf Ave, Chicago, IL',
    lat: 42.0106,
    lon: -87.6627,
    districtId: null,
    joinUrl: null,
    schedule: {
      kind: 'series',
      start: '2027-11-06T10:00',
      durationMinutes: 90,
      rrule: 'FREQ=WEEKLY;COUNT=2',
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
    imageAlt: { en: 'Two children wiring a small robot' },
    contactEmail: null,
    contactPhone: null,
    isDemo: false,
    publishedAt: new Date('2026-09-01T00:00:00Z'),
    updatedAt: new Date('2026-09-01T12:00:00Z'),
    ...overrides,
  }
}

// Saturdays either side of the Chicago fall-back on 2027-11-07: 10:00 CDT (-05:00), then 10:00 CST (-06:00).
function sessions(): SessionRow[] {
  return [
    {
      id: 101,
      startsAt: new Date('2027-11-06T15:00:00Z'),
      endsAt: new Date('2027-11-06T16:30:00Z'),
      localStart: '2027-11-06T10:00',
      cancelled: false,
    },
    {
      id: 102,
      startsAt: new Date('2027-11-13T16:00:00Z'),
      endsAt: new Date('2027-11-13T17:30:00Z'),
      localStart: '2027-11-13T10:00',
      cancelled: false,
    },
  ]
}

const URL_7 = 'https://learn.example.org/en/chicago/opportunities/7'

function jsonLd(overrides: Partial<OpportunityRow> = {}, list = sessions()) {
  return opportunityJsonLd({
    row: row(overrides),
    sessions: list,
    url: URL_7,
    lang: 'en',
    fallbackLanguages: [],
    organizer: { name: 'Rogers Park Makers', url: 'https://makers.example.org' },
    timeZone: TZ,
    now: NOW,
  })
}

type Instance = Record<string, unknown> & { location?: unknown }

describe('opportunityJsonLd', () => {
  it('describes a Course with its key fields', () => {
    const data = jsonLd()
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Course',
      name: 'Robotics for beginners',
      description: 'Build and program a small robot.',
      url: URL_7,
      inLanguage: ['en', 'es'],
      teaches: 'Program a robot to follow a line.',
      audience: { '@type': 'PeopleAudience', suggestedMinAge: 9, suggestedMaxAge: 14 },
      provider: { '@type': 'Organization', name: 'Rogers Park Makers', url: 'https://makers.example.org' },
      isAccessibleForFree: true,
      offers: { '@type': 'Offer', price: 0, priceCurrency: 'USD', category: 'Free', url: URL_7 },
      keywords: 'Robotics, coding',
      about: 'learning-technologies',
    })
    expect(data).not.toHaveProperty('educationalLevel')
    expect(data).not.toHaveProperty('eventAttendanceMode')
  })

  it('makes a relative image URL absolute on the page origin', () => {
    expect(jsonLd().image).toEqual({
      '@type': 'ImageObject',
      contentUrl: 'https://learn.example.org/static/images/robotics.jpg',
      description: 'Two children wiring a small robot',
    })
  })

  it('prices a paid course', () => {
    expect(jsonLd({ free: false, price: '12.50' }).offers).toMatchObject({ price: 12.5, category: 'Paid' })
  })

  it('gives session dates the Chicago offset on either side of the DST change', () => {
    const instances = jsonLd().hasCourseInstance as Instance[]
    expect(instances).toHaveLength(2)
    expect(instances[0]).toMatchObject({
      '@type': 'CourseInstance',
      courseMode: 'onsite',
      startDate: '2027-11-06T10:00:00-05:00',
      endDate: '2027-11-06T11:30:00-05:00',
    })
    expect(instances[1]).toMatchObject({ startDate: '2027-11-13T10:00:00-06:00' })
    // Each string names the same instant as the session.
    expect(new Date(instances[1]!.startDate as string).toISOString()).toBe('2027-11-13T16:00:00.000Z')
    expect(instances[0]!.location).toMatchObject({
      '@type': 'Place',
      address: { '@type': 'PostalAddress', streetAddress: '1230 W Greenleaf Ave, Chicago, IL' },
      geo: { '@type': 'GeoCoordinates', latitude: 42.0106, longitude: -87.6627 },
    })
  })

  it('leaves out cancelled and past sessions and caps the list at 20', () => {
    const list = sessions()
    list[0]!.cancelled = true
    expect(jsonLd({}, list).hasCourseInstance).toHaveLength(1)
    const past = {
      ...sessions()[0]!,
      id: 1,
      startsAt: new Date('2026-01-01T15:00:00Z'),
      endsAt: new Date('2026-01-01T16:00:00Z'),
    }
    expect(jsonLd({}, [past, ...sessions()]).hasCourseInstance).toHaveLength(2)
    const many = Array.from({ length: 30 }, (_, i) => ({
      ...sessions()[0]!,
      id: 200 + i,
      startsAt: new Date(Date.UTC(2027, 2, 1 + i, 15)),
      endsAt: new Date(Date.UTC(2027, 2, 1 + i, 16)),
    }))
    expect(jsonLd({}, many).hasCourseInstance).toHaveLength(20)
  })

  it('gives a hybrid course both a Place and a VirtualLocation', () => {
    const data = jsonLd({ format: 'hybrid', joinUrl: 'https://meet.example.org/robots' })
    const first = (data.hasCourseInstance as Instance[])[0]!
    expect(first.courseMode).toBe('blended')
    expect(first.location).toEqual([
      expect.objectContaining({ '@type': 'Place' }),
      { '@type': 'VirtualLocation', url: 'https://meet.example.org/robots' },
    ])
  })

  it('gives a self-paced course a single undated online instance', () => {
    const data = jsonLd({ schedule: { kind: 'self-paced' } }, [])
    expect(data.hasCourseInstance).toEqual([{ '@type': 'CourseInstance', courseMode: 'online' }])
  })

  it('cannot be broken out of by a </script> title', () => {
    const title = '</script><script>alert(1)</script> & \u2028'
    const text = jsonLdScript(jsonLd({ title: { en: title } }))
    expect(text).not.toContain('</')
    expect(text).not.toMatch(/[<>&\u2028\u2029]/)
    expect((JSON.parse(text) as { name: string }).name).toBe(title)
  })
})

describe('the structured-data validator on our JSON-LD', () => {
  it('passes the Course of a series, a hybrid and a self-paced opportunity', () => {
    for (const data of [
      jsonLd(),
      jsonLd({ format: 'hybrid', joinUrl: 'https://meet.example.org/robots' }),
      jsonLd({ schedule: { kind: 'self-paced' }, format: 'online', address: null }, []),
    ]) {
      expect(validateStructuredData(data).errors).toEqual([])
    }
  })

  it('describes a one-off session as a valid EducationEvent, cancelled when it is', () => {
    const once = { schedule: { kind: 'once', start: '2027-11-06T10:00', durationMinutes: 90 } } as const
    const data = jsonLd(once, sessions().slice(0, 1))
    expect(data).toMatchObject({
      '@type': 'EducationEvent',
      startDate: '2027-11-06T10:00:00-05:00',
      eventStatus: 'https://schema.org/EventScheduled',
      location: { '@type': 'Place' },
    })
    expect(validateStructuredData(data).errors).toEqual([])
    const cancelled = jsonLd({ ...once, status: 'cancelled' }, sessions().slice(0, 1))
    expect(cancelled.eventStatus).toBe('https://schema.org/EventCancelled')
  })

  it('catches unknown types and properties, missing fields, bad dates, URLs, currencies and HTML', () => {
    const data = jsonLd() as Record<string, unknown>
    const broken = {
      ...data,
      '@type': 'Course',
      bogusProperty: 1,
      startDate: '2027-10-02T10:00:00-05:00',
      name: 'Robots <b>now</b>',
      url: '/en/chicago/opportunities/7',
      provider: { '@type': 'Organisation', name: 'x' },
      offers: { '@type': 'Offer', price: 0, priceCurrency: 'usd' },
      hasCourseInstance: [{ '@type': 'CourseInstance', startDate: '2 October', endDate: '2027-10-01' }],
    }
    delete (broken as Record<string, unknown>).description
    const { errors } = validateStructuredData(broken)
    expect(errors).toEqual(
      expect.arrayContaining([
        '[0].bogusProperty: not a schema.org property',
        '[0].startDate: not a property of Course',
        '[0]: Course needs description',
        '[0].name: HTML in text: "Robots <b>now</b>"',
        '[0].url: not an absolute http(s) URL: /en/chicago/opportunities/7',
        '[0].provider: "Organisation" is not a schema.org type',
        '[0].offers.priceCurrency: not an ISO 4217 currency code: usd',
        '[0].hasCourseInstance[0]: CourseInstance needs courseMode',
        '[0].hasCourseInstance[0].startDate: not an ISO 8601 date or date-time with its offset: 2 October',
      ]),
    )
    expect(validateStructuredData({ ...data, '@context': 'http://example.org' }).errors).toContain(
      '[0]: @context must be https://schema.org, not "http://example.org"',
    )
  })
})
