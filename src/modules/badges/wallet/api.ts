/**
 * The wallet as JSON for the signed-in person (session cookie): list, import (verified, with the
 * report), delete. Errors are problem+json with every field named.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { fromAnotherSite } from '../../../platform/http/csrf.ts'
import type { AppEnv } from '../../../platform/http/env.ts'
import { problem } from '../../../platform/http/problem.ts'
import { problemContent } from '../../../platform/http/problem-schema.ts'
import { isLang, translator } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { findCityById } from '../../cities/index.ts'
import * as awards from '../repository.ts'
import type { Report } from '../verify/report.ts'
import { inputMessage, MAX_INPUT_BYTES, reportJson } from '../verify/service.ts'
import { liveStatus } from './pages.tsx'
import * as repo from './repository.ts'
import {
  awardName,
  deleteImport,
  type ImportResult,
  importCredential,
  importFromUrl,
  MAX_IMPORTS,
} from './wallet.ts'

export const WALLET_API_PATH = '/api/v1/me/credentials'
const PROBLEM_BASE = 'https://learncity.org/problems'

const JSON_TYPES = ['application/json', 'application/ld+json', 'application/vc+ld+json']
const TEXT_TYPES = ['text/plain', 'application/jwt', 'application/vc+jwt']
const IMAGE_TYPES = ['image/png', 'image/svg+xml']

function readerLang(header: string | undefined) {
  const first = header?.split(',')[0]?.split(';')[0]?.trim().slice(0, 2).toLowerCase()
  return isLang(first) ? first : 'en'
}

function unauthorized(c: Context<AppEnv>) {
  return problem(c, {
    type: `${PROBLEM_BASE}/sign-in-required`,
    title: 'Sign in first',
    status: 401,
    detail: 'The wallet belongs to the signed-in person (session cookie).',
  })
}

/**
 * Writes come from this site only: the API has no form token, and unlike the console's JSON-only
 * writes an import may be multipart or text, which a cross-site form can send. So an `Origin` other
 * than ours, or `Sec-Fetch-Site: cross-site`, is refused (the session cookie is SameSite=Lax besides).
 */
function foreign(c: Context<AppEnv>, platform: Platform): Response | undefined {
  if (fromAnotherSite(c, platform.config.publicUrl))
    return problem(c, { type: `${PROBLEM_BASE}/forbidden`, title: 'Not from this site', status: 403 })
  return undefined
}

function tooLarge(c: Context<AppEnv>) {
  return problem(c, {
    type: `${PROBLEM_BASE}/too-large`,
    title: 'Request body too large',
    status: 413,
    detail: `Send at most ${MAX_INPUT_BYTES} bytes.`,
  })
}

type Input =
  | { kind: 'data'; data: Uint8Array | string; source: 'file' | 'paste'; field: string }
  | { kind: 'url'; url: string; field: string }

async function readImport(
  c: Context<AppEnv>,
): Promise<{ ok: true; input: Input } | { ok: false; response: Response }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (Number(c.req.header('content-length')) > MAX_INPUT_BYTES) return { ok: false, response: tooLarge(c) }
  if (type === 'multipart/form-data') {
    let body: Record<string, string | File>
    try {
      body = await c.req.parseBody()
    } catch {
      return { ok: false, response: missing(c) }
    }
    const file = body.file
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_INPUT_BYTES) return { ok: false, response: tooLarge(c) }
      return {
        ok: true,
        input: {
          kind: 'data',
          data: new Uint8Array(await file.arrayBuffer()),
          source: 'file',
          field: '/file',
        },
      }
    }
    if (typeof body.credential === 'string' && body.credential.trim())
      return {
        ok: true,
        input: { kind: 'data', data: body.credential, source: 'paste', field: '/credential' },
      }
    if (typeof body.url === 'string' && body.url.trim())
      return { ok: true, input: { kind: 'url', url: body.url, field: '/url' } }
    return { ok: false, response: missing(c) }
  }
  if (![...JSON_TYPES, ...TEXT_TYPES, ...IMAGE_TYPES].includes(type))
    return {
      ok: false,
      response: problem(c, {
        type: `${PROBLEM_BASE}/unsupported-media-type`,
        title: 'Unsupported media type',
        status: 415,
        detail:
          'Send application/json (a credential, or {"url": …}), text/plain (a VC-JWT), image/png or image/svg+xml (a baked badge), or multipart/form-data.',
      }),
    }
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.length > MAX_INPUT_BYTES) return { ok: false, response: tooLarge(c) }
  if (JSON_TYPES.includes(type)) {
    // {"url": "…"} alone asks us to fetch the badge; any other JSON is the credential itself.
    try {
      const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const keys = Object.keys(value)
        const url = (value as { url?: unknown }).url
        if (keys.length === 1 && keys[0] === 'url')
          return typeof url === 'string'
            ? { ok: true, input: { kind: 'url', url, field: '/url' } }
            : { ok: false, response: failure(c, { ok: false, error: 'url-invalid' }, '/url', 'en') }
      }
    } catch {
      // Not JSON: the verifier says so below.
    }
  }
  return { ok: true, input: { kind: 'data', data: bytes, source: 'file', field: '' } }
}

