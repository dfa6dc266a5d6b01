import type { Module } from '../../../platform/module.ts'
import { DIGEST_EVERY_MS, DIGEST_JOB, sendDueDigests } from './digest.ts'
import { SAVED_ROUTE, savedSearchPages } from './pages.tsx'
import { UNSUBSCRIBE_PATH } from './unsubscribe-pages.tsx'

export { DIGEST_JOB, SAVED_ROUTE }

/** Saved searches and their email digests of new matches. */
export const savedSearchesModule: Module = {
  name: 'saved-searches',
  messages: new URL('./messages/', import.meta.url),
  nav: [{ path: 'saved-searches', labelKey: 'saved-searches.nav', audience: 'signed-in', order: 55 }],
  routes: (app, platform) => savedSearchPages(app, platform),
  jobs: (platform) => ({
    [DIGEST_JOB]: async () => {
      await sendDueDigests(platform)
    },
  }),
  recurring: { [DIGEST_JOB]: DIGEST_EVERY_MS },
  csrfExempt: [UNSUBSCRIBE_PATH],
}
