import { type Db, firstRow, rows, sql } from '../../../platform/db/index.ts'
import type { ImportSource } from '../schema.ts'

export type StoredVerdict = 'valid' | 'invalid' | 'unconfirmed'

export interface ImportRow {
  id: number
  userId: number
  format: 'json-ld' | 'vc-jwt'
  baked: 'png' | 'svg' | null
  source: ImportSource
  sourceUrl: string | null
  credential: string
  name: string | null
  issuerName: string | null
  verdict: StoredVerdict
  report: Record<string, unknown>
  verifiedAt: string
  createdAt: string
  hasImage: boolean
}

const columns = sql`id::int as id, user_id::int as "userId", format, baked, source, source_url as "sourceUrl", credential,
  name, issuer_name as "issuerName", verdict, report, verified_at as "verifiedAt", created_at as "createdAt",
  image is not null as "hasImage"`

export interface ImportWrite {
  userId: number
  format: 'json-ld' | 'vc-jwt'
  baked: 'png' | 'svg' | null
  source: ImportSource
  sourceUrl: string | null
  credential: string
  image: Buffer | null
  fingerprint: string
  name: string | null
  issuerName: string | null
  verdict: StoredVerdict
  report: Record<string, unknown>
}

/** Stores an import; undefined when the person holds this very credential already. */
export async function insertImport(db: Db, w: ImportWrite): Promise<number | undefined> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into badge_wallet_imports (user_id, format, baked, source, source_url, credential, image, fingerprint,
          name, issuer_name, verdict, report, verified_at)
        values (${w.userId}, ${w.format}, ${w.baked}, ${w.source}, ${w.sourceUrl}, ${w.credential}, ${w.image},
          ${w.fingerprint}, ${w.name}, ${w.issuerName}, ${w.verdict}, ${JSON.stringify(w.report)}::jsonb, now())
        on conflict do nothing returning id::int as id`,
  )
  return row?.id
}

export function findImportByFingerprint(db: Db, userId: number, fingerprint: string) {
  return firstRow<ImportRow>(
    db,
    sql`select ${columns} from badge_wallet_imports where user_id = ${userId} and fingerprint = ${fingerprint}`,
  )
}

export function findImport(db: Db, userId: number, id: number) {
  return firstRow<ImportRow>(
    db,
    sql`select ${columns} from badge_wallet_imports where user_id = ${userId} and id = ${id}`,
  )
}

export function listImports(db: Db, userId: number) {
  return rows<ImportRow>(
    db,
    sql`select ${columns} from badge_wallet_imports where user_id = ${userId} order by created_at desc, id desc`,
  )
}

export async function countImports(db: Db, userId: number): Promise<number> {
  const row = await firstRow<{ n: number }>(
    db,
    sql`select count(*)::int as n from badge_wallet_imports where user_id = ${userId}`,
  )
  return row?.n ?? 0
}

export async function importImage(db: Db, userId: number, id: number): Promise<Buffer | undefined> {
  const row = await firstRow<{ image: Buffer | null }>(
    db,
    sql`select image from badge_wallet_imports where user_id = ${userId} and id = ${id}`,
  )
  return row?.image ?? undefined
}

export async function saveVerification(
  db: Db,
  userId: number,
  id: number,
  verdict: StoredVerdict,
  report: Record<string, unknown>,
) {
  await db.execute(
    sql`update badge_wallet_imports set verdict = ${verdict}, report = ${JSON.stringify(report)}::jsonb,
          verified_at = now()
        where user_id = ${userId} and id = ${id}`,
  )
}

export async function deleteImport(db: Db, userId: number, id: number): Promise<boolean> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`delete from badge_wallet_imports where user_id = ${userId} and id = ${id} returning id::int as id`,
  )
  return row !== undefined
}

/** Every import of a person, for account deletion (no such hook exists yet; see docs/badges.md). */
export async function deleteImportsOf(db: Db, userId: number) {
  await db.execute(sql`delete from badge_wallet_imports where user_id = ${userId}`)
}
