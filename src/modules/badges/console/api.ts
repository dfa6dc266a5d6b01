/**
 * The badges JSON API: define, change and list achievements, award them by email, change an
 * award's status, make claim codes, and claim with a code. Authenticated by the session (a badge
 * is awarded by a person, never by a key: nobody may award themselves, and the award records who).
 * Writes take JSON only and refuse other origins, so a cross-site form cannot post with the cookie.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { type FieldError, problem } from '../../../platform/http/problem.ts'
import { problemContent } from '../../../platform/http/problem-schema.ts'
import type { App, Platform } from '../../../platform/module.ts'
import type { CityRow } from '../../cities/index.ts'
import {
  achievementInput,
  type BadgeActor,
  changeAchievement,
  defineAchievement,
  mayAward,
  mayDefine,
} from '../achievements.ts'
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
  PROBLEMS,
  SESSION_SCHEME,
  sessionActor,
} from '../api-session.ts'
import { awardManually, changeAwardStatus, urls } from '../awards.ts'
import { claimQrSvg, createClaimCode, withdrawClaimCode } from '../claims.ts'
import * as repo from '../repository.ts'
import { claimBadge } from './claim.ts'
import { maskEmail } from './shared.tsx'

type C = Context<AppEnv>
const BASE = CITY_API
/** A PNG of at most 256 KB, base64: about 350,000 characters. */
const MAX_IMAGE_BASE64 = 360_000

/**
 * The base64 image of a body as bytes; the use case checks them (a PNG of at most 256 KB), so an
 * image error comes with every other field error. Anything but text is one byte no PNG is.
 */
function imageOf(raw: unknown): Uint8Array | null {
  if (raw === undefined || raw === null || raw === '') return null
  if (typeof raw !== 'string') return new Uint8Array(1)
  return new Uint8Array(Buffer.from(raw.slice(0, MAX_IMAGE_BASE64), 'base64'))
}

/** An achievement as the API shows it. */
function achievementView(platform: Platform, a: repo.AchievementRow) {
  const { hasImage, archived: _archived, cityId: _cityId, ...rest } = a
  return {
    ...rest,
    url: urls.achievement(platform, a.id),
    image: hasImage ? urls.image(platform, a.id) : null,
  }
}

/** The fields of an achievement as input, to merge a PATCH into. */
function inputOfRow(a: repo.AchievementRow): Record<string, unknown> {
  const { id: _id, cityId: _c, organizationId: _o, hasImage: _h, sharedWith: _s, archived: _a, ...input } = a
  return input
}

type AwardWithRecipient = repo.AwardRow & { recipientName?: string | null; recipientEmail?: string | null }

function awardView(platform: Platform, w: AwardWithRecipient) {
  return {
    uuid: w.uuid,
    status: w.status,
    statusReason: w.statusReason,
    path: w.path,
    organizationId: w.organizationId,
    issuedAt: new Date(w.issuedAt).toISOString(),
    validUntil: w.validUntil ? new Date(w.validUntil).toISOString() : null,
    credential: urls.credential(platform, w.uuid),
    ...(w.recipientEmail
      ? { recipient: { name: w.recipientName ?? '', email: maskEmail(w.recipientEmail) } }
      : {}),
  }
}

/** The signed-in person, the city and the achievement a route names, or the answer refusing it. */
async function achievementRoute(c: C, platform: Platform) {
  const route = await cityRoute(c, platform)
  if ('response' in route) return route
  const a = await achievementOf(c, platform, route.city)
  if (!a) return { response: notFound(c) }
  return { ...route, a }
}

async function achievementOf(c: C, platform: Platform, city: CityRow) {
  const raw = c.req.param('id') ?? ''
  const a = raw.length <= 12 ? await repo.findAchievement(platform.db, city.id, Number(raw)) : undefined
  return a && !a.archived ? a : undefined
}

