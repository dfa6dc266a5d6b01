/**
 * The API key of a request (`Authorization: Bearer …`) that may write opportunities, or the
 * problem document to answer instead: 401 for a missing or unknown key, 403 for a key without the
 * opportunities:write scope. The opportunities API and the feeds API both take it.
 */
import type { Context } from 'hono'
import type { Db } from '../../platform/db/index.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import { problem } from '../../platform/http/problem.ts'
import { type ApiKeyIdentity, authenticateApiKey } from './api-keys.ts'

export async function writeKeyOf(
  c: Context<AppEnv>,
  db: Db,
): Promise<
  { identity: ApiKeyIdentity; response?: undefined } | { identity?: undefined; response: Response }
> {
  const key = /^Bearer (\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
  const identity = key ? await authenticateApiKey(db, key) : undefined
  if (!identity)
    return {
      response: problem(c, {
        title: 'Missing or unknown API key',
        status: 401,
        detail: 'Send `Authorization: Bearer <key>`.',
      }),
    }
  if (!identity.scopes.includes('opportunities:write'))
    return {
      response: problem(c, {
        title: 'This key may not write',
        status: 403,
        detail: 'The key lacks the opportunities:write scope.',
      }),
    }
  return { identity }
}
