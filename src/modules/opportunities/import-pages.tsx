import type { JobHandler } from '../../platform/jobs/index.ts'
import type { App, Platform } from '../../platform/module.ts'

/** CSV/XLSX bulk import: template, upload, progress and the report of bad rows. */
export function importPages(_app: App, _platform: Platform): void {}

/** Background jobs of the bulk import. */
export function importJobs(_platform: Platform): Record<string, JobHandler> {
  return {}
}