/** A claim code as its issuers see it through the API; a withdrawn one says when and by whom. */
function codeView(
  platform: Platform,
  city: CityRow,
  k: repo.ClaimCodeRow & { revokedByName?: string | null },
) {
  return {
    id: k.id,
    code: k.code,
    organizationId: k.organizationId,
    maxUses: k.maxUses,
    uses: k.uses,
    expiresAt: k.expiresAt ? new Date(k.expiresAt).toISOString() : null,
    claimUrl: `${platform.config.publicUrl}/${city.defaultLanguage}/${city.slug}/badges/claim?code=${k.code}`,
    withdrawn: k.revoked,
    withdrawnAt: k.revokedAt ? new Date(k.revokedAt).toISOString() : null,
    withdrawnBy:
      k.revokedByUserId === null
        ? null
        : { userId: k.revokedByUserId, ...(k.revokedByName ? { name: k.revokedByName } : {}) },
  }
}

/** Who may see an achievement here: who may define it for its owner, or staff of a provider it is shared with. */
async function maySee(platform: Platform, actor: BadgeActor, a: repo.AchievementRow) {
  if (await mayDefine(platform, actor, a.cityId, a.organizationId)) return true
  for (const org of a.sharedWith) if (await mayDefine(platform, actor, a.cityId, org)) return true
  return false
}

