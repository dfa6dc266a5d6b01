import { createCity } from '../src/modules/cities/index.ts'
import { type Actor, createOpportunity } from '../src/modules/opportunities/index.ts'
import { createOrganization } from '../src/modules/organizations/index.ts'
import { opportunityFactory } from './factories.ts'
import type { TestPlatform } from './platform.ts'

/** A city with one trusted provider whose admin is `actor`, to publish opportunities into feeds. */
export async function feedCity(t: TestPlatform, slug: string) {
  const timeZone = 'America/Chicago'
  const made = await createCity(t.platform, { slug, name: { en: slug }, defaultLanguage: 'en', timeZone })
  if (!made.ok) throw new Error('city')
  const cityId = made.value
  const org = await createOrganization(t.platform, cityId, {
    slug: `${slug}-club`,
    name: { en: `${slug} club` },
    sector: 'community',
    trusted: true,
  })
  if (!org.ok) throw new Error('org')
  const actor: Actor = {
    userId: null,
    label: 'test',
    cityId,
    timeZone,
    coordinator: true,
    organizations: [{ id: org.value, role: 'admin', trusted: true }],
  }
  return {
    cityId,
    slug,
    organizationId: org.value,
    actor,
    /** Publishes the factory's opportunity with these fields; returns its id. */
    async publish(fields: Record<string, unknown> = {}): Promise<number> {
      const res = await createOpportunity(t.platform, actor, org.value, opportunityFactory(fields), {
        publish: true,
      })
      if (!res.ok) throw new Error(JSON.stringify(res))
      return res.value.id
    },
  }
}

/** A weekly yoga series with no end: an OpenActive SessionSeries. */
export const yogaSeries = {
  title: { en: 'Gentle yoga', es: 'Yoga suave' },
  topics: ['Yoga', 'wellbeing'],
  schedule: { kind: 'series', start: '2027-10-05T18:00', durationMinutes: 60, rrule: 'FREQ=WEEKLY;BYDAY=TU' },
}

/** Eight Saturdays of tai chi: an OpenActive CourseInstance. */
export const taiChiCourse = {
  title: { en: 'Tai chi for beginners' },
  topics: ['tai chi'],
  schedule: {
    kind: 'series',
    start: '2027-10-02T09:00',
    durationMinutes: 45,
    rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=8',
    exdates: ['2027-10-16'],
  },
}
