/**
 * The signed-in person's data as JSON (session cookie): download it, or delete the account with the
 * password typed again. Errors are problem+json with every field named.
 */
import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { fromAnotherSite } from '../../platform/http/csrf.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import { fieldErrors, problem } from '../../platform/http/problem.ts'
import { problemContent } from '../../platform/http/problem-schema.ts'
import { translator } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { deleteMyAccount } from './privacy.ts'
import { blockerMessage, myDataResponse } from './privacy-pages.tsx'
import { clearSessionCookie } from './session.ts'

export const MY_DATA_API_PATH = '/api/v1/me/data'
export const ME_API_PATH = '/api/v1/me'
const PROBLEM_BASE = 'https://learncity.org/problems'

const deleteBody = z.object({ password: z.string().min(1).max(200) })

function unauthorized(c: Context<AppEnv>) {
  return problem(c, {
    type: `${PROBLEM_BASE}/sign-in-required`,
    title: 'Sign in first',
    status: 401,
    detail: 'These routes act for the signed-in person (session cookie).',
  })
}

/**
 * Deleting is a write with no form token: only from this site (`Origin` ours, not
 * `Sec-Fetch-Site: cross-site`) and only as JSON, which a cross-site form cannot send.
 */
function foreign(c: Context<AppEnv>, platform: Platform): Response | undefined {
  if (fromAnotherSite(c, platform.config.publicUrl))
    return problem(c, { type: `${PROBLEM_BASE}/forbidden`, title: 'Not from this site', status: 403 })
  return undefined
}

/** `GET /api/v1/me/data` and `DELETE /api/v1/me`, with their OpenAPI entries. */
export function privacyApi(app: App, platform: Platform): void {
  const tags = ['Accounts']
  const me = { security: [{ session: [] }] }
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: MY_DATA_API_PATH,
    summary: 'Everything LearnCity holds about the signed-in person, one section per module',
    description:
      'The same JSON file as "Download my data" on the account page (an attachment named learncity-my-data-YYYY-MM-DD.json). Only this person’s rows; no password or token hashes, no other people’s addresses. See docs/privacy.md.',
    tags,
    ...me,
    responses: {
      200: {
        description: '{ format, version, exportedAt, person, sections: { accounts, registrations, … } }',
      },
      401: { description: 'Not signed in', content: problemContent },
    },
  })
  app.openAPIRegistry.registerPath({
    method: 'delete',
    path: ME_API_PATH,
    summary: 'Delete the signed-in person’s account (password required)',
    description:
      'Erases the person’s own data and unlinks what others rely on (docs/privacy.md), in one transaction; ends the session and emails a confirmation. 409 when something must happen first (e.g. hand over a provider they are the last admin of): nothing is deleted then.',
    tags,
    ...me,
    request: { body: { content: { 'application/json': { schema: deleteBody } } } },
    responses: {
      204: { description: 'Deleted; the session cookie is cleared' },
      401: { description: 'Not signed in', content: problemContent },
      403: { description: 'Sent from another site', content: problemContent },
      409: { description: 'Something must happen first (`blockers`)', content: problemContent },
      415: { description: 'Not JSON', content: problemContent },
      422: { description: 'Password missing or wrong; nothing deleted', content: problemContent },
      429: { description: 'Too many tries', content: problemContent },
    },
  })

  app.get(MY_DATA_API_PATH, async (c) => {
    if (!c.var.viewer) return unauthorized(c)
    return myDataResponse(c, platform)
  })

  app.delete(ME_API_PATH, async (c) => {
    const viewer = c.var.viewer
    if (!viewer) return unauthorized(c)
    const refused = foreign(c, platform)
    if (refused) return refused
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
    if (type !== 'application/json')
      return problem(c, {
        type: `${PROBLEM_BASE}/unsupported-media-type`,
        title: 'Unsupported media type',
        status: 415,
        detail: 'Send application/json: {"password": "…"}',
      })
    let json: unknown
    try {
      json = await c.req.json()
    } catch {
      json = undefined
    }
    const parsed = deleteBody.safeParse(json)
    if (!parsed.success)
      return problem(c, {
        type: `${PROBLEM_BASE}/invalid`,
        title: 'Invalid request body',
        status: 422,
        errors: fieldErrors(parsed.error.issues),
      })
    const result = await deleteMyAccount(platform, viewer.id, parsed.data.password, { lang: c.var.lang })
    if (!result.ok) {
      if (result.error === 'rate-limited')
        return problem(c, { type: `${PROBLEM_BASE}/rate-limited`, title: 'Too many tries', status: 429 })
      if (result.error === 'not-found') return unauthorized(c)
      if (result.error === 'blocked') {
        const t = translator('en')
        return problem(c, {
          type: `${PROBLEM_BASE}/account-deletion-blocked`,
          title: 'Something must happen before the account can be deleted',
          status: 409,
          blockers: (result.blockers ?? []).map((b) => ({
            reason: b.reason,
            subject: b.subject,
            detail: blockerMessage(t, 'en', b),
          })),
        })
      }
      return problem(c, {
        type: `${PROBLEM_BASE}/wrong-password`,
        title: 'The password is not right; nothing was deleted',
        status: 422,
        errors: [{ field: '/password', detail: 'The password is not right' }],
      })
    }
    clearSessionCookie(c, platform)
    return c.body(null, 204)
  })
}
