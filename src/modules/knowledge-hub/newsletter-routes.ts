import { LANGUAGES } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { requireSignedIn } from '../accounts/index.ts'
import { HUB_ROUTE } from './hub-route.ts'
import {
  issuePage,
  issuePost,
  issuesPage,
  newIssuePage,
  newIssuePost,
  previewPage,
  sendPost,
} from './newsletter-issue-pages.tsx'
import {
  checkEmailPage,
  confirmPage,
  confirmPost,
  subscribePage,
  subscribePost,
  unsubscribePage,
  unsubscribePost,
} from './newsletter-pages.tsx'

const TOKEN = ':token{[A-Za-z0-9_-]{65}}'

/** One-click unsubscribe (RFC 8058) is posted by mail clients without cookies: exempt from CSRF. */
export const UNSUBSCRIBE_PATH = new RegExp(
  `^/(?:${LANGUAGES.join('|')})/[a-z0-9-]+/hub/newsletter/unsubscribe/[A-Za-z0-9_-]{65}$`,
)

/** The newsletter: sign-up with double opt-in, unsubscribe, and the curators' issues. */
export function newsletterRoutes(app: App, platform: Platform): void {
  const news = `${HUB_ROUTE}/newsletter`
  app.get(news, (c) => subscribePage(c))
  app.post(news, (c) => subscribePost(c, platform))
  app.get(`${news}/check-email`, (c) => checkEmailPage(c))
  app.get(`${news}/confirm/${TOKEN}`, (c) => confirmPage(c, platform))
  app.post(`${news}/confirm/${TOKEN}`, (c) => confirmPost(c, platform))
  app.get(`${news}/unsubscribe/${TOKEN}`, (c) => unsubscribePage(c, platform))
  app.post(`${news}/unsubscribe/${TOKEN}`, (c) => unsubscribePost(c, platform))

  const issues = `${news}/issues`
  app.get(issues, requireSignedIn, (c) => issuesPage(c, platform))
  app.get(`${issues}/new`, requireSignedIn, (c) => newIssuePage(c, platform))
  app.post(`${issues}/new`, requireSignedIn, (c) => newIssuePost(c, platform))
  app.get(`${issues}/:id{[0-9]{1,15}}`, requireSignedIn, (c) => issuePage(c, platform))
  app.post(`${issues}/:id{[0-9]{1,15}}`, requireSignedIn, (c) => issuePost(c, platform))
  app.get(`${issues}/:id{[0-9]{1,15}}/preview`, requireSignedIn, (c) => previewPage(c, platform))
  app.post(`${issues}/:id{[0-9]{1,15}}/send`, requireSignedIn, (c) => sendPost(c, platform))
}
