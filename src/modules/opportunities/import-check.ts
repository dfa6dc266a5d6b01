/**
 * Reading and checking an import's rows, without the database: the file's records become batches of
 * rows checked with the same validation as the form and the API, against the city's places loaded
 * once for the whole file.
 */
import { type Area, locate } from '../../platform/geo/index.ts'
import type { VenuePlace } from '../cities/index.ts'
import { type ConvertedRow, rowConverter } from './import-columns.ts'
import type { SheetRow } from './import-read.ts'
import { type Checked, type Places, prepareWith } from './prepare.ts'

/** A file row converted and checked against the rest of the file, ready for the use cases. */
export interface PreparedRow {
  line: number
  cells: string[]
  converted: ConvertedRow
}

/** A row the file format found nothing wrong with carries its checked input, ready to write. */
export type CheckedRow = PreparedRow & { input?: Checked }

/** A city's places as plain data, so they can be handed to another thread. */
export interface PlaceData {
  venues: VenuePlace[]
  districts: Area<{ id: number; code: string }>[]
}

/** How to read the rows: the header found by the survey, rows already committed, the city's zone. */
export interface CheckPlan {
  header: string[]
  /** Rows committed before a restart: only their external ids are remembered. */
  skip: number
  timeZone: string
  batchRows: number
}

/** Rows checked at a time before letting other work (the batch being written) move on. */
const CHECK_SLICE = 5

export function placesFrom(data: PlaceData): Places {
  const venues = new Map(data.venues.map((v) => [v.id, v]))
  return { venue: (id) => venues.get(id), locate: (lat, lon) => locate(data.districts, lat, lon) }
}

/** Marks the first occurrence of each external id; later ones in the same file are rejected. */
function prepare(
  convert: (cells: string[]) => ConvertedRow,
  rows: SheetRow[],
  seen: Set<string>,
): PreparedRow[] {
  return rows.map((row) => {
    const converted = convert(row.cells)
    if (converted.externalId) {
      if (seen.has(converted.externalId))
        converted.errors.push({ column: 'external_id', key: 'opportunities.import.reason.duplicate' })
      else seen.add(converted.externalId)
    }
    return { line: row.line, cells: row.cells, converted }
  })
}

async function check(places: Places, plan: CheckPlan, rows: PreparedRow[]): Promise<CheckedRow[]> {
  const good: CheckedRow[] = rows.filter((r) => r.converted.errors.length === 0)
  for (let from = 0; from < good.length; from += CHECK_SLICE) {
    // Checking is pure CPU; between slices the batch being written gets its replies handled at once.
    if (from > 0) await new Promise((resolve) => setImmediate(resolve))
    const slice = good.slice(from, from + CHECK_SLICE)
    const inputs = prepareWith(
      places,
      plan.timeZone,
      slice.map((r) => r.converted.raw),
    )
    slice.forEach((r, i) => {
      r.input = inputs[i]
    })
  }
  return rows
}

/** The file's rows after its header, checked, in batches of `plan.batchRows`. */
export async function* checkedBatches(
  records: AsyncIterable<SheetRow>,
  plan: CheckPlan,
  places: Places,
): AsyncGenerator<CheckedRow[]> {
  const { header } = plan
  const external = header.indexOf('external_id')
  const convert = rowConverter(header)
  const seen = new Set<string>()
  let skip = plan.skip
  let first = true
  let batch: SheetRow[] = []
  for await (const row of records) {
    if (first) {
      first = false
      continue
    }
    if (skip > 0) {
      // Already committed before a restart: only remember its external id.
      skip--
      const id = (row.cells[external] ?? '').trim()
      if (id) seen.add(id)
      continue
    }
    batch.push(row)
    if (batch.length >= plan.batchRows) {
      yield await check(places, plan, prepare(convert, batch, seen))
      batch = []
    }
  }
  if (batch.length > 0) yield await check(places, plan, prepare(convert, batch, seen))
}
