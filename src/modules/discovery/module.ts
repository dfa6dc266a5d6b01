import type { Module, Platform } from '../../platform/module.ts'
import { listCities } from '../cities/index.ts'
import { searchApi } from './api.ts'
import { searchFeeds } from './feeds.ts'
import { discoveryPersonalData } from './personal-data.ts'
import { searchPages } from './search-page.tsx'
import { refreshWords } from './words.ts'

export const REFRESH_WORDS_JOB = 'discovery.refresh-words'

/** Rebuilds every city's search vocabulary (what mistyped words are corrected to). */
async function refreshAll(platform: Platform) {
  for (const city of await listCities(platform.db)) await refreshWords(platform.db, city.id)
}

/** Discovery: searching the catalogue. Runs after the demo module, so its seed sees the demo city. */
export const discoveryModule: Module = {
  name: 'discovery',
  personalData: discoveryPersonalData,
  jobs: (platform) => ({ [REFRESH_WORDS_JOB]: () => refreshAll(platform) }),
  recurring: { [REFRESH_WORDS_JOB]: 3600_000 },
  seed: (platform) => refreshAll(platform),
  messages: new URL('./messages/', import.meta.url),
  routes: (app, platform) => {
    searchApi(app, platform)
    searchPages(app, platform)
    searchFeeds(app, platform)
  },
}
