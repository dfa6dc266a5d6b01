import { type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { OrganizationStatus, Sector } from './schema.ts'

export interface OrganizationRow {
  id: number
  slug: string
  name: TranslatedText
  description: TranslatedText
  sector: Sector
  website: string | null
  logoUrl: string | null
  contactEmail: string | null
  contactPhone: string | null
  status: OrganizationStatus
  isDemo: boolean
}

/** The editable part of a provider's profile. */
export type ProfileFields = Pick<
  OrganizationRow,
  'name' | 'description' | 'sector' | 'website' | 'logoUrl' | 'contactEmail' | 'contactPhone'
>

const columns = sql`id::int as id, slug, name, description, sector, website, logo_url as "logoUrl",
  contact_email as "contactEmail", contact_phone as "contactPhone", status, is_demo as "isDemo"`

/** Every query here takes the city id first: no organization is reachable without its tenant. */
export function listOrganizations(db: Db, cityId: number) {
  return rows<OrganizationRow>(
    db,
    sql`select ${columns} from organizations where city_id = ${cityId} order by slug`,
  )
}

/** A city's providers with the given statuses, pending ones oldest first. */
export function listOrganizationsByStatus(db: Db, cityId: number, statuses: readonly OrganizationStatus[]) {
  return rows<OrganizationRow & { createdAt: string }>(
    db,
    sql`select ${columns}, created_at as "createdAt" from organizations
        where city_id = ${cityId} and status in (${sql.join(
          statuses.map((s) => sql`${s}`),
          sql`, `,
        )})
        order by created_at, id limit 1000`,
  )
}

export function findOrganization(db: Db, cityId: number, slug: string) {
  return firstRow<OrganizationRow>(
    db,
    sql`select ${columns} from organizations where city_id = ${cityId} and slug = ${slug}`,
  )
}

export function findOrganizationById(db: Db, cityId: number, id: number) {
  return firstRow<OrganizationRow>(
    db,
    sql`select ${columns} from organizations where city_id = ${cityId} and id = ${id}`,
  )
}

export async function insertOrganization(
  db: Db,
  cityId: number,
  org: Omit<OrganizationRow, 'id' | 'logoUrl' | 'contactEmail' | 'contactPhone'> &
    Partial<Pick<OrganizationRow, 'logoUrl' | 'contactEmail' | 'contactPhone'>>,
): Promise<number | undefined> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into organizations (city_id, slug, name, description, sector, website, logo_url, contact_email,
                                   contact_phone, status, is_demo)
        values (${cityId}, ${org.slug}, ${JSON.stringify(org.name)}::jsonb, ${JSON.stringify(org.description)}::jsonb,
                ${org.sector}, ${org.website}, ${org.logoUrl ?? null}, ${org.contactEmail ?? null},
                ${org.contactPhone ?? null}, ${org.status}, ${org.isDemo})
        on conflict (city_id, slug) do nothing returning id::int as id`,
  )
  return row?.id
}

export async function updateProfile(db: Db, cityId: number, id: number, p: ProfileFields) {
  await db.execute(
    sql`update organizations set name = ${JSON.stringify(p.name)}::jsonb,
          description = ${JSON.stringify(p.description)}::jsonb, sector = ${p.sector}, website = ${p.website},
          logo_url = ${p.logoUrl}, contact_email = ${p.contactEmail}, contact_phone = ${p.contactPhone},
          updated_at = now()
        where city_id = ${cityId} and id = ${id}`,
  )
}

/** Moves an organization to a status; returns the previous one, or undefined if nothing changed. */
export async function setStatus(db: Db, cityId: number, id: number, status: OrganizationStatus) {
  const row = await firstRow<{ previous: OrganizationStatus }>(
    db,
    sql`update organizations o set status = ${status}, updated_at = now()
        from (select id, status from organizations where city_id = ${cityId} and id = ${id} for update) old
        where o.id = old.id and o.status <> ${status}
        returning old.status as previous`,
  )
  return row?.previous
}

export async function recordChange(
  db: Db,
  cityId: number,
  organizationId: number,
  userId: number | null,
  action: string,
  detail: Record<string, unknown> = {},
) {
  await db.execute(
    sql`insert into organization_changes (city_id, organization_id, user_id, action, detail)
        values (${cityId}, ${organizationId}, ${userId}, ${action}, ${JSON.stringify(detail)}::jsonb)`,
  )
}

export function listChanges(db: Db, cityId: number, organizationId: number) {
  return rows<{ action: string; userId: number | null; detail: Record<string, unknown>; createdAt: string }>(
    db,
    sql`select action, user_id::int as "userId", detail, created_at as "createdAt" from organization_changes
        where city_id = ${cityId} and organization_id = ${organizationId} order by id`,
  )
}

/** Venue ids must belong to the same city: the insert reads them from venues of that city. */
export async function addVenue(db: Db, cityId: number, organizationId: number, venueId: number) {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into organization_venues (city_id, organization_id, venue_id)
        select ${cityId}, o.id, v.id from organizations o, venues v
        where o.city_id = ${cityId} and o.id = ${organizationId} and v.city_id = ${cityId} and v.id = ${venueId}
        on conflict (organization_id, venue_id) do nothing returning id::int as id`,
  )
  return row !== undefined
}

export async function removeVenue(db: Db, cityId: number, organizationId: number, venueId: number) {
  await db.execute(
    sql`delete from organization_venues
        where city_id = ${cityId} and organization_id = ${organizationId} and venue_id = ${venueId}`,
  )
}

export async function venueIdsOf(db: Db, cityId: number, organizationId: number) {
  const list = await rows<{ venueId: number }>(
    db,
    sql`select venue_id::int as "venueId" from organization_venues
        where city_id = ${cityId} and organization_id = ${organizationId} order by id`,
  )
  return list.map((r) => r.venueId)
}
