import { z } from 'zod'
import type { Platform } from '../../platform/module.ts'
import { createApiKey, revokeApiKey } from './api-keys.ts'
import type { Result } from './organizations.ts'
import { recordChange } from './repository.ts'
import { API_SCOPES } from './schema.ts'

/** The new-key form: a name and at least one scope. */
export const apiKeySchema = z.object({
  name: z.string().trim().min(1, 'errors.keyName').max(100, 'errors.keyName'),
  scopes: z.array(z.enum(API_SCOPES, { message: 'errors.scopes' })).min(1, 'errors.scopes'),
})

/** Creates an API key for the organization from the form; the full key is returned only here. */
export async function createOrganizationApiKey(
  platform: Platform,
  cityId: number,
  organizationId: number,
  userId: number,
  body: Record<string, unknown>,
): Promise<Result<{ name: string; key: string }, 'invalid'>> {
  const scopes = ([] as unknown[]).concat(body.scopes ?? [])
  const parsed = apiKeySchema.safeParse({ name: typeof body.name === 'string' ? body.name : '', scopes })
  if (!parsed.success) {
    // One message per field: each scope checkbox could otherwise report the same problem.
    const fields: { field: string; key: string }[] = []
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0])
      if (!fields.some((f) => f.field === field)) fields.push({ field, key: issue.message })
    }
    return { ok: false, error: 'invalid', fields }
  }
  const { name } = parsed.data
  const uniqueScopes = [...new Set(parsed.data.scopes)]
  const created = await createApiKey(platform.db, {
    cityId,
    organizationId,
    name,
    scopes: uniqueScopes,
    createdByUserId: userId,
  })
  await recordChange(platform.db, cityId, organizationId, userId, 'api-key-created', {
    keyId: created.id,
    name,
    scopes: uniqueScopes,
  })
  return { ok: true, value: { name, key: created.key } }
}

/** Revokes one of the organization's keys and records who did it. */
export async function revokeOrganizationApiKey(
  platform: Platform,
  cityId: number,
  organizationId: number,
  userId: number,
  keyId: number,
): Promise<boolean> {
  if (!Number.isSafeInteger(keyId)) return false
  if (!(await revokeApiKey(platform.db, cityId, organizationId, keyId))) return false
  await recordChange(platform.db, cityId, organizationId, userId, 'api-key-revoked', { keyId })
  return true
}
