import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from '../../../test/agent.ts'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { firstRow, rows, sql } from '../../platform/db/index.ts'
import { findCityBySlug } from '../cities/index.ts'
import { createOrganization } from '../organizations/index.ts'

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

interface Venue {
  id: number
  name: string
  address: string
  district: string | null
}

const decode = (s: string) =>
  s
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')

/** The venue select of a form page: its groups in order, each with its options' values and labels. */
function venueSelect(html: string) {
  const select = /<select id="venueId"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1]
  if (!select) throw new Error('no venue select on the page')
  const first = /^<option value="([^"]*)"/.exec(select)?.[1]
  const groups = [...select.matchAll(/<optgroup label="([^"]*)"[^>]*>([\s\S]*?)<\/optgroup>/g)].map((g) => ({
    label: decode(g[1]!),
    options: [...g[2]!.matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g)].map((o) => ({
      id: Number(o[1]),
      label: decode(o[2]!),
    })),
  }))
  const selected = /<option value="([^"]*)"[^>]*selected=""/.exec(select)?.[1]
  return { first, groups, ids: groups.flatMap((g) => g.options.map((o) => o.id)), selected }
}

const statusLine = (html: string) =>
  decode(/<p class="hint" id="venueId-status"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? '')

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })
const sorted = (list: string[]) => [...list].sort(collator.compare)

