/**
 * The images of an issued credential: the baked PNG and SVG (downloads) and the Open Graph
 * picture of its public page. Same rule as the JSON: its learner, or anyone once it is public.
 */
import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { problem } from '../../../platform/http/problem.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { visibleAward } from '../public-routes.ts'
import * as awards from '../repository.ts'
import { ogImage } from './bake.ts'
import { bakedAwardPng, bakedAwardSvg, cityColour } from './wallet.ts'

/** A UUID as a route pattern (Hono patterns cannot hold {n} quantifiers). */
export const UUID_PATTERN = '[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+'

function notFound(c: Context<AppEnv>) {
  return problem(c, { title: 'No such credential', status: 404, detail: 'Private or unknown' })
}

/** Binary answers never sniffed, never scripted; private ones never cached by others. */
function image(
  c: Context<AppEnv>,
  body: Uint8Array | string,
  type: string,
  award: awards.AwardRow,
  download?: string,
) {
  return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
    'cache-control': award.visibility === 'public' ? 'public, max-age=300' : 'private, no-store',
    ...(download ? { 'content-disposition': `attachment; filename="${download}"` } : {}),
    ...(award.visibility === 'public' ? { 'access-control-allow-origin': '*' } : {}),
  })
}

/**
 * OG pictures are made once per credential and colour and kept (about 50 KB each, at most 200), with
 * the version of the achievement they were made from: a changed image (or name) makes a new one.
 */
const ogCache = new Map<string, { version: string; png: Buffer; etag: string }>()
const OG_CACHE_MAX = 200

/** The kept OG picture of a credential in a colour, made again when the achievement changed. */
async function ogPicture(platform: Platform, award: awards.AwardRow, colour: string) {
  const key = `${award.uuid}:${colour}`
  const version = await awards.achievementPictureVersion(platform.db, award.achievementId)
  const kept = ogCache.get(key)
  if (kept?.version === version) return kept
  const badge = await awards.achievementImage(platform.db, award.achievementId)
  const png = ogImage(badge ?? new Uint8Array(), colour)
  const etag = `"og-${createHash('sha256').update(`${key}:${version}`).digest('base64url').slice(0, 22)}"`
  const made = { version, png, etag }
  ogCache.delete(key)
  ogCache.set(key, made)
  while (ogCache.size > OG_CACHE_MAX) ogCache.delete(ogCache.keys().next().value!)
  return made
}

export function badgeImageRoutes(app: App, platform: Platform): void {
  const base = `/credentials/:uuid{${UUID_PATTERN}}`
  app.get(`${base}/badge.png`, async (c) => {
    const award = await visibleAward(c, platform, c.req.param('uuid'))
    if (!award) return notFound(c)
    return image(c, await bakedAwardPng(platform, award), 'image/png', award, `badge-${award.uuid}.png`)
  })
  app.get(`${base}/badge.svg`, async (c) => {
    const award = await visibleAward(c, platform, c.req.param('uuid'))
    if (!award) return notFound(c)
    return image(c, await bakedAwardSvg(platform, award), 'image/svg+xml', award, `badge-${award.uuid}.svg`)
  })
  app.get(`${base}/og.png`, async (c) => {
    const award = await visibleAward(c, platform, c.req.param('uuid'))
    if (!award) return notFound(c)
    const picture = await ogPicture(platform, award, await cityColour(platform, award.cityId))
    c.header('etag', picture.etag)
    if (c.req.header('if-none-match') === picture.etag) return c.body(null, 304)
    return image(c, picture.png, 'image/png', award)
  })
}
