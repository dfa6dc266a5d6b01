import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { cityId, createdAt, id, ref, translated, updatedAt } from '../../platform/db/columns.ts'

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

export const ACHIEVEMENT_TYPES = ['participation', 'skill', 'pathway', 'city'] as const
export type AchievementType = (typeof ACHIEVEMENT_TYPES)[number]

export const ACHIEVEMENT_LEVELS = ['introductory', 'intermediate', 'advanced'] as const
export type AchievementLevel = (typeof ACHIEVEMENT_LEVELS)[number]

/** A link to a skill or competency framework entry (e.g. an ESCO skill URI). */
export interface Alignment {
  targetName: string
  targetUrl: string
  targetFramework?: string
}

/**
 * Achievements (badge classes). `organization_id` is the owner; a city badge has none and is defined
 * by the city's coordinators. Other providers may be added as issuers (badge_achievement_issuers).
 */
export const badgeAchievements = pgTable(
  'badge_achievements',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id'),
    type: text('type').$type<AchievementType>().notNull(),
    name: translated('name'),
    description: translated('description'),
    criteria: translated('criteria'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    alignments: jsonb('alignments').$type<Alignment[]>().notNull().default([]),
    level: text('level').$type<AchievementLevel>(),
    /** Credentials of this achievement are valid this many days after issuing; null: no expiry. */
    validDays: integer('valid_days'),
    /** Opportunities whose attended sessions award this achievement automatically. */
    opportunityIds: bigint('opportunity_ids', { mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'::bigint[]`),
    image: bytea('image'),
    /** Learners may submit evidence for it, which the issuer reviews (evidence sub-module). */
    acceptsEvidence: boolean('accepts_evidence').notNull().default(false),
    createdByUserId: ref('created_by_user_id'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('badge_achievements_city_idx').on(t.cityId, t.organizationId)],
)

/** Providers that may award an achievement besides its owner. */
export const badgeAchievementIssuers = pgTable(
  'badge_achievement_issuers',
  {
    id: id(),
    cityId: cityId(),
    achievementId: ref('achievement_id').notNull(),
    organizationId: ref('organization_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('badge_achievement_issuers_key').on(t.achievementId, t.organizationId)],
)

/**
 * Issuer profiles: one per organization (and one for the city itself, organization_id null), each a
 * did:web. `next_status_index` hands out positions in the issuer's status lists.
 */
export const badgeIssuers = pgTable(
  'badge_issuers',
  {
    id: id(),
    cityId: cityId(),
    organizationId: ref('organization_id'),
    /** The did:web path after the host, e.g. issuers:chicago:acme. */
    path: text('path').notNull(),
    did: text('did').notNull(),
    nextStatusIndex: integer('next_status_index').notNull().default(0),
    /** Bumped at each revocation or suspension, so a stored status list credential is re-signed. */
    statusVersion: integer('status_version').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('badge_issuers_path_key').on(t.path), uniqueIndex('badge_issuers_did_key').on(t.did)],
)

/**
 * Issuer keys: Ed25519 (Data Integrity) and RSA (VC-JWT). Secret keys are stored encrypted
 * (AES-256-GCM). Retired keys stay in the DID document so earlier credentials still verify.
 */
export const badgeIssuerKeys = pgTable(
  'badge_issuer_keys',
  {
    id: id(),
    cityId: cityId(),
    issuerId: ref('issuer_id').notNull(),
    kind: text('kind').$type<'Ed25519' | 'RSA'>().notNull(),
    /** The verification method's fragment, e.g. key-1. */
    fragment: text('fragment').notNull(),
    publicKeyMultibase: text('public_key_multibase'),
    publicKeyJwk: jsonb('public_key_jwk').$type<Record<string, string>>(),
    secretKeyEncrypted: text('secret_key_encrypted').notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('badge_issuer_keys_fragment_key').on(t.issuerId, t.fragment)],
)

export const AWARD_PATHS = ['manual', 'attendance', 'claim-code', 'evidence'] as const
export type AwardPath = (typeof AWARD_PATHS)[number]
export const AWARD_STATUSES = ['active', 'suspended', 'revoked'] as const
export type AwardStatus = (typeof AWARD_STATUSES)[number]

/** Issued credentials, kept as signed; status changes go to the issuer's status lists. */
export const badgeAwards = pgTable(
  'badge_awards',
  {
    id: id(),
    cityId: cityId(),
    uuid: text('uuid').notNull(),
    achievementId: ref('achievement_id').notNull(),
    issuerId: ref('issuer_id').notNull(),
    organizationId: ref('organization_id'),
    recipientUserId: ref('recipient_user_id').notNull(),
    credential: jsonb('credential').$type<Record<string, unknown>>().notNull(),
    jwt: text('jwt'),
    statusIndex: integer('status_index').notNull(),
    status: text('status').$type<AwardStatus>().notNull().default('active'),
    statusReason: text('status_reason'),
    visibility: text('visibility').$type<'private' | 'public'>().notNull().default('private'),
    path: text('path').$type<AwardPath>().notNull(),
    /** What caused an automatic award (e.g. session:12, code:4), so it happens once. */
    source: text('source'),
    awardedByUserId: ref('awarded_by_user_id'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('badge_awards_uuid_key').on(t.uuid),
    uniqueIndex('badge_awards_status_index_key').on(t.issuerId, t.statusIndex),
    // One live badge per person and achievement; after a revocation it may be awarded again.
    uniqueIndex('badge_awards_once_key')
      .on(t.achievementId, t.recipientUserId)
      .where(sql`status <> 'revoked'`),
    index('badge_awards_recipient_idx').on(t.recipientUserId),
  ],
)

/** The signed status list credentials, re-signed when the issuer's status version moves on. */
export const badgeStatusLists = pgTable(
  'badge_status_lists',
  {
    id: id(),
    cityId: cityId(),
    issuerId: ref('issuer_id').notNull(),
    purpose: text('purpose').$type<'revocation' | 'suspension'>().notNull(),
    version: integer('version').notNull(),
    credential: jsonb('credential').$type<Record<string, unknown>>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('badge_status_lists_key').on(t.issuerId, t.purpose)],
)

/** Claim codes handed out at an event: one-time or limited-use, optionally until a date. */
export const badgeClaimCodes = pgTable(
  'badge_claim_codes',
  {
    id: id(),
    cityId: cityId(),
    achievementId: ref('achievement_id').notNull(),
    organizationId: ref('organization_id'),
    code: text('code').notNull(),
    maxUses: integer('max_uses').notNull(),
    uses: integer('uses').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdByUserId: ref('created_by_user_id'),
    /** When the code was withdrawn (it can no longer be claimed), and by whom. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedByUserId: ref('revoked_by_user_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('badge_claim_codes_code_key').on(t.code)],
)

export const IMPORT_SOURCES = ['file', 'paste', 'url'] as const
export type ImportSource = (typeof IMPORT_SOURCES)[number]

/**
 * Badges a learner brought from elsewhere into their wallet (never public, no city: the person's own).
 * `credential` is the JSON or VC-JWT as verified; `image` the baked PNG/SVG it came in, if any.
 * `fingerprint` (SHA-256 of the credential text) keeps one copy per person.
 */
export const badgeWalletImports = pgTable(
  'badge_wallet_imports',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    format: text('format').$type<'json-ld' | 'vc-jwt'>().notNull(),
    baked: text('baked').$type<'png' | 'svg'>(),
    source: text('source').$type<ImportSource>().notNull(),
    sourceUrl: text('source_url'),
    credential: text('credential').notNull(),
    image: bytea('image'),
    fingerprint: text('fingerprint').notNull(),
    name: text('name'),
    issuerName: text('issuer_name'),
    verdict: text('verdict').$type<'valid' | 'invalid' | 'unconfirmed'>().notNull(),
    report: jsonb('report').$type<Record<string, unknown>>().notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('badge_wallet_imports_key').on(t.userId, t.fingerprint),
    index('badge_wallet_imports_user_idx').on(t.userId, t.createdAt),
  ],
)
