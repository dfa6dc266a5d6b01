import { type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import type { TranslatedText } from '../../platform/i18n/index.ts'
import type { Sector, StaffRole } from './schema.ts'

export interface OrganizationRow {
  id: number
  slug: string
  name: TranslatedText
  description: TranslatedText
  sector: Sector
  website: string | null
  status: string
  isDemo: boolean
}

const columns = sql`id::int as id, slug, name, description, sector, website, status, is_demo as "isDemo"`

/** Every query here takes the city id first: no organization is reachable without its tenant. */
export function listOrganizations(db: Db, cityId: number) {
  return rows<OrganizationRow>(
    db,
    sql`select ${columns} from organizations where city_id = ${cityId} order by slug`,
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
  org: Omit<OrganizationRow, 'id'>,
): Promise<number | undefined> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into organizations (city_id, slug, name, description, sector, website, status, is_demo)
        values (${cityId}, ${org.slug}, ${JSON.stringify(org.name)}::jsonb, ${JSON.stringify(org.description)}::jsonb,
                ${org.sector}, ${org.website}, ${org.status}, ${org.isDemo})
        on conflict (city_id, slug) do nothing returning id::int as id`,
  )
  return row?.id
}

export async function upsertStaff(
  db: Db,
  cityId: number,
  organizationId: number,
  userId: number,
  role: StaffRole,
) {
  await db.execute(
    sql`insert into organization_staff (city_id, organization_id, user_id, role)
        select ${cityId}, id, ${userId}, ${role} from organizations where id = ${organizationId} and city_id = ${cityId}
        on conflict (organization_id, user_id) do update set role = excluded.role`,
  )
}

export function staffRolesOf(db: Db, cityId: number, userId: number) {
  return rows<{ organizationId: number; role: StaffRole }>(
    db,
    sql`select organization_id::int as "organizationId", role from organization_staff
        where city_id = ${cityId} and user_id = ${userId}`,
  )
}

/** A person's staff roles in a city, with whether each organization publishes without review. */
export function staffMembershipsOf(db: Db, cityId: number, userId: number) {
  return rows<{ id: number; role: StaffRole; trusted: boolean }>(
    db,
    sql`select s.organization_id::int as id, s.role, o.status = 'trusted' as trusted
        from organization_staff s join organizations o on o.id = s.organization_id
        where s.city_id = ${cityId} and s.user_id = ${userId} and o.status in ('approved', 'trusted')`,
  )
}
