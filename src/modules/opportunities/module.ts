import type { Module } from '../../platform/module.ts'
import { opportunityApi } from './api.ts'
import { EXTEND_HORIZON_JOB, horizonJobs } from './horizon.ts'
import { importJobs, importPages } from './import-pages.tsx'
import { refreshAfterWrites } from './page-cache.ts'
import { opportunityPages } from './pages.tsx'
import { opportunitiesPersonalData } from './personal-data.ts'
import { providerPages } from './provider-pages.tsx'
import { searchIndexJobs } from './search-index.ts'

/** Learning opportunities: what providers publish and residents book. */
export const opportunitiesModule: Module = {
  nav: [
    { path: 'opportunities', labelKey: 'opportunities.list.title', order: 10 },
    { path: 'provide', labelKey: 'opportunities.provide.dashboard.title', audience: 'signed-in', order: 60 },
  ],
  name: 'opportunities',
  personalData: opportunitiesPersonalData,
  // Its own page cache sees this process's writes before they are answered (page-cache.ts).
  middleware: refreshAfterWrites,
  messages: new URL('./messages/', import.meta.url),
  jobs: (platform) => ({ ...importJobs(platform), ...horizonJobs(platform), ...searchIndexJobs(platform) }),
  recurring: { [EXTEND_HORIZON_JOB]: 24 * 3600_000 },
  routes(app, platform) {
    opportunityApi(app, platform)
    providerPages(app, platform)
    importPages(app, platform)
    opportunityPages(app, platform)
  },
}
