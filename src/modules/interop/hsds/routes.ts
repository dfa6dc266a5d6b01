/**
 * The HSDS 3.0 read API (Open Referral) of a city's provider directory, under
 * /api/v1/cities/{city}/hsds: `/`, `/organizations`, `/services`, `/service_at_locations`
 * `/taxonomies`, `/taxonomy_terms` (each with `/{id}`), and `/locations` (not in the 3.0 API; its
 * objects are HSDS locations).
 * Lists are pages of `per_page` (1-100, default 50) with HSDS's envelope; bad parameters answer
 * 400 problem+json naming each one.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { problem } from '../../../platform/http/problem.ts'
import { translated } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { findCityBySlug } from '../../cities/index.ts'
import type { Directory } from './directory.ts'
import { isUuid, type Kind, rowIdOf } from './ids.ts'
import * as map from './map.ts'
import { type ListParam, type ListQuery, parseItemQuery, parseListQuery } from './query.ts'
import * as repo from './repository.ts'
import * as taxonomy from './taxonomy.ts'

type Json = Record<string, unknown>

export const HSDS_BASE = '/api/v1/cities/{city}/hsds'
const base = HSDS_BASE.replace('{city}', ':city')

/** HSDS's paginated envelope. */
function envelope(contents: Json[], total: number, q: ListQuery): Json {
  const totalPages = Math.max(1, Math.ceil(total / q.perPage))
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: q.page,
    size: contents.length,
    first_page: q.page === 1,
    last_page: q.page >= totalPages,
    empty: contents.length === 0,
    contents,
  }
}

const paging = (q: ListQuery) => ({ limit: q.perPage, offset: (q.page - 1) * q.perPage })

async function directoryOf(c: Context, platform: Platform) {
  const city = await findCityBySlug(platform.db, c.req.param('city') ?? '')
  if (!city) return undefined
  const d: Directory = {
    cityId: city.id,
    citySlug: city.slug,
    origin: platform.config.publicUrl,
    lang: city.defaultLanguage,
    timeZone: city.timeZone,
    cityName: translated(city.name, city.defaultLanguage, []).text,
  }
  return d
}

const notFound = (c: Context, what: string) =>
  problem(c, { title: `No such ${what} in this directory`, status: 404 })

/** The locations of these services' places, keyed `kind:id`. */
async function placesOf(platform: Platform, d: Directory, services: repo.ServiceSource[], full: boolean) {
  const at = services.map(map.placeOf).filter((p) => p !== undefined)
  const venueIds = at.filter((p) => p.kind === 'venue').map((p) => p.id)
  const placeIds = at.filter((p) => p.kind === 'place').map((p) => p.id)
  const found = new Map<string, Json>()
  if (at.length === 0) return found
  const { list } = await repo.locations(
    platform.db,
    d.cityId,
    { venueIds, placeIds },
    { limit: at.length, offset: 0 },
  )
  for (const l of list) found.set(`${l.kind}:${l.id}`, map.location(d, l, full))
  return found
}

async function organizationsById(platform: Platform, d: Directory, ids: number[]) {
  const unique = [...new Set(ids)]
  const { list } = await repo.organizations(
    platform.db,
    d.cityId,
    { ids: unique },
    { limit: unique.length || 1, offset: 0 },
  )
  return new Map(list.map((o) => [o.id, o]))
}

async function fullServices(platform: Platform, d: Directory, services: repo.ServiceSource[]) {
  const [orgs, places] = await Promise.all([
    organizationsById(
      platform,
      d,
      services.map((s) => s.organizationId),
    ),
    placesOf(platform, d, services, false),
  ])
  return services.map((s) => {
    const at = map.placeOf(s)
    const place = at ? places.get(`${at.kind}:${at.id}`) : undefined
    const serviceAtLocations = place ? [map.serviceAtLocation(d, s, place, true)] : []
    return map.service(d, s, orgs.get(s.organizationId), { serviceAtLocations })
  })
}

async function fullOrganizations(platform: Platform, d: Directory, list: repo.OrganizationSource[]) {
  const venues = await repo.venuesOfOrganizations(
    platform.db,
    d.cityId,
    list.map((o) => o.id),
  )
  const allVenues = [...new Set([...venues.values()].flat())]
  const { list: places } = await repo.locations(
    platform.db,
    d.cityId,
    { venueIds: allVenues, placeIds: [] },
    { limit: allVenues.length || 1, offset: 0 },
  )
  const byId = new Map(places.map((l) => [l.id, map.location(d, l, true)]))
  return list.map((o) =>
    map.organization(
      d,
      o,
      (venues.get(o.id) ?? []).map((v) => byId.get(v)).filter((l) => l !== undefined),
      true,
    ),
  )
}

/** The organization a filter names, as a row id: -1 (matching nothing) for a UUID not ours. */
const organizationFilter = (d: Directory, q: ListQuery) =>
  q.organizationId === undefined ? undefined : (rowIdOf(d.cityId, 'organization', q.organizationId) ?? -1)

