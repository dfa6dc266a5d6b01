import { lstat, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { isLang, translator } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { findCityBySlug } from '../../cities/index.ts'
import { archiveAchievements, archiveIssuers, archivePublicAwards } from './queries.ts'
import { CADDYFILE, NGINX_CONF, readme } from './server-config.ts'
import { badgePageHtml } from './static-page.ts'

/** Fetches a path from the live app (app.request), so the archive holds exactly what is served. */
export type GetPath = (path: string) => Response | Promise<Response>

export interface ArchiveOptions {
  out: string
  /** Only this city's issuers, achievements and credentials. */
  city?: string
  /** Write into a folder that is not empty (files of an earlier export listed in its manifest are replaced). */
  force?: boolean
}

export interface ArchiveSummary {
  out: string
  issuers: number
  achievements: number
  credentials: number
  files: number
}

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError'
}

/** Written at the top of the folder: what an export wrote, so a forced re-export can replace it. */
export const MANIFEST = '.verification-archive.json'
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

/**
 * Writes a static folder that verifies this install's credentials wherever it is hosted at the
 * PUBLIC_URL's host: every issuer's did.json, status lists and JWKs, the achievements (JSON and
 * image), and the credentials learners made public (JSON and a static badge page). Each file sits
 * at the path of its live URL; a path that also has children (/achievements/7 and
 * /achievements/7/image.png) is stored as index.json inside its folder (see the README it writes).
 */
export async function exportVerificationArchive(
  platform: Platform,
  get: GetPath,
  options: ArchiveOptions,
): Promise<ArchiveSummary> {
  const out = resolve(options.out)
  let cityId: number | null = null
  if (options.city !== undefined) {
    const city = /^[a-z0-9-]{1,40}$/.test(options.city)
      ? await findCityBySlug(platform.db, options.city)
      : undefined
    if (!city) throw new ArchiveError(`no city "${options.city.slice(0, 40)}"`)
    cityId = city.id
  }
  await prepare(out, options.force === true)
  const root = await realpath(out)
  const written: string[] = []

  const write = async (relative: string, body: string | Uint8Array) => {
    const segments = relative.split('/')
    if (!segments.every((s) => SEGMENT.test(s) || s === MANIFEST))
      throw new ArchiveError(`refusing to write ${relative.slice(0, 200)}`)
    const target = resolve(root, ...segments)
    if (!target.startsWith(root + sep)) throw new ArchiveError(`refusing to write outside ${out}`)
    await mkdir(dirname(target), { recursive: true })
    // A symbolic link planted inside the folder must not lead the write elsewhere.
    const parent = await realpath(dirname(target))
    if (parent !== root && !parent.startsWith(root + sep))
      throw new ArchiveError(`refusing to write outside ${out}`)
    const existing = await lstat(target).catch(() => undefined)
    if (existing?.isSymbolicLink() || existing?.isDirectory())
      throw new ArchiveError(`refusing to replace ${relative}`)
    await writeFile(target, body)
    written.push(relative)
  }
  /** Copies one live URL path into the archive; false when the app does not serve it. */
  const copy = async (path: string, file = path.slice(1)) => {
    const res = await get(path)
    if (res.status !== 200) return false
    await write(file, new Uint8Array(await res.arrayBuffer()))
    return true
  }

  const issuers = await archiveIssuers(platform.db, cityId)
  for (const issuer of issuers) {
    const base = `/${issuer.path.split(':').join('/')}`
    if (!(await copy(`${base}/did.json`))) continue
    await copy(`${base}/status/revocation`)
    await copy(`${base}/status/suspension`)
    const jwks = await get(`${base}/jwks.json`)
    if (jwks.status === 200) {
      const body = new Uint8Array(await jwks.arrayBuffer())
      await write(`${base.slice(1)}/jwks.json`, body)
      const set = JSON.parse(Buffer.from(body).toString('utf8')) as { keys: ({ kid?: string } | null)[] }
      for (const key of set.keys) {
        if (key?.kid && /^rsa-[0-9]+$/.test(key.kid)) await copy(`${base}/jwks/${key.kid}`)
      }
    }
  }

  const achievements = await archiveAchievements(platform.db, cityId)
  for (const a of achievements) {
    await copy(`/achievements/${a.id}`, `achievements/${a.id}/index.json`)
    if (a.hasImage) await copy(`/achievements/${a.id}/image.png`)
  }

  const awards = await archivePublicAwards(platform.db, cityId)
  for (const award of awards) {
    if (!/^[0-9a-f-]{36}$/.test(award.uuid)) continue
    if (!(await copy(`/credentials/${award.uuid}`, `credentials/${award.uuid}/index.json`))) continue
    const lang = isLang(award.cityLanguage) ? award.cityLanguage : 'en'
    await write(
      `${lang}/${award.citySlug}/badges/${award.uuid}/index.html`,
      badgePageHtml(translator(lang), lang, award),
    )
  }

  await write('README.md', readme(platform.config.publicUrl, platform.config.badges.didHost))
  await write('nginx.conf.example', NGINX_CONF)
  await write('Caddyfile.example', CADDYFILE)
  const manifest = {
    createdAt: new Date().toISOString(),
    publicUrl: platform.config.publicUrl,
    didHost: platform.config.badges.didHost,
    files: [...written],
  }
  await write(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`)
  return {
    out,
    issuers: issuers.length,
    achievements: achievements.length,
    credentials: awards.length,
    files: written.length,
  }
}

/**
 * Makes sure `out` is an empty folder, or with --force removes what an earlier export listed in
 * its manifest (only paths inside `out`; nothing else is deleted).
 */
async function prepare(out: string, force: boolean) {
  const found = await lstat(out).catch(() => undefined)
  if (found && !found.isDirectory()) throw new ArchiveError(`${out} exists and is not a folder`)
  if (!found) {
    await mkdir(out, { recursive: true })
    return
  }
  const entries = await readdir(out)
  if (entries.length === 0) return
  if (!force)
    throw new ArchiveError(
      `${out} is not empty: choose an empty folder, or add --force to replace an earlier export there`,
    )
  const manifest = await readFile(join(out, MANIFEST), 'utf8').catch(() => undefined)
  if (!manifest) return
  let files: unknown
  try {
    files = (JSON.parse(manifest) as { files?: unknown }).files
  } catch {
    return
  }
  if (!Array.isArray(files)) return
  const root = await realpath(out)
  for (const file of files) {
    if (typeof file !== 'string' || !file.split('/').every((s) => SEGMENT.test(s) || s === MANIFEST)) continue
    const target = resolve(root, ...file.split('/'))
    if (!target.startsWith(root + sep)) continue
    const stat = await lstat(target).catch(() => undefined)
    if (stat?.isFile()) await rm(target)
  }
}
