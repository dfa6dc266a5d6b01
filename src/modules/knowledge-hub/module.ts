import type { Module } from '../../platform/module.ts'
import { cityScope } from '../cities/index.ts'
import { contributionRoutes } from './contribution-routes.ts'
import { explainerPages } from './explainer.tsx'
import { feedRoutes } from './feeds.ts'
import { HUB_ROUTE } from './hub-route.ts'
import { LINK_CHECK_JOB, linkCheckJobs, linkCheckPages } from './link-check-pages.tsx'
import { NEWSLETTER_BATCH_JOB, sendIssueBatch } from './newsletter.ts'
import { newsletterRoutes, UNSUBSCRIBE_PATH } from './newsletter-routes.ts'
import { hubPages } from './pages.tsx'
import { knowledgeHubPersonalData } from './personal-data.ts'
import { seedHubLibrary } from './seed.ts'

/** The knowledge hub: the learning-city resource library of a city and of the network. */
export const knowledgeHubModule: Module = {
  name: 'knowledge-hub',
  personalData: knowledgeHubPersonalData,
  messages: new URL('./messages/', import.meta.url),
  nav: [{ path: 'hub', labelKey: 'knowledge-hub.nav.hub', order: 40 }],
  jobs: (platform) => ({
    ...linkCheckJobs(platform),
    [NEWSLETTER_BATCH_JOB]: (payload) => sendIssueBatch(platform, (payload as { issueId: number }).issueId),
  }),
  csrfExempt: [UNSUBSCRIBE_PATH],
  recurring: { [LINK_CHECK_JOB]: 7 * 24 * 3600_000 },
  routes(app, platform) {
    // The city scope is set once for every hub route (browse, resources, feeds, contributions…).
    app.use(HUB_ROUTE, cityScope(platform))
    app.use(`${HUB_ROUTE}/*`, cityScope(platform))
    feedRoutes(app, platform)
    explainerPages(app, platform)
    linkCheckPages(app, platform)
    hubPages(app, platform)
    contributionRoutes(app, platform)
    newsletterRoutes(app, platform)
  },
  async seed(platform, { say }) {
    const added = await seedHubLibrary(platform)
    if (added > 0) say(`Knowledge hub: added ${added} network-wide resources.`)
  },
}
