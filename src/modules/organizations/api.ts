import { createRoute, z } from '@hono/zod-openapi'
import { problem } from '../../platform/http/problem.ts'
import type { App, Platform } from '../../platform/module.ts'
import { findCityBySlug } from '../cities/index.ts'
import { listOrganizations } from './repository.ts'
import { SECTORS } from './schema.ts'

const Organization = z
  .object({
    slug: z.string(),
    name: z.record(z.string(), z.string()),
    sector: z.enum(SECTORS),
    website: z.string().nullable(),
    demo: z.boolean().openapi({ description: 'Invented demonstration data' }),
  })
  .openapi('Organization')

const route = createRoute({
  method: 'get',
  path: '/api/v1/cities/{city}/organizations',
  summary: "A city's learning providers",
  tags: ['Organizations'],
  request: {
    params: z.object({
      city: z
        .string()
        .regex(/^[a-z0-9-]{1,40}$/)
        .openapi({ param: { name: 'city', in: 'path' } }),
    }),
  },
  responses: {
    200: {
      description: 'Providers',
      content: { 'application/json': { schema: z.object({ data: z.array(Organization) }) } },
    },
    404: { description: 'No such city' },
  },
})

export function organizationApi(app: App, platform: Platform): void {
  app.openapi(route, async (c) => {
    const { city: slug } = c.req.valid('param')
    const city = await findCityBySlug(platform.db, slug)
    if (!city)
      return problem(c, { title: 'City not found', status: 404, detail: `No city "${slug}"` }) as never
    const list = await listOrganizations(platform.db, city.id)
    return c.json(
      {
        data: list
          .filter((o) => o.status === 'approved' || o.status === 'trusted')
          .map((o) => ({
            slug: o.slug,
            name: o.name as Record<string, string>,
            sector: o.sector,
            website: o.website,
            demo: o.isDemo,
          })),
      },
      200,
    )
  })
}
