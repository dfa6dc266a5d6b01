import { createRoute, z } from '@hono/zod-openapi'
import { raw } from 'hono/html'
import { sql } from '../db/index.ts'
import { translator } from '../i18n/index.ts'
import type { App, Platform } from '../module.ts'

export const VERSION = '0.1.0'

const health = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness and database check',
  tags: ['System'],
  responses: {
    200: {
      description: 'The service and its database answer',
      content: {
        'application/json': {
          schema: z.object({
            status: z.literal('ok'),
            database: z.enum(['pglite', 'postgres']),
            version: z.string(),
          }),
        },
      },
    },
    503: { description: 'The database does not answer' },
  },
})

interface OpenApiDoc {
  info: { title: string; version: string; description?: string }
  paths: Record<
    string,
    Record<
      string,
      {
        summary?: string
        tags?: string[]
        parameters?: { name: string; in: string; description?: string; required?: boolean }[]
        responses?: Record<string, { description?: string }>
      }
    >
  >
}

/** /healthz, the OpenAPI document and a readable, script-free page of it. */
export function systemRoutes(app: App, platform: Platform): void {
  app.openapi(health, async (c) => {
    try {
      await platform.db.execute(sql`select 1`)
    } catch {
      return c.json({ status: 'unavailable', database: platform.dbKind, version: VERSION } as never, 503)
    }
    return c.json({ status: 'ok' as const, database: platform.dbKind, version: VERSION }, 200)
  })

  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'LearnCity API',
      version: VERSION,
      description:
        'Open API of a LearnCity install: cities, districts and learning providers. Errors are RFC 9457 problem+json documents with an `errors` list of field messages.',
    },
  }
  app.doc31('/api/openapi.json', documentConfig)

  app.get('/api/docs', (c) => {
    const doc = app.getOpenAPI31Document(documentConfig) as unknown as OpenApiDoc
    // The API reference is in English; its skip link and home link are too.
    const t = translator('en')
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    )
    return c.html(
      raw('<!doctype html>') +
      (
        <html lang="en" dir="ltr">
          <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{doc.info.title}</title>
            <link rel="stylesheet" href="/static/app.css" />
          </head>
          <body>
            <a class="skip-link" href="#main">
              {t('ui.skipToContent')}
            </a>
            <header class="site-header">
              <div class="container header-row">
                <a class="brand" href="/en">
                  LearnCity
                </a>
              </div>
            </header>
            <main id="main" class="container" tabindex={-1}>
              <h1>
                {doc.info.title} {doc.info.version}
              </h1>
              <p>{doc.info.description}</p>
              <p>
                <a href="/api/openapi.json">OpenAPI 3.1 document (JSON)</a>
              </p>
              {ops.map(({ path, method, op }) => (
                <section aria-labelledby={`op-${method}-${path}`}>
                  <h2 id={`op-${method}-${path}`}>
                    <code>
                      {method} {path}
                    </code>
                  </h2>
                  <p>{op.summary}</p>
                  {op.parameters && op.parameters.length > 0 && (
                    <ul>
                      {op.parameters.map((p) => (
                        <li>
                          <code>{p.name}</code> ({p.in}
                          {p.required ? ', required' : ''}){p.description ? `: ${p.description}` : ''}
                        </li>
                      ))}
                    </ul>
                  )}
                  <ul>
                    {Object.entries(op.responses ?? {}).map(([status, r]) => (
                      <li>
                        <strong>{status}</strong> {r.description}
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </main>
          </body>
        </html>
      ),
    )
  })
}
