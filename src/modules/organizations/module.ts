import type { Module } from '../../platform/module.ts'
import { organizationApi } from './api.ts'
import { organizationPages } from './pages.tsx'
import { organizationsPersonalData } from './personal-data.ts'

/** Learning providers of every sector and their staff. */
export const organizationsModule: Module = {
  nav: [{ path: 'providers', labelKey: 'organizations.list.title', order: 20 }],
  name: 'organizations',
  personalData: organizationsPersonalData,
  messages: new URL('./messages/', import.meta.url),
  routes(app, platform) {
    organizationApi(app, platform)
    organizationPages(app, platform)
  },
}
