import type { Module } from '../../platform/module.ts'
import { opportunityApi } from './api.ts'

/** Learning opportunities: what providers publish and residents book. */
export const opportunitiesModule: Module = {
  name: 'opportunities',
  routes: opportunityApi,
}
