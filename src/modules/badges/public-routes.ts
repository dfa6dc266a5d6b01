import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { problem } from '../../platform/http/problem.ts'
import type { App, Platform } from '../../platform/module.ts'
import { findCityById } from '../cities/index.ts'
import { achievementClaim, awardJwt } from './awards.ts'
import { didDocument, jwkSet } from './issue/issuers.ts'
import { statusListCredential } from './issue/status-list.ts'
import * as repo from './repository.ts'

// Hono route patterns cannot hold {n,m} quantifiers (braces end the pattern): lengths are checked by the lookups.
const SLUG = '[a-z0-9-]+'
const UUID = '[0-9a-f-]+'

/** Public documents anyone verifying a credential may fetch, from any origin. */
function document(c: Context<AppEnv>, body: unknown, type = 'application/json', maxAge = 300) {
  return c.body(JSON.stringify(body, null, 2), 200, {
    'content-type': `${type}; charset=utf-8`,
    'access-control-allow-origin': '*',
    'cache-control': `public, max-age=${maxAge}`,
  })
}

function issuerPathOf(c: Context<AppEnv>): string {
  const org = c.req.param('org')
  return ['issuers', c.req.param('city'), ...(org ? [org] : [])].join(':')
}

/** The credential if its recipient made it public, or the recipient is the one asking. */
export async function visibleAward(c: Context<AppEnv>, platform: Platform, uuid: string) {
  const award = await repo.findAwardByUuid(platform.db, uuid)
  if (!award) return undefined
  if (award.visibility === 'public' || c.var.viewer?.id === award.recipientUserId) return award
  return undefined
}

/**
 * did:web documents, status lists and JWKs of every issuer, achievements (JSON and image) and
 * issued credentials (JSON and VC-JWT) at the URLs the credentials name.
 */
export function badgePublicRoutes(app: App, platform: Platform): void {
  for (const base of [`/issuers/:city{${SLUG}}`, `/issuers/:city{${SLUG}}/:org{${SLUG}}`]) {
    app.get(`${base}/did.json`, async (c) => {
      const issuer = await repo.findIssuerByPath(platform.db, issuerPathOf(c))
      if (!issuer) return problem(c, { title: 'No such issuer', status: 404 })
      return document(c, await didDocument(platform, issuer), 'application/did+json')
    })
    app.get(`${base}/status/:purpose{revocation|suspension}`, async (c) => {
      const issuer = await repo.findIssuerByPath(platform.db, issuerPathOf(c))
      if (!issuer) return problem(c, { title: 'No such issuer', status: 404 })
      const purpose = c.req.param('purpose') as 'revocation' | 'suspension'
      // Short cache: a revocation should reach verifiers within a minute.
      return document(c, await statusListCredential(platform, issuer, purpose), 'application/vc+ld+json', 60)
    })
    app.get(`${base}/jwks.json`, async (c) => {
      const issuer = await repo.findIssuerByPath(platform.db, issuerPathOf(c))
      if (!issuer) return problem(c, { title: 'No such issuer', status: 404 })
      return document(c, await jwkSet(platform, issuer), 'application/jwk-set+json')
    })
    app.get(`${base}/jwks/:kid{rsa-[0-9]+}`, async (c) => {
      const issuer = await repo.findIssuerByPath(platform.db, issuerPathOf(c))
      const key = issuer
        ? (await jwkSet(platform, issuer)).keys.find((k) => k?.kid === c.req.param('kid'))
        : undefined
      if (!key) return problem(c, { title: 'No such key', status: 404 })
      return document(c, key, 'application/jwk+json')
    })
  }

  app.get('/achievements/:id{[0-9]+}', async (c) => {
    const found = await achievementById(platform, idParam(c))
    if (!found) return problem(c, { title: 'No such achievement', status: 404 })
    const city = await findCityById(platform.db, found.cityId)
    const claim = achievementClaim(platform, found, c.req.query('lang') ?? city?.defaultLanguage ?? 'en')
    return document(c, {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: claim.id,
      type: ['Achievement'],
      achievementType: claim.achievementType,
      name: claim.name,
      description: claim.description,
      criteria: { narrative: claim.criteria },
      ...(claim.imageUrl ? { image: { id: claim.imageUrl, type: 'Image' } } : {}),
      tag: claim.tags,
      alignment: claim.alignments.map((a) => ({ type: ['Alignment'], ...a })),
      inLanguage: claim.inLanguage,
    })
  })
  app.get('/achievements/:id{[0-9]+}/image.png', async (c) => {
    const image = await repo.achievementImage(platform.db, idParam(c))
    if (!image) return problem(c, { title: 'No image', status: 404 })
    return c.body(new Uint8Array(image), 200, {
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    })
  })

  app.get(`/credentials/:uuid{${UUID}}`, async (c) => {
    const award = await visibleAward(c, platform, c.req.param('uuid'))
    if (!award) return problem(c, { title: 'No such credential', status: 404, detail: 'Private or unknown' })
    c.header('content-disposition', `attachment; filename="badge-${award.uuid}.json"`)
    return document(c, award.credential, 'application/vc+ld+json', 0)
  })
  app.get(`/credentials/:uuid{${UUID}}/jwt`, async (c) => {
    const award = await visibleAward(c, platform, c.req.param('uuid'))
    if (!award) return problem(c, { title: 'No such credential', status: 404, detail: 'Private or unknown' })
    return c.body(await awardJwt(platform, award), 200, {
      'content-type': 'application/vc+jwt',
      'access-control-allow-origin': '*',
      'cache-control': 'no-cache',
    })
  })
}

/** The :id of the path as a number; 0 (which no row has) when it is too long to be an id. */
function idParam(c: Context<AppEnv>): number {
  const raw = c.req.param('id') ?? ''
  return raw.length <= 12 ? Number(raw) : 0
}

async function achievementById(platform: Platform, id: number) {
  // Achievement ids are global; the city comes from the row.
  const row = await repo.findAchievementAnyCity(platform.db, id)
  return row && !row.archived ? row : undefined
}
