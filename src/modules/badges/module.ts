import type { Module } from '../../platform/module.ts'
import { awardForAttendance } from './awards.ts'
import { badgesPersonalData } from './personal-data.ts'
import { badgePublicRoutes } from './public-routes.ts'

/** Open Badges 3.0: achievements, issuer profiles (did:web), signed credentials, status lists, awards. */
export const badgesModule: Module = {
  name: 'badges',
  personalData: badgesPersonalData,
  messages: new URL('./messages/', import.meta.url),
  routes(app, platform) {
    badgePublicRoutes(app, platform)
  },
  subscribe(platform) {
    platform.events.on('registration.attended', async (event) => {
      await awardForAttendance(platform, event)
    })
  },
}
