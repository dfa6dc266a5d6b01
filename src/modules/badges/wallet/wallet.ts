/**
 * The learner's wallet: badges earned on this install (badge_awards) and badges imported from
 * elsewhere (badge_wallet_imports), verified on import and again on demand, downloadable one by one
 * (JSON, baked PNG/SVG, VC-JWT) or all at once as a ZIP.
 */
import { createHash } from 'node:crypto'
import { strToU8, zipSync } from 'fflate'
import { z } from 'zod'
import { FetchError, fetchExternal } from '../../../platform/fetch/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { findCityById } from '../../cities/index.ts'
import * as awards from '../repository.ts'
import type { InputProblem } from '../verify/input.ts'
import type { Report } from '../verify/report.ts'
import { MAX_INPUT_BYTES } from '../verify/service.ts'
import { bakePng, bakeSvg, defaultBadgePng, defaultBadgeSvg, svgAroundPng } from './bake.ts'
import * as repo from './repository.ts'
import { checkCredential } from './verify.ts'

/** Imported badges one person may keep (each at most 1 MiB). */
export const MAX_IMPORTS = 200

export type ImportFailure =
  /** Nothing readable as a credential (with the verifier's reason). */
  | { error: 'unreadable'; problem: InputProblem }
  /** Read and checked, and a check failed: kept out of the wallet. */
  | { error: 'invalid'; report: Report }
  | { error: 'too-large' }
  | { error: 'limit' }
  | { error: 'url-invalid' }
  /** The URL could not be fetched; `code` is the fetcher's reason or `status`. */
  | { error: 'fetch'; code: string }

export type ImportResult =
  | { ok: true; row: repo.ImportRow; report: Report; duplicate: boolean }
  | ({ ok: false } & ImportFailure)

/** Text of a verified badge as the wallet lists it. */
function shortText(value: string | undefined, max = 300): string | null {
  return value ? value.slice(0, max) : null
}

/**
 * Verifies and keeps a badge from elsewhere: valid and unconfirmed (a key or status list could not
 * be had right now) ones are kept, invalid ones are refused with their report.
 */
export async function importCredential(
  platform: Platform,
  userId: number,
  input: { data: Uint8Array | string; source: 'file' | 'paste' | 'url'; sourceUrl?: string },
  lang?: string,
): Promise<ImportResult> {
  const size = typeof input.data === 'string' ? Buffer.byteLength(input.data) : input.data.length
  if (size > MAX_INPUT_BYTES) return { ok: false, error: 'too-large' }
  const checked = await checkCredential(platform, input.data, lang)
  if (!checked.ok) return { ok: false, error: 'unreadable', problem: checked.problem }
  const { report } = checked
  if (report.verdict === 'invalid') return { ok: false, error: 'invalid', report }
  const fingerprint = createHash('sha256').update(checked.credential).digest('hex')
  const existing = await repo.findImportByFingerprint(platform.db, userId, fingerprint)
  if (existing) return { ok: true, row: existing, report, duplicate: true }
  if ((await repo.countImports(platform.db, userId)) >= MAX_IMPORTS) return { ok: false, error: 'limit' }
  const image =
    checked.baked && typeof input.data !== 'string'
      ? Buffer.from(input.data)
      : checked.baked === 'svg'
        ? Buffer.from(String(input.data), 'utf8')
        : null
  const id = await repo.insertImport(platform.db, {
    userId,
    format: report.format,
    baked: checked.baked ?? null,
    source: input.source,
    sourceUrl: input.sourceUrl?.slice(0, 2000) ?? null,
    credential: checked.credential,
    image,
    fingerprint,
    name: shortText(report.badge.name),
    issuerName: shortText(report.badge.issuerName),
    verdict: report.verdict,
    report: report as unknown as Record<string, unknown>,
  })
  const row =
    id === undefined
      ? await repo.findImportByFingerprint(platform.db, userId, fingerprint)
      : await repo.findImport(platform.db, userId, id)
  return { ok: true, row: row!, report, duplicate: id === undefined }
}

const importUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u))

/** Fetches a badge (JSON, JWT or baked image) from a URL with the safe fetcher, then imports it. */
export async function importFromUrl(
  platform: Platform,
  userId: number,
  url: string,
  lang?: string,
): Promise<ImportResult> {
  const parsed = importUrl.safeParse(url)
  if (!parsed.success) return { ok: false, error: 'url-invalid' }
  let body: Buffer
  try {
    const res = await fetchExternal(parsed.data, {
      ...platform.config.fetch,
      timeoutMs: 10_000,
      maxBytes: MAX_INPUT_BYTES,
      headers: {
        accept:
          'application/vc+ld+json, application/ld+json, application/json, application/vc+jwt, image/png, image/svg+xml;q=0.9, */*;q=0.1',
      },
    })
    if (!res.ok) return { ok: false, error: 'fetch', code: `status-${res.status}` }
    body = res.body
  } catch (error) {
    if (error instanceof FetchError)
      return error.code === 'too-large'
        ? { ok: false, error: 'too-large' }
        : { ok: false, error: 'fetch', code: error.code }
    throw error
  }
  return importCredential(
    platform,
    userId,
    { data: new Uint8Array(body), source: 'url', sourceUrl: parsed.data },
    lang,
  )
}

