import type { Db } from '../../platform/db/index.ts'
import type { Platform } from '../../platform/module.ts'
import { type CellError, type ConvertedRow, columnOf } from './import-columns.ts'
import * as repo from './import-repository.ts'
import type { Status } from './model.ts'
import { createOpportunity, parseOpportunity, transition, updateOpportunity } from './opportunities.ts'

/** The job that runs an import. */
export const IMPORT_JOB = 'opportunities.import'

/** A file row converted and checked against the rest of the file, ready for the use cases. */
export interface PreparedRow {
  line: number
  cells: string[]
  converted: ConvertedRow
}

type Outcome = 'imported' | 'updated' | 'unchanged' | { errors: CellError[] }

const toCells = (fields: { field: string; detail: string }[] | undefined): CellError[] =>
  (fields ?? []).map((f) => ({ column: columnOf(f.field), detail: f.detail }))

/**
 * One row through the same use cases as the form and the API: a new external id creates, a known one
 * updates (and an unchanged row writes nothing, so importing a file twice changes nothing).
 */
async function importOne(
  platform: Platform,
  imp: repo.ImportRow,
  row: ConvertedRow,
  existing: { id: number; status: Status } | undefined,
): Promise<Outcome> {
  const { actor } = imp
  if (!existing) {
    const created = await createOpportunity(platform, actor, imp.organizationId, row.raw, {
      publish: row.publish,
    })
    if (created.ok) return 'imported'
    if (created.error === 'forbidden')
      return { errors: [{ column: 'external_id', key: reasonKey('forbidden') }] }
    return { errors: toCells(created.fields) }
  }
  const updated = await updateOpportunity(platform, actor, existing.id, row.raw)
  if (!updated.ok) {
    if (updated.error === 'invalid') return { errors: toCells(updated.fields) }
    return { errors: [{ column: 'external_id', key: reasonKey(updated.error) }] }
  }
  let moved = false
  if (row.publish && existing.status === 'draft') {
    const published = await transition(platform, actor, existing.id, 'publish')
    // Providers without the trusted mark submit for review instead.
    if (!published.ok) await transition(platform, actor, existing.id, 'submit')
    moved = true
  }
  return updated.value.changed.length > 0 || moved ? 'updated' : 'unchanged'
}

const reasonKey = (error: string) => `opportunities.import.reason.${error}`

/** The reasons a row is bad: what the file format found, plus everything the model's schema finds. */
function rowErrors(row: ConvertedRow): CellError[] {
  const parsed = parseOpportunity(row.raw)
  return [...row.errors, ...(parsed.ok ? [] : toCells(parsed.fields))]
}

async function applyBatch(platform: Platform, imp: repo.ImportRow, rows: PreparedRow[], isolate: boolean) {
  const ids = rows.filter((r) => r.converted.errors.length === 0).map((r) => r.converted.externalId)
  const existing = new Map(
    (await repo.findByExternalIds(platform.db, imp.cityId, imp.organizationId, ids)).map((o) => [
      o.externalId,
      o,
    ]),
  )
  const totals = { rows: rows.length, imported: 0, updated: 0, unchanged: 0, rejects: [] as repo.RejectRow[] }
  for (const row of rows) {
    let outcome: Outcome
    if (row.converted.errors.length > 0) outcome = { errors: rowErrors(row.converted) }
    else if (!isolate)
      outcome = await importOne(platform, imp, row.converted, existing.get(row.converted.externalId))
    else {
      // Second try after a failure: each row in its own savepoint, so one bad row cannot undo the others.
      try {
        outcome = await platform.db.transaction((sp) =>
          importOne(
            { ...platform, db: sp as unknown as Db },
            imp,
            row.converted,
            existing.get(row.converted.externalId),
          ),
        )
      } catch {
        outcome = { errors: [{ column: 'external_id', key: reasonKey('failed') }] }
      }
    }
    if (typeof outcome === 'string') totals[outcome]++
    else
      totals.rejects.push({
        line: row.line,
        externalId: row.converted.externalId || null,
        errors: outcome.errors,
        values: row.cells,
      })
  }
  await repo.recordBatch(platform.db, imp.cityId, imp.id, totals)
}

/**
 * Imports a batch in one transaction with its progress, so a restart resumes exactly after the last
 * committed batch. If anything throws, the batch is retried with each row isolated in a savepoint.
 */
export async function importBatch(platform: Platform, imp: repo.ImportRow, rows: PreparedRow[]) {
  const inTransaction = (isolate: boolean) =>
    platform.db.transaction((tx) => applyBatch({ ...platform, db: tx as unknown as Db }, imp, rows, isolate))
  try {
    await inTransaction(false)
  } catch {
    await inTransaction(true)
  }
}
