import { Readable } from 'node:stream'
import { readAhead } from '../../platform/async.ts'
import type { Db } from '../../platform/db/index.ts'
import type { Platform } from '../../platform/module.ts'
import { districtAreas, listVenuePlaces } from '../cities/index.ts'
import { IMPORT_JOB, importBatch, lookUp } from './import-batch.ts'
import { type CheckedRow, checkedBatches, type PlaceData, placesFrom } from './import-check.ts'
import { normaliseHeader } from './import-columns.ts'
import { countCsvRecords, detectKind, readRows } from './import-read.ts'
import * as repo from './import-repository.ts'
import type { Actor, Result } from './opportunities.ts'
import { queueSearchIndexing } from './search-index.ts'

export { IMPORT_JOB }

/** Rows written per transaction: progress moves in these steps and a restart resumes at one. */
export const BATCH_ROWS = 250
const CHUNK_BYTES = 1024 * 1024
export const IMPORT_ATTEMPTS = 3
/** Batches checked ahead of the one being written, so checking never waits for the database. */
const READ_AHEAD = 3

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
  return Readable.from(chunksOf(db, imp), { objectMode: false })
}

/**
 * First pass: the header and the number of rows, so progress has a total and unreadable files fail
 * before anything is written.
 */
async function survey(
  platform: Platform,
  imp: repo.ImportRow,
): Promise<
  | { ok: true; header: string[]; total: number; plainCsv: boolean }
  | { ok: false; key: string; detail?: string }
> {
  let header: string[] | undefined
  let total: number | undefined
  // A file the count answers for is plain enough for the quick reader.
  let plainCsv = false
  try {
    if (imp.fileKind === 'csv') {
      // Most CSV files are counted without parsing them; the parser reads the header only.
      for await (const row of readRows('csv', fileStream(platform.db, imp))) {
        header = normaliseHeader(row.cells)
        break
      }
      const records = header && (await countCsvRecords(chunksOf(platform.db, imp)))
      if (records !== undefined) total = records - 1
    }
    plainCsv = total !== undefined
    if (total === undefined) {
      header = undefined
      total = 0
      for await (const row of readRows(imp.fileKind, fileStream(platform.db, imp))) {
        if (header) total++
        else header = normaliseHeader(row.cells)
      }
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
  return { ok: true, header, total, plainCsv }
}

/** The city's venues and district boundaries, as the checks need them. */
async function placesOf(platform: Platform, cityId: number): Promise<PlaceData> {
  const [venues, districts] = await Promise.all([
    listVenuePlaces(platform.db, cityId),
    districtAreas(platform, cityId),
  ])
  return { venues, districts }
}

/** The stored file's chunks, one at a time. */
async function* chunksOf(db: Db, imp: repo.ImportRow) {
  for (let seq = 0; ; seq++) {
    const bytes = await repo.readChunk(db, imp.cityId, imp.id, seq)
    if (!bytes) return
    yield bytes
  }
}

/**
 * Second pass: every row through the use cases, batch by batch, resuming after the last committed
 * batch. Batches are written one after another, in order, while the next ones are read and checked
 * (a few ahead, so checking never waits for a write and the database works while JavaScript does).
 */
async function processRows(platform: Platform, imp: repo.ImportRow, header: string[], plainCsv: boolean) {
  const plan = { header, skip: imp.processedRows, timeZone: imp.actor.timeZone, batchRows: BATCH_ROWS }
  const places = await placesOf(platform, imp.cityId)
  const batches = checkedBatches(
    readRows(imp.fileKind, fileStream(platform.db, imp), { plain: plainCsv }),
    plan,
    placesFrom(places),
  )
  for await (const { rows, lookup } of readAhead(lookedUp(platform, imp, batches), READ_AHEAD)) {
    await importBatch(platform, imp, rows, lookup)
    // The batch has committed without search words: the indexing job gives them (search-index.ts).
    await queueSearchIndexing(platform)
  }
}

/** Each batch with its lookup (which rows exist, ids for new ones), made before its turn to be written. */
async function* lookedUp(platform: Platform, imp: repo.ImportRow, batches: AsyncIterable<CheckedRow[]>) {
  for await (const rows of batches) yield { rows, lookup: await lookUp(platform, imp, rows) }
}

/** The import job: reads the stored file and imports it; safe to run again after a crash. */
export async function runImport(platform: Platform, importId: number, attempts = 1): Promise<void> {
  const imp = await repo.findImportAnyCity(platform.db, importId)
  if (!imp || imp.status === 'done' || imp.status === 'failed') return
  await repo.markRunning(platform.db, imp.cityId, imp.id)
  try {
    let header = imp.columns
    let plainCsv = imp.plainCsv
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
      plainCsv = surveyed.plainCsv
      await repo.setHeader(platform.db, imp.cityId, imp.id, surveyed)
    }
    await processRows(platform, imp, header, plainCsv)
    // Once more at the end: a restart after the last batch committed has no batch left to queue it.
    await queueSearchIndexing(platform)
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
