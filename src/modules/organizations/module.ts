import type { Module } from '../../platform/module.ts'
import { organizationApi } from './api.ts'
import { organizationPages } from './pages.tsx'

/** Learning providers of every sector and their staff. */
export const organizationsModule: Module = {
  nav: [{ path: 'providers', labelKey: 'organizations.list.title', order: 20 }],
  name: 'organizations',
  messages: new URL('./messages/', import.meta.url),
  routes(app, platform) {
    organizationApi(app, platform)
    organizationPages(app, platform)
  },
}
