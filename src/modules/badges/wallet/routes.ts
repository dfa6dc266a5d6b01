/**
 * The images of an issued credential: the baked PNG and SVG (downloads) and the Open Graph
 * picture of its public page. Same rule as the JSON: its learner, or anyone once it is public.
 */
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

/** OG pictures are made once per credential and colour, and kept (a few hundred KB each, at most 200). */
const ogCache = new Map<string, Buffer>()
const OG_CACHE_MAX = 200

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
    const colour = await cityColour(platform, award.cityId)
    const key = `${award.uuid}:${colour}`
    let png = ogCache.get(key)
    if (!png) {
      const badge = await awards.achievementImage(platform.db, award.achievementId)
      png = ogImage(badge ?? new Uint8Array(), colour)
      ogCache.set(key, png)
      while (ogCache.size > OG_CACHE_MAX) ogCache.delete(ogCache.keys().next().value!)
    }
    return image(c, png, 'image/png', award)
  })
}
