import { boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, id, ref } from '../../platform/db/columns.ts'

/** People hold one account across the network; their roles in a city live in city_roles. */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    language: text('language').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    isNetworkAdmin: boolean('is_network_admin').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
)

export const CITY_ROLES = ['learner', 'guardian', 'coordinator'] as const
export type CityRole = (typeof CITY_ROLES)[number]

export const cityRoles = pgTable(
  'city_roles',
  {
    id: id(),
    cityId: ref('city_id').notNull(),
    userId: ref('user_id').notNull(),
    role: text('role').$type<CityRole>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('city_roles_city_user_role_key').on(t.cityId, t.userId, t.role)],
)

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    /** sha256 of the cookie token: a database leak does not leak live sessions. */
    tokenHash: text('token_hash').notNull(),
    userId: ref('user_id').notNull(),
    userAgent: text('user_agent').notNull().default(''),
    ipAddress: text('ip_address').notNull().default(''),
    remember: boolean('remember').notNull().default(false),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
)

export const emailTokens = pgTable(
  'email_tokens',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: ref('user_id').notNull(),
    purpose: text('purpose').$type<'verify-email' | 'reset-password'>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('email_tokens_token_hash_key').on(t.tokenHash)],
)