/** What a services list asks for, as the repository's filter; ids not ours match nothing. */
function serviceFilter(d: Directory, q: ListQuery): repo.ServiceFilter {
  const nothing = q.taxonomyId !== undefined && q.taxonomyId !== taxonomy.taxonomyId(d)
  const block = q.taxonomyTermId === undefined ? undefined : (taxonomy.blockOf(d, q.taxonomyTermId) ?? '')
  return {
    search: q.search,
    organizationId: nothing ? -1 : organizationFilter(d, q),
    modifiedAfter: q.modifiedAfter,
    block,
  }
}

/** A page of a list held in memory (the taxonomy). */
function pageOfList(all: Json[], q: ListQuery) {
  const words = q.search?.toLowerCase()
  const found = words ? all.filter((item) => JSON.stringify(item).toLowerCase().includes(words)) : all
  const { limit, offset } = paging(q)
  return { contents: found.slice(offset, offset + limit), total: found.length }
}

type Lister = (platform: Platform, d: Directory, q: ListQuery) => Promise<{ contents: Json[]; total: number }>

const LISTS: Record<string, { params: ListParam[]; list: Lister; summary: string }> = {
  organizations: {
    params: ['search', 'full'],
    summary: 'HSDS organizations: the city’s approved providers',
    async list(platform, d, q) {
      const { list, total } = await repo.organizations(platform.db, d.cityId, { search: q.search }, paging(q))
      const contents = q.full
        ? await fullOrganizations(platform, d, list)
        : list.map((o) => map.organization(d, o))
      return { contents, total }
    },
  },
  services: {
    params: ['search', 'organization_id', 'modified_after', 'taxonomy_term_id', 'taxonomy_id', 'full'],
    summary: 'HSDS services: the providers’ published (active) and cancelled (inactive) opportunities',
    async list(platform, d, q) {
      const filter = serviceFilter(d, q)
      const { list, total } = await repo.services(platform.db, d.cityId, filter, paging(q))
      if (q.full) return { contents: await fullServices(platform, d, list), total }
      const orgs = await organizationsById(
        platform,
        d,
        list.map((s) => s.organizationId),
      )
      return { contents: list.map((s) => map.service(d, s, orgs.get(s.organizationId))), total }
    },
  },
  service_at_locations: {
    params: ['search', 'organization_id', 'modified_after', 'taxonomy_term_id', 'taxonomy_id', 'full'],
    summary: 'HSDS services at locations: each opportunity held at a venue or an address',
    async list(platform, d, q) {
      const filter = { ...serviceFilter(d, q), placed: true }
      const { list, total } = await repo.services(platform.db, d.cityId, filter, paging(q))
      const [places, orgs] = await Promise.all([
        placesOf(platform, d, list, q.full),
        organizationsById(
          platform,
          d,
          list.map((s) => s.organizationId),
        ),
      ])
      const contents = list.map((s) => {
        const at = map.placeOf(s)
        const place = at ? places.get(`${at.kind}:${at.id}`) : undefined
        const one = map.serviceAtLocation(d, s, place, q.full)
        // The list form names its service; the full form is HSDS's service_at_location, which does not.
        return q.full ? one : { ...one, service: map.service(d, s, orgs.get(s.organizationId)) }
      })
      return { contents, total }
    },
  },
  taxonomies: {
    params: ['search'],
    summary: 'HSDS taxonomies: the learning city’s building blocks',
    list: async (_platform, d, q) => pageOfList([taxonomy.taxonomy(d)], q),
  },
  taxonomy_terms: {
    params: ['search', 'taxonomy_id'],
    summary: 'HSDS taxonomy terms: the six building blocks, one of which every service has',
    list: async (_platform, d, q) =>
      pageOfList(
        q.taxonomyId === undefined || q.taxonomyId === taxonomy.taxonomyId(d) ? taxonomy.terms(d) : [],
        q,
      ),
  },
  locations: {
    params: ['search'],
    summary:
      'HSDS locations: venues of the providers and the addresses of their opportunities (an extension)',
    async list(platform, d, q) {
      const { list, total } = await repo.locations(platform.db, d.cityId, { search: q.search }, paging(q))
      return { contents: list.map((l) => map.location(d, l, false, true)), total }
    },
  },
}

type Getter = (platform: Platform, d: Directory, id: string) => Promise<Json | undefined>