/** Verifies an imported badge again (keys, dates and status lists may have changed). */
export async function reverifyImport(
  platform: Platform,
  userId: number,
  id: number,
  lang?: string,
): Promise<{ row: repo.ImportRow; report: Report } | undefined> {
  const row = await repo.findImport(platform.db, userId, id)
  if (!row) return undefined
  const checked = await checkCredential(platform, row.credential, lang)
  if (!checked.ok) return undefined
  const report = row.baked ? { ...checked.report, baked: row.baked } : checked.report
  await repo.saveVerification(
    platform.db,
    userId,
    id,
    report.verdict,
    report as unknown as Record<string, unknown>,
  )
  return { row: (await repo.findImport(platform.db, userId, id))!, report }
}

export function deleteImport(platform: Platform, userId: number, id: number): Promise<boolean> {
  return repo.deleteImport(platform.db, userId, id)
}

/** The award's achievement image, or the generated default in the city's colour. */
async function awardImage(platform: Platform, award: awards.AwardRow): Promise<Buffer> {
  const image = await awards.achievementImage(platform.db, award.achievementId)
  if (image) return image
  return defaultBadgePng(await cityColour(platform, award.cityId))
}

export async function cityColour(platform: Platform, cityId: number): Promise<string> {
  return (await findCityById(platform.db, cityId))?.theme.primary ?? '#1d4ed8'
}

/** The badge's name as the credential states it (the text in the achievement's default language). */
export function awardName(award: awards.AwardRow): string {
  const subject = award.credential.credentialSubject as { achievement?: { name?: unknown } } | undefined
  const name = subject?.achievement?.name
  return typeof name === 'string' ? name : 'Badge'
}

/** The credential JSON baked into the achievement image (PNG). */
export async function bakedAwardPng(platform: Platform, award: awards.AwardRow): Promise<Buffer> {
  return bakePng(await awardImage(platform, award), JSON.stringify(award.credential))
}

/** The credential JSON baked into an SVG that shows the achievement image (or the default one). */
export async function bakedAwardSvg(platform: Platform, award: awards.AwardRow): Promise<string> {
  const image = await awards.achievementImage(platform.db, award.achievementId)
  const svg = image
    ? svgAroundPng(image, awardName(award))
    : defaultBadgeSvg(await cityColour(platform, award.cityId), awardName(award))
  return bakeSvg(svg, JSON.stringify(award.credential))
}

/** A file name part from a badge name: lower-case letters, digits and dashes only. */
function slug(text: string | null | undefined): string {
  const s = (text ?? '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return s || 'badge'
}

/**
 * Every badge of the person as a ZIP: earned/ (each credential's JSON and its baked PNG) and
 * imported/ (the credential as verified, JSON or JWT, and the baked image it came in).
 */
export async function walletZip(platform: Platform, userId: number): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {}
  for (const award of await awards.listAwardsOfRecipient(platform.db, userId)) {
    const base = `earned/${slug(awardName(award))}-${award.uuid}`
    files[`${base}.json`] = strToU8(JSON.stringify(award.credential, null, 2))
    files[`${base}.png`] = new Uint8Array(await bakedAwardPng(platform, award))
  }
  for (const row of await repo.listImports(platform.db, userId)) {
    const base = `imported/${row.id}-${slug(row.name)}`
    files[`${base}.${row.format === 'vc-jwt' ? 'jwt' : 'json'}`] = strToU8(row.credential)
    if (row.baked) {
      const image = await repo.importImage(platform.db, userId, row.id)
      if (image) files[`${base}.${row.baked}`] = new Uint8Array(image)
    }
  }
  files['README.txt'] = strToU8(
    'Your badges (Open Badges 3.0).\n\nearned/: badges issued to you here: the signed credential (.json) and the same credential baked into the badge image (.png).\nimported/: badges you added from elsewhere, as you brought them (.json or .jwt, and the baked image if there was one).\n\nAny Open Badges 3.0 verifier can check these files.\n',
  )
  // PNGs are compressed already; JSON compresses well.
  return zipSync(files, { level: 6 })
}
