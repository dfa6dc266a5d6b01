import type { Module } from '../../../platform/module.ts'
import { hsdsRoutes } from './routes.ts'

/** The provider directory as an HSDS 3.0 (Open Referral) read API. */
export const hsdsModule: Module = {
  name: 'hsds',
  routes: hsdsRoutes,
}
