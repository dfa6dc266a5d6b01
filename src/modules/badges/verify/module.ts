import type { Module } from '../../../platform/module.ts'
import { verifyApi } from './api.ts'
import { verifyPages } from './pages.tsx'

/** Badge verification: the public checker page of each city and POST /api/v1/credentials/verify. */
export const badgeVerifierModule: Module = {
  name: 'badge-verify',
  messages: new URL('./messages/', import.meta.url),
  nav: [{ path: 'badges/verify', labelKey: 'badge-verify.nav', order: 80 }],
  routes: (app, platform) => {
    verifyApi(app, platform)
    verifyPages(app, platform)
  },
}
