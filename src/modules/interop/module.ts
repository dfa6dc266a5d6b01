import type { Module } from '../../platform/module.ts'
import { exportRoutes } from './export.ts'
import { openDataPage } from './open-data-page.tsx'
import { interopPersonalData } from './personal-data.ts'
import { rpdeRoutes } from './rpde/routes.ts'
import { pruneTombstones, stampAll } from './rpde/stamp.ts'

export const STAMP_JOB = 'interop.stamp-feeds'
export const PRUNE_TOMBSTONES_JOB = 'interop.prune-tombstones'

/**
 * Open data: the city's catalogue published as RPDE and OpenActive feeds, a city-wide export and
 * the open data page that lists every feed (other formats add theirs with addOpenDataFeed).
 */
export const interopModule: Module = {
  name: 'interop',
  personalData: interopPersonalData,
  messages: new URL('./messages/', import.meta.url),
  nav: [{ path: 'open-data', labelKey: 'interop.nav.open-data', order: 90 }],
  jobs: (platform) => ({
    // Feeds stamp on every request; this keeps quiet feeds current for pollers of their last page.
    [STAMP_JOB]: async () => {
      await stampAll(platform.db)
    },
    [PRUNE_TOMBSTONES_JOB]: async () => {
      await pruneTombstones(platform.db)
    },
  }),
  recurring: { [STAMP_JOB]: 60_000, [PRUNE_TOMBSTONES_JOB]: 24 * 3600_000 },
  routes(app, platform) {
    rpdeRoutes(app, platform)
    exportRoutes(app, platform)
    openDataPage(app, platform)
  },
}
