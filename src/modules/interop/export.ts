/**
 * The city-wide export of public opportunities, as CSV or JSON:
 * /api/v1/cities/{city}/export/opportunities.csv and …/opportunities.json. Both stream: the rows
 * are read 500 at a time by id and written as they come, so memory stays flat however large the
 * catalogue.
 */
import { stringify } from 'csv-stringify/sync'
import type { Context } from 'hono'
import { stream } from 'hono/streaming'
import { type Db, rows, sql } from '../../platform/db/index.ts'
import { problem } from '../../platform/http/problem.ts'
import { LANGUAGES } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { type CityRow, findCityBySlug } from '../cities/index.ts'
import { OPEN_DATA_LICENSE } from './feeds.ts'
import { type FeedContext, opportunityUrl } from './openactive/model.ts'
import { opportunityData } from './rpde/items.ts'
import { type OpportunitySource, opportunityColumns, opportunityJoins } from './rpde/sources.ts'

const BATCH = 500

/** The city's public opportunities in id order, one batch at a time. */
async function* publicOpportunities(db: Db, cityId: number): AsyncGenerator<OpportunitySource[]> {
  let after = 0
  for (;;) {
    const batch = await rows<OpportunitySource>(
      db,
      sql`select ${opportunityColumns} from opportunities o ${opportunityJoins}
          where o.city_id = ${cityId} and o.status in ('published', 'cancelled') and o.id > ${after}
          order by o.id limit ${BATCH}`,
    )
    if (batch.length === 0) return
    yield batch
    after = batch.at(-1)?.id ?? after
  }
}

/** Spreadsheets run cells that start with = + - @ as formulas: such text gets a leading apostrophe. */
function cell(text: string | null | undefined): string {
  const value = text ?? ''
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

export const CSV_COLUMNS = [
  'id',
  'url',
  'status',
  ...LANGUAGES.flatMap((l) => [`title_${l}`, `description_${l}`]),
  'building_block',
  'topics',
  'age_min',
  'age_max',
  'groups',
  'languages',
  'format',
  'venue_id',
  'place_name',
  'address',
  'lat',
  'lon',
  'first_session',
  'last_session_ends',
  'sessions',
  'free',
  'price',
  'currency',
  'accessibility',
  'accessibility_note',
  'capacity',
  'provider_id',
  'provider_name',
  'provider_url',
  'published_at',
  'updated_at',
] as const

function iso(value: string | null): string {
  return value === null ? '' : new Date(value).toISOString()
}

function csvRow(ctx: FeedContext, o: OpportunitySource): (string | number)[] {
  const name = (t: Record<string, string | undefined> | null) =>
    t ? (t[ctx.city.defaultLanguage] ?? Object.values(t).find(Boolean) ?? '') : ''
  const atVenue = o.venueId !== null
  const online = o.format === 'online'
  return [
    o.id,
    opportunityUrl(ctx, o.id),
    o.status,
    ...LANGUAGES.flatMap((l) => [cell(o.title[l]), cell(o.description[l])]),
    o.buildingBlock,
    cell(o.topics.join('; ')),
    o.ageMin ?? '',
    o.ageMax ?? '',
    o.groups.join('; '),
    o.languages.join('; '),
    o.format,
    o.venueId ?? '',
    cell(atVenue ? name(o.venueName) : ''),
    cell(online ? '' : atVenue ? o.venueAddress : o.address),
    (online ? null : atVenue ? o.venueLat : o.lat) ?? '',
    (online ? null : atVenue ? o.venueLon : o.lon) ?? '',
    iso(o.firstStart),
    iso(o.lastEnd),
    o.sessionCount,
    o.free ? 'true' : 'false',
    o.price ?? '',
    o.currency,
    o.accessibility.join('; '),
    cell(o.accessibilityNote),
    o.capacity ?? '',
    o.organizationId,
    cell(name(o.organizationName)),
    `${ctx.origin}/${ctx.city.defaultLanguage}/${ctx.city.slug}/providers/${o.organizationSlug}`,
    iso(o.publishedAt),
    iso(o.updatedAt),
  ]
}

function contextOf(platform: Platform, city: CityRow): FeedContext {
  return {
    origin: platform.config.publicUrl,
    city: { slug: city.slug, timeZone: city.timeZone, defaultLanguage: city.defaultLanguage },
  }
}

async function cityOrProblem(c: Context, platform: Platform): Promise<CityRow | Response> {
  const city = await findCityBySlug(platform.db, c.req.param('city') ?? '')
  if (!city) return problem(c, { title: 'City not found', status: 404 })
  const params = [...new URL(c.req.url).searchParams.keys()]
  if (params.length > 0)
    return problem(c, {
      title: 'The export takes no parameters',
      status: 400,
      errors: [...new Set(params)].map((p) => ({
        field: p,
        detail: 'Not a parameter of the export: leave it out',
      })),
    })
  return city
}

export function exportRoutes(app: App, platform: Platform): void {
  app.get('/api/v1/cities/:city/export/opportunities.csv', async (c) => {
    const city = await cityOrProblem(c, platform)
    if (city instanceof Response) return city
    const ctx = contextOf(platform, city)
    c.header('content-type', 'text/csv; charset=utf-8')
    c.header('content-disposition', `attachment; filename="${city.slug}-opportunities.csv"`)
    c.header('cache-control', 'public, max-age=300')
    c.header('link', `<${OPEN_DATA_LICENSE}>; rel="license"`)
    return stream(c, async (out) => {
      await out.write(stringify([CSV_COLUMNS as unknown as string[]], { bom: true }))
      for await (const batch of publicOpportunities(platform.db, city.id))
        await out.write(stringify(batch.map((o) => csvRow(ctx, o))))
    })
  })

  app.get('/api/v1/cities/:city/export/opportunities.json', async (c) => {
    const city = await cityOrProblem(c, platform)
    if (city instanceof Response) return city
    const ctx = contextOf(platform, city)
    c.header('content-type', 'application/json; charset=utf-8')
    c.header('content-disposition', `attachment; filename="${city.slug}-opportunities.json"`)
    c.header('cache-control', 'public, max-age=300')
    c.header('link', `<${OPEN_DATA_LICENSE}>; rel="license"`)
    return stream(c, async (out) => {
      const head = { city: city.slug, license: OPEN_DATA_LICENSE, generatedAt: new Date().toISOString() }
      await out.write(`${JSON.stringify(head).slice(0, -1)},"opportunities":[`)
      let first = true
      for await (const batch of publicOpportunities(platform.db, city.id)) {
        const text = batch.map((o) => JSON.stringify(opportunityData(ctx, o))).join(',')
        await out.write(first ? text : `,${text}`)
        first = false
      }
      await out.write(']}')
    })
  })

  for (const ext of ['csv', 'json'] as const)
    app.openAPIRegistry.registerPath({
      method: 'get',
      path: `/api/v1/cities/{city}/export/opportunities.${ext}`,
      summary: `Every public opportunity of the city as ${ext.toUpperCase()} (streamed; CC BY 4.0)`,
      tags: ['Open data'],
      responses: {
        200: { description: `The ${ext.toUpperCase()} file` },
        400: { description: 'A parameter was given (problem+json)' },
        404: { description: 'No such city (problem+json)' },
      },
    })
}
