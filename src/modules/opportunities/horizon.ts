import type { JobHandler } from '../../platform/jobs/index.ts'
import type { Platform } from '../../platform/module.ts'
import { findCityById } from '../cities/index.ts'
import { materialise } from './opportunities.ts'
import * as repo from './repository.ts'

export const EXTEND_HORIZON_JOB = 'opportunities.extend-horizon'

/**
 * Sessions are stored up to a horizon; this daily job moves the horizon forward for every published
 * series (and drops nothing that already happened), so long-running series never run dry, and
 * takes sessions a week gone by out of the search index's session slots (refreshSessionSlots).
 */
export function horizonJobs(platform: Platform): Record<string, JobHandler> {
  return {
    async [EXTEND_HORIZON_JOB]() {
      for (const { cityId, id } of await repo.listPublishedSeries(platform.db)) {
        const row = await repo.findOpportunity(platform.db, cityId, id)
        const city = await findCityById(platform.db, cityId)
        if (row && city) await materialise(platform, cityId, id, row, city.timeZone)
      }
      await repo.refreshSessionSlots(platform.db, new Date())
    },
  }
}
