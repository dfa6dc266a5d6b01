import ExcelJS from 'exceljs'
import type { T } from '../../platform/i18n/index.ts'
import { type CellError, EXAMPLE_ROW, IMPORT_COLUMNS } from './import-columns.ts'
import type { RejectRow } from './import-repository.ts'

/** A CSV field, always quoted (so commas, quotes and line breaks survive). */
const field = (value: string) => `"${value.replace(/"/g, '""')}"`
/** A CSV line ending in CRLF, as RFC 4180 and spreadsheets expect. */
export const csvLine = (values: string[]) => `${values.map(field).join(',')}\r\n`
/** The byte-order mark that makes spreadsheets read a CSV as UTF-8. */
export const BOM = '\uFEFF'

/** The CSV template: every column, and one example row. */
export function templateCsv(): string {
  return BOM + csvLine([...IMPORT_COLUMNS]) + csvLine(IMPORT_COLUMNS.map((c) => EXAMPLE_ROW[c] ?? ''))
}

/** The XLSX template: the same columns and example row, every cell text (so dates stay as typed). */
export async function templateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('opportunities')
  sheet.columns = IMPORT_COLUMNS.map((c) => ({
    header: c,
    key: c,
    width: Math.max(12, c.length + 2),
    style: { numFmt: '@' },
  }))
  sheet.getRow(1).font = { bold: true }
  sheet.addRow(EXAMPLE_ROW)
  sheet.views = [{ state: 'frozen', ySplit: 1 }]
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** One bad cell as a sentence in the reader's language: "start: Use a local date and time …". */
export function reasonText(t: T, e: CellError): string {
  return `${e.column}: ${e.key ? t(e.key) : (e.detail ?? '')}`
}

/** The header of the rejected-rows file: line and reason first, then the file's own columns. */
export function rejectedHeader(t: T, columns: string[]): string {
  return BOM + csvLine([t('opportunities.import.csv.line'), t('opportunities.import.csv.reason'), ...columns])
}

/** One rejected row, with its reasons, ready to fix and upload again. */
export function rejectedLine(t: T, row: RejectRow): string {
  return csvLine([String(row.line), row.errors.map((e) => reasonText(t, e)).join('; '), ...row.values])
}
