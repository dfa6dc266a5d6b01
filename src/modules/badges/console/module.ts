import type { Module } from '../../../platform/module.ts'
import { consoleApi } from './api.ts'
import { consolePages } from './pages.tsx'

/**
 * The badges console: providers' and the city's pages to define, award and hand out claim codes for
 * badges, the learner's claim page, and the JSON API for the same.
 */
export const badgeConsoleModule: Module = {
  name: 'badge-console',
  messages: new URL('./messages/', import.meta.url),
  nav: [{ path: 'badges/claim', labelKey: 'badge-console.nav.claim', audience: 'signed-in', order: 82 }],
  routes: (app, platform) => {
    consoleApi(app, platform)
    consolePages(app, platform)
  },
}
