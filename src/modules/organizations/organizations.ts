import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import * as repo from './repository.ts'
import { SECTORS, type Sector, type StaffRole } from './schema.ts'

export type Result<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; fields: { field: string; key: string }[] }

export interface NewOrganization {
  slug: string
  name: TranslatedText
  description?: TranslatedText
  sector: Sector
  website?: string | null
  /** Trusted providers publish without review. */
  trusted?: boolean
  isDemo?: boolean
}

/** Registers a provider in a city; new providers wait for a coordinator unless trusted. */
export async function createOrganization(
  platform: Platform,
  cityId: number,
  input: NewOrganization,
): Promise<Result<number, 'invalid' | 'taken'>> {
  const fields: { field: string; key: string }[] = []
  if (!/^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/.test(input.slug))
    fields.push({ field: 'slug', key: 'errors.slug' })
  if (!Object.values(input.name).some((v) => v?.trim())) fields.push({ field: 'name', key: 'errors.name' })
  if (!SECTORS.includes(input.sector)) fields.push({ field: 'sector', key: 'errors.sector' })
  if (input.website && !/^https?:\/\/[^\s<>"']+$/.test(input.website))
    fields.push({ field: 'website', key: 'errors.website' })
  if (fields.length > 0) return { ok: false, error: 'invalid', fields }
  const id = await repo.insertOrganization(platform.db, cityId, {
    slug: input.slug,
    name: input.name,
    description: input.description ?? {},
    sector: input.sector,
    website: input.website ?? null,
    status: input.trusted ? 'trusted' : 'pending',
    isDemo: input.isDemo ?? false,
  })
  if (!id) return { ok: false, error: 'taken', fields: [{ field: 'slug', key: 'errors.slugTaken' }] }
  return { ok: true, value: id }
}

/** Gives a person a staff role in a provider of the same city. */
export async function addStaff(
  platform: Platform,
  cityId: number,
  organizationId: number,
  userId: number,
  role: StaffRole,
) {
  await repo.upsertStaff(platform.db, cityId, organizationId, userId, role)
}
