/**
 * The evidence JSON API: a learner lists their submissions and applies with evidence; a reviewer
 * (issuers and admins of the organization, the coordinators for city badges) reads the queue and
 * approves or returns with feedback. Session only, JSON writes from this site only, problem+json
 * errors — the same rules and helpers as the console API (../api-session.ts).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import type { FieldError } from '../../../platform/http/problem.ts'
import { problemContent } from '../../../platform/http/problem-schema.ts'
import type { App, Platform } from '../../../platform/module.ts'
import type { CityRow } from '../../cities/index.ts'
import {
  CITY_API,
  cityOf,
  cityRoute,
  failure,
  forbidden,
  idParam,
  invalid,
  jsonBody,
  notFound,
  orgOf,
  SESSION_SCHEME,
  sessionActor,
} from '../api-session.ts'
import { urls } from '../awards.ts'
import * as badges from '../repository.ts'
import {
  type Decision,
  type EvidenceResult,
  MAX_FEEDBACK,
  MAX_LINKS,
  MAX_NARRATIVE,
  mayReviewFor,
  reviewSubmission,
  submitEvidence,
  visibleSubmission,
  withdrawSubmission,
} from './evidence.ts'
import { downloadHeaders, MAX_EVIDENCE_FILE_BYTES } from './files.ts'
import * as repo from './repository.ts'

type C = Context<AppEnv>
const BASE = CITY_API
/** Base64 of the largest file the API's 1 MiB body can carry; longer text cannot be a file we take. */
const MAX_FILE_BASE64 = Math.ceil((MAX_EVIDENCE_FILE_BYTES * 4) / 3) + 4

/** A use case's problems as problem+json `errors` (`decision` problems are about the whole request). */
function evidenceFailure(c: C, result: EvidenceResult<unknown> & { ok: false }) {
  const fields: FieldError[] = result.problems.map((p) => ({
    field: p.field === 'decision' ? '/' : `/${p.field}`,
    detail: p.detail,
  }))
  return failure(c, { ok: false, error: result.error, fields })
}

/**
 * The base64 file of a body as bytes; the use case checks them (PDF, PNG or JPEG, 5 MB), so a file
 * error comes with every other field error. Anything but text is one byte no such file is.
 */
function fileOf(raw: unknown): { bytes: Uint8Array } | null {
  if (raw === undefined || raw === null || raw === '') return null
  if (typeof raw !== 'string' || raw.length > MAX_FILE_BASE64) return { bytes: new Uint8Array(1) }
  return { bytes: new Uint8Array(Buffer.from(raw, 'base64')) }
}

type Listed = repo.SubmissionRow & { achievementName?: Record<string, string>; learnerName?: string }

/** A submission as the API shows it: the file as a link, the badge once approved. */
async function submissionView(platform: Platform, city: CityRow, s: Listed) {
  const award = s.awardId ? await badges.findAward(platform.db, city.id, s.awardId) : undefined
  const api = `${platform.config.publicUrl}/api/v1/cities/${city.slug}`
  return {
    id: s.id,
    achievementId: s.achievementId,
    achievement: urls.achievement(platform, s.achievementId),
    ...(s.achievementName ? { achievementName: s.achievementName } : {}),
    organizationId: s.organizationId,
    ...(s.learnerName !== undefined ? { learner: { name: s.learnerName } } : {}),
    status: s.status,
    round: s.round,
    narrative: s.narrative,
    links: s.links,
    file: s.fileType
      ? { type: s.fileType, size: s.fileSize, url: `${api}/evidence/submissions/${s.id}/file` }
      : null,
    feedback: s.feedback,
    submittedAt: new Date(s.submittedAt).toISOString(),
    reviewedAt: s.reviewedAt ? new Date(s.reviewedAt).toISOString() : null,
    award: award ? { uuid: award.uuid, credential: urls.credential(platform, award.uuid) } : null,
  }
}

/** The decision of a review body, or the field errors (all at once). */
function decisionOf(body: Record<string, unknown>): { decision: Decision } | { errors: FieldError[] } {
  const { decision, feedback } = body
  if (decision === 'approve') return { decision: { decision } }
  const errors: FieldError[] = []
  if (decision !== 'return') errors.push({ field: '/decision', detail: 'must be approve or return' })
  if (feedback !== undefined && typeof feedback !== 'string')
    errors.push({ field: '/feedback', detail: 'must be text' })
  if (errors.length) return { errors }
  return { decision: { decision: 'return', feedback: typeof feedback === 'string' ? feedback : '' } }
}