const ITEMS: Record<string, { what: string; get: Getter }> = {
  taxonomies: {
    what: 'taxonomy',
    get: async (_platform, d, id) => (id === taxonomy.taxonomyId(d) ? taxonomy.taxonomy(d) : undefined),
  },
  taxonomy_terms: {
    what: 'taxonomy term',
    async get(_platform, d, id) {
      const block = taxonomy.blockOf(d, id)
      return block ? taxonomy.term(d, block) : undefined
    },
  },
  organizations: {
    what: 'organization',
    async get(platform, d, id) {
      const rowId = rowIdOf(d.cityId, 'organization', id)
      if (rowId === undefined) return undefined
      const { list } = await repo.organizations(
        platform.db,
        d.cityId,
        { ids: [rowId] },
        { limit: 1, offset: 0 },
      )
      return list[0] ? (await fullOrganizations(platform, d, list))[0] : undefined
    },
  },
  services: {
    what: 'service',
    async get(platform, d, id) {
      const rowId = rowIdOf(d.cityId, 'service', id)
      if (rowId === undefined) return undefined
      const { list } = await repo.services(platform.db, d.cityId, { ids: [rowId] }, { limit: 1, offset: 0 })
      return list[0] ? (await fullServices(platform, d, list))[0] : undefined
    },
  },
  service_at_locations: {
    what: 'service at location',
    async get(platform, d, id) {
      const rowId = rowIdOf(d.cityId, 'serviceAtLocation', id)
      if (rowId === undefined) return undefined
      const filter = { ids: [rowId], placed: true }
      const { list } = await repo.services(platform.db, d.cityId, filter, { limit: 1, offset: 0 })
      const s = list[0]
      if (!s) return undefined
      const at = map.placeOf(s)
      const places = await placesOf(platform, d, [s], true)
      return map.serviceAtLocation(d, s, at ? places.get(`${at.kind}:${at.id}`) : undefined, true)
    },
  },
  locations: {
    what: 'location',
    async get(platform, d, id) {
      for (const kind of ['venue', 'place'] as Kind[]) {
        const rowId = rowIdOf(d.cityId, kind, id)
        if (rowId === undefined) continue
        const filter =
          kind === 'venue' ? { venueIds: [rowId], placeIds: [] } : { venueIds: [], placeIds: [rowId] }
        const { list } = await repo.locations(platform.db, d.cityId, filter, { limit: 1, offset: 0 })
        return list[0] ? map.location(d, list[0], true) : undefined
      }
      return undefined
    },
  },
}

const cityParam = z.object({ city: z.string().openapi({ param: { name: 'city', in: 'path' } }) })

export function hsdsRoutes(app: App, platform: Platform): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: HSDS_BASE,
    summary: 'HSDS 3.0 (Open Referral) directory of the city: version and where the API is described',
    tags: ['Open data'],
    request: { params: cityParam },
    responses: {
      200: { description: '{ version, profile, openapi_url }' },
      404: { description: 'No such city' },
    },
  })
  app.get(base, async (c) => {
    const d = await directoryOf(c, platform)
    if (!d) return notFound(c, 'city')
    return c.json({
      version: '3.0',
      profile: 'https://docs.openreferral.org/en/v3.0/',
      openapi_url: `${platform.config.publicUrl}/api/openapi.json`,
    })
  })
  for (const [name, spec] of Object.entries(LISTS)) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: `${HSDS_BASE}/${name}`,
      summary: spec.summary,
      description: 'A page of HSDS 3.0 objects in HSDS’s envelope. See docs/open-data-hsds-ical.md.',
      tags: ['Open data'],
      request: {
        params: cityParam,
        query: z.object({
          page: z.string().optional().openapi({ description: 'page number, from 1' }),
          per_page: z.string().optional().openapi({ description: 'items per page, 1 to 100 (50)' }),
          format: z.string().optional().openapi({ description: 'json (the only format)' }),
          ...Object.fromEntries(spec.params.map((p) => [p, z.string().optional()])),
        }),
      },
      responses: {
        200: {
          description:
            '{ total_items, total_pages, page_number, size, first_page, last_page, empty, contents }',
        },
        400: { description: 'Bad parameters, each with what to do instead (problem+json)' },
        404: { description: 'No such city (problem+json)' },
      },
    })
    app.get(`${base}/${name}`, async (c) => {
      const d = await directoryOf(c, platform)
      if (!d) return notFound(c, 'city')
      const parsed = parseListQuery(new URL(c.req.url).searchParams, spec.params)
      if (!parsed.ok) {
        return problem(c, { title: 'Some parameters cannot be used', status: 400, errors: parsed.errors })
      }
      const { contents, total } = await spec.list(platform, d, parsed.value)
      return c.json(envelope(contents, total, parsed.value), 200, { 'cache-control': 'public, max-age=60' })
    })
  }
  for (const [name, spec] of Object.entries(ITEMS)) {
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: `${HSDS_BASE}/${name}/{id}`,
      summary: `One HSDS ${spec.what}, with its nested objects`,
      tags: ['Open data'],
      request: {
        params: cityParam.extend({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) }),
      },
      responses: {
        200: { description: `The ${spec.what}` },
        400: { description: 'The id is not a UUID (problem+json)' },
        404: { description: `No such ${spec.what} in this city (problem+json)` },
      },
    })
    app.get(`${base}/${name}/:id`, async (c) => {
      const d = await directoryOf(c, platform)
      if (!d) return notFound(c, 'city')
      const id = (c.req.param('id') ?? '').toLowerCase()
      const errors = parseItemQuery(new URL(c.req.url).searchParams)
      if (!isUuid(id))
        errors.unshift({ field: 'id', detail: `Use the id (a UUID) of a ${spec.what} of this directory` })
      if (errors.length > 0) return problem(c, { title: 'This address cannot be used', status: 400, errors })
      const found = await spec.get(platform, d, id)
      return found ? c.json(found, 200, { 'cache-control': 'public, max-age=60' }) : notFound(c, spec.what)
    })
  }
}
