import type { Module } from '../../platform/module.ts'
import { opportunityApi } from './api.ts'
import { opportunityPages } from './pages.tsx'

/** Learning opportunities: what providers publish and residents book. */
export const opportunitiesModule: Module = {
  name: 'opportunities',
  messages: new URL('./messages/', import.meta.url),
  routes(app, platform) {
    opportunityApi(app, platform)
    opportunityPages(app, platform)
  },
}
