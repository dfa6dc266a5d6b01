import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANG_PARAM } from '../../platform/i18n/index.ts'
import type { JobHandler } from '../../platform/jobs/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { requireSignedIn } from '../accounts/index.ts'
import { cityScope, currentCity } from '../cities/index.ts'
import { findOrganizationById, type OrganizationRow } from '../organizations/index.ts'
import { actorForViewer } from './actor.ts'
import { BATCH_ROWS, canImport, IMPORT_JOB, runImport, startImport } from './import.ts'
import { rejectedHeader, rejectedLine, templateCsv, templateXlsx } from './import-files.ts'
import { guideView } from './import-guide.tsx'
import * as repo from './import-repository.ts'
import { progressView, uploadView } from './import-views.tsx'

type C = Context<AppEnv>
const ORG = new WeakMap<Request, OrganizationRow>()
const SHOWN_REJECTS = 1000

/** Guard: the organization in the URL is in this city and the viewer is its staff (not issuer) or a coordinator. */
function requireImporter(platform: Platform): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const city = currentCity(c)
    const org = await findOrganizationById(platform.db, city.id, Number(c.req.param('orgId')))
    if (!org) return c.var.renderError(404)
    const actor = await actorForViewer(platform, c.var.viewer!, c.var.tenant!)
    if (!canImport(actor, org.id)) return c.var.renderError(403)
    ORG.set(c.req.raw, org)
    await next()
  }
}

const orgOf = (c: C) => ORG.get(c.req.raw)!

async function upload(c: C, platform: Platform, base: string) {
  const org = orgOf(c)
  const body = await c.req.parseBody()
  const file = body.file
  const actor = await actorForViewer(platform, c.var.viewer!, c.var.tenant!)
  const result =
    file instanceof File
      ? await startImport(platform, actor, org.id, {
          name: file.name,
          bytes: new Uint8Array(await file.arrayBuffer()),
        })
      : ({ ok: false, error: 'no-file' } as const)
  if (result.ok)
    return c.redirect(`/${c.var.lang}/${c.var.tenant!.slug}/provide/imports/${result.value.id}`, 303)
  if (result.error === 'forbidden') return c.var.renderError(403)
  const imports = await repo.listImports(platform.db, c.var.tenant!.id, org.id)
  const message = c.var.t(`opportunities.import.upload.${result.error}`)
  return uploadView(c, org, base, imports, [{ field: 'file', message }])
}

/** Loads an import the viewer may see (their organization's, or any in the city for a coordinator). */
async function visibleImport(c: C, platform: Platform) {
  const imp = await repo.findImport(platform.db, c.var.tenant!.id, Number(c.req.param('id')))
  if (!imp) return undefined
  const actor = await actorForViewer(platform, c.var.viewer!, c.var.tenant!)
  return canImport(actor, imp.organizationId) ? imp : undefined
}

function rejectedCsv(c: C, platform: Platform, imp: repo.ImportRow) {
  const { t } = c.var
  let after = 0
  let started = false
  const encoder = new TextEncoder()
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(encoder.encode(rejectedHeader(t, imp.columns)))
        return
      }
      const page = await repo.listRejects(platform.db, imp.cityId, imp.id, after, BATCH_ROWS)
      if (page.length === 0) return controller.close()
      after = page.at(-1)!.line
      controller.enqueue(encoder.encode(page.map((r) => rejectedLine(t, r)).join('')))
    },
  })
  return c.body(stream, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="import-${imp.id}-rejected.csv"`,
  })
}

/** CSV/XLSX bulk import: template, upload, progress and the report of bad rows. */
export function importPages(app: App, platform: Platform): void {
  const city = `/${LANG_PARAM}/:city{[a-z0-9-]+}/provide`
  const base = `${city}/:orgId{[0-9]+}/import`
  const progress = `${city}/imports/:id{[0-9]+}`
  // In Hono `/x/*` also matches `/x`, so one registration covers each page and its sub-paths.
  app.use(`${base}/*`, cityScope(platform), requireSignedIn, requireImporter(platform))
  app.use(`${progress}/*`, cityScope(platform), requireSignedIn)
  const uploadHref = (c: C) => `/${c.var.lang}/${c.var.tenant!.slug}/provide/${orgOf(c).id}/import`

  app.get(base, async (c) =>
    uploadView(
      c,
      orgOf(c),
      uploadHref(c),
      await repo.listImports(platform.db, currentCity(c).id, orgOf(c).id),
    ),
  )
  app.post(base, (c) => upload(c, platform, uploadHref(c)))
  app.get(`${base}/columns`, (c) => guideView(c, uploadHref(c)))
  app.get(`${base}/template.csv`, (c) =>
    c.body(templateCsv(), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="opportunities-template.csv"',
    }),
  )
  app.get(`${base}/template.xlsx`, async (c) =>
    c.body(new Uint8Array(await templateXlsx()), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': 'attachment; filename="opportunities-template.xlsx"',
    }),
  )
  app.get(progress, async (c) => {
    const imp = await visibleImport(c, platform)
    if (!imp) return c.var.renderError(404)
    const rejects = await repo.listRejects(platform.db, imp.cityId, imp.id, 0, SHOWN_REJECTS)
    const href = `/${c.var.lang}/${c.var.tenant!.slug}/provide/${imp.organizationId}/import`
    return progressView(c, imp, rejects, href)
  })
  app.get(`${progress}/rejected.csv`, async (c) => {
    const imp = await visibleImport(c, platform)
    if (!imp) return c.var.renderError(404)
    return rejectedCsv(c, platform, imp)
  })
}

/** Background jobs of the bulk import. */
export function importJobs(platform: Platform): Record<string, JobHandler> {
  return {
    [IMPORT_JOB]: async (payload, job) => {
      const { importId } = payload as { importId: number }
      await runImport(platform, importId, job.attempts)
    },
  }
}
