import { LANG_PARAM } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { requireCityRole, requireSignedIn } from '../accounts/index.ts'
import { cityScope } from '../cities/index.ts'
import { requireOrganizationAdmin } from './access.ts'
import { apiKeysPage, createKeySubmit, revokeKeySubmit } from './api-key-pages.tsx'
import {
  addVenueSubmit,
  editPage,
  editSubmit,
  registerPage,
  registerSubmit,
  removeVenueSubmit,
} from './profile-pages.tsx'
import { providerPage, providersListPage } from './public-pages.tsx'
import { reviewQueuePage, reviewSubmit } from './review-pages.tsx'
import {
  acceptSubmit,
  invitationPage,
  inviteSubmit,
  removeSubmit,
  roleSubmit,
  staffPage,
} from './staff-pages.tsx'

/** Provider pages: directory, profiles, registration, staff, API keys and the coordinators' review queue. */
export function organizationPages(app: App, platform: Platform): void {
  const city = `/${LANG_PARAM}/:city{[a-z0-9-]+}`
  const base = `${city}/providers`
  const queue = `${city}/admin/providers`
  for (const path of [base, `${base}/*`, queue, `${queue}/*`]) app.use(path, cityScope(platform))

  app.get(base, (c) => providersListPage(c, platform))
  app.get(`${base}/new`, requireSignedIn, (c) => registerPage(c))
  app.post(`${base}/new`, requireSignedIn, (c) => registerSubmit(c, platform))
  app.get(`${base}/invitations/:token`, (c) => invitationPage(c, platform))
  app.post(`${base}/invitations/:token`, requireSignedIn, (c) => acceptSubmit(c, platform))

  const org = `${base}/:slug{[a-z0-9-]+}`
  const admin = requireOrganizationAdmin(platform)
  app.get(org, (c) => providerPage(c, platform))
  app.get(`${org}/edit`, admin, (c) => editPage(c, platform))
  app.post(`${org}/edit`, admin, (c) => editSubmit(c, platform))
  app.post(`${org}/venues`, admin, (c) => addVenueSubmit(c, platform))
  app.post(`${org}/venues/:venue{[0-9]+}/remove`, admin, (c) => removeVenueSubmit(c, platform))
  app.get(`${org}/staff`, admin, (c) => staffPage(c, platform))
  app.post(`${org}/staff/invite`, admin, (c) => inviteSubmit(c, platform))
  app.post(`${org}/staff/:user{[0-9]+}/role`, admin, (c) => roleSubmit(c, platform))
  app.post(`${org}/staff/:user{[0-9]+}/remove`, admin, (c) => removeSubmit(c, platform))
  app.get(`${org}/api-keys`, admin, (c) => apiKeysPage(c, platform))
  app.post(`${org}/api-keys`, admin, (c) => createKeySubmit(c, platform))
  app.post(`${org}/api-keys/:key{[0-9]+}/revoke`, admin, (c) => revokeKeySubmit(c, platform))

  const coordinator = requireCityRole(platform, 'coordinator')
  app.get(queue, coordinator, (c) => reviewQueuePage(c, platform))
  app.post(`${queue}/:slug{[a-z0-9-]+}/review`, coordinator, (c) => reviewSubmit(c, platform))
}