export function consoleApi(app: App, platform: Platform): void {
  documentRoutes(app)

  app.get(`${BASE}/achievements`, async (c) => {
    const route = await cityRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city } = route
    const org = orgOf(c.req.query('organization'), null)
    if (org === 'invalid')
      return invalid(c, [{ field: '/organization', detail: 'must be an organization id' }])
    if (!(await mayDefine(platform, auth.actor, city.id, org))) return forbidden(c)
    const list = await repo.listAchievements(platform.db, city.id, org)
    return c.json({ data: list.map((a) => achievementView(platform, a)) })
  })

  app.post(`${BASE}/achievements`, async (c) => {
    const route = await cityRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city } = route
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const { organizationId, image, ...input } = read.body
    const org = orgOf(organizationId, null)
    if (org === 'invalid')
      return invalid(c, [{ field: '/organizationId', detail: 'must be an organization id or null' }])
    const result = await defineAchievement(platform, auth.actor, city.id, org, input, imageOf(image))
    if (!result.ok) return failure(c, result)
    const a = (await repo.findAchievement(platform.db, city.id, result.value))!
    return c.json(achievementView(platform, a), 201, { location: urls.achievement(platform, a.id) })
  })

  app.get(`${BASE}/achievements/:id{[0-9]+}`, async (c) => {
    const auth = sessionActor(c, platform)
    if ('response' in auth) return auth.response
    const city = await cityOf(c, platform)
    const a = city ? await achievementOf(c, platform, city) : undefined
    if (!a) return notFound(c)
    if (!(await maySee(platform, auth.actor, a))) return forbidden(c)
    return c.json(achievementView(platform, a))
  })

  app.patch(`${BASE}/achievements/:id{[0-9]+}`, async (c) => {
    const route = await achievementRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city, a } = route
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const { image, organizationId: _ignored, ...changes } = read.body
    const result = await changeAchievement(
      platform,
      auth.actor,
      city.id,
      a.id,
      { ...inputOfRow(a), ...changes },
      imageOf(image),
    )
    if (!result.ok) return failure(c, result)
    return c.json(achievementView(platform, (await repo.findAchievement(platform.db, city.id, a.id))!))
  })

  app.get(`${BASE}/achievements/:id{[0-9]+}/awards`, async (c) => {
    const route = await achievementRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city, a } = route
    const org = orgOf(c.req.query('organization'), a.organizationId)
    if (org === 'invalid')
      return invalid(c, [{ field: '/organization', detail: 'must be an organization id' }])
    if (!(await mayAward(platform, auth.actor, a, org))) return forbidden(c)
    const list = (await repo.listAwardsWithRecipients(platform.db, city.id, a.id)).filter(
      (w) => w.organizationId === org,
    )
    return c.json({ data: list.map((w) => awardView(platform, w)) })
  })

  app.post(`${BASE}/achievements/:id{[0-9]+}/awards`, async (c) => {
    const route = await achievementRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city, a } = route
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const org = orgOf(read.body.organizationId, a.organizationId)
    const emails = read.body.emails
    const errors: FieldError[] = []
    if (org === 'invalid')
      errors.push({ field: '/organizationId', detail: 'must be an organization id or null' })
    if (!Array.isArray(emails) || emails.some((e) => typeof e !== 'string'))
      errors.push({ field: '/emails', detail: 'must be a list of email addresses' })
    if (errors.length || org === 'invalid' || !Array.isArray(emails)) return invalid(c, errors)
    const result = await awardManually(
      platform,
      auth.actor,
      city.id,
      a.id,
      org,
      emails.slice(0, 201) as string[],
    )
    if (!result.ok) return failure(c, result)
    return c.json({ data: result.value.map((w) => awardView(platform, w)) }, 201)
  })

  app.post(`${BASE}/achievements/:id{[0-9]+}/awards/:uuid{[0-9a-f-]+}/status`, async (c) => {
    const auth = sessionActor(c, platform)
    if ('response' in auth) return auth.response
    const city = await cityOf(c, platform)
    const a = city ? await achievementOf(c, platform, city) : undefined
    const w = a
      ? await repo.findAwardByUuid(platform.db, (c.req.param('uuid') ?? '').slice(0, 40))
      : undefined
    if (!city || !a || !w || w.achievementId !== a.id || w.cityId !== city.id) return notFound(c)
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const to = { revoke: 'revoked', suspend: 'suspended', reinstate: 'active' }[String(read.body.action)] as
      | 'revoked'
      | 'suspended'
      | 'active'
      | undefined
    const reason = read.body.reason
    const errors: FieldError[] = []
    if (!to) errors.push({ field: '/action', detail: 'must be revoke, suspend or reinstate' })
    if (reason !== undefined && reason !== null && (typeof reason !== 'string' || reason.length > 500))
      errors.push({ field: '/reason', detail: 'must be text of at most 500 characters' })
    if (errors.length || !to) return invalid(c, errors)
    const result = await changeAwardStatus(
      platform,
      auth.actor,
      city.id,
      w.id,
      to,
      typeof reason === 'string' ? reason : null,
    )
    if (!result.ok) return failure(c, result)
    return c.json(awardView(platform, result.value))
  })

  app.post(`${BASE}/achievements/:id{[0-9]+}/claim-codes`, async (c) => {
    const route = await achievementRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city, a } = route
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const org = orgOf(read.body.organizationId, a.organizationId)
    const { maxUses = 1, expiresAt = null } = read.body
    const errors: FieldError[] = []
    if (org === 'invalid')
      errors.push({ field: '/organizationId', detail: 'must be an organization id or null' })
    const expiry =
      expiresAt === null ? null : typeof expiresAt === 'string' ? new Date(expiresAt) : new Date(Number.NaN)
    if (typeof maxUses !== 'number')
      errors.push({ field: '/maxUses', detail: 'must be a whole number from 1 to 10000' })
    if (errors.length || org === 'invalid') return invalid(c, errors)
    const result = await createClaimCode(platform, auth.actor, city.id, a.id, org, {
      maxUses: maxUses as number,
      expiresAt: expiry,
    })
    if (!result.ok) return failure(c, result)
    const view = codeView(platform, city, result.value)
    return c.json({ ...view, qrSvg: await claimQrSvg(view.claimUrl) }, 201)
  })

  app.get(`${BASE}/achievements/:id{[0-9]+}/claim-codes`, async (c) => {
    const route = await achievementRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city, a } = route
    const org = orgOf(c.req.query('organization'), a.organizationId)
    if (org === 'invalid')
      return invalid(c, [{ field: '/organization', detail: 'must be an organization id' }])
    if (!(await mayAward(platform, auth.actor, a, org))) return forbidden(c)
    const list = (await repo.listClaimCodes(platform.db, city.id, a.id)).filter(
      (k) => k.organizationId === org,
    )
    return c.json({ data: list.map((k) => codeView(platform, city, k)) })
  })

  app.post(`${BASE}/achievements/:id{[0-9]+}/claim-codes/:code{[0-9]+}/withdraw`, async (c) => {
    const auth = sessionActor(c, platform)
    if ('response' in auth) return auth.response
    const city = await cityOf(c, platform)
    const a = city ? await achievementOf(c, platform, city) : undefined
    const code = a ? await repo.findClaimCodeById(platform.db, a.cityId, idParam(c, 'code')) : undefined
    if (!city || !a || !code || code.achievementId !== a.id) return notFound(c)
    // JSON only, like every write here: a cross-site form cannot send it.
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const result = await withdrawClaimCode(platform, auth.actor, city.id, code.id)
    if (!result.ok) return failure(c, result)
    const listed = (await repo.listClaimCodes(platform.db, city.id, a.id)).find((k) => k.id === code.id)
    return c.json(codeView(platform, city, listed ?? result.value))
  })

  app.post(`${BASE}/claims`, async (c) => {
    const route = await cityRoute(c, platform)
    if ('response' in route) return route.response
    const { auth, city } = route
    const read = await jsonBody(c)
    if ('response' in read) return read.response
    const code = read.body.code
    if (typeof code !== 'string') return invalid(c, [{ field: '/code', detail: 'is required' }])
    const result = await claimBadge(platform, auth.actor, city.id, code)
    if (result.ok) return c.json(awardView(platform, result.award), 201)
    if (result.problem === 'too-many')
      return problem(c, {
        type: `${PROBLEMS}/too-many-requests`,
        title: 'Too many claims; wait an hour',
        status: 429,
      })
    return invalid(c, [{ field: '/code', detail: CLAIM_DETAIL[result.problem] }])
  })
}

