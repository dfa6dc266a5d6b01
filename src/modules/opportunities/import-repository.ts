import { type Db, firstRow, rows, type SQL, sql } from '../../platform/db/index.ts'
import type { CellError } from './import-columns.ts'
import type { FileKind } from './import-read.ts'
import type { Actor } from './opportunities.ts'

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed'

export interface ImportRow {
  id: number
  cityId: number
  organizationId: number
  actor: Actor
  status: ImportStatus
  fileName: string
  fileKind: FileKind
  fileBytes: number
  columns: string[]
  totalRows: number | null
  plainCsv: boolean
  processedRows: number
  imported: number
  updated: number
  unchanged: number
  rejected: number
  error: string | null
  errorDetail: string | null
  createdAt: Date
  finishedAt: Date | null
}

export interface RejectRow {
  line: number
  externalId: string | null
  errors: CellError[]
  values: string[]
}

const columns = sql`id::int as id, city_id::int as "cityId", organization_id::int as "organizationId", actor,
  status, file_name as "fileName", file_kind as "fileKind", file_bytes as "fileBytes", columns,
  total_rows as "totalRows", plain_csv as "plainCsv", processed_rows as "processedRows", imported, updated, unchanged, rejected, error,
  error_detail as "errorDetail", created_at as "createdAt", finished_at as "finishedAt"`

export async function insertImport(
  db: Db,
  cityId: number,
  i: { organizationId: number; actor: Actor; fileName: string; fileKind: FileKind; fileBytes: number },
): Promise<number> {
  const row = await firstRow<{ id: number }>(
    db,
    sql`insert into opportunity_imports (city_id, organization_id, created_by_user_id, actor, file_name, file_kind, file_bytes)
        values (${cityId}, ${i.organizationId}, ${i.actor.userId}, ${JSON.stringify(i.actor)}::jsonb, ${i.fileName},
                ${i.fileKind}, ${i.fileBytes})
        returning id::int as id`,
  )
  return row!.id
}

export async function insertChunk(db: Db, cityId: number, importId: number, seq: number, bytes: Buffer) {
  await db.execute(
    sql`insert into opportunity_import_chunks (city_id, import_id, seq, bytes) values (${cityId}, ${importId}, ${seq}, ${bytes})`,
  )
}

export async function readChunk(db: Db, cityId: number, importId: number, seq: number) {
  const row = await firstRow<{ bytes: Buffer }>(
    db,
    sql`select bytes from opportunity_import_chunks where city_id = ${cityId} and import_id = ${importId} and seq = ${seq}`,
  )
  return row?.bytes
}

export async function deleteChunks(db: Db, cityId: number, importId: number) {
  await db.execute(
    sql`delete from opportunity_import_chunks where city_id = ${cityId} and import_id = ${importId}`,
  )
}

export function findImport(db: Db, cityId: number, id: number) {
  return firstRow<ImportRow>(
    db,
    sql`select ${columns} from opportunity_imports where city_id = ${cityId} and id = ${id}`,
  )
}

/** For the job, which knows only the id. */
export function findImportAnyCity(db: Db, id: number) {
  return firstRow<ImportRow>(db, sql`select ${columns} from opportunity_imports where id = ${id}`)
}

export function listImports(db: Db, cityId: number, organizationId: number, limit = 20) {
  return rows<ImportRow>(
    db,
    sql`select ${columns} from opportunity_imports where city_id = ${cityId} and organization_id = ${organizationId}
        order by id desc limit ${limit}`,
  )
}

export async function markRunning(db: Db, cityId: number, id: number) {
  await db.execute(
    sql`update opportunity_imports set status = 'running', started_at = coalesce(started_at, now())
        where city_id = ${cityId} and id = ${id}`,
  )
}

export async function setHeader(
  db: Db,
  cityId: number,
  id: number,
  survey: { header: string[]; total: number; plainCsv: boolean },
) {
  await db.execute(
    sql`update opportunity_imports set columns = ${JSON.stringify(survey.header)}::jsonb, total_rows = ${survey.total},
          plain_csv = ${survey.plainCsv}
        where city_id = ${cityId} and id = ${id}`,
  )
}

export async function finish(
  db: Db,
  cityId: number,
  id: number,
  status: 'done' | 'failed',
  error?: { key: string; detail?: string },
) {
  await db.execute(
    sql`update opportunity_imports set status = ${status}, finished_at = now(), error = ${error?.key ?? null},
          error_detail = ${error?.detail?.slice(0, 500) ?? null}
        where city_id = ${cityId} and id = ${id}`,
  )
}

/** A processed batch: its bad rows and the new totals. */
export interface BatchTotals {
  rows: number
  imported: number
  updated: number
  unchanged: number
  rejects: RejectRow[]
}

/**
 * The statements that record a processed batch (its bad rows, then the new totals), to run in the
 * batch's own transaction or together with its writes.
 */
export function recordBatchStatements(cityId: number, id: number, batch: BatchTotals): SQL[] {
  const progress = sql`update opportunity_imports set processed_rows = processed_rows + ${batch.rows},
          imported = imported + ${batch.imported}, updated = updated + ${batch.updated},
          unchanged = unchanged + ${batch.unchanged}, rejected = rejected + ${batch.rejects.length}
        where city_id = ${cityId} and id = ${id}`
  if (batch.rejects.length === 0) return [progress]
  const rejects = sql`insert into opportunity_import_rejects (city_id, import_id, line, external_id, errors, "values")
          select ${cityId}, ${id}, x.line, x.external_id, x.errors, x.vals
          from jsonb_to_recordset(${JSON.stringify(
            batch.rejects.map((r) => ({
              line: r.line,
              external_id: r.externalId,
              errors: r.errors,
              vals: r.values,
            })),
          )}::jsonb) as x(line int, external_id text, errors jsonb, vals jsonb)`
  return [rejects, progress]
}

export function listRejects(db: Db, cityId: number, importId: number, afterLine = 0, limit = 500) {
  return rows<RejectRow>(
    db,
    sql`select line, external_id as "externalId", errors, "values" from opportunity_import_rejects
        where city_id = ${cityId} and import_id = ${importId} and line > ${afterLine}
        order by line limit ${limit}`,
  )
}
