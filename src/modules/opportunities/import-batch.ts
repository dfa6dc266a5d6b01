import { executeTogether, type SQL, sql } from '../../platform/db/index.ts'
import type { Platform } from '../../platform/module.ts'
import type { CheckedRow, PreparedRow } from './import-check.ts'
import { type CellError, type ConvertedRow, columnOf } from './import-columns.ts'
import * as repo from './import-repository.ts'
import {
  type Announcement,
  announce,
  inTransaction,
  parseOpportunity,
  planCreates,
  transition,
  writeUpdates,
} from './opportunities.ts'
import { findByExternalIds, takeOpportunityIds } from './repository.ts'

/** The job that runs an import. */
export const IMPORT_JOB = 'opportunities.import'

type Outcome = 'imported' | 'updated' | 'unchanged' | { errors: CellError[] }

const toCells = (fields: { field: string; detail: string }[] | undefined): CellError[] =>
  (fields ?? []).map((f) => ({ column: columnOf(f.field), detail: f.detail }))

const reasonKey = (error: string) => `opportunities.import.reason.${error}`

const rejected = (error: string, fields?: { field: string; detail: string }[]): Outcome =>
  error === 'invalid' || error === 'duplicate'
    ? { errors: toCells(fields) }
    : { errors: [{ column: 'external_id', key: reasonKey(error) }] }

/** The reasons a row is bad: what the file format found, plus everything the model's schema finds. */
function rowErrors(row: ConvertedRow): CellError[] {
  const parsed = parseOpportunity(row.raw)
  return [...row.errors, ...(parsed.ok ? [] : toCells(parsed.fields))]
}

/** A batch's rows planned: outcomes so far, the statements that create its new rows, the rows to update. */
interface Plan {
  outcomes: Outcome[]
  statements: (SQL | undefined)[]
  updates: number[]
  existing: Lookup['existing']
}

/**
 * Rows through the same use cases as the form and the API: a new external id creates, a known one
 * updates (see applyRows). This plans the creates, writing nothing; with a lookup it reads nothing.
 */
async function planRows(
  platform: Platform,
  imp: repo.ImportRow,
  rows: CheckedRow[],
  lookup?: Lookup,
): Promise<Plan> {
  const outcomes: Outcome[] = rows.map((r) => (r.input ? 'unchanged' : { errors: rowErrors(r.converted) }))
  const good = rows.flatMap((r, i) => (r.input ? [i] : []))
  const { existing, ids } = lookup ?? (await lookUp(platform, imp, rows))
  const creates = good.filter((i) => !existing.has(rows[i]!.converted.externalId))
  const updates = good.filter((i) => existing.has(rows[i]!.converted.externalId))
  const planned = await planCreates(
    platform,
    imp.actor,
    imp.organizationId,
    creates.map((i) => ({ input: rows[i]!.input!, publish: rows[i]!.converted.publish })),
    // The search words come from the indexing job, queued once the batch commits (import.ts).
    { externalIdsChecked: true, ids: ids.length >= creates.length ? ids : undefined, deferSearchIndex: true },
  )
  planned.results.forEach((result, k) => {
    outcomes[creates[k]!] = result.ok ? 'imported' : rejected(result.error, result.fields)
  })
  return { outcomes, statements: planned.statements, updates, existing }
}

/**
 * Rows through the same use cases as the form and the API, all of them at once: a new external id
 * creates, a known one updates (an unchanged row writes nothing, so importing a file twice changes
 * nothing), and a draft row marked `publish` is published (or submitted for review).
 */
async function applyRows(
  platform: Platform,
  imp: repo.ImportRow,
  rows: CheckedRow[],
  plan?: Plan,
): Promise<{ outcomes: Outcome[]; announcements: Announcement[] }> {
  const { actor } = imp
  const { outcomes, statements, updates, existing } = plan ?? (await planRows(platform, imp, rows))
  await executeTogether(platform.db, statements)
  const { results, announcements } = await writeUpdates(
    platform,
    actor,
    updates.map((i) => ({ id: existing.get(rows[i]!.converted.externalId)!.id, input: rows[i]!.input! })),
    { deferSearchIndex: true },
  )
  for (const [k, result] of results.entries()) {
    const i = updates[k]!
    if (!result.ok) {
      outcomes[i] = rejected(result.error, result.fields)
      continue
    }
    const before = existing.get(rows[i]!.converted.externalId)!
    let moved = false
    if (rows[i]!.converted.publish && before.status === 'draft') {
      const published = await transition(platform, actor, before.id, 'publish')
      // Providers without the trusted mark submit for review instead.
      if (!published.ok) await transition(platform, actor, before.id, 'submit')
      moved = true
    }
    outcomes[i] = result.value.changed.length > 0 || moved ? 'updated' : 'unchanged'
  }
  return { outcomes, announcements }
}

