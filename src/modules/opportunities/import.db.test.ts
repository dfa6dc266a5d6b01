import { Readable } from 'node:stream'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { rows, sql } from '../../platform/db/index.ts'
import { createVerifiedUser, grantCityRole } from '../accounts/index.ts'
import { createCity, findCityBySlug } from '../cities/index.ts'
import { addStaff, createOrganization } from '../organizations/index.ts'
import { importBatch, lookUp } from './import-batch.ts'
import { checkedBatches, placesFrom } from './import-check.ts'
import { IMPORT_COLUMNS } from './import-columns.ts'
import { readRows } from './import-read.ts'
import * as repo from './import-repository.ts'
import { type Actor, writeCreates } from './opportunities.ts'

const HEADER =
  'external_id,publish,title_en,description_en,building_block,languages,format,address,lat,lon,schedule_kind,start,duration_minutes,free,price,image_url,image_alt_en,age_min,topics'
const good = (id: string, title: string, more: Partial<Record<string, string>> = {}) => {
  const row: Record<string, string> = {
    external_id: id,
    publish: 'yes',
    title_en: title,
    description_en: 'Learn something new.',
    building_block: 'culture-of-learning',
    languages: 'en',
    format: 'in-person',
    address: '1230 W Greenleaf Ave, Chicago, IL',
    lat: '42.0106',
    lon: '-87.6627',
    schedule_kind: 'once',
    start: '2027-10-02T10:00',
    duration_minutes: '90',
    free: 'yes',
    price: '',
    image_url: '/static/images/robotics.jpg',
    image_alt_en: 'A robot',
    age_min: '',
    topics: 'making;robots',
    ...more,
  }
  return HEADER.split(',')
    .map((c) => `"${(row[c] ?? '').replace(/"/g, '""')}"`)
    .join(',')
}
const SCRIPT = '<script>alert("x")</script>'

/** Good and bad rows; line numbers as a text editor shows them (the header is line 1). */
const MIXED = [
  HEADER,
  good('A1', 'Pottery'), // 2
  good('A2', `Robots ${SCRIPT}`), // 3: imported, shown as inert text
  good('A3', 'Chess', { age_min: 'ten' }), // 4: wrong type
  good('A4', '', { building_block: '' }), // 5: missing fields
  good('A5', 'Yoga', { start: '2027-13-45T10:00' }), // 6: bad date
  good('A1', 'Pottery again'), // 7: duplicate external id in the file
  good('', 'No id'), // 8: no external id
  good('A6', 'Paid', { free: 'no', price: 'abc' }), // 9: wrong type
  good('A7', 'Two paragraphs', { description_en: 'Line one\n\nLine two' }), // 10–12
  good('A8', 'Far north', { lat: '91' }), // 13: out of range
  good('A9', 'Draft only', { publish: 'no' }), // 14
].join('\r\n')
const EXPECTED_REJECTS = [
  { line: 4, externalId: 'A3', columns: ['age_min'] },
  { line: 5, externalId: 'A4', columns: ['title_*', 'building_block'] },
  { line: 6, externalId: 'A5', columns: ['start'] },
  { line: 7, externalId: 'A1', columns: ['external_id'] },
  { line: 8, externalId: null, columns: ['external_id'] },
  { line: 9, externalId: 'A6', columns: ['price'] },
  { line: 13, externalId: 'A8', columns: ['lat'] },
]

