import { createCity } from '../src/modules/cities/index.ts'
import { type Filters, parseFilters } from '../src/modules/discovery/index.ts'
import { type Actor, createOpportunity, updateOpportunity } from '../src/modules/opportunities/index.ts'
import { createOrganization } from '../src/modules/organizations/index.ts'
import { sql } from '../src/platform/db/index.ts'
import { opportunityFactory } from './factories.ts'
import type { TestPlatform } from './platform.ts'

/** Parses a search's query string, throwing on a bad one (tests write good ones). */
export function filtersOf(query: string): Filters {
  const parsed = parseFilters(new URLSearchParams(query))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.filters
}

/**
 * A city in Chicago's time zone whose providers publish opportunities by name: `ids` maps each
 * name to its id, so a test can read results as names.
 */
export async function testCatalogue(t: TestPlatform, slug: string) {
  const timeZone = 'America/Chicago'
  const made = await createCity(t.platform, { slug, name: { en: slug }, defaultLanguage: 'en', timeZone })
  if (!made.ok) throw new Error('city')
  const city = { id: made.value, timeZone }
  const actor: Actor = {
    userId: null,
    label: 'test',
    cityId: city.id,
    timeZone,
    coordinator: false,
    organizations: [],
  }
  const ids: Record<string, number> = {}
  return {
    city,
    ids,
    /** A trusted provider the catalogue's actor administers. */
    async provider(orgSlug: string, sector: 'library' | 'community', name = orgSlug) {
      const o = await createOrganization(t.platform, city.id, {
        slug: orgSlug,
        name: { en: name },
        sector,
        trusted: true,
      })
      if (!o.ok) throw new Error('org')
      actor.organizations.push({ id: o.value, role: 'admin', trusted: true })
      return o.value
    },
    /** Publishes the factory's opportunity with these fields, under this name. */
    async add(name: string, organization: number, fields: Record<string, unknown>) {
      const res = await createOpportunity(t.platform, actor, organization, opportunityFactory(fields), {
        publish: true,
      })
      if (!res.ok) throw new Error(`${name}: ${JSON.stringify(res)}`)
      ids[name] = res.value.id
    },
    /** Saves the named opportunity again with the factory's fields and these, as its provider would. */
    async change(name: string, fields: Record<string, unknown>) {
      const res = await updateOpportunity(t.platform, actor, ids[name]!, opportunityFactory(fields))
      if (!res.ok) throw new Error(`${name}: ${JSON.stringify(res)}`)
    },
    /** A rectangular district [west, south, east, north]. */
    async district(code: string, name: string, [west, south, east, north]: [number, number, number, number]) {
      const ring = [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ]
      await t.platform.db.execute(
        sql`insert into districts (city_id, code, name, geometry, bbox)
            values (${city.id}, ${code}, ${JSON.stringify({ en: name })}::jsonb,
              ${JSON.stringify({ type: 'Polygon', coordinates: [ring] })}::jsonb,
              ${`{${[west, south, east, north].join(',')}}`})`,
      )
    },
    /** The names of matches, in their order. */
    names(matches: { id: number }[]) {
      const byId = new Map(Object.entries(ids).map(([n, id]) => [id, n]))
      return matches.map((m) => byId.get(m.id))
    },
  }
}
