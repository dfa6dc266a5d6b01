/**
 * The console's HTML routes: the same pages for a provider (/provide/{org id}/badges) and for the
 * city's own badges (/admin/badges, coordinators), and the learner's claim page.
 */
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { requireSignedIn } from '../../accounts/index.ts'
import { requireCity } from '../../cities/index.ts'
import {
  archive,
  archivePage,
  createAchievement,
  editPage,
  listPage,
  newPage,
  saveAchievement,
} from './achievement-pages.tsx'
import { award, changeStatus, createCode, detailPage, share, statusPage } from './award-pages.tsx'
import { claim, claimPage } from './claim-page.tsx'
import { codePage, withdraw, withdrawPage } from './code-pages.tsx'
import { ownerScope } from './shared.tsx'

const CITY = `/${LANG_PARAM}/:city{[a-z0-9-]+}`
// Hono patterns cannot hold {n,m} quantifiers; the lookups check lengths.
const ID = '[0-9]+'

function ownerRoutes(app: App, platform: Platform, base: string, guard: MiddlewareHandler<AppEnv>[]) {
  app.use(base, ...guard)
  app.use(`${base}/*`, ...guard)
  app.get(base, (c) => listPage(c, platform))
  app.get(`${base}/new`, (c) => newPage(c, platform))
  app.post(`${base}/new`, (c) => createAchievement(c, platform))
  const one = `${base}/:id{${ID}}`
  app.get(one, (c) => detailPage(c, platform))
  app.get(`${one}/edit`, (c) => editPage(c, platform))
  app.post(`${one}/edit`, (c) => saveAchievement(c, platform))
  app.get(`${one}/archive`, (c) => archivePage(c, platform))
  app.post(`${one}/archive`, (c) => archive(c, platform))
  app.post(`${one}/share`, (c) => share(c, platform))
  app.post(`${one}/awards`, (c) => award(c, platform))
  const status = `${one}/awards/:award{${ID}}/:action{revoke|suspend|reinstate}`
  app.get(status, (c) => statusPage(c, platform))
  app.post(status, (c) => changeStatus(c, platform))
  app.post(`${one}/codes`, (c) => createCode(c, platform))
  app.get(`${one}/codes/:code{${ID}}`, (c) => codePage(c, platform, false))
  app.get(`${one}/codes/:code{${ID}}/print`, (c) => codePage(c, platform, true))
  app.get(`${one}/codes/:code{${ID}}/withdraw`, (c) => withdrawPage(c, platform))
  app.post(`${one}/codes/:code{${ID}}/withdraw`, (c) => withdraw(c, platform))
}

export function consolePages(app: App, platform: Platform): void {
  const city = requireCity(platform)
  ownerRoutes(app, platform, `${CITY}/provide/:org{${ID}}/badges`, [
    city,
    requireSignedIn,
    ownerScope(platform, 'provider'),
  ])
  ownerRoutes(app, platform, `${CITY}/admin/badges`, [city, requireSignedIn, ownerScope(platform, 'city')])
  const claimPath = `${CITY}/badges/claim`
  app.use(claimPath, city, requireSignedIn)
  app.get(claimPath, (c) => claimPage(c, platform))
  app.post(claimPath, (c) => claim(c, platform))
}
