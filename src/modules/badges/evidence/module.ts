import type { Module } from '../../../platform/module.ts'
import { evidenceApi } from './api.ts'
import { evidencePages } from './pages.tsx'

/**
 * Evidence submission reviewed by the issuer: learners apply for an achievement that accepts
 * evidence, the issuer's staff approve (the badge is issued with the evidence in it) or return it
 * with feedback.
 */
export const badgeEvidenceModule: Module = {
  name: 'badge-evidence',
  messages: new URL('./messages/', import.meta.url),
  nav: [{ path: 'badges/submissions', labelKey: 'badge-evidence.nav', order: 85, audience: 'signed-in' }],
  routes: (app, platform) => {
    evidenceApi(app, platform)
    evidencePages(app, platform)
  },
}
