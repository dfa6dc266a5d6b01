import { z } from 'zod'
import { LANGUAGES } from '../../platform/i18n/index.ts'

/** UNESCO building blocks of a learning city. */
export const BUILDING_BLOCKS = [
  'inclusive-education',
  'families-communities',
  'workplace',
  'learning-technologies',
  'quality',
  'culture-of-learning',
] as const

export const AUDIENCE_GROUPS = [
  'children',
  'young-people',
  'adults',
  'seniors',
  'families',
  'newcomers',
  'jobseekers',
  'disabled-people',
] as const

export const FORMATS = ['in-person', 'online', 'hybrid'] as const

export const ACCESSIBILITY = [
  'step-free',
  'hearing-loop',
  'sign-language',
  'captions',
  'quiet-space',
  'childcare',
  'large-print',
] as const

export const STATUSES = ['draft', 'submitted', 'published', 'cancelled', 'archived'] as const
export type Status = (typeof STATUSES)[number]

const languageCode = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language code such as en, es or zh-Hant')
/** True for C0 control characters other than tab and line breaks. */
function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 32 && code !== 9 && code !== 10 && code !== 13) return true
  }
  return false
}

const plainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use ${max} characters or fewer`)
    // Control characters are never meaningful in a title or description.
    .refine((v) => !hasControlCharacters(v), 'Remove control characters')

/** Text per language; at least one language must have text. */
export const translatedText = (max: number) =>
  z
    .partialRecord(z.enum(LANGUAGES), plainText(max))
    .refine((v) => Object.values(v).some((s) => s && s.length > 0), 'Write it in at least one language')

const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'Use a local date and time like 2026-12-05T10:00')

export const scheduleInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('once'),
    start: localDateTime,
    durationMinutes: z.number().int().min(1).max(1440),
  }),
  z.object({
    kind: z.literal('series'),
    start: localDateTime,
    durationMinutes: z.number().int().min(1).max(1440),
    rrule: z.string().trim().max(500).optional(),
    rdates: z.array(localDateTime).max(500).default([]),
    exdates: z
      .array(
        z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, 'Use a date or a local date and time'),
      )
      .max(500)
      .default([]),
  }),
  z.object({ kind: z.literal('self-paced') }),
])
export type ScheduleInput = z.infer<typeof scheduleInput>

const httpsUrl = z
  .string()
  .trim()
  .max(2000)
  .url('Enter a full web address starting with https://')
  .refine((u) => /^https?:\/\//i.test(u), 'Enter a web address starting with https://')

/**
 * One learning opportunity as providers send it: the same schema serves the form, the CSV import
 * and the JSON API (and documents the API in OpenAPI).
 */
export const opportunityInput = z
  .object({
    externalId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("The provider's own id; re-imports update by it"),
    title: translatedText(200),
    description: translatedText(10_000),
    outcomes: z.partialRecord(z.enum(LANGUAGES), plainText(2000)).default({}),
    buildingBlock: z.enum(BUILDING_BLOCKS),
    topics: z
      .array(plainText(60).pipe(z.string().min(1)))
      .max(20)
      .default([]),
    ageMin: z.number().int().min(0).max(120).nullable().default(null),
    ageMax: z.number().int().min(0).max(120).nullable().default(null),
    groups: z.array(z.enum(AUDIENCE_GROUPS)).max(AUDIENCE_GROUPS.length).default([]),
    languages: z.array(languageCode).min(1, 'Give at least one language of instruction').max(10),
    format: z.enum(FORMATS),
    venueId: z.number().int().positive().nullable().default(null),
    address: plainText(300).nullable().default(null),
    lat: z.number().min(-90).max(90).nullable().default(null),
    lon: z.number().min(-180).max(180).nullable().default(null),
    joinUrl: httpsUrl.nullable().default(null),
    schedule: scheduleInput,
    cost: z
      .object({
        free: z.boolean(),
        price: z.number().min(0).max(100_000).nullable().default(null),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'Use a three-letter currency code like USD')
          .default('USD'),
        concessions: plainText(500).default(''),
        financialHelp: z.boolean().default(false),
      })
      .refine((c) => c.free || (c.price !== null && c.price > 0), {
        message: 'Give a price, or mark it free',
        path: ['price'],
      }),
    accessibility: z.array(z.enum(ACCESSIBILITY)).max(ACCESSIBILITY.length).default([]),
    accessibilityNote: plainText(1000).default(''),
    capacity: z.number().int().min(1).max(100_000).nullable().default(null),
    image: z.object({
      url: httpsUrl.or(z.string().regex(/^\/[^\s"'<>]*$/, 'Use an https:// address or a path on this site')),
      alt: translatedText(300),
    }),
    contactEmail: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email('Enter an email address like name@example.org'))
      .nullable()
      .default(null),
    contactPhone: plainText(40).nullable().default(null),
  })
  .superRefine((o, ctx) => {
    if (o.ageMin !== null && o.ageMax !== null && o.ageMax < o.ageMin) {
      ctx.addIssue({
        code: 'custom',
        path: ['ageMax'],
        message: 'The oldest age must not be below the youngest age',
      })
    }
    const needsPlace = o.format !== 'online'
    const hasPlace = o.venueId !== null || (o.address !== null && o.lat !== null && o.lon !== null)
    if (needsPlace && !hasPlace) {
      ctx.addIssue({
        code: 'custom',
        path: ['venueId'],
        message: 'Choose a venue, or give an address with its position',
      })
    }
    if (o.format !== 'in-person' && !o.joinUrl) {
      ctx.addIssue({ code: 'custom', path: ['joinUrl'], message: 'Give the link people use to join online' })
    }
    if ((o.lat === null) !== (o.lon === null)) {
      ctx.addIssue({ code: 'custom', path: ['lon'], message: 'Give both latitude and longitude, or neither' })
    }
  })

export type OpportunityInput = z.infer<typeof opportunityInput>
