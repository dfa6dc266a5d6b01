import type { Module } from '../../../platform/module.ts'
import { addOpenDataFeed } from '../feeds.ts'
import { HSDS_BASE, hsdsRoutes } from './routes.ts'

addOpenDataFeed({
  id: 'hsds-directory',
  path: (city) => `${HSDS_BASE.replace('{city}', city)}/services`,
  format: 'HSDS 3.0',
  mediaType: 'application/json',
  titleKey: 'hsds.feed.title',
  descriptionKey: 'hsds.feed.description',
  specification: 'https://docs.openreferral.org/en/v3.0/',
})

/** The provider directory as an HSDS 3.0 (Open Referral) read API, listed on the open data page. */
export const hsdsModule: Module = {
  name: 'hsds',
  messages: new URL('./messages/', import.meta.url),
  routes: hsdsRoutes,
}
