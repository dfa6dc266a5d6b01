import { Readable } from 'node:stream'
import type { Db } from '../../platform/db/index.ts'
import type { Platform } from '../../platform/module.ts'
import { checkBatch, IMPORT_JOB, importBatch, type PreparedRow } from './import-batch.ts'
import { type CellError, normaliseHeader, rowToInput } from './import-columns.ts'
import { detectKind, readRows, type SheetRow } from './import-read.ts'
import * as repo from './import-repository.ts'
import type { Actor, Result } from './opportunities.ts'

export { IMPORT_JOB }

/** Rows written per transaction: progress moves in these steps and a restart resumes at one. */
export const BATCH_ROWS = 250
const CHUNK_BYTES = 1024 * 1024
export const IMPORT_ATTEMPTS = 3

/** True when this actor may import into this organization: its editors and admins, or a coordinator. */
export function canImport(actor: Actor, organizationId: number): boolean {
  return actor.coordinator || actor.organizations.some((o) => o.id === organizationId && o.role !== 'issuer')
}

/**
 * Accepts an uploaded CSV or XLSX file: keeps its bytes in the database and queues the import job.
 * Nothing is imported yet; the job reports every row.
 */
export async function startImport(
  platform: Platform,
  actor: Actor,
  organizationId: number,
  file: { name: string; bytes: Uint8Array },
): Promise<Result<{ id: number }, 'forbidden' | 'no-file' | 'wrong-type'>> {
  if (!canImport(actor, organizationId)) return { ok: false, error: 'forbidden' }
  if (file.bytes.byteLength === 0) return { ok: false, error: 'no-file' }
  const fileKind = detectKind(file.name, file.bytes.subarray(0, 4096))
  if (!fileKind) return { ok: false, error: 'wrong-type' }
  const fileName = file.name.replace(/[\\/]/g, '_').slice(-200)
  const id = await platform.db.transaction(async (tx) => {
    const db = tx as unknown as Db
    const importId = await repo.insertImport(db, actor.cityId, {
      organizationId,
      actor,
      fileName,
      fileKind,
      fileBytes: file.bytes.byteLength,
    })
    for (let seq = 0; seq * CHUNK_BYTES < file.bytes.byteLength; seq++) {
      const piece = file.bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES)
      await repo.insertChunk(db, actor.cityId, importId, seq, Buffer.from(piece))
    }
    return importId
  })
  await platform.jobs.enqueue(IMPORT_JOB, { importId: id }, { maxAttempts: IMPORT_ATTEMPTS })
  return { ok: true, value: { id } }
}

/** The stored file as a stream, read one chunk at a time. */
function fileStream(db: Db, imp: repo.ImportRow): Readable {
  async function* chunks() {
    for (let seq = 0; ; seq++) {
      const bytes = await repo.readChunk(db, imp.cityId, imp.id, seq)
      if (!bytes) return
      yield bytes
    }
  }
  return Readable.from(chunks(), { objectMode: false })
}

const externalIdOf = (header: string[], row: SheetRow) => {
  const i = header.indexOf('external_id')
  return (row.cells[i] ?? '').trim()
}

/** First pass: the header and the number of rows, so progress has a total and unreadable files fail early. */
async function survey(
  platform: Platform,
  imp: repo.ImportRow,
): Promise<{ ok: true; header: string[]; total: number } | { ok: false; key: string; detail?: string }> {
  let header: string[] | undefined
  let total = 0
  try {
    for await (const row of readRows(imp.fileKind, fileStream(platform.db, imp))) {
      if (header) total++
      else header = normaliseHeader(row.cells)
    }
  } catch (error) {
    return {
      ok: false,
      key: 'opportunities.import.error.unreadable',
      detail: error instanceof Error ? error.message : String(error),
    }
  }
  if (!header || total === 0) return { ok: false, key: 'opportunities.import.error.empty' }
  if (!header.includes('external_id')) return { ok: false, key: 'opportunities.import.error.noExternalId' }
  return { ok: true, header, total }
}

/** Marks the first occurrence of each external id; later ones in the same file are rejected. */
function prepare(header: string[], rows: SheetRow[], seen: Set<string>): PreparedRow[] {
  return rows.map((row) => {
    const converted = rowToInput(header, row.cells)
    const errors: CellError[] = [...converted.errors]
    if (converted.externalId) {
      if (seen.has(converted.externalId))
        errors.push({ column: 'external_id', key: 'opportunities.import.reason.duplicate' })
      else seen.add(converted.externalId)
    }
    return { line: row.line, cells: row.cells, converted: { ...converted, errors } }
  })
}

/**
 * Second pass: every row through the use cases, batch by batch, resuming after the last committed
 * batch. Batches are written one after another, in order, but the next one is read and checked
 * while the last one is being written, so the database and the JavaScript work side by side.
 */
async function processRows(platform: Platform, imp: repo.ImportRow, header: string[]) {
  let skip = imp.processedRows
  const seen = new Set<string>()
  let first = true
  let batch: SheetRow[] = []
  let writing: Promise<void> = Promise.resolve()
  const flush = async (rows: SheetRow[]) => {
    const checked = await checkBatch(platform, imp, prepare(header, rows, seen))
    await writing
    writing = importBatch(platform, imp, checked)
    // Awaited by the next flush or at the end; until then a failure must not count as unhandled.
    writing.catch(() => {})
  }
  try {
    for await (const row of readRows(imp.fileKind, fileStream(platform.db, imp))) {
      if (first) {
        first = false
        continue
      }
      if (skip > 0) {
        // Already committed before a restart: only remember its external id.
        skip--
        const id = externalIdOf(header, row)
        if (id) seen.add(id)
        continue
      }
      batch.push(row)
      if (batch.length >= BATCH_ROWS) {
        await flush(batch)
        batch = []
      }
    }
    if (batch.length > 0) await flush(batch)
    await writing
  } finally {
    // A failure above must not leave a batch being written while the job is retried.
    await writing.catch(() => {})
  }
}

/** The import job: reads the stored file and imports it; safe to run again after a crash. */
export async function runImport(platform: Platform, importId: number, attempts = 1): Promise<void> {
  const imp = await repo.findImportAnyCity(platform.db, importId)
  if (!imp || imp.status === 'done' || imp.status === 'failed') return
  await repo.markRunning(platform.db, imp.cityId, imp.id)
  try {
    let header = imp.columns
    if (imp.totalRows === null) {
      const surveyed = await survey(platform, imp)
      if (!surveyed.ok) {
        await repo.finish(platform.db, imp.cityId, imp.id, 'failed', {
          key: surveyed.key,
          detail: surveyed.detail,
        })
        await repo.deleteChunks(platform.db, imp.cityId, imp.id)
        return
      }
      header = surveyed.header
      await repo.setHeader(platform.db, imp.cityId, imp.id, header, surveyed.total)
    }
    await processRows(platform, imp, header)
    await repo.finish(platform.db, imp.cityId, imp.id, 'done')
    await repo.deleteChunks(platform.db, imp.cityId, imp.id)
  } catch (error) {
    if (attempts >= IMPORT_ATTEMPTS) {
      await repo.finish(platform.db, imp.cityId, imp.id, 'failed', {
        key: 'opportunities.import.error.crashed',
        detail: error instanceof Error ? error.message : String(error),
      })
    }
    throw error
  }
}
