import type { Module } from '../../platform/module.ts'
import { cityApi } from './api.ts'
import { cityPages } from './pages.tsx'
import { seedChicago } from './seed.ts'

/** Tenancy: cities, their districts (boundaries + population) and learning venues. */
export const citiesModule: Module = {
  nav: [{ path: 'districts', labelKey: 'cities.districts.title', order: 30 }],
  name: 'cities',
  messages: new URL('./messages/', import.meta.url),
  routes(app, platform) {
    cityApi(app, platform)
    cityPages(app, platform)
  },
  async seed(platform) {
    await seedChicago(platform)
  },
}