function missing(c: Context<AppEnv>) {
  return problem(c, {
    type: `${PROBLEM_BASE}/credential-unreadable`,
    title: 'No credential could be read from the request',
    status: 422,
    errors: [
      {
        field: '/file',
        detail: 'Send a file in "file", the credential as text in "credential", or a URL in "url".',
      },
    ],
  })
}

function failure(
  c: Context<AppEnv>,
  result: Extract<ImportResult, { ok: false }>,
  field: string,
  lang: 'en' | string,
) {
  const t = translator(isLang(lang) ? lang : 'en')
  const at = field || '/'
  switch (result.error) {
    case 'too-large':
      return tooLarge(c)
    case 'unreadable':
      return problem(c, {
        type: `${PROBLEM_BASE}/credential-unreadable`,
        title: 'No credential could be read from the request',
        status: 422,
        code: result.problem,
        errors: [{ field: at, detail: inputMessage(t, result.problem) }],
      })
    case 'invalid':
      return problem(c, {
        type: `${PROBLEM_BASE}/credential-invalid`,
        title: 'The badge did not pass verification and was not added',
        status: 422,
        errors: result.report.checks
          .filter((ch) => ch.outcome === 'fail')
          .map((ch) => ({ field: at, detail: `${ch.id}: ${ch.problems.map((p) => p.code).join(', ')}` })),
        report: reportJson(t, result.report),
      })
    case 'limit':
      return problem(c, {
        type: `${PROBLEM_BASE}/wallet-full`,
        title: 'The wallet is full',
        status: 409,
        detail: `At most ${MAX_IMPORTS} imported badges; delete one first.`,
      })
    case 'url-invalid':
      return problem(c, {
        type: `${PROBLEM_BASE}/validation`,
        title: 'The URL is not valid',
        status: 422,
        errors: [{ field: '/url', detail: 'An http or https URL of at most 2,000 characters' }],
      })
    case 'fetch':
      return problem(c, {
        type: `${PROBLEM_BASE}/fetch-failed`,
        title: 'The badge could not be fetched',
        status: 422,
        code: result.code,
        errors: [{ field: '/url', detail: `The URL could not be fetched (${result.code}).` }],
      })
  }
}

function importedJson(row: repo.ImportRow, t: ReturnType<typeof translator>) {
  return {
    id: row.id,
    name: row.name,
    issuerName: row.issuerName,
    format: row.format,
    baked: row.baked,
    source: row.source,
    sourceUrl: row.sourceUrl,
    verdict: row.verdict,
    verifiedAt: new Date(row.verifiedAt).toISOString(),
    importedAt: new Date(row.createdAt).toISOString(),
    report: reportJson(t, row.report as unknown as Report),
  }
}

