import type { OpportunityInput } from '../src/modules/opportunities/index.ts'

/** A valid opportunity input; override what a test is about. */
export function opportunityFactory(
  overrides: Partial<Record<keyof OpportunityInput, unknown>> = {},
): Record<string, unknown> {
  return {
    title: { en: 'Robotics for beginners', es: 'Robótica para principiantes' },
    description: { en: 'Build and program a small robot. No experience needed.' },
    outcomes: { en: 'Program a robot to follow a line.' },
    buildingBlock: 'learning-technologies',
    topics: ['Robotics', 'coding'],
    ageMin: 9,
    ageMax: 14,
    groups: ['children', 'families'],
    languages: ['en', 'es'],
    format: 'in-person',
    // Loyola Park, Rogers Park (community area 1).
    address: '1230 W Greenleaf Ave, Chicago, IL',
    lat: 42.0106,
    lon: -87.6627,
    schedule: {
      kind: 'series',
      start: '2027-10-02T10:00',
      durationMinutes: 90,
      rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=8',
    },
    cost: { free: true },
    accessibility: ['step-free', 'quiet-space'],
    capacity: 12,
    image: { url: '/static/images/robotics.jpg', alt: { en: 'Two children wiring a small robot' } },
    contactEmail: 'Robots@Example.org',
    ...overrides,
  }
}