const CLAIM_DETAIL = {
  empty: 'is required',
  unknown: 'no such claim code',
  creator: 'you cannot claim a code you made',
  holds: 'you hold this badge already',
  expired: 'this code has expired',
  'used-up': 'this code is used up',
  withdrawn: 'this code was withdrawn',
} as const

/** The routes in the OpenAPI document (the handlers above validate, so every field error comes at once). */
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
  const Achievement = z
    .looseObject({ id: z.number(), type: z.string(), url: z.string(), image: z.string().nullable() })
    .openapi('Achievement', {
      description: 'An achievement (badge class) with its content as in AchievementInput',
    })
  const Input = achievementInput.openapi('AchievementInput')
  const Award = z
    .looseObject({ uuid: z.string(), status: z.string(), path: z.string(), credential: z.string() })
    .openapi('BadgeAward', {
      description: 'An issued badge; the recipient is shown to staff with a masked email',
    })
  const ClaimCode = z
    .looseObject({
      id: z.number(),
      code: z.string(),
      maxUses: z.number(),
      uses: z.number(),
      expiresAt: z.string().nullable(),
      claimUrl: z.string(),
      withdrawn: z.boolean(),
      withdrawnAt: z.string().nullable(),
      withdrawnBy: z.object({ userId: z.number(), name: z.string().optional() }).nullable(),
    })
    .openapi('BadgeClaimCode', { description: 'A claim code; a withdrawn one says when and by whom' })
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } }, required: true })
  const ok = (description: string, schema: z.ZodType) => ({
    description,
    content: { 'application/json': { schema } },
  })
  const errors = {
    401: { description: 'Not signed in', content: problemContent },
    403: { description: 'Not allowed, or sent from another site', content: problemContent },
    404: { description: 'No such city or achievement', content: problemContent },
    422: { description: 'Invalid fields, every one listed', content: problemContent },
  }
  const tags = ['Badges']
  const security = [{ session: [] }]
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', SESSION_SCHEME)
  const routes = [
    createRoute({
      method: 'get',
      path: '/api/v1/cities/{city}/achievements',
      summary: "An organization's achievements (own and shared), or the city's own without organization",
      tags,
      security,
      request: { params: City, query: z.object({ organization: z.string().optional() }) },
      responses: { 200: ok('The achievements', z.object({ data: z.array(Achievement) })), ...errors },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/achievements',
      summary: 'Define an achievement for an organization (organizationId) or the city (null)',
      tags,
      security,
      request: {
        params: City,
        body: json(
          Input.extend({
            organizationId: z.number().int().nullable().optional(),
            image: z.string().optional().openapi({ description: 'A PNG (at most 256 KB), base64' }),
          }),
        ),
      },
      responses: { 201: ok('Defined', Achievement), ...errors },
    }),
    createRoute({
      method: 'get',
      path: '/api/v1/cities/{city}/achievements/{id}',
      summary: 'One achievement',
      tags,
      security,
      request: { params: Id },
      responses: { 200: ok('The achievement', Achievement), ...errors },
    }),
    createRoute({
      method: 'patch',
      path: '/api/v1/cities/{city}/achievements/{id}',
      summary: 'Change some fields of an achievement (the others keep their values)',
      tags,
      security,
      request: { params: Id, body: json(z.looseObject({ image: z.string().optional() })) },
      responses: { 200: ok('Changed', Achievement), ...errors },
    }),
    createRoute({
      method: 'get',
      path: '/api/v1/cities/{city}/achievements/{id}/awards',
      summary: 'Awards of an achievement made by an organization (the owner unless organization is given)',
      tags,
      security,
      request: { params: Id, query: z.object({ organization: z.string().optional() }) },
      responses: { 200: ok('The awards', z.object({ data: z.array(Award) })), ...errors },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/achievements/{id}/awards',
      summary: 'Award to learners by the email of their account; nothing is issued if one address is wrong',
      tags,
      security,
      request: {
        params: Id,
        body: json(
          z.object({
            emails: z.array(z.string()).max(200),
            organizationId: z.number().int().nullable().optional(),
          }),
        ),
      },
      responses: { 201: ok('Issued', z.object({ data: z.array(Award) })), ...errors },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/achievements/{id}/awards/{uuid}/status',
      summary: 'Revoke (for good), suspend, or reinstate a suspended award',
      tags,
      security,
      request: {
        params: Id.extend({ uuid: z.string().openapi({ param: { name: 'uuid', in: 'path' } }) }),
        body: json(
          z.object({
            action: z.enum(['revoke', 'suspend', 'reinstate']),
            reason: z.string().max(500).optional(),
          }),
        ),
      },
      responses: {
        200: ok('The award now', Award),
        409: { description: 'Not possible from its status', content: problemContent },
        ...errors,
      },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/achievements/{id}/claim-codes',
      summary:
        'A one-time or limited-use claim code, optionally until a time; with its claim URL and QR code (SVG)',
      tags,
      security,
      request: {
        params: Id,
        body: json(
          z.object({
            maxUses: z.number().int().min(1).max(10000).default(1),
            expiresAt: z.string().nullable().optional().openapi({ format: 'date-time' }),
            organizationId: z.number().int().nullable().optional(),
          }),
        ),
      },
      responses: {
        201: ok('The code, with its QR code (SVG)', ClaimCode.extend({ qrSvg: z.string() })),
        ...errors,
      },
    }),
    createRoute({
      method: 'get',
      path: '/api/v1/cities/{city}/achievements/{id}/claim-codes',
      summary:
        'Claim codes of an achievement made by an organization (the owner unless organization is given), withdrawn ones included',
      tags,
      security,
      request: { params: Id, query: z.object({ organization: z.string().optional() }) },
      responses: { 200: ok('The codes', z.object({ data: z.array(ClaimCode) })), ...errors },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/achievements/{id}/claim-codes/{code}/withdraw',
      summary:
        'Withdraw a claim code: nobody can claim with it any more (badges claimed with it stay valid). Send {}',
      tags,
      security,
      request: {
        params: Id.extend({
          code: z
            .number()
            .int()
            .openapi({ param: { name: 'code', in: 'path' }, description: 'The code id' }),
        }),
        body: json(z.object({})),
      },
      responses: {
        200: ok('The code, withdrawn', ClaimCode),
        409: { description: 'Withdrawn already', content: problemContent },
        ...errors,
      },
    }),
    createRoute({
      method: 'post',
      path: '/api/v1/cities/{city}/claims',
      summary: 'The signed-in learner claims a badge with a code',
      tags,
      security,
      request: { params: City, body: json(z.object({ code: z.string() })) },
      responses: {
        201: ok('The badge', Award),
        429: { description: 'Too many claims in an hour', content: problemContent },
        ...errors,
      },
    }),
  ]
  for (const route of routes) app.openAPIRegistry.registerPath(route)
}
