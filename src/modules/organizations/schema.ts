import { boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, translated, updatedAt } from '../../platform/db/columns.ts'

export const SECTORS = [
  'school',
  'university',
  'library',
  'museum',
  'employer',
  'community',
  'public-service',
  'online',
] as const
export type Sector = (typeof SECTORS)[number]

export const organizations = pgTable(
  'organizations',
  {
    id: id(),
    cityId: cityId(),
    slug: text('slug').notNull(),
    name: translated('name'),
    description: translated('description'),
    sector: text('sector').$type<Sector>().notNull(),
    website: text('website'),
    status: text('status')
      .$type<'pending' | 'approved' | 'trusted' | 'suspended'>()
      .notNull()
      .default('pending'),
    isDemo: boolean('is_demo').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('organizations_city_slug_key').on(t.cityId, t.slug)],
)

export const STAFF_ROLES = ['editor', 'issuer', 'admin'] as const
export type StaffRole = (typeof STAFF_ROLES)[number]

export const organizationStaff = pgTable(
  'organization_staff',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    userId: ref('user_id').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('organization_staff_org_user_key').on(t.organizationId, t.userId),
    index('organization_staff_user_idx').on(t.userId),
  ],
)

export const API_SCOPES = ['opportunities:read', 'opportunities:write'] as const
export type ApiScope = (typeof API_SCOPES)[number]

/** Per-organization API keys: only a hash is stored; the key is shown once at creation. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes').array().$type<ApiScope[]>().notNull(),
    createdByUserId: ref('created_by_user_id'),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_hash_key').on(t.keyHash)],
)
