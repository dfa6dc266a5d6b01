import type { Platform } from '../../platform/module.ts'
import { insertResource, seededIds } from './repository.ts'
import { SEED_RESOURCES } from './seed-data.ts'

/**
 * Adds the network-wide starting library (seed-data.ts). Idempotent: resources already seeded are left
 * as they are, so curators' edits survive; only missing ones are added. Returns how many were added.
 */
export async function seedHubLibrary(platform: Platform): Promise<number> {
  const ids = await seededIds(platform.db)
  const publishedAt = new Date()
  let added = 0
  for (const r of SEED_RESOURCES) {
    if (ids.has(r.key)) continue
    const parentId = r.parent ? ids.get(r.parent) : null
    if (r.parent && parentId === undefined)
      throw new Error(`seed: ${r.key} comes before its parent ${r.parent}`)
    const { key, parent: _parent, ...fields } = r
    const id = await insertResource(platform.db, {
      ...fields,
      seedKey: key,
      cityId: null,
      parentId,
      status: 'published',
      publishedAt,
    })
    if (id !== undefined) {
      ids.set(key, id)
      added++
    }
  }
  return added
}