describe.each(engines)('venue picker of the publishing form on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let orgId: number
  let agent: Agent
  let venues: Venue[]
  let own: Venue[]
  const newForm = () => `/en/chicago/provide/${orgId}/new`

  /** Posts the form as the browser would: some fields typed, a button pressed. */
  async function post(path: string, fields: Record<string, string>) {
    await agent.get(path)
    const res = await agent.post(path, {
      'title-en': `Bike repair ${XSS}`,
      'description-en': 'Fix your own bike.',
      buildingBlock: 'families-communities',
      format: 'in-person',
      venueId: '',
      scheduleKind: 'once',
      start: '2027-05-01T10:00',
      durationMinutes: '90',
      contactEmail: 'bikes@example.org',
      languages: 'en',
      free: 'on',
      currency: 'USD',
      imageUrl: '/static/demo/learning.svg',
      'imageAlt-en': 'A bicycle upside down on a workbench',
      ...fields,
    })
    return { res, html: await res.text() }
  }

  const countOpportunities = async () =>
    (await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from opportunities where organization_id = ${orgId}`,
    ))!.n

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const org = await createOrganization(t.platform, cityId, {
      slug: 'wheel-works',
      name: { en: 'Wheel Works' },
      sector: 'community',
      trusted: true,
    })
    if (!org.ok) throw new Error(org.error)
    orgId = org.value
    venues = await rows<Venue>(
      t.platform.db,
      sql`select v.id::int as id, v.name->>'en' as name, v.address, d.name->>'en' as district
          from venues v left join districts d on d.id = v.district_id
          where v.city_id = ${cityId} order by v.id`,
    )
    // The provider's profile lists two venues in two different districts.
    const withDistrict = venues.filter((v) => v.district !== null)
    own = [withDistrict[5]!, withDistrict.find((v) => v.district !== withDistrict[5]!.district)!]
    for (const v of own) {
      await t.platform.db.execute(
        sql`insert into organization_venues (city_id, organization_id, venue_id) values (${cityId}, ${orgId}, ${v.id})`,
      )
    }
    ;({ agent } = await signedInPerson(t, { staff: { cityId, organizationId: orgId, role: 'editor' } }))
  })
  afterAll(() => t.close())

  it('lists the provider’s own venues first, then every other venue grouped by district', async () => {
    expect(venues.length).toBeGreaterThan(700)
    const res = await agent.get(newForm())
    expect(res.status).toBe(200)
    const html = await res.text()
    const select = venueSelect(html)
    expect(select.first).toBe('')
    expect(select.selected).toBe('')
    const [ownGroup, ...rest] = select.groups
    expect(ownGroup!.label).toBe('This provider’s venues')
    expect(ownGroup!.options.map((o) => o.id).sort()).toEqual(own.map((v) => v.id).sort())
    expect(ownGroup!.options.map((o) => o.label)).toEqual(sorted(own.map((v) => `${v.name} · ${v.address}`)))
    // Every venue appears exactly once.
    expect(select.ids.length).toBe(venues.length)
    expect(new Set(select.ids).size).toBe(venues.length)
    // One group per district, in alphabetical order; each holds exactly that district's venues by name.
    const districtGroups = rest.filter((g) => g.label !== 'Not in a district')
    const districts = [...new Set(venues.flatMap((v) => (v.district ? [v.district] : [])))]
    expect(districtGroups.map((g) => g.label)).toEqual(sorted(districts))
    expect(districtGroups.length).toBeGreaterThan(70)
    const byId = new Map(venues.map((v) => [v.id, v]))
    for (const group of districtGroups) {
      const expected = venues.filter((v) => v.district === group.label && !own.includes(v))
      expect(group.options.map((o) => o.id).sort()).toEqual(expected.map((v) => v.id).sort())
      expect(group.options.map((o) => o.label)).toEqual(sorted(group.options.map((o) => o.label)))
      for (const o of group.options) expect(byId.get(o.id)!.district).toBe(group.label)
    }
    const elsewhere = venues.filter((v) => v.district === null)
    if (elsewhere.length > 0) expect(rest.at(-1)!.label).toBe('Not in a district')
    expect(statusLine(html)).toBe(`${venues.length.toLocaleString('en')} venues in the list.`)
    // The search runs without JavaScript: a button of the form that comes back to the list.
    expect(html).toContain('<input id="venueQuery" name="venueQuery" type="search" value=""')
    expect(html).toContain(
      `<button type="submit" name="intent" value="find-venue" formaction="${newForm()}#venueId-status"`,
    )
    expect(html).toContain('aria-describedby="venueId-hint venueId-status"')
  })

  it('narrows the list to the venues whose name or address has every word, keeping what was typed', async () => {
    const before = await countOpportunities()
    const { res, html } = await post(newForm(), {
      intent: 'find-venue',
      venueQuery: '  harold   WASHINGTON ',
    })
    expect(res.status).toBe(200)
    const expected = venues.filter((v) =>
      ['harold', 'washington'].every((w) => `${v.name} ${v.address} ${v.district}`.toLowerCase().includes(w)),
    )
    expect(expected.length).toBeGreaterThanOrEqual(2)
    const select = venueSelect(html)
    expect(select.ids.sort()).toEqual(expected.map((v) => v.id).sort())
    expect(statusLine(html)).toBe(`${expected.length} venues match “harold WASHINGTON”.`)
    // Everything typed elsewhere is still there, inert; nothing was saved.
    expect(html).toContain('value="harold WASHINGTON"')
    expect(html).toContain(
      `value="Bike repair ${XSS.replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')}"`,
    )
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('value="bikes@example.org"')
    expect(html).toContain('value="2027-05-01T10:00"')
    expect(html).not.toContain('error-summary')
    expect(await countOpportunities()).toBe(before)
    // A street narrows too, and one word more narrows further.
    const street = venues.find((v) => v.district && /^\d+ /.test(v.address))!
    const streetWords = street.address.split(' ').slice(0, 3).join(' ')
    const byStreet = venueSelect(
      (await post(newForm(), { intent: 'find-venue', venueQuery: streetWords })).html,
    )
    expect(byStreet.ids).toContain(street.id)
    expect(byStreet.ids.length).toBeLessThan(10)
  })

  it('finds the venues of a district by its name and keeps the chosen venue in a narrowed list', async () => {
    const district = own[0]!.district!
    const chosen = venues.find((v) => v.district && v.district !== district && !own.includes(v))!
    const { html } = await post(newForm(), {
      intent: 'find-venue',
      venueQuery: district.toLowerCase(),
      venueId: String(chosen.id),
    })
    const select = venueSelect(html)
    const inDistrict = venues.filter((v) => v.district === district).map((v) => v.id)
    expect(select.ids).toEqual(expect.arrayContaining(inDistrict))
    expect(select.ids).toContain(chosen.id)
    expect(select.selected).toBe(String(chosen.id))
    // The provider's own venue of that district still comes first.
    expect(select.groups[0]!.label).toBe('This provider’s venues')
    expect(select.groups[0]!.options.map((o) => o.id)).toEqual([own[0]!.id])
    for (const id of select.ids) {
      const v = venues.find((x) => x.id === id)!
      const text = `${v.name} ${v.address} ${v.district}`.toLowerCase()
      expect(
        id === chosen.id ||
          district
            .toLowerCase()
            .split(' ')
            .every((w) => text.includes(w)),
      ).toBe(true)
    }
  })

  it('says when nothing matches, treats % and _ as letters, and shows every venue again on request', async () => {
    const none = await post(newForm(), { intent: 'find-venue', venueQuery: `%_ ${XSS}` })
    expect(none.res.status).toBe(200)
    expect(venueSelect(none.html).ids).toEqual([])
    expect(venueSelect(none.html).first).toBe('')
    expect(statusLine(none.html)).toBe(
      `No venue matches “%_ ${XSS}”. Try part of the name or the street, or show all venues.`,
    )
    expect(none.html).not.toContain('<script>alert')
    expect(none.html).toContain('name="intent" value="all-venues"')
    const all = await post(newForm(), { intent: 'all-venues', venueQuery: 'harold' })
    expect(venueSelect(all.html).ids.length).toBe(venues.length)
    expect(all.html).toContain('<input id="venueQuery" name="venueQuery" type="search" value=""')
    expect(all.html).not.toContain('value="all-venues"')
  })

  it('keeps the search through a preview and a save with errors, and searches on the edit form too', async () => {
    const preview = await post(newForm(), { intent: 'preview', venueQuery: 'harold washington' })
    expect(venueSelect(preview.html).ids.length).toBeLessThan(5)
    const failed = await post(newForm(), { intent: 'draft', venueQuery: 'harold washington', 'title-en': '' })
    expect(failed.res.status).toBe(400)
    expect(venueSelect(failed.html).ids.length).toBeLessThan(5)

    const saved = await post(newForm(), { intent: 'draft', venueId: String(own[1]!.id), address: '' })
    expect(saved.res.status, /error-summary[\s\S]*?<\/ul>/.exec(saved.html)?.[0]).toBe(303)
    const id = (await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from opportunities where organization_id = ${orgId} order by id desc limit 1`,
    ))!.id
    const edit = `/en/chicago/provide/opportunities/${id}/edit`
    const form = venueSelect(await (await agent.get(edit)).text())
    expect(form.selected).toBe(String(own[1]!.id))
    expect(form.groups[0]!.options.map((o) => o.id)).toContain(own[1]!.id)
    const { res, html } = await post(edit, {
      intent: 'find-venue',
      venueQuery: 'harold',
      venueId: String(own[1]!.id),
      'title-en': 'Changed but not saved',
    })
    expect(res.status).toBe(200)
    expect(html).toContain(`formaction="${edit}#venueId-status"`)
    const narrowed = venueSelect(html)
    expect(narrowed.selected).toBe(String(own[1]!.id))
    expect(narrowed.ids.length).toBeLessThan(6)
    expect(html).toContain('value="Changed but not saved"')
    const row = await firstRow<{ title: Record<string, string> }>(
      t.platform.db,
      sql`select title from opportunities where id = ${id}`,
    )
    expect(row?.title.en).toBe(`Bike repair ${XSS}`)
  })
})