export function walletApi(app: App, platform: Platform): void {
  const tags = ['Badges']
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'lc_session',
    description: 'The session cookie of a signed-in person (sign in on the website)',
  })
  const me = { security: [{ session: [] }] }
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: WALLET_API_PATH,
    summary: 'The signed-in learner’s wallet: badges earned here (any city) and badges imported',
    description:
      'Earned badges with their live status (active, suspended, revoked, expired), visibility and download links; imported badges with the stored verification report. Session cookie required. See docs/badges.md.',
    tags,
    ...me,
    responses: {
      200: { description: '{ earned: [...], imported: [...] }' },
      401: { description: 'Not signed in', content: problemContent },
    },
  })
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: WALLET_API_PATH,
    summary: 'Import a badge from elsewhere (verified first; invalid ones are refused)',
    description:
      'Send a credential (application/json), a VC-JWT (text/plain), a baked image (image/png, image/svg+xml), `{"url": "https://…"}` to fetch it, or multipart/form-data with `file`, `credential` or `url`. At most 1 MiB. 201 with the report when added; 200 when it was in the wallet already; 422 (problem+json with `report`) when a check failed. Unconfirmed badges (a key or status list unreachable) are kept with that verdict.',
    tags,
    ...me,
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({}).passthrough().openapi({ description: 'A credential, or { "url": … }' }),
          },
          'text/plain': { schema: z.string().openapi({ description: 'A VC-JWT' }) },
          'image/png': { schema: z.string().openapi({ format: 'binary' }) },
          'image/svg+xml': { schema: z.string() },
          'multipart/form-data': {
            schema: z.object({
              file: z.string().openapi({ format: 'binary' }).optional(),
              credential: z.string().optional(),
              url: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      201: { description: 'Added: { id, duplicate: false, verdict, report }' },
      200: { description: 'Already in the wallet: { id, duplicate: true, verdict, report }' },
      401: { description: 'Not signed in', content: problemContent },
      403: { description: 'Sent from another site', content: problemContent },
      409: { description: 'The wallet is full', content: problemContent },
      413: { description: 'Larger than 1 MiB', content: problemContent },
      415: { description: 'A media type that holds no credential', content: problemContent },
      422: { description: 'Unreadable, invalid (with the report) or not fetchable', content: problemContent },
    },
  })
  app.openAPIRegistry.registerPath({
    method: 'delete',
    path: `${WALLET_API_PATH}/{id}`,
    summary: 'Delete an imported badge',
    tags,
    ...me,
    request: { params: z.object({ id: z.string().regex(/^[0-9]+$/) }) },
    responses: {
      204: { description: 'Deleted' },
      401: { description: 'Not signed in', content: problemContent },
      403: { description: 'Sent from another site', content: problemContent },
      404: { description: 'No such imported badge of yours', content: problemContent },
    },
  })

  app.get(WALLET_API_PATH, async (c) => {
    const viewer = c.var.viewer
    if (!viewer) return unauthorized(c)
    const t = translator(readerLang(c.req.header('accept-language')))
    const base = platform.config.publicUrl
    const slugs = new Map<number, string>()
    const earned = []
    for (const award of await awards.listAwardsOfRecipient(platform.db, viewer.id)) {
      if (!slugs.has(award.cityId))
        slugs.set(award.cityId, (await findCityById(platform.db, award.cityId))?.slug ?? '')
      const credential = `${base}/credentials/${award.uuid}`
      earned.push({
        uuid: award.uuid,
        name: awardName(award),
        status: liveStatus(award),
        visibility: award.visibility,
        issuedAt: new Date(award.issuedAt).toISOString(),
        validUntil: award.validUntil ? new Date(award.validUntil).toISOString() : null,
        links: {
          page: `${base}/en/${slugs.get(award.cityId)}/badges/${award.uuid}`,
          json: credential,
          png: `${credential}/badge.png`,
          svg: `${credential}/badge.svg`,
          jwt: `${credential}/jwt`,
        },
      })
    }
    const imported = (await repo.listImports(platform.db, viewer.id)).map((row) => importedJson(row, t))
    c.header('cache-control', 'private, no-store')
    return c.json({ earned, imported })
  })

  app.post(WALLET_API_PATH, async (c) => {
    const viewer = c.var.viewer
    if (!viewer) return unauthorized(c)
    const refused = foreign(c, platform)
    if (refused) return refused
    const read = await readImport(c)
    if (!read.ok) return read.response
    const lang = readerLang(c.req.header('accept-language'))
    const { input } = read
    const result =
      input.kind === 'url'
        ? await importFromUrl(platform, viewer.id, input.url, lang)
        : await importCredential(platform, viewer.id, { data: input.data, source: input.source }, lang)
    if (!result.ok) return failure(c, result, input.field, lang)
    c.header('cache-control', 'no-store')
    const t = translator(lang)
    return c.json(
      {
        id: result.row.id,
        duplicate: result.duplicate,
        verdict: result.report.verdict,
        report: reportJson(t, result.report),
      },
      result.duplicate ? 200 : 201,
    )
  })

  app.delete(`${WALLET_API_PATH}/:id{[0-9]+}`, async (c) => {
    const viewer = c.var.viewer
    if (!viewer) return unauthorized(c)
    const refused = foreign(c, platform)
    if (refused) return refused
    const raw = c.req.param('id')
    if (raw.length > 12 || !(await deleteImport(platform, viewer.id, Number(raw))))
      return problem(c, { title: 'No such imported badge', status: 404 })
    return c.body(null, 204)
  })
}
