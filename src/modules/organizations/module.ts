import type { Module } from '../../platform/module.ts'
import { organizationApi } from './api.ts'

/** Learning providers of every sector and their staff. */
export const organizationsModule: Module = {
  name: 'organizations',
  routes: organizationApi,
}
