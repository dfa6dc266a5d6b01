import type { Platform } from '../../platform/module.ts'
import { utcToZoned } from '../../platform/time/index.ts'
import { listVenues } from '../cities/index.ts'
import { type Actor, createOpportunity } from '../opportunities/index.ts'

/** A few invented opportunities at real Chicago libraries, so the demo city has something to show. */
const IDEAS = [
  {
    title: { en: 'Coding club for kids', es: 'Club de programación para niños' },
    description: { en: 'Make games and animations with Scratch. Laptops provided; bring your curiosity.' },
    block: 'learning-technologies',
    topics: ['coding', 'games'],
    ages: [8, 12],
    languages: ['en', 'es'],
    rule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=10',
    hour: '10:00',
    free: true,
    groups: ['children'],
    access: ['step-free'],
  },
  {
    title: { en: 'English conversation circle', es: 'Círculo de conversación en inglés', zh: '英语会话小组' },
    description: { en: 'Practise everyday English in a friendly group. All levels welcome.' },
    block: 'inclusive-education',
    topics: ['english', 'conversation'],
    ages: [16, null],
    languages: ['en'],
    rule: 'FREQ=WEEKLY;BYDAY=TU,TH;COUNT=16',
    hour: '18:00',
    free: true,
    groups: ['newcomers', 'adults'],
    access: ['step-free', 'hearing-loop'],
  },
  {
    title: { en: 'Job search workshop', es: 'Taller de búsqueda de empleo' },
    description: {
      en: 'Write a CV, prepare for interviews and find openings online, with a careers adviser.',
    },
    block: 'workplace',
    topics: ['jobs', 'cv'],
    ages: [18, null],
    languages: ['en', 'es'],
    rule: 'FREQ=MONTHLY;BYDAY=1WE;COUNT=6',
    hour: '14:00',
    free: true,
    groups: ['jobseekers'],
    access: ['step-free', 'large-print'],
  },
  {
    title: { en: 'Family story time', fr: 'Heure du conte en famille', ar: 'ساعة الحكايات العائلية' },
    description: { en: 'Stories, songs and rhymes for little ones and their grown-ups.' },
    block: 'families-communities',
    topics: ['reading', 'early years'],
    ages: [0, 5],
    languages: ['en'],
    rule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=12',
    hour: '10:30',
    free: true,
    groups: ['families', 'children'],
    access: ['step-free', 'quiet-space'],
  },
  {
    title: { en: 'Smartphone basics for seniors', ru: 'Смартфон для начинающих: курс для пожилых' },
    description: {
      en: 'Calls, photos, video chats and staying safe online, at your own pace with volunteers.',
    },
    block: 'learning-technologies',
    topics: ['digital skills'],
    ages: [60, null],
    languages: ['en'],
    rule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6',
    hour: '13:00',
    free: true,
    groups: ['seniors'],
    access: ['step-free', 'large-print', 'hearing-loop'],
  },
  {
    title: { en: 'Watercolour for beginners' },
    description: { en: 'Learn washes, layering and colour mixing. Materials included in the fee.' },
    block: 'culture-of-learning',
    topics: ['art', 'painting'],
    ages: [14, null],
    languages: ['en'],
    rule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=8',
    hour: '17:30',
    free: false,
    groups: ['adults'],
    access: ['step-free'],
  },
] as const

export async function seedDemoOpportunities(
  platform: Platform,
  cityId: number,
  organizationId: number,
): Promise<number> {
  const actor: Actor = {
    userId: null,
    label: 'Demo seed',
    cityId,
    timeZone: 'America/Chicago',
    coordinator: true,
    organizations: [],
  }
  const libraries = await listVenues(platform.db, cityId, 'library')
  // Start next month so every demo session lies ahead of whoever opens the demo.
  const start = utcToZoned(new Date(Date.now() + 30 * 86400_000), 'America/Chicago').slice(0, 10)
  let created = 0
  for (let i = 0; i < libraries.length && created < 24; i += 7) {
    const idea = IDEAS[created % IDEAS.length]!
    const venue = libraries[i]!
    const result = await createOpportunity(
      platform,
      actor,
      organizationId,
      {
        externalId: `demo-${created + 1}`,
        title: idea.title,
        description: idea.description,
        buildingBlock: idea.block,
        topics: [...idea.topics],
        ageMin: idea.ages[0],
        ageMax: idea.ages[1],
        groups: [...idea.groups],
        languages: [...idea.languages],
        format: 'in-person',
        venueId: venue.id,
        schedule: { kind: 'series', start: `${start}T${idea.hour}`, durationMinutes: 90, rrule: idea.rule },
        cost: idea.free
          ? { free: true }
          : { free: false, price: 40, currency: 'USD', concessions: 'Half price with a library card' },
        accessibility: [...idea.access],
        capacity: 15,
        image: {
          url: '/static/demo/learning.svg',
          alt: { en: 'Illustration: people learning together at a table' },
        },
        contactEmail: 'hello@demo.learncity.localhost',
      },
      { publish: true, isDemo: true },
    )
    if (!result.ok) throw new Error(`demo opportunity: ${JSON.stringify(result)}`)
    created++
  }
  return created
}
