import type { Platform } from '../../platform/module.ts'
import type { OpportunityRow } from '../opportunities/index.ts'
import { sessionCapacityForm } from './model.ts'
import { announceOffers, offerFreedSeats, type Result } from './registrations.ts'
import * as repo from './repository.ts'

/**
 * Sets one upcoming session's own number of places, or clears it (empty) so the opportunity's applies.
 * It changes under the session's lock, like every booking, so no booking sees half a change. Lowering
 * it below the places taken keeps every booking (newcomers join the waitlist); raising it offers the
 * new seats to the people waiting, who are emailed a claim link.
 */
export async function changeSessionCapacity(
  platform: Platform,
  opportunity: OpportunityRow,
  sessionId: number,
  raw: { capacity: string },
): Promise<Result<{ capacity: number | null }, 'not-found' | 'invalid' | 'closed'>> {
  const parsed = sessionCapacityForm.safeParse(raw)
  if (!parsed.success) {
    return {
      ok: false,
      error: 'invalid',
      fields: parsed.error.issues.map((i) => ({ field: 'capacity', detail: i.message })),
    }
  }
  const { cityId } = opportunity
  const capacity = parsed.data.capacity
  const outcome = await platform.db.transaction(async (tx) => {
    const session = await repo.lockOwnSession(tx, cityId, opportunity.id, sessionId)
    if (!session) return 'not-found' as const
    if (session.cancelled || new Date(session.startsAt).getTime() <= Date.now()) return 'closed' as const
    await repo.setSessionCapacity(tx, cityId, sessionId, capacity)
    return offerFreedSeats(tx, cityId, sessionId)
  })
  if (typeof outcome === 'string') return { ok: false, error: outcome }
  await announceOffers(platform, cityId, outcome)
  return { ok: true, value: { capacity } }
}
