import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { columnOf, EXAMPLE_ROW, IMPORT_COLUMNS, normaliseHeader, rowToInput } from './import-columns.ts'
import { templateCsv } from './import-files.ts'
import { cellText, countCsvRecords, detectKind, readRows, type SheetRow } from './import-read.ts'
import { parseOpportunity } from './opportunities.ts'

const collect = async (csv: string) => {
  const out: { line: number; cells: string[] }[] = []
  for await (const row of readRows('csv', Readable.from([Buffer.from(csv)]))) out.push(row)
  return out
}

describe('import file format', () => {
  it('turns the template’s example row into an opportunity the model accepts', () => {
    const converted = rowToInput(
      [...IMPORT_COLUMNS],
      IMPORT_COLUMNS.map((c) => EXAMPLE_ROW[c] ?? ''),
    )
    expect(converted.errors).toEqual([])
    expect(converted.publish).toBe(true)
    const parsed = parseOpportunity(converted.raw)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.value.title).toEqual({ en: 'Robotics for beginners', es: 'Robótica para principiantes' })
    expect(parsed.value.topics).toEqual(['robotics', 'coding'])
    expect(parsed.value.schedule).toMatchObject({ kind: 'series', durationMinutes: 90 })
    expect(parsed.value.cost).toMatchObject({ free: true, currency: 'USD', financialHelp: false })
  })

  it('leaves wrong types for the model’s schema to name, and checks only what the format needs', () => {
    const header = ['external_id', 'publish', 'age_min', 'free', 'lat']
    const converted = rowToInput(header, ['', 'maybe', 'ten', 'sometimes', ''])
    expect(converted.errors.map((e) => e.column)).toEqual(['external_id', 'publish'])
    expect(converted.raw).toMatchObject({ ageMin: 'ten', lat: null, cost: { free: 'sometimes' } })
    const parsed = parseOpportunity(converted.raw)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    const columns = parsed.fields!.map((f) => columnOf(f.field))
    expect(columns).toContain('age_min')
    expect(columns).toContain('free')
  })

  it('points each model field at its file column', () => {
    expect(columnOf('/title/es')).toBe('title_es')
    expect(columnOf('/title')).toBe('title_*')
    expect(columnOf('/schedule/durationMinutes')).toBe('duration_minutes')
    expect(columnOf('/schedule/rdates/3')).toBe('rdates')
    expect(columnOf('/schedule')).toBe('schedule_kind')
    expect(columnOf('/cost/financialHelp')).toBe('financial_help')
    expect(columnOf('/image/alt/fr')).toBe('image_alt_fr')
    expect(columnOf('/image/url')).toBe('image_url')
    expect(columnOf('/topics/0')).toBe('topics')
    expect(columnOf('/venueId')).toBe('venue_id')
  })

  it('numbers CSV rows by the line they start on, across quoted line breaks and blank lines', async () => {
    const rows = await collect('\uFEFFExternal_ID ,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n4,5\r\n')
    expect(normaliseHeader(rows[0]!.cells)).toEqual(['external_id', 'b'])
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4, 6])
    expect(rows[2]!.cells[0]).toBe('x\r\ny')
  })

  it('reads the CSV template back with every column', async () => {
    const [header, example] = await collect(templateCsv())
    expect(normaliseHeader(header!.cells)).toEqual(IMPORT_COLUMNS)
    expect(example!.cells[IMPORT_COLUMNS.indexOf('rrule')]).toBe('FREQ=WEEKLY;BYDAY=SA;COUNT=8')
  })

  it('reads spreadsheet cells as the text a person typed', () => {
    expect(cellText(new Date(Date.UTC(2027, 9, 2, 10, 0)))).toBe('2027-10-02T10:00')
    expect(cellText({ richText: [{ text: 'Ro' }, { text: 'bots' }] })).toBe('Robots')
    expect(cellText({ formula: 'A1*2', result: 90 })).toBe('90')
    expect(cellText({ text: 'site', hyperlink: 'https://example.org' })).toBe('site')
    expect(cellText(null)).toBe('')
    expect(cellText(true)).toBe('true')
  })

  it('accepts only CSV text and XLSX workbooks, by name and by content', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1])
    const text = new TextEncoder().encode('external_id,title_en\n')
    expect(detectKind('list.CSV', text)).toBe('csv')
    expect(detectKind('book.xlsx', zip)).toBe('xlsx')
    expect(detectKind('book.xlsx', text)).toBeUndefined()
    expect(detectKind('list.csv', zip)).toBeUndefined()
    expect(detectKind('list.csv', new Uint8Array([0x61, 0, 0x62]))).toBeUndefined()
    expect(detectKind('photo.png', text)).toBeUndefined()
    expect(detectKind('old.xls', zip)).toBeUndefined()
  })

  describe('counting records without parsing them', () => {
    /** The file cut into chunks at these offsets, as the database hands it over. */
    const chunked = (bytes: Buffer, cuts: number[]) => {
      const at = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]
      return at.slice(1).map((end, i) => bytes.subarray(at[i], end))
    }
    /** The rows a reader yields for these chunks: the general parser's, or the quick one's. */
    const rowsOf = async (chunks: Buffer[], plain: boolean) => {
      const out: SheetRow[] = []
      for await (const row of readRows('csv', Readable.from(chunks), { plain })) out.push(row)
      return out
    }
    /** What the parser makes of a file: the rows it yields, or that it refuses the file. */
    const parsed = async (bytes: Buffer) => {
      try {
        return (await rowsOf([bytes], false)).length
      } catch {
        return 'refused' as const
      }
    }

    it('counts what the parser yields for ordinary files, whatever the chunks', async () => {
      const files = [
        templateCsv(),
        'a,b\n1,2\n3,4\n',
        'a,b\r\n1,2\r\n\r\n3,4',
        '\ufeffexternal_id,title_en\nX1,"Two\nlines"\n , ,\n"",""\nX2,"say ""hi"""\n',
        'external_id,title_en\nX1,Café\nX2,学习\n',
      ]
      for (const file of files) {
        const bytes = Buffer.from(file)
        const expected = await rowsOf([bytes], false)
        for (const cuts of [[], [1], [3, 7], [bytes.length - 1]]) {
          expect(await countCsvRecords(chunked(bytes, cuts))).toBe(await parsed(bytes))
          // The quick reader reads a counted file as the parser does, wherever the chunks are cut.
          expect(await rowsOf(chunked(bytes, cuts), true)).toEqual(expected)
        }
      }
    })

    it('never gives a count (or rows) the parser would not: on any doubt it leaves the file to the parser', async () => {
      const pieces = ['a', 'é', ' ', '\t', '"', '""', ',', '\n', '\r\n', '\r', '\u00a0', '"x,\ny"', '学']
      let state = 7
      const next = (n: number) => {
        state = (state * 1103515245 + 12345) % 2147483648
        return state % n
      }
      let counted = 0
      for (let k = 0; k < 3000; k++) {
        const text = Array.from({ length: 1 + next(14) }, () => pieces[next(pieces.length)]).join('')
        const bytes = Buffer.from(text)
        const cuts = [next(bytes.length + 1), next(bytes.length + 1)]
        const count = await countCsvRecords(chunked(bytes, cuts))
        if (count === undefined) continue
        counted++
        expect({ text, count }).toEqual({ text, count: await parsed(bytes) })
        // Every file the count answers for is read by the quick reader exactly as by the parser.
        expect({ text, rows: await rowsOf(chunked(bytes, cuts), true) }).toEqual({
          text,
          rows: await rowsOf([bytes], false),
        })
      }
      // The fast count answers for many of these small files, so the comparison means something.
      expect(counted).toBeGreaterThan(300)
    })

    it('leaves unreadable and doubtful files to the parser', async () => {
      for (const text of ['a\n"open', 'a\n"x"y', 'a\nb"c', 'a\r\nb\nc', 'a\rb', 'a\n\u00a0\n']) {
        expect(await countCsvRecords([Buffer.from(text)])).toBeUndefined()
      }
    })
  })
})