describe.each(engines)('opportunity import on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let orgId: number
  let otherOrgId: number
  let lakesideOrgId: number
  const agents: Record<'editor' | 'issuer' | 'coordinator' | 'outsider', Agent> = {} as never

  async function person(role: keyof typeof agents) {
    const email = `${role}-${engine}@example.org`
    const id = await createVerifiedUser(t.platform, {
      email,
      password: 'import password 1',
      displayName: role,
      language: 'en',
    })
    const agent = new Agent(t.app)
    agents[role] = agent
    return { id, signIn: () => agent.submit('/en/account/sign-in', { email, password: 'import password 1' }) }
  }

  async function upload(agent: Agent, org: number, name: string, content: BlobPart, type = 'text/csv') {
    const path = `/en/chicago/provide/${org}/import`
    await agent.get(path)
    const form = new FormData()
    form.set('_csrf', agent.csrf())
    form.set('file', new File([content], name, { type }))
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    return t.app.request(
      path,
      { method: 'POST', body: form, headers: { cookie } },
      { incoming: { socket: { remoteAddress: '203.0.113.9' } } },
    )
  }

  /** Uploads, runs the job, and returns the finished import. */
  async function importFile(org: number, name: string, content: BlobPart, type?: string) {
    const res = await upload(agents.editor, org, name, content, type)
    expect(res.status).toBe(303)
    const id = Number(/imports\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1])
    await t.platform.jobs.drain()
    return (await repo.findImport(t.platform.db, cityId, id))!
  }

  const rejects = async (importId: number) =>
    (await repo.listRejects(t.platform.db, cityId, importId)).map((r) => ({
      line: r.line,
      externalId: r.externalId,
      columns: r.errors.map((e) => e.column),
    }))

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const make = async (city: number, slug: string) => {
      const org = await createOrganization(t.platform, city, {
        slug,
        name: { en: slug },
        sector: 'community',
        trusted: true,
      })
      if (!org.ok) throw new Error('org')
      return org.value
    }
    orgId = await make(cityId, 'import-club')
    otherOrgId = await make(cityId, 'other-club')
    const lakeside = await createCity(t.platform, {
      slug: 'lakeside',
      name: { en: 'Lakeside' },
      defaultLanguage: 'en',
      timeZone: 'America/Chicago',
    })
    if (!lakeside.ok) throw new Error('city')
    lakesideOrgId = await make(lakeside.value, 'lakeside-club')
    const editor = await person('editor')
    await addStaff(t.platform, cityId, orgId, editor.id, 'editor')
    await addStaff(t.platform, cityId, otherOrgId, editor.id, 'admin')
    const issuer = await person('issuer')
    await addStaff(t.platform, cityId, orgId, issuer.id, 'issuer')
    const coordinator = await person('coordinator')
    await grantCityRole(t.platform.db, cityId, coordinator.id, 'coordinator')
    const outsider = await person('outsider')
    await addStaff(t.platform, cityId, otherOrgId, outsider.id, 'editor')
    for (const p of [editor, issuer, coordinator, outsider]) await p.signIn()
  })
  afterAll(() => t.close())

  it('imports every good row and reports every bad row by line, external id and column', async () => {
    const imp = await importFile(orgId, 'mixed.csv', MIXED)
    expect(imp).toMatchObject({ status: 'done', totalRows: 11, processedRows: 11, imported: 4, rejected: 7 })
    expect(await rejects(imp.id)).toEqual(EXPECTED_REJECTS)
    const stored = await rows<{ externalId: string; status: string; title: { en: string } }>(
      t.platform.db,
      sql`select external_id as "externalId", status, title from opportunities
          where city_id = ${cityId} and organization_id = ${orgId} order by external_id`,
    )
    expect(stored.map((s) => [s.externalId, s.status])).toEqual([
      ['A1', 'published'],
      ['A2', 'published'],
      ['A7', 'published'],
      ['A9', 'draft'],
    ])
    expect(stored[0]!.title.en).toBe('Pottery')
    // Script in text is kept as text and shown escaped.
    const [a2] = await rows<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from opportunities where organization_id = ${orgId} and external_id = 'A2'`,
    )
    const html = await (await t.app.request(`/en/chicago/opportunities/${a2!.id}`)).text()
    expect(html).toContain('Robots &lt;script&gt;')
    expect(html).not.toContain(SCRIPT)

    const page = await (await agents.editor.get(`/en/chicago/provide/imports/${imp.id}`)).text()
    expect(page).toContain('Finished')
    expect(page).toContain(`<progress id="import-progress" value="11" max="11">`)
    expect(page).not.toContain('http-equiv="refresh"')
    expect(page).toContain('<td>13</td>')
    expect(page).toContain('An earlier row in the file has the same external id')
  })

  it('changes nothing when the same file is imported again', async () => {
    const before = await rows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunity_changes where city_id = ${cityId}`,
    )
    const imp = await importFile(orgId, 'mixed.csv', MIXED)
    expect(imp).toMatchObject({ imported: 0, updated: 0, unchanged: 4, rejected: 7 })
    const after = await rows<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunity_changes where city_id = ${cityId}`,
    )
    expect(after[0]!.n).toBe(before[0]!.n)
  })

  it('updates an opportunity by its external id and publishes a draft on request', async () => {
    const csv = [HEADER, good('A1', 'Pottery for all'), good('A9', 'Draft only')].join('\n')
    const imp = await importFile(orgId, 'update.csv', csv)
    expect(imp).toMatchObject({ imported: 0, updated: 2, unchanged: 0, rejected: 0 })
    const stored = await rows<{ externalId: string; status: string; title: { en: string } }>(
      t.platform.db,
      sql`select external_id as "externalId", status, title from opportunities
          where organization_id = ${orgId} and external_id in ('A1', 'A9') order by external_id`,
    )
    expect(stored.map((s) => [s.title.en, s.status])).toEqual([
      ['Pottery for all', 'published'],
      ['Draft only', 'published'],
    ])
  })

  it('imports an XLSX workbook with the same data and the same reasons', async () => {
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('opportunities')
    for (const line of parse(MIXED, { relax_column_count: true }) as string[][]) sheet.addRow(line)
    // A real number and a real date cell, as a spreadsheet would store them.
    sheet.getCell('M2').value = 90
    sheet.getCell('L2').value = new Date(Date.UTC(2027, 9, 2, 10, 0))
    const bytes = await workbook.xlsx.writeBuffer()
    const imp = await importFile(otherOrgId, 'mixed.xlsx', new Uint8Array(bytes), 'application/octet-stream')
    expect(imp).toMatchObject({ status: 'done', totalRows: 11, imported: 4, rejected: 7 })
    // In a spreadsheet the two-paragraph cell is one row, so the last rejected row is row 11.
    expect(await rejects(imp.id)).toEqual(
      EXPECTED_REJECTS.map((r) => (r.line === 13 ? { ...r, line: 11 } : r)),
    )
  })

  it('offers CSV and XLSX templates whose example row imports cleanly, and a column guide', async () => {
    const csv = await agents.editor.get(`/en/chicago/provide/${orgId}/import/template.csv`)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const text = await csv.text()
    const [header] = parse(text, { bom: true }) as string[][]
    expect(header).toEqual(IMPORT_COLUMNS)
    const fromCsv = await importFile(orgId, 'template.csv', text)
    expect(fromCsv).toMatchObject({ imported: 1, rejected: 0 })
    const xlsx = await agents.editor.get(`/en/chicago/provide/${orgId}/import/template.xlsx`)
    const fromXlsx = await importFile(otherOrgId, 'template.xlsx', new Uint8Array(await xlsx.arrayBuffer()))
    expect(fromXlsx).toMatchObject({ imported: 1, rejected: 0 })
    const guide = await (await agents.editor.get(`/en/chicago/provide/${orgId}/import/columns`)).text()
    expect(guide).toContain('<code>duration_minutes</code>')
    expect(guide).toContain('learning-technologies')
  })

  it('refuses files that are not CSV or XLSX, with a clear error and nothing queued', async () => {
    for (const [name, content] of [
      ['photo.png', '\x89PNG\r\n'],
      ['fake.xlsx', 'external_id\nA1'],
      ['binary.csv', 'PK\x03\x04zip'],
    ] as const) {
      const res = await upload(agents.editor, orgId, name, content)
      expect(res.status).toBe(400)
      const html = await res.text()
      expect(html).toContain('The file must be a CSV file (.csv) or an Excel workbook (.xlsx)')
      expect(html).toContain('href="#file"')
    }
    expect(await t.platform.jobs.drain()).toBe(0)
  })

  it('fails an unreadable file before writing anything, and says why', async () => {
    const csv = await importFile(orgId, 'broken.csv', `${HEADER}\n"A1,unterminated`)
    expect(csv).toMatchObject({
      status: 'failed',
      error: 'opportunities.import.error.unreadable',
      imported: 0,
    })
    expect(csv.errorDetail).toMatch(/quote/i)
    const page = await (await agents.editor.get(`/en/chicago/provide/imports/${csv.id}`)).text()
    expect(page).toContain('The file could not be read')
    const noId = await importFile(orgId, 'no-id.csv', 'title_en\nPottery')
    expect(noId).toMatchObject({ status: 'failed', error: 'opportunities.import.error.noExternalId' })
    const zip = await importFile(orgId, 'broken.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9]))
    expect(zip).toMatchObject({ status: 'failed', error: 'opportunities.import.error.unreadable' })
  })

  it('lets only the organization’s staff (not issuers) and coordinators import, in its own city', async () => {
    const path = `/en/chicago/provide/${orgId}/import`
    const anonymous = await new Agent(t.app).get(path)
    expect(anonymous.status).toBe(303)
    expect((await agents.issuer.get(path)).status).toBe(403)
    expect((await agents.outsider.get(path)).status).toBe(403)
    expect((await upload(agents.outsider, orgId, 'x.csv', MIXED)).status).toBe(403)
    expect((await agents.coordinator.get(path)).status).toBe(200)
    // Another city's organization does not exist under this city's address.
    expect((await agents.coordinator.get(`/en/chicago/provide/${lakesideOrgId}/import`)).status).toBe(404)
    expect((await agents.editor.get(`/en/lakeside/provide/${lakesideOrgId}/import`)).status).toBe(403)
    const [own] = await repo.listImports(t.platform.db, cityId, orgId, 1)
    expect((await agents.outsider.get(`/en/chicago/provide/imports/${own!.id}`)).status).toBe(404)
    expect((await agents.outsider.get(`/en/chicago/provide/imports/${own!.id}/rejected.csv`)).status).toBe(
      404,
    )
    expect((await agents.coordinator.get(`/en/chicago/provide/imports/${own!.id}`)).status).toBe(200)
    expect((await agents.editor.get(`/en/lakeside/provide/imports/${own!.id}`)).status).toBe(404)
  })

  it('shows queued and running imports with a progress bar and a Refresh link, then the report', async () => {
    const res = await upload(agents.editor, orgId, 'states.csv', MIXED)
    const path = res.headers.get('location')!
    const id = Number(path.split('/').at(-1))
    const queued = await (await agents.editor.get(path)).text()
    expect(queued).toContain('Waiting to start')
    // No timed reload (WCAG 2.2.1): the page says so and offers a Refresh link.
    expect(queued).not.toContain('http-equiv="refresh"')
    expect(queued).toContain(`This page does not update by itself. <a href="${path}">Refresh</a>`)
    expect(queued).toMatch(/<progress id="import-progress"><\/progress>/)
    await repo.markRunning(t.platform.db, cityId, id)
    await repo.setHeader(t.platform.db, cityId, id, { header: HEADER.split(','), total: 11, plainCsv: false })
    const running = await (await agents.editor.get(path)).text()
    expect(running).toContain('Importing')
    expect(running).toContain('<progress id="import-progress" value="0" max="11">')
    expect(running).toContain('0 of 11 rows processed')
    expect(running).toContain(`<a href="${path}">Refresh</a>`)
    await t.platform.jobs.drain()
    const done = await (await agents.editor.get(path)).text()
    expect(done).toContain('11 of 11 rows processed')
    expect(done).not.toContain('http-equiv="refresh"')
    expect(done).not.toContain('>Refresh<')
  })

  it('offers the rejected rows as CSV with a reason column, ready to fix and upload again', async () => {
    const [latest] = await repo.listImports(t.platform.db, cityId, orgId, 1)
    const res = await agents.editor.get(`/en/chicago/provide/imports/${latest!.id}/rejected.csv`)
    expect(res.headers.get('content-type')).toContain('text/csv')
    const table = parse(await res.text(), { bom: true }) as string[][]
    expect(table[0]!.slice(0, 3)).toEqual(['line', 'reason', 'external_id'])
    expect(table.slice(1).map((r) => Number(r[0]))).toEqual(EXPECTED_REJECTS.map((r) => r.line))
    expect(table[1]![1]).toMatch(/^age_min: /)
    expect(table[4]![1]).toBe(
      'external_id: An earlier row in the file has the same external id, so this row was not imported',
    )
    // Fix the wrong age and upload the file of rejected rows again: that row goes in, the rest stay out.
    table[1]![table[0]!.indexOf('age_min')] = '10'
    const fixed = table.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n')
    const again = await importFile(orgId, 'fixed.csv', fixed)
    // The second A1 is no longer a duplicate in this file, so it updates A1.
    expect(again).toMatchObject({ imported: 1, updated: 1, rejected: 5 })
  })

  it('imports a batch whose lookup went stale: a row another writer added meanwhile updates, none is lost', async () => {
    const csv = [HEADER, good('S1', 'One'), good('S2', 'Two'), good('S3', 'Three')].join('\n')
    const header = HEADER.split(',')
    const actor: Actor = {
      userId: null,
      label: 'test',
      cityId,
      timeZone: 'America/Chicago',
      coordinator: false,
      organizations: [{ id: otherOrgId, role: 'admin', trusted: true }],
    }
    const id = await repo.insertImport(t.platform.db, cityId, {
      organizationId: otherOrgId,
      actor,
      fileName: 'stale.csv',
      fileKind: 'csv',
      fileBytes: csv.length,
    })
    await repo.setHeader(t.platform.db, cityId, id, { header, total: 3, plainCsv: true })
    const imp = (await repo.findImport(t.platform.db, cityId, id))!
    const plan = { header, skip: 0, timeZone: actor.timeZone, batchRows: 10 }
    const places = placesFrom({ venues: [], districts: [] })
    const records = readRows('csv', Readable.from([Buffer.from(csv)]), { plain: true })
    const batches = []
    for await (const checked of checkedBatches(records, plan, places)) batches.push(checked)
    const batch = batches[0]
    const lookup = await lookUp(t.platform, imp, batch!)
    expect(lookup.existing.size).toBe(0)
    // Another writer adds S2 after the lookup: the batch's one-statement insert fails on the unique key.
    const other = await writeCreates(t.platform, actor, otherOrgId, [
      { input: batch![1]!.input!, publish: true },
    ])
    expect(other[0]!.ok).toBe(true)
    await importBatch(t.platform, imp, batch!, lookup)
    expect(await repo.findImport(t.platform.db, cityId, id)).toMatchObject({
      processedRows: 3,
      imported: 2,
      unchanged: 1,
      rejected: 0,
    })
    const stored = await rows<{ externalId: string }>(
      t.platform.db,
      sql`select external_id as "externalId" from opportunities where organization_id = ${otherOrgId}
          and external_id like 'S%' order by external_id`,
    )
    expect(stored.map((r) => r.externalId)).toEqual(['S1', 'S2', 'S3'])
  })

  it('imports 20,000 rows', { timeout: 600_000 }, async () => {
    const lines = [HEADER]
    for (let i = 0; i < 20_000; i++) lines.push(good(`BULK-${i}`, `Course ${i}`, { publish: 'no' }))
    const imp = await importFile(otherOrgId, 'bulk.csv', lines.join('\n'))
    expect(imp).toMatchObject({ status: 'done', totalRows: 20_000, processedRows: 20_000, imported: 20_000 })
  })
})
