import { createHash, randomBytes } from 'node:crypto'
import { arrayOf, type Db, firstRow, rows, sql } from '../../platform/db/index.ts'
import { API_SCOPES, type ApiScope } from './schema.ts'

export interface ApiKeyIdentity {
  keyId: number
  cityId: number
  organizationId: number
  name: string
  scopes: ApiScope[]
  trusted: boolean
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex')

/** Creates an API key for an organization; the full key is returned once and only its hash is kept. */
export async function createApiKey(
  db: Db,
  input: {
    cityId: number
    organizationId: number
    name: string
    scopes: ApiScope[]
    createdByUserId: number | null
  },
): Promise<{ id: number; key: string }> {
  const scopes = input.scopes.filter((s) => API_SCOPES.includes(s))
  if (scopes.length === 0) throw new Error('An API key needs at least one scope')
  const prefix = randomBytes(4).toString('hex')
  const key = `lc_${prefix}_${randomBytes(24).toString('base64url')}`
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into api_keys (city_id, organization_id, name, prefix, key_hash, scopes, created_by_user_id)
        select ${input.cityId}, id, ${input.name.slice(0, 100)}, ${prefix}, ${hashKey(key)}, ${arrayOf(scopes, 'text')},
               ${input.createdByUserId}
        from organizations where id = ${input.organizationId} and city_id = ${input.cityId}
        returning id::int as id`,
  )
  if (!row) throw new Error('No such organization in this city')
  return { id: row.id, key }
}

/** Finds the live key for a bearer token and records its use; undefined for unknown or revoked keys. */
export async function authenticateApiKey(db: Db, key: string): Promise<ApiKeyIdentity | undefined> {
  if (!/^lc_[0-9a-f]{8}_[A-Za-z0-9_-]{20,64}$/.test(key)) return undefined
  return firstRow<ApiKeyIdentity>(
    db,
    sql`update api_keys k set last_used_at = now()
        from organizations o
        where k.key_hash = ${hashKey(key)} and k.revoked_at is null and o.id = k.organization_id
          and o.status in ('approved', 'trusted')
        returning k.id::int as "keyId", k.city_id::int as "cityId", k.organization_id::int as "organizationId",
                  k.name, k.scopes, o.status = 'trusted' as trusted`,
  )
}

/** Revokes one of an organization's live keys; false when there was none. */
export async function revokeApiKey(
  db: Db,
  cityId: number,
  organizationId: number,
  keyId: number,
): Promise<boolean> {
  const changed = await rows(
    db,
    sql`update api_keys set revoked_at = now()
        where id = ${keyId} and city_id = ${cityId} and organization_id = ${organizationId} and revoked_at is null
        returning id`,
  )
  return changed.length > 0
}

export interface ApiKeyRow {
  id: number
  name: string
  prefix: string
  scopes: string[]
  lastUsedAt: string | null
  createdAt: string
}

/** An organization's live keys, newest first (never the key itself). */
export function listApiKeys(db: Db, cityId: number, organizationId: number) {
  return rows<ApiKeyRow>(
    db,
    sql`select id::int as id, name, prefix, scopes, last_used_at as "lastUsedAt", created_at as "createdAt"
        from api_keys where city_id = ${cityId} and organization_id = ${organizationId} and revoked_at is null
        order by id desc`,
  )
}
