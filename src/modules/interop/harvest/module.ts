import type { Module } from '../../../platform/module.ts'
import { harvestApi } from './api.ts'
import { HARVEST_DUE_JOB, harvestJobs } from './jobs.ts'
import { harvestPages } from './pages.tsx'

/** Harvesting outside feeds (RPDE/OpenActive, iCalendar, CSV) and one-off .ics imports into the catalogue. */
export const harvestModule: Module = {
  name: 'harvest',
  messages: new URL('./messages/', import.meta.url),
  jobs: (platform) => harvestJobs(platform),
  recurring: { [HARVEST_DUE_JOB]: 5 * 60_000 },
  routes(app, platform) {
    harvestApi(app, platform)
    harvestPages(app, platform)
  },
}