export function evidenceApi(app: App, platform: Platform): void {
  documentRoutes(app)

  app.get(`${BASE}/evidence/submissions`, async (c) => {
    const route = await cityRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city } = route
    const [list, open] = await Promise.all([
      repo.listOfLearner(platform.db, city.id, auth.actor.userId),
      repo.listOpenForEvidence(platform.db, city.id, auth.actor.userId),
    ])
    c.header('cache-control', 'private, no-store')
    return c.json({
      data: await Promise.all(list.map((s) => submissionView(platform, city, s))),
      openForEvidence: open.map((a) => ({ id: a.id, name: a.name, url: urls.achievement(platform, a.id) })),
    })
  })

  app.post(`${BASE}/achievements/:id{[0-9]+}/evidence`, async (c) => {
    const route = await cityRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city } = route
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const { file, ...input } = read.body
    const result = await submitEvidence(platform, auth.actor, city.id, idParam(c, 'id'), input, fileOf(file))
    if (!result.ok) return evidenceFailure(c, result)
    return c.json(await submissionView(platform, city, result.value), 201)
  })

  app.get(`${BASE}/evidence/submissions/:id{[0-9]+}`, async (c) => {
    const auth = sessionActor(c, platform)
    if ('response' in auth) return auth.response
    const city = await cityOf(c, platform)
    const found = city ? await visibleSubmission(platform, auth.actor, city.id, idParam(c, 'id')) : undefined
    if (!city || !found) return notFound(c)
    c.header('cache-control', 'private, no-store')
    return c.json(await submissionView(platform, city, found))
  })

  app.get(`${BASE}/evidence/submissions/:id{[0-9]+}/file`, async (c) => {
    const auth = sessionActor(c, platform)
    if ('response' in auth) return auth.response
    const city = await cityOf(c, platform)
    const found = city ? await visibleSubmission(platform, auth.actor, city.id, idParam(c, 'id')) : undefined
    const file = found ? await repo.submissionFile(platform.db, found.id) : undefined
    if (!found || !file) return notFound(c)
    return c.body(new Uint8Array(file.file), 200, downloadHeaders(found.id, file.fileType, file.file.length))
  })

  app.post(`${BASE}/evidence/submissions/:id{[0-9]+}/withdraw`, async (c) => {
    const route = await cityRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city } = route
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const result = await withdrawSubmission(platform, auth.actor, city.id, idParam(c, 'id'))
    if (!result.ok) return evidenceFailure(c, result)
    return c.json(await submissionView(platform, city, result.value))
  })

  app.get(`${BASE}/evidence/queue`, async (c) => {
    const route = await cityRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city } = route
    const org = orgOf(c.req.query('organization'), null)
    if (org === 'invalid')
      return invalid(c, [{ field: '/organization', detail: 'must be an organization id' }])
    if (!(await mayReviewFor(platform, auth.actor, city.id, org))) return forbidden(c)
    const waiting = await repo.listQueue(platform.db, city.id, org, 'submitted')
    c.header('cache-control', 'private, no-store')
    return c.json({
      // The learner's own submission is never theirs to decide, so it is not in their queue.
      data: await Promise.all(
        waiting
          .filter((s) => s.learnerUserId !== auth.actor.userId)
          .map((s) => submissionView(platform, city, s)),
      ),
    })
  })

  app.post(`${BASE}/evidence/submissions/:id{[0-9]+}/review`, async (c) => {
    const route = await cityRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city } = route
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const parsed = decisionOf(read.body)
    if ('errors' in parsed) return invalid(c, parsed.errors)
    // The same use case as the review page: approving issues the credential with the evidence in it.
    const result = await reviewSubmission(platform, auth.actor, city.id, idParam(c, 'id'), parsed.decision)
    if (!result.ok) return evidenceFailure(c, result)
    return c.json(await submissionView(platform, city, result.value))
  })
}

