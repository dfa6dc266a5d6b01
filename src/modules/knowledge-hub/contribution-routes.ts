import type { App, Platform } from '../../platform/module.ts'
import { requireSignedIn } from '../accounts/index.ts'
import { submitPage, submitPost, thanksPage } from './contribution-pages.tsx'
import { HUB_ROUTE } from './hub-route.ts'
import { queuePage, reviewPage, reviewPost } from './review-pages.tsx'

/** Contributions (anyone signed in) and their review (the scope's curators); the hub sets the city scope. */
export function contributionRoutes(app: App, platform: Platform): void {
  app.get(`${HUB_ROUTE}/submit`, requireSignedIn, (c) => submitPage(c))
  app.post(`${HUB_ROUTE}/submit`, requireSignedIn, (c) => submitPost(c, platform))
  app.get(`${HUB_ROUTE}/submit/thanks`, requireSignedIn, (c) => thanksPage(c))
  app.get(`${HUB_ROUTE}/review`, requireSignedIn, (c) => queuePage(c, platform))
  app.get(`${HUB_ROUTE}/review/:id{[0-9]{1,15}}`, requireSignedIn, (c) => reviewPage(c, platform))
  app.post(`${HUB_ROUTE}/review/:id{[0-9]{1,15}}`, requireSignedIn, (c) => reviewPost(c, platform))
}
