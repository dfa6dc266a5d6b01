import { z } from 'zod'
import { LANGUAGES } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { BUILDING_BLOCKS } from '../../opportunities/index.ts'
import { findOrganizationById } from '../../organizations/index.ts'
import { FEED_KINDS } from '../schema-harvest.ts'
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
  intervalMinutes: z.coerce
    .number('Enter how often, in minutes')
    .int('Enter whole minutes')
    .min(15, 'Harvest at most every 15 minutes')
    .max(10_080, 'Harvest at least once a week (10,080 minutes)')
    .default(60),
})
export type FeedInput = z.infer<typeof feedInput>

/** Registers an outside feed for one of the city's providers; its first harvest is due at once. */
export async function registerFeed(
  platform: Platform,
  cityId: number,
  userId: number | null,
  raw: unknown,
): Promise<Result<repo.FeedRow, 'invalid'>> {
  const parsed = feedInput.safeParse(raw)
  if (!parsed.success)
    return {
      ok: false,
      error: 'invalid',
      fields: parsed.error.issues.map((i) => ({ field: `/${i.path.join('/')}`, detail: i.message })),
    }
  const input = parsed.data
  const organization = await findOrganizationById(platform.db, cityId, input.organizationId)
  if (!organization)
    return {
      ok: false,
      error: 'invalid',
      fields: [{ field: '/organizationId', detail: 'No such provider in this city' }],
    }
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
    createdByUserId: userId,
  })
  return { ok: true, value: feed }
}
