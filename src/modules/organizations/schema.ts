import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
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
    /** An https:// address or a path on this site; shown with the organization's name as alt text. */
    logoUrl: text('logo_url'),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
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

export const ORGANIZATION_STATUSES = ['pending', 'approved', 'trusted', 'suspended'] as const
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number]

/** The city's venues a provider uses (venues belong to the cities module; same city only). */
export const organizationVenues = pgTable(
  'organization_venues',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    venueId: ref('venue_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('organization_venues_org_venue_key').on(t.organizationId, t.venueId)],
)

/** Who did what to an organization, and when: review decisions, staff and key changes. */
export const organizationChanges = pgTable(
  'organization_changes',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    userId: ref('user_id'),
    action: text('action').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('organization_changes_org_idx').on(t.organizationId, t.createdAt)],
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

/** Invitations to join an organization's staff: single use, 7 days, only a hash of the token is kept. */
export const organizationInvitations = pgTable(
  'organization_invitations',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id').notNull(),
    email: text('email').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedByUserId: ref('invited_by_user_id'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedByUserId: ref('accepted_by_user_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('organization_invitations_token_key').on(t.tokenHash),
    index('organization_invitations_org_idx').on(t.organizationId),
  ],
)

export const API_SCOPES = ['opportunities:read', 'opportunities:write', 'webhooks:manage'] as const
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
