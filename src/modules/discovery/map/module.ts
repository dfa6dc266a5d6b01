import type { Module } from '../../../platform/module.ts'

/** The map of search results over the city's districts. */
export const discoveryMapModule: Module = {
  name: 'discovery-map',
}
