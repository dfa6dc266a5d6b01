import { createRoute, z } from '@hono/zod-openapi'
import { problem } from '../../platform/http/problem.ts'
import { ProblemSchema } from '../../platform/http/problem-schema.ts'
import type { App, Platform } from '../../platform/module.ts'
import * as repo from './repository.ts'

const Translated = z.record(z.string(), z.string()).openapi('TranslatedText', {
  description: 'Text per language code, e.g. {"en": "Library", "es": "Biblioteca"}',
})

const City = z
  .object({
    slug: z.string(),
    name: Translated,
    defaultLanguage: z.string(),
    languages: z.array(z.string()),
    timeZone: z.string(),
  })
  .openapi('City')

const District = z
  .object({
    code: z.string(),
    name: Translated,
    population: z.number().int().nullable(),
    bbox: z.array(z.number()).length(4).openapi({ description: '[minLon, minLat, maxLon, maxLat]' }),
  })
  .openapi('District')

const listCities = createRoute({
  method: 'get',
  path: '/api/v1/cities',
  summary: 'List the cities on this install',
  tags: ['Cities'],
  responses: {
    200: {
      description: 'Cities',
      content: { 'application/json': { schema: z.object({ data: z.array(City) }) } },
    },
  },
})

const CityParam = z.object({
  city: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .openapi({ param: { name: 'city', in: 'path' }, example: 'chicago' }),
})

const listDistricts = createRoute({
  method: 'get',
  path: '/api/v1/cities/{city}/districts',
  summary: "A city's districts with 2020 population",
  tags: ['Cities'],
  request: {
    params: CityParam,
    query: z.object({
      format: z.enum(['json', 'geojson']).default('json').openapi({ description: 'geojson adds boundaries' }),
    }),
  },
  responses: {
    200: {
      description: 'Districts',
      content: { 'application/json': { schema: z.object({ data: z.array(District) }) } },
    },
    404: { description: 'No such city', content: { 'application/problem+json': { schema: ProblemSchema } } },
  },
})

export function cityApi(app: App, platform: Platform): void {
  app.openapi(listCities, async (c) => {
    const cities = await repo.listCities(platform.db)
    return c.json(
      {
        data: cities.map((city) => ({
          slug: city.slug,
          name: city.name as Record<string, string>,
          defaultLanguage: city.defaultLanguage,
          languages: city.languages,
          timeZone: city.timeZone,
        })),
      },
      200,
    )
  })

  app.openapi(listDistricts, async (c) => {
    const { city: slug } = c.req.valid('param')
    const { format } = c.req.valid('query')
    const city = await repo.findCityBySlug(platform.db, slug)
    if (!city)
      return problem(c, { title: 'City not found', status: 404, detail: `No city "${slug}"` }) as never
    const districts = await repo.listDistricts(platform.db, city.id)
    if (format === 'geojson') {
      return c.json(
        {
          type: 'FeatureCollection',
          features: districts.map((d) => ({
            type: 'Feature',
            id: d.code,
            properties: { code: d.code, name: d.name, population: d.population },
            geometry: d.geometry,
          })),
        } as never,
        200,
      )
    }
    return c.json(
      {
        data: districts.map((d) => ({
          code: d.code,
          name: d.name as Record<string, string>,
          population: d.population,
          bbox: d.bbox,
        })),
      },
      200,
    )
  })
}