/** The routes in the OpenAPI document (the handlers validate, so every field error comes at once). */
function documentRoutes(app: App) {
  const City = z.object({
    city: z.string().openapi({ param: { name: 'city', in: 'path' }, example: 'chicago' }),
  })
  const Id = City.extend({
    id: z
      .number()
      .int()
      .openapi({ param: { name: 'id', in: 'path' } }),
  })
  const Submission = z
    .looseObject({
      id: z.number(),
      achievementId: z.number(),
      organizationId: z.number().nullable(),
      status: z.enum(['submitted', 'returned', 'approved', 'withdrawn']),
      round: z.number(),
      narrative: z.string(),
      links: z.array(z.string()),
      file: z.object({ type: z.string(), size: z.number(), url: z.string() }).nullable(),
      feedback: z.string().nullable(),
      submittedAt: z.string(),
      reviewedAt: z.string().nullable(),
      award: z.object({ uuid: z.string(), credential: z.string() }).nullable(),
    })
    .openapi('EvidenceSubmission', {
      description: "A learner's evidence for a badge; in the review queue with the learner's name",
    })
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } }, required: true })
  const ok = (description: string, schema: z.ZodType) => ({
    description,
    content: { 'application/json': { schema } },
  })
  const errors = {
    401: { description: 'Not signed in', content: problemContent },
    403: { description: 'Not allowed, or sent from another site', content: problemContent },
    404: {
      description: 'No such city, badge open for evidence, or submission you may see',
      content: problemContent,
    },
    409: {
      description: 'Not possible now (already open, already held, decided already)',
      content: problemContent,
    },
    422: { description: 'Invalid fields, every one listed', content: problemContent },
  }
  const tags = ['Badges']
  const security = [{ session: [] }]
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', SESSION_SCHEME)
  const routes = [
    createRoute({
      method: 'get',
      path: '/api/v1/cities/{city}/evidence/submissions',
      summary: "The signed-in learner's submissions, and the badges they may apply for with evidence",
      tags,
      security,
      request: { params: City },
      responses: {
        200: ok(
          'Their submissions, newest first',
          z.object({
            data: z.array(Submission),
            openForEvidence: z.array(
              z.object({ id: z.number(), name: z.record(z.string(), z.string()), url: z.string() }),
            ),
          }),
        ),
        ...errors,
      },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/achievements/{id}/evidence',
      summary:
        'Apply for a badge that accepts evidence (or resubmit a returned application): a statement, up to five http(s) links, optionally a file',
      tags,
      security,
      request: {
        params: Id,
        body: json(
          z.object({
            narrative: z.string().max(MAX_NARRATIVE),
            links: z.array(z.string()).max(MAX_LINKS).optional(),
            file: z.string().optional().openapi({
              description:
                'A PDF, PNG or JPEG, base64, recognised by its first bytes; the request body is at most 1 MiB, so larger files (up to 5 MB) go through the page',
            }),
          }),
        ),
      },
      responses: { 201: ok('Submitted, waiting for review', Submission), ...errors },
    }),
    createRoute({
      method: 'get',
      path: '/api/v1/cities/{city}/evidence/submissions/{id}',
      summary: 'One submission, to its learner or to who may review it',
      tags,
      security,
      request: { params: Id },
      responses: { 200: ok('The submission', Submission), ...errors },
    }),
    createRoute({
      method: 'get',
      path: '/api/v1/cities/{city}/evidence/submissions/{id}/file',
      summary: "The submission's file (an attachment), to its learner or to who may review it",
      tags,
      security,
      request: { params: Id },
      responses: {
        200: { description: 'The file, as PDF, PNG or JPEG' },
        ...errors,
      },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/evidence/submissions/{id}/withdraw',
      summary: 'The learner takes back an open submission. Send {}',
      tags,
      security,
      request: { params: Id, body: json(z.object({})) },
      responses: { 200: ok('Withdrawn', Submission), ...errors },
    }),
    createRoute({
      method: 'get',
      path: '/api/v1/cities/{city}/evidence/queue',
      summary:
        "Submissions waiting for review by an organization's issuers and admins, or without organization the city's coordinators (city badges), oldest first",
      tags,
      security,
      request: { params: City, query: z.object({ organization: z.string().optional() }) },
      responses: { 200: ok('The queue', z.object({ data: z.array(Submission) })), ...errors },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/evidence/submissions/{id}/review',
      summary:
        'Approve (issues the badge with the evidence in it, as the review page does) or return with feedback; the learner is mailed',
      tags,
      security,
      request: {
        params: Id,
        body: json(
          z.object({
            decision: z.enum(['approve', 'return']),
            feedback: z.string().max(MAX_FEEDBACK).optional().openapi({ description: 'Required to return' }),
          }),
        ),
      },
      responses: { 200: ok('The submission, decided', Submission), ...errors },
    }),
  ]
  for (const route of routes) app.openAPIRegistry.registerPath(route)
}
