import { sql } from 'drizzle-orm'
import { bigint, jsonb, timestamp } from 'drizzle-orm/pg-core'

/** Text per language, e.g. { en: 'Library', es: 'Biblioteca' }. */
export type Translated = Partial<Record<string, string>>

/** Primary key used by every table: a bigint identity exposed to JS as a number. */
export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity()

/** Foreign key to a bigint id. */
export const ref = (name: string) => bigint(name, { mode: 'number' })

/** The tenant column every city-owned row carries. */
export const cityId = () => bigint('city_id', { mode: 'number' }).notNull()

export const translated = (name: string) =>
  jsonb(name).$type<Translated>().notNull().default(sql`'{}'::jsonb`)

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
