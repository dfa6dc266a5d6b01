/**
 * The search words of opportunities (search_document: title, topics and description, stemmed per
 * language, Chinese a character at a time; the SQL function lc_search_document) are kept off the
 * import's path. Computing them and adding them to the search index cost an import about 65 µs a
 * row, a fifth of its speed, so the import writes rows without them and queues this job after each
 * batch commits; the job fills them in chunks. The form, the API and the demo seed write them with
 * the row. Until a row has its words, text search does not find it; filters see it at once.
 */
import type { Db } from '../../platform/db/index.ts'
import type { JobHandler } from '../../platform/jobs/index.ts'
import type { Platform } from '../../platform/module.ts'
import { type IndexCursor, indexSearchChunk } from './repository.ts'

export const INDEX_SEARCH_JOB = 'opportunities.index-search'

/** Rows per statement: each chunk is a short transaction of its own, so no write waits long on it. */
export const INDEX_CHUNK_ROWS = 1000

/**
 * Gives every opportunity without search words (of one city, or of every city) its words, a chunk
 * at a time, until none is left; returns how many rows it indexed. Safe to run at any time and any
 * number of times: rows that have their words are not touched. A pass walks the rows to do in
 * order; a row emptied behind it meanwhile (an import changing a title) is found by the next pass,
 * and the job ends after a pass that found nothing.
 */
export async function indexSearchDocuments(
  db: Db,
  cityId?: number,
  options: { chunkRows?: number } = {},
): Promise<number> {
  const chunkRows = options.chunkRows ?? INDEX_CHUNK_ROWS
  let total = 0
  for (;;) {
    let pass = 0
    let after: IndexCursor | undefined
    for (;;) {
      const chunk = await indexSearchChunk(db, cityId, chunkRows, after)
      pass += chunk.indexed
      if (chunk.seen < chunkRows || !chunk.last) break
      after = chunk.last
    }
    total += pass
    if (pass === 0) return total
  }
}

/** Queues the indexing job, unless one is already waiting (it will see these rows too) or running. */
export function queueSearchIndexing(platform: Platform): Promise<void> {
  return platform.jobs.enqueueUnique(INDEX_SEARCH_JOB)
}

/** The indexing job, for the module's manifest. */
export function searchIndexJobs(platform: Platform): Record<string, JobHandler> {
  return {
    async [INDEX_SEARCH_JOB]() {
      await indexSearchDocuments(platform.db)
    },
  }
}
