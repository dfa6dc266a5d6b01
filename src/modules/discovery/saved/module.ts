import type { Module } from '../../../platform/module.ts'

/** Saved searches and their email digests of new matches. */
export const savedSearchesModule: Module = {
  name: 'saved-searches',
}