/** Which of a batch's rows the provider already has, and ids for the ones that are new. */
export interface Lookup {
  existing: Map<string, { id: number; externalId: string; status: string }>
  ids: number[]
}

/**
 * Looks a batch's external ids up and takes ids for its new rows. The import does this while the
 * previous batch is written; if another writer adds one of these ids meanwhile, the batch's insert
 * fails on the unique key and every row is retried on its own, looked up again (importBatch).
 */
export async function lookUp(platform: Platform, imp: repo.ImportRow, rows: CheckedRow[]): Promise<Lookup> {
  const externalIds = rows.flatMap((r) => (r.input ? [r.converted.externalId] : []))
  const existing = new Map(
    (await findByExternalIds(platform.db, imp.cityId, imp.organizationId, externalIds)).map((o) => [
      o.externalId,
      o,
    ]),
  )
  const fresh = externalIds.filter((id) => !existing.has(id)).length
  return { existing, ids: await takeOpportunityIds(platform.db, fresh) }
}

/** A batch's totals and bad rows, from its outcomes. */
function totalsOf(rows: PreparedRow[], outcomes: Outcome[]): repo.BatchTotals {
  const totals: repo.BatchTotals = { rows: rows.length, imported: 0, updated: 0, unchanged: 0, rejects: [] }
  outcomes.forEach((outcome, i) => {
    if (typeof outcome === 'string') totals[outcome]++
    else
      totals.rejects.push({
        line: rows[i]!.line,
        externalId: rows[i]!.converted.externalId || null,
        errors: outcome.errors,
        values: rows[i]!.cells,
      })
  })
  return totals
}

/** Records a batch's outcomes (its bad rows and the new totals) in the batch's own transaction. */
async function record(platform: Platform, imp: repo.ImportRow, rows: PreparedRow[], outcomes: Outcome[]) {
  await executeTogether(platform.db, repo.recordBatchStatements(imp.cityId, imp.id, totalsOf(rows, outcomes)))
}

/**
 * A batch's commit does not wait for its WAL to reach the disk. A crash can then lose the last
 * batches committed (well under a second's worth), never part of one: their rows and the progress
 * that counts them go together, so the restarted job imports exactly those batches again. This is
 * `SET LOCAL synchronous_commit = off` as a query, so it can also end a statement that is a
 * transaction of its own.
 */
const ASYNC_COMMIT = sql`select set_config('synchronous_commit', 'off', true)`

/**
 * A batch of new rows only (its lookup found none of its external ids): the rows, their audit
 * entries and sessions, its bad rows and its progress go in one statement, which is a transaction
 * of its own. One round trip instead of five (begin, commit mode, writes, progress, commit), and the
 * round trips, not the work, were what the database spent most of a batch waiting on.
 */
async function importNew(platform: Platform, imp: repo.ImportRow, rows: CheckedRow[], plan: Plan) {
  const progress = repo.recordBatchStatements(imp.cityId, imp.id, totalsOf(rows, plan.outcomes))
  await executeTogether(platform.db, [...plan.statements, ...progress, ASYNC_COMMIT])
}

/**
 * Imports a batch in one transaction with its progress, so a restart resumes exactly after the last
 * committed batch. If anything throws, the batch is retried with each row isolated in a savepoint,
 * so one row that fails in the database cannot undo the others. People booked on changed
 * opportunities are told once the batch has committed.
 */
export async function importBatch(
  platform: Platform,
  imp: repo.ImportRow,
  rows: CheckedRow[],
  lookup?: Lookup,
) {
  let announcements: Announcement[]
  try {
    // With a lookup, planning reads nothing; the plan says whether the batch only adds rows.
    const plan = lookup && (await planRows(platform, imp, rows, lookup))
    if (plan && plan.updates.length === 0) {
      await importNew(platform, imp, rows, plan)
      return
    }
    announcements = await inTransaction(platform, async (tx) => {
      await tx.db.execute(ASYNC_COMMIT)
      const applied = await applyRows(tx, imp, rows, plan)
      await record(tx, imp, rows, applied.outcomes)
      return applied.announcements
    })
  } catch {
    announcements = await inTransaction(platform, async (tx) => {
      await tx.db.execute(ASYNC_COMMIT)
      const outcomes: Outcome[] = []
      const told: Announcement[] = []
      for (const row of rows) {
        try {
          const applied = await inTransaction(tx, (sp) => applyRows(sp, imp, [row]))
          outcomes.push(applied.outcomes[0]!)
          told.push(...applied.announcements)
        } catch {
          outcomes.push({ errors: [{ column: 'external_id', key: reasonKey('failed') }] })
        }
      }
      await record(tx, imp, rows, outcomes)
      return told
    })
  }
  await announce(platform, announcements)
}
