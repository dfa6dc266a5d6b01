import type { Platform } from '../../platform/module.ts'
import { findOpportunity } from '../opportunities/index.ts'
import { unmetForm } from './model.ts'
import type { Result } from './registrations.ts'
import * as repo from './repository.ts'

/**
 * Records why someone cannot go or did not book ("full", "too far" …) with where the opportunity is,
 * and nothing about the person: the rows feed the city's equity map.
 */
export async function recordUnmetDemand(
  platform: Platform,
  cityId: number,
  opportunityId: number,
  raw: unknown,
): Promise<Result<void, 'not-found' | 'invalid'>> {
  const opportunity = await findOpportunity(platform.db, cityId, opportunityId)
  if (opportunity?.status !== 'published') return { ok: false, error: 'not-found' }
  const parsed = unmetForm.safeParse(raw)
  if (!parsed.success) return { ok: false, error: 'invalid' }
  await repo.insertUnmetDemand(platform.db, {
    cityId,
    opportunityId,
    sessionId: null,
    reason: parsed.data.reason,
    districtId: opportunity.districtId,
  })
  return { ok: true, value: undefined }
}
