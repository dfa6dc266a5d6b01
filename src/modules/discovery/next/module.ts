import type { Module } from '../../../platform/module.ts'
import { featuredPages } from './featured-page.tsx'
import { learnerPages } from './pages.tsx'

/** "What next?": suggestions for a signed-in learner, each with its reason, and coordinators' featuring. */
export const whatNextModule: Module = {
  name: 'what-next',
  messages: new URL('./messages/', import.meta.url),
  nav: [{ path: 'next', labelKey: 'what-next.nav', audience: 'signed-in', order: 45 }],
  routes(app, platform) {
    learnerPages(app, platform)
    featuredPages(app, platform)
  },
}
