import { z } from 'zod'
import { LANGUAGES } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { findVenue } from '../../cities/index.ts'
import { BUILDING_BLOCKS } from '../../opportunities/index.ts'
import { findOrganizationById } from '../../organizations/index.ts'
import { FEED_KINDS } from '../schema-harvest.ts'
import { type HarvestOptions, type HarvestSummary, harvestFeed } from './harvest.ts'
import * as repo from './repository.ts'

export type Result<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; fields: { field: string; detail: string }[] }

const optionalNumber = z.preprocess(
  (v) =>
    v === '' || v === undefined || v === null
      ? null
      : typeof v === 'string'
        ? Number(v.replace(',', '.'))
        : v,
  z
    .number('Enter a number like 5 or 12.50')
    .min(0.01, 'Enter a price above 0, or leave it empty for free')
    .max(100_000)
    .nullable(),
)

/** A feed registration, from the coordinator's form or the API: one schema for both. */
export const feedInput = z.object({
  organizationId: z.coerce.number('Choose the provider').int().positive('Choose the provider'),
  kind: z.enum(FEED_KINDS, 'Choose the kind of feed'),
  name: z.string().trim().min(1, 'Give the feed a name').max(200, 'Use 200 characters or fewer'),
  url: z
    .string()
    .trim()
    .max(2000, 'Use an address of 2,000 characters or fewer')
    .refine((u) => {
      try {
        const url = new URL(u)
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
      } catch {
        return false
      }
    }, 'Enter the full address of the feed, starting with https://'),
  language: z.enum(LANGUAGES, 'Choose the language the feed is written in'),
  buildingBlock: z.enum(BUILDING_BLOCKS, 'Choose a building block'),
  price: optionalNumber.default(null),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Use a three-letter currency code like USD')
    .default('USD'),
  venueId: z
    .preprocess(
      (v) => (v === '' || v === undefined || v === null ? null : Number(v)),
      z.number('Choose a venue from the list').int().positive().nullable(),
    )
    .default(null),
  intervalMinutes: z.coerce
    .number('Enter how often, in minutes')
    .int('Enter whole minutes')
    .min(15, 'Harvest at most every 15 minutes')
    .max(10_080, 'Harvest at least once a week (10,080 minutes)')
    .default(60),
})
export type FeedInput = z.infer<typeof feedInput>

const invalid = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => ({ field: `/${i.path.map(String).join('/')}`, detail: i.message }))

/** The provider and the venue must be the city's own. */
async function placeProblems(
  platform: Platform,
  cityId: number,
  input: { organizationId: number; venueId: number | null },
) {
  const problems: { field: string; detail: string }[] = []
  if (!(await findOrganizationById(platform.db, cityId, input.organizationId)))
    problems.push({ field: '/organizationId', detail: 'No such provider in this city' })
  if (input.venueId !== null && !(await findVenue(platform.db, cityId, input.venueId)))
    problems.push({ field: '/venueId', detail: 'No such venue in this city' })
  return problems
}

/** Registers an outside feed for one of the city's providers; its first harvest is due at once. */
export async function registerFeed(
  platform: Platform,
  cityId: number,
  userId: number | null,
  raw: unknown,
): Promise<Result<repo.FeedRow, 'invalid'>> {
  const parsed = feedInput.safeParse(raw)
  if (!parsed.success) return { ok: false, error: 'invalid', fields: invalid(parsed.error.issues) }
  const input = parsed.data
  const problems = await placeProblems(platform, cityId, input)
  if (problems.length) return { ok: false, error: 'invalid', fields: problems }
  const feed = await repo.insertFeed(platform.db, {
    cityId,
    organizationId: input.organizationId,
    kind: input.kind,
    name: input.name,
    url: input.url,
    language: input.language,
    buildingBlock: input.buildingBlock,
    price: input.price === null ? null : input.price.toFixed(2),
    currency: input.currency,
    intervalMinutes: input.intervalMinutes,
    venueId: input.venueId,
    createdByUserId: userId,
  })
  return { ok: true, value: feed }
}

/** A one-off calendar import: the fields of a feed, with a file instead of (or beside) an address. */
export const calendarInput = feedInput.omit({ kind: true, url: true, intervalMinutes: true }).extend({
  url: z.preprocess((v) => (v === '' ? undefined : v), feedInput.shape.url.optional()),
})

/** Largest .ics file accepted. */
export const CALENDAR_BYTES = 5_000_000

/**
 * Imports an .ics file (or the calendar at an address) once into a provider's opportunities: RRULE,
 * RDATE (with PERIODs) and EXDATE expanded, each event one opportunity by its UID, so importing the
 * same calendar again into the same feed updates instead of duplicating. Kept as a paused calendar
 * feed with its run and log.
 */
export async function importCalendar(
  platform: Platform,
  cityId: number,
  userId: number | null,
  raw: unknown,
  file: { name: string; bytes: Uint8Array } | null,
  options: HarvestOptions = {},
): Promise<Result<{ feed: repo.FeedRow; summary: HarvestSummary }, 'invalid'>> {
  const parsed = calendarInput.safeParse(raw)
  const fields = parsed.success ? [] : invalid(parsed.error.issues)
  const hasFile = file !== null && file.bytes.byteLength > 0
  if (parsed.success && !hasFile && !parsed.data.url)
    fields.push({ field: '/file', detail: 'Choose an .ics file, or give the address of the calendar' })
  if (hasFile && file.bytes.byteLength > CALENDAR_BYTES)
    fields.push({ field: '/file', detail: 'The file is larger than 5 MB' })
  if (!parsed.success || fields.length) return { ok: false, error: 'invalid', fields }
  const input = parsed.data
  const problems = await placeProblems(platform, cityId, input)
  if (problems.length) return { ok: false, error: 'invalid', fields: problems }
  const text = hasFile ? new TextDecoder('utf-8').decode(file.bytes) : undefined
  if (text !== undefined && !/BEGIN:VCALENDAR/i.test(text.slice(0, 4000)))
    return {
      ok: false,
      error: 'invalid',
      fields: [{ field: '/file', detail: 'The file is not an iCalendar (.ics) file' }],
    }
  const feed = await repo.insertFeed(platform.db, {
    cityId,
    organizationId: input.organizationId,
    kind: 'ical',
    name: input.name,
    url: hasFile ? `file:${file.name.replace(/[\\/]/g, '_').slice(-200)}` : input.url!,
    language: input.language,
    buildingBlock: input.buildingBlock,
    price: input.price === null ? null : input.price.toFixed(2),
    currency: input.currency,
    venueId: input.venueId,
    status: 'paused',
    createdByUserId: userId,
  })
  const summary = await harvestFeed(platform, feed, {
    ...options,
    fetch: { ...platform.config.fetch, ...options.fetch },
    calendarText: text,
  })
  return { ok: true, value: { feed, summary } }
}
