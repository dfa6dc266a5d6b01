/**
 * POST /api/v1/credentials/verify: a JSON-LD credential (JSON body), a VC-JWT (text body), a
 * baked PNG or SVG (image body), or any of them as a multipart upload (`file`, or `credential`
 * as text). Answers with every check; unreadable input is a 422 problem+json naming the field.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { problem } from '../../../platform/http/problem.ts'
import { isLang, translator } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { CHECKS } from './report.ts'
import { inputMessage, MAX_INPUT_BYTES, reportJson, verifyForPlatform } from './service.ts'

export const VERIFY_API_PATH = '/api/v1/credentials/verify'

const PROBLEM_BASE = 'https://learncity.org/problems'

const JSON_TYPES = ['application/json', 'application/ld+json', 'application/vc+ld+json', 'application/vc']
const TEXT_TYPES = ['text/plain', 'application/jwt', 'application/vc+jwt', 'application/vc-ld+jwt']
const IMAGE_TYPES = ['image/png', 'image/svg+xml']

/** The reader's language from Accept-Language, for the messages; English otherwise. */
function readerLang(header: string | undefined) {
  const first = header?.split(',')[0]?.split(';')[0]?.trim().slice(0, 2).toLowerCase()
  return isLang(first) ? first : 'en'
}

type Read = { ok: true; input: Uint8Array | string; field: string } | { ok: false; response: Response }

async function readInput(c: Context<AppEnv>): Promise<Read> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const declared = Number(c.req.header('content-length'))
  if (declared > MAX_INPUT_BYTES) return { ok: false, response: tooLarge(c) }
  if (type === 'multipart/form-data') {
    let body: Record<string, string | File>
    try {
      body = await c.req.parseBody()
    } catch {
      return { ok: false, response: unreadable(c, '/file', 'The multipart body could not be read.') }
    }
    const file = body.file
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_INPUT_BYTES) return { ok: false, response: tooLarge(c) }
      return { ok: true, input: new Uint8Array(await file.arrayBuffer()), field: '/file' }
    }
    const text = body.credential
    if (typeof text === 'string' && text.trim() !== '') return { ok: true, input: text, field: '/credential' }
    return {
      ok: false,
      response: unreadable(
        c,
        '/file',
        'Send a file in the "file" field or the credential as text in "credential".',
      ),
    }
  }
  if (![...JSON_TYPES, ...TEXT_TYPES, ...IMAGE_TYPES].includes(type))
    return {
      ok: false,
      response: problem(c, {
        type: `${PROBLEM_BASE}/unsupported-media-type`,
        title: 'Unsupported media type',
        status: 415,
        detail: `Send application/json (a credential), text/plain (a VC-JWT), image/png or image/svg+xml (a baked badge), or multipart/form-data; not "${type.slice(0, 80)}".`,
      }),
    }
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.length > MAX_INPUT_BYTES) return { ok: false, response: tooLarge(c) }
  return { ok: true, input: bytes, field: '' }
}

function tooLarge(c: Context<AppEnv>): Response {
  return problem(c, {
    type: `${PROBLEM_BASE}/too-large`,
    title: 'Request body too large',
    status: 413,
    detail: `Send at most ${MAX_INPUT_BYTES} bytes.`,
  })
}

function unreadable(c: Context<AppEnv>, field: string, detail: string, code?: string): Response {
  return problem(c, {
    type: `${PROBLEM_BASE}/credential-unreadable`,
    title: 'No credential could be read from the request',
    status: 422,
    ...(code ? { code } : {}),
    errors: [{ field: field || '/', detail }],
  })
}

export function verifyApi(app: App, platform: Platform): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: VERIFY_API_PATH,
    summary: 'Verify an Open Badge 3.0 credential (JSON-LD, VC-JWT, or baked PNG/SVG)',
    description:
      'Every check is reported separately (' +
      CHECKS.join(', ') +
      '), each with an outcome (pass, fail, unavailable, not-applicable) and its problems; `verdict` is valid ' +
      'only when every check passed. Messages follow Accept-Language. Nothing sent is stored. See docs/badges-verify.md.',
    tags: ['Badges'],
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({}).passthrough().openapi({ description: 'The credential (JSON-LD)' }),
          },
          'text/plain': { schema: z.string().openapi({ description: 'A VC-JWT (compact JWS)' }) },
          'image/png': { schema: z.string().openapi({ format: 'binary', description: 'A baked PNG badge' }) },
          'image/svg+xml': { schema: z.string().openapi({ description: 'A baked SVG badge' }) },
          'multipart/form-data': {
            schema: z.object({
              file: z
                .string()
                .openapi({ format: 'binary', description: 'Credential file or baked image' })
                .optional(),
              credential: z.string().openapi({ description: 'Or the credential as text' }).optional(),
            }),
          },
        },
      },
    },
    responses: {
      200: { description: 'The verification report: verdict, each check, the badge as shown' },
      413: { description: 'Larger than 1 MiB (problem+json)' },
      415: { description: 'A media type that holds no credential (problem+json)' },
      422: { description: 'No credential could be read, with the field and why (problem+json)' },
    },
  })
  app.post(VERIFY_API_PATH, async (c) => {
    const read = await readInput(c)
    if (!read.ok) return read.response
    const lang = readerLang(c.req.header('accept-language'))
    const t = translator(lang)
    const result = await verifyForPlatform(platform, read.input, lang)
    if (!result.ok) return unreadable(c, read.field, inputMessage(t, result.problem), result.problem)
    c.header('cache-control', 'no-store')
    return c.json(reportJson(t, result.report))
  })
}
