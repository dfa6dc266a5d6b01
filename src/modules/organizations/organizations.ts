import { randomBytes } from 'node:crypto'
import { isLang, type Lang, type TranslatedText, translated, translator } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { listCurators } from '../accounts/index.ts'
import { type FieldIssue, parseProfile, slugify } from './profile.ts'
import * as repo from './repository.ts'
import { type OrganizationStatus, SECTORS, type Sector, type StaffRole } from './schema.ts'
import * as staffRepo from './staff-repository.ts'

export type Result<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; fields: FieldIssue[] }

/** The city a use case works in, as pages know it. */
export interface CityContext {
  id: number
  slug: string
  name: TranslatedText
  defaultLanguage: string
  languages: string[]
}

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

/** Slugs that name pages under /providers, so no provider may take them. */
export const RESERVED_ORGANIZATION_SLUGS = new Set(['new', 'invitations'])

/** Registers a provider in a city; new providers wait for a coordinator unless trusted. */
export async function createOrganization(
  platform: Platform,
  cityId: number,
  input: NewOrganization,
): Promise<Result<number, 'invalid' | 'taken'>> {
  const fields: FieldIssue[] = []
  if (
    !/^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/.test(input.slug) ||
    RESERVED_ORGANIZATION_SLUGS.has(input.slug)
  )
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
  await staffRepo.upsertStaff(platform.db, cityId, organizationId, userId, role)
}

const mailLang = (lang: string): Lang => (isLang(lang) ? lang : 'en')

/** The text of a per-language field for a mail reader. */
function nameFor(field: TranslatedText, lang: string, city: CityContext) {
  return translated(field, lang, [city.defaultLanguage]).text
}

/**
 * A signed-in person registers a provider from the profile form: it starts 'pending', the person
 * becomes its admin, and the city's coordinators are emailed.
 */
export async function registerOrganization(
  platform: Platform,
  city: CityContext,
  userId: number,
  body: Record<string, unknown>,
): Promise<Result<{ id: number; slug: string }, 'invalid'>> {
  const parsed = parseProfile(body, city.languages)
  if (!parsed.ok) return { ok: false, error: 'invalid', fields: parsed.fields }
  const profile = parsed.value
  const base = slugify(nameFor(profile.name, 'en', city)) || 'provider'
  let id: number | undefined
  let slug = base
  for (let attempt = 0; !id && attempt < 20; attempt++) {
    slug =
      attempt === 0 && !RESERVED_ORGANIZATION_SLUGS.has(base)
        ? base
        : `${base}-${attempt < 10 ? attempt + 1 : randomBytes(3).toString('hex')}`
    id = await repo.insertOrganization(platform.db, city.id, {
      ...profile,
      slug,
      status: 'pending',
      isDemo: false,
    })
  }
  if (!id) throw new Error(`No free slug for "${base}"`)
  await staffRepo.upsertStaff(platform.db, city.id, id, userId, 'admin')
  await repo.recordChange(platform.db, city.id, id, userId, 'registered', { slug })
  for (const coordinator of await listCurators(platform.db, city.id)) {
    const lang = mailLang(coordinator.language)
    const t = translator(lang)
    const values = {
      provider: nameFor(profile.name, lang, city),
      city: nameFor(city.name, lang, city),
      link: `${platform.config.publicUrl}/${lang}/${city.slug}/admin/providers`,
    }
    await platform.mail.send({
      to: coordinator.email,
      cityId: city.id,
      subject: t('organizations.mail.registered.subject', values),
      text: t('organizations.mail.registered.body', values),
    })
  }
  return { ok: true, value: { id, slug } }
}

/** Saves an edited profile (the route has checked the editor is an admin of it or a coordinator). */
export async function editProfile(
  platform: Platform,
  city: CityContext,
  organizationId: number,
  userId: number,
  body: Record<string, unknown>,
): Promise<Result<void, 'invalid'>> {
  const parsed = parseProfile(body, city.languages)
  if (!parsed.ok) return { ok: false, error: 'invalid', fields: parsed.fields }
  await repo.updateProfile(platform.db, city.id, organizationId, parsed.value)
  await repo.recordChange(platform.db, city.id, organizationId, userId, 'profile-updated')
  return { ok: true, value: undefined }
}

export const REVIEW_ACTIONS = { approve: 'approved', trust: 'trusted', suspend: 'suspended' } as const
export type ReviewAction = keyof typeof REVIEW_ACTIONS

/** A coordinator's decision on a provider: recorded in its history, and its admins are emailed. */
export async function reviewOrganization(
  platform: Platform,
  city: CityContext,
  organizationId: number,
  coordinatorId: number,
  action: ReviewAction,
): Promise<Result<OrganizationStatus, 'not-found' | 'unchanged'>> {
  const org = await repo.findOrganizationById(platform.db, city.id, organizationId)
  if (!org) return { ok: false, error: 'not-found', fields: [] }
  const status = REVIEW_ACTIONS[action]
  const previous = await repo.setStatus(platform.db, city.id, organizationId, status)
  if (!previous) return { ok: false, error: 'unchanged', fields: [] }
  await repo.recordChange(platform.db, city.id, organizationId, coordinatorId, status, { from: previous })
  for (const admin of await staffRepo.listStaff(platform.db, city.id, organizationId, 'admin')) {
    const lang = mailLang(admin.language)
    const t = translator(lang)
    const values = {
      provider: nameFor(org.name, lang, city),
      city: nameFor(city.name, lang, city),
      link: `${platform.config.publicUrl}/${lang}/${city.slug}/providers/${org.slug}`,
    }
    await platform.mail.send({
      to: admin.email,
      cityId: city.id,
      subject: t(`organizations.mail.${status}.subject`, values),
      text: t(`organizations.mail.${status}.body`, values),
    })
  }
  return { ok: true, value: status }
}

/** Adds one of the city's venues to a provider's profile; false if the venue is not in this city. */
export async function addVenue(
  platform: Platform,
  cityId: number,
  organizationId: number,
  userId: number,
  venueId: number,
): Promise<Result<void, 'invalid'>> {
  if (!(await repo.addVenue(platform.db, cityId, organizationId, venueId))) {
    const already = (await repo.venueIdsOf(platform.db, cityId, organizationId)).includes(venueId)
    if (!already) return { ok: false, error: 'invalid', fields: [{ field: 'venue', key: 'errors.venue' }] }
    return { ok: true, value: undefined }
  }
  await repo.recordChange(platform.db, cityId, organizationId, userId, 'venue-added', { venueId })
  return { ok: true, value: undefined }
}

/** Takes a venue off a provider's profile. */
export async function removeVenue(
  platform: Platform,
  cityId: number,
  organizationId: number,
  userId: number,
  venueId: number,
) {
  await repo.removeVenue(platform.db, cityId, organizationId, venueId)
  await repo.recordChange(platform.db, cityId, organizationId, userId, 'venue-removed', { venueId })
}
