import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { opportunityFactory } from '../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { seedAll } from '../../app.ts'
import { rows, sql } from '../../platform/db/index.ts'
import { utcToZoned } from '../../platform/time/index.ts'
import { createCity, findCityBySlug, listVenues } from '../cities/index.ts'
import { createApiKey, createOrganization } from '../organizations/index.ts'
import {
  type Actor,
  cancelSession,
  createOpportunity,
  findOpportunity,
  listChanges,
  listSessions,
  transition,
  updateOpportunity,
} from './index.ts'
import { inTransaction, prepareOpportunities, writeCreates } from './opportunities.ts'

describe.each(engines)('opportunities on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let trustedOrg: number
  let newOrg: number
  let otherCityId: number
  let otherOrg: number
  const actor = (orgs: Actor['organizations'], extra: Partial<Actor> = {}): Actor => ({
    userId: null,
    label: 'Test',
    cityId,
    timeZone: 'America/Chicago',
    coordinator: false,
    organizations: orgs,
    ...extra,
  })
  let editor: Actor
  let untrustedEditor: Actor
  let coordinator: Actor

  beforeAll(async () => {
    t = await testPlatform(engine)
    await seedAll(t.platform, () => {})
    cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
    const a = await createOrganization(t.platform, cityId, {
      slug: 'robot-club',
      name: { en: 'Robot Club' },
      sector: 'community',
      trusted: true,
    })
    const b = await createOrganization(t.platform, cityId, {
      slug: 'new-museum',
      name: { en: 'New Museum' },
      sector: 'museum',
    })
    if (!a.ok || !b.ok) throw new Error('orgs')
    trustedOrg = a.value
    newOrg = b.value
    await t.platform.db.execute(sql`update organizations set status = 'approved' where id = ${newOrg}`)
    const other = await createCity(t.platform, {
      slug: 'porto',
      name: { en: 'Porto' },
      defaultLanguage: 'en',
      timeZone: 'Europe/Lisbon',
    })
    if (!other.ok) throw new Error('city')
    otherCityId = other.value
    const o = await createOrganization(t.platform, otherCityId, {
      slug: 'porto-lab',
      name: { en: 'Lab' },
      sector: 'university',
      trusted: true,
    })
    if (!o.ok) throw new Error('org')
    otherOrg = o.value
    editor = actor([{ id: trustedOrg, role: 'editor', trusted: true }])
    untrustedEditor = actor([{ id: newOrg, role: 'admin', trusted: false }])
    coordinator = actor([], { coordinator: true, label: 'Coordinator' })
  })
  afterAll(() => t.close())

  it('writes many opportunities at once, each with its own result in order, as one would alone', async () => {
    const venues = await listVenues(t.platform.db, cityId, 'library')
    const raws = [
      opportunityFactory({ externalId: 'MANY-1', venueId: venues[0]!.id }),
      opportunityFactory({ externalId: 'MANY-2', venueId: 999_999_999 }),
      opportunityFactory({ externalId: 'MANY-1' }),
      opportunityFactory({ externalId: 'MANY-3', schedule: { kind: 'self-paced' } }),
      opportunityFactory({ externalId: 'MANY-4', title: {} }),
    ]
    const inputs = await prepareOpportunities(t.platform, editor, raws)
    const results = await inTransaction(t.platform, (tx) =>
      writeCreates(
        tx,
        editor,
        trustedOrg,
        inputs.map((input, i) => ({ input, publish: i === 0 })),
      ),
    )
    expect(results.map((r) => (r.ok ? r.value.status : r.error))).toEqual([
      'published',
      'invalid',
      'duplicate',
      'draft',
      'invalid',
    ])
    expect(!results[1]!.ok && results[1]!.fields).toEqual([
      { field: '/venueId', detail: 'No such venue in this city' },
    ])
    const first = results[0]!.ok ? results[0]!.value.id : 0
    const stored = (await findOpportunity(t.platform.db, cityId, first))!
    expect(stored.address).toBe(venues[0]!.address)
    expect(stored.districtId).toBe(venues[0]!.districtId)
    expect(await listSessions(t.platform.db, cityId, first)).toHaveLength(8)
    expect((await listChanges(t.platform.db, cityId, first)).map((c) => c.action)).toEqual([
      'created-published',
    ])
    const selfPaced = results[3]!.ok ? results[3]!.value.id : 0
    expect(await listSessions(t.platform.db, cityId, selfPaced)).toHaveLength(0)
  })

  it('publishes a trusted provider’s weekly series with its sessions in the city’s time zone', async () => {
    const res = await createOpportunity(t.platform, editor, trustedOrg, opportunityFactory(), {
      publish: true,
    })
    expect(res).toMatchObject({ ok: true, value: { status: 'published' } })
    if (!res.ok) return
    const o = await findOpportunity(t.platform.db, cityId, res.value.id)
    expect(o?.topics).toEqual(['robotics', 'coding'])
    expect(o?.contactEmail).toBe('robots@example.org')
    const sessions = await listSessions(t.platform.db, cityId, res.value.id)
    expect(sessions).toHaveLength(8)
    // 10:00 in Chicago is 15:00 UTC in October (CDT) and 16:00 UTC after the November change (CST).
    expect(new Date(sessions[0]!.startsAt).toISOString()).toBe('2027-10-02T15:00:00.000Z')
    expect(new Date(sessions[7]!.startsAt).toISOString()).toBe('2027-11-20T16:00:00.000Z')
    expect(new Date(sessions[0]!.endsAt).getTime() - new Date(sessions[0]!.startsAt).getTime()).toBe(
      90 * 60_000,
    )
  })

  it('assigns the district from the position, or from the venue', async () => {
    const byPoint = await createOpportunity(t.platform, editor, trustedOrg, opportunityFactory())
    if (!byPoint.ok) throw new Error(JSON.stringify(byPoint))
    const district = await rows<{ code: string }>(
      t.platform.db,
      sql`select d.code from opportunities o join districts d on d.id = o.district_id where o.id = ${byPoint.value.id}`,
    )
    expect(district).toEqual([{ code: '1' }]) // Rogers Park

    const library = (await listVenues(t.platform.db, cityId, 'library')).find(
      (v) => v.name.en === 'Austin Library',
    )!
    const byVenue = await createOpportunity(
      t.platform,
      editor,
      trustedOrg,
      opportunityFactory({ venueId: library.id, address: null, lat: null, lon: null }),
    )
    if (!byVenue.ok) throw new Error(JSON.stringify(byVenue))
    const o = await findOpportunity(t.platform.db, cityId, byVenue.value.id)
    expect(o?.districtId).toBe(library.districtId)
    expect(o?.address).toBe(library.address)
  })

  it('lists every invalid field with a specific message', async () => {
    const res = await createOpportunity(
      t.platform,
      editor,
      trustedOrg,
      opportunityFactory({
        title: { en: '' },
        description: { en: 'Ring the bell\u0007' },
        buildingBlock: 'sports',
        ageMin: 12,
        ageMax: 8,
        languages: [],
        format: 'online',
        joinUrl: null,
        cost: { free: false },
        image: { url: 'javascript:alert(1)', alt: {} },
        schedule: { kind: 'series', start: '2027-10-02T10:00', durationMinutes: 60, rrule: 'FREQ=SOMETIMES' },
      }),
    )
    expect(res.ok).toBe(false)
    if (res.ok) return
    const fields = res.fields!.map((f) => f.field)
    for (const f of [
      '/title',
      '/description/en',
      '/buildingBlock',
      '/languages',
      '/cost/price',
      '/image/url',
      '/image/alt',
    ]) {
      expect(fields).toContain(f)
    }
    // Cross-field rules run once the fields themselves are sound.
    const cross = await createOpportunity(
      t.platform,
      editor,
      trustedOrg,
      opportunityFactory({ ageMin: 12, ageMax: 8, format: 'online', joinUrl: null }),
    )
    expect(cross.ok).toBe(false)
    if (!cross.ok) expect(cross.fields!.map((f) => f.field).sort()).toEqual(['/ageMax', '/joinUrl'])
    const rule = await createOpportunity(
      t.platform,
      editor,
      trustedOrg,
      opportunityFactory({
        schedule: { kind: 'series', start: '2027-10-02T10:00', durationMinutes: 60, rrule: 'FREQ=SOMETIMES' },
      }),
    )
    expect(rule.ok).toBe(false)
    if (!rule.ok) expect(rule.fields![0]!.field).toMatch(/^\/schedule/)
  })

  it('sends a new provider’s opportunity to review; only a coordinator publishes or returns it', async () => {
    const res = await createOpportunity(t.platform, untrustedEditor, newOrg, opportunityFactory(), {
      publish: true,
    })
    expect(res).toMatchObject({ ok: true, value: { status: 'submitted' } })
    if (!res.ok) return
    const id = res.value.id
    expect(await transition(t.platform, untrustedEditor, id, 'publish')).toEqual({
      ok: false,
      error: 'forbidden',
    })
    expect(await transition(t.platform, untrustedEditor, id, 'return')).toEqual({
      ok: false,
      error: 'forbidden',
    })
    expect(await transition(t.platform, coordinator, id, 'return', 'Please add the room number')).toEqual({
      ok: true,
      value: 'draft',
    })
    expect(await transition(t.platform, untrustedEditor, id, 'submit')).toEqual({
      ok: true,
      value: 'submitted',
    })
    expect(await listSessions(t.platform.db, cityId, id)).toHaveLength(0)
    expect(await transition(t.platform, coordinator, id, 'publish')).toEqual({ ok: true, value: 'published' })
    expect(await listSessions(t.platform.db, cityId, id)).toHaveLength(8)
    const changes = await listChanges(t.platform.db, cityId, id)
    expect(changes.map((c) => c.action)).toEqual(['created-submitted', 'return', 'submit', 'publish'])
    expect(changes[1]).toMatchObject({ actorLabel: 'Coordinator', note: 'Please add the room number' })
  })

  it('refuses people who are not editors of the organization', async () => {
    const stranger = actor([])
    const issuer = actor([{ id: trustedOrg, role: 'issuer', trusted: true }])
    expect(await createOpportunity(t.platform, stranger, trustedOrg, opportunityFactory())).toEqual({
      ok: false,
      error: 'forbidden',
    })
    expect(await createOpportunity(t.platform, issuer, trustedOrg, opportunityFactory())).toEqual({
      ok: false,
      error: 'forbidden',
    })
    const mine = await createOpportunity(t.platform, editor, trustedOrg, opportunityFactory())
    if (!mine.ok) throw new Error('create')
    expect(await updateOpportunity(t.platform, untrustedEditor, mine.value.id, opportunityFactory())).toEqual(
      { ok: false, error: 'forbidden' },
    )
    expect(await transition(t.platform, untrustedEditor, mine.value.id, 'archive')).toEqual({
      ok: false,
      error: 'forbidden',
    })
  })

  it('allows only lifecycle moves that make sense', async () => {
    const res = await createOpportunity(t.platform, editor, trustedOrg, opportunityFactory())
    if (!res.ok) throw new Error('create')
    const id = res.value.id
    expect(await transition(t.platform, editor, id, 'cancel')).toEqual({ ok: false, error: 'not-allowed' })
    expect((await transition(t.platform, editor, id, 'publish')).ok).toBe(true)
    expect((await transition(t.platform, editor, id, 'cancel')).ok).toBe(true)
    const sessions = await listSessions(t.platform.db, cityId, id)
    expect(sessions.every((s) => s.cancelled)).toBe(true)
    expect((await transition(t.platform, editor, id, 'archive')).ok).toBe(true)
    expect(await transition(t.platform, editor, id, 'publish')).toEqual({ ok: false, error: 'not-allowed' })
    expect((await updateOpportunity(t.platform, editor, id, opportunityFactory())).ok).toBe(false)
  })

  it('records who changed what, and keeps sessions in step with the schedule', async () => {
    const res = await createOpportunity(t.platform, editor, trustedOrg, opportunityFactory(), {
      publish: true,
    })
    if (!res.ok) throw new Error('create')
    const id = res.value.id
    const [first, second] = await listSessions(t.platform.db, cityId, id)
    expect((await cancelSession(t.platform, editor, id, second!.id, 'Room flooded')).ok).toBe(true)

    const updated = await updateOpportunity(
      t.platform,
      { ...editor, label: 'Ana (editor)' },
      id,
      opportunityFactory({
        title: { en: 'Robotics for beginners (new room)' },
        schedule: {
          kind: 'series',
          start: '2027-10-02T10:00',
          durationMinutes: 90,
          rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=4',
        },
      }),
    )
    expect(updated).toMatchObject({
      ok: true,
      value: { changed: expect.arrayContaining(['title', 'schedule']) },
    })
    const sessions = await listSessions(t.platform.db, cityId, id)
    expect(sessions).toHaveLength(4)
    expect(sessions[0]!.id).toBe(first!.id) // unchanged sessions keep their identity (bookings will hang on it)
    expect(sessions[1]!.cancelled).toBe(true) // and their cancellation
    const changes = await listChanges(t.platform.db, cityId, id)
    const change = changes.find((c) => c.action === 'changed')!
    expect(change.actorLabel).toBe('Ana (editor)')
    expect(change.diff.title).toEqual({
      from: { en: 'Robotics for beginners', es: 'Robótica para principiantes' },
      to: { en: 'Robotics for beginners (new room)' },
    })
    expect(changes.map((c) => c.action)).toContain('session-cancelled')
  })

  it('records nothing when an opportunity is saved unchanged', async () => {
    const res = await createOpportunity(t.platform, editor, trustedOrg, opportunityFactory(), {
      publish: true,
    })
    if (!res.ok) throw new Error('create')
    const again = await updateOpportunity(t.platform, editor, res.value.id, opportunityFactory())
    expect(again).toEqual({ ok: true, value: { id: res.value.id, changed: [] } })
    expect((await listChanges(t.platform.db, cityId, res.value.id)).map((c) => c.action)).toEqual([
      'created-published',
    ])
  })

  it('moves the session horizon forward every day for open-ended series', async () => {
    const res = await createOpportunity(
      t.platform,
      editor,
      trustedOrg,
      opportunityFactory({
        schedule: {
          kind: 'series',
          start: '2026-01-03T10:00',
          durationMinutes: 60,
          rrule: 'FREQ=WEEKLY;BYDAY=SA',
        },
      }),
      { publish: true },
    )
    if (!res.ok) throw new Error('create')
    const before = (await listSessions(t.platform.db, cityId, res.value.id)).length
    expect(before).toBeGreaterThan(70) // about 18 months of Saturdays
    // As if time had passed: the far end of the horizon is not materialised yet.
    await t.platform.db.execute(
      sql`delete from opportunity_sessions where opportunity_id = ${res.value.id} and starts_at > now() + interval '100 days'`,
    )
    expect((await listSessions(t.platform.db, cityId, res.value.id)).length).toBeLessThan(before)
    await t.platform.jobs.enqueue('opportunities.extend-horizon')
    await t.platform.jobs.drain()
    expect((await listSessions(t.platform.db, cityId, res.value.id)).length).toBe(before)
  })

  it("keeps the search index's session slots to the sessions of the past week and to come", async () => {
    const res = await createOpportunity(
      t.platform,
      editor,
      trustedOrg,
      opportunityFactory({ schedule: { kind: 'self-paced' } }),
      { publish: true },
    )
    if (!res.ok) throw new Error('create')
    const id = res.value.id
    const slots = async () =>
      (
        await rows<{ slots: string | null }>(
          t.platform.db,
          sql`select search_sessions::text as slots from opportunities where id = ${id}`,
        )
      )[0]!.slots
    /** A session by SQL, `days` ago, and its slots (local date and weekday, on Chicago's clock). */
    const sessionAgo = async (days: number) => {
      const starts = new Date(Date.now() - days * 86400_000)
      const local = utcToZoned(starts, 'America/Chicago')
      await t.platform.db.execute(
        sql`insert into opportunity_sessions (city_id, opportunity_id, starts_at, ends_at, local_start)
            values (${cityId}, ${id}, ${starts.toISOString()}, ${starts.toISOString()}, ${local})`,
      )
      return `'date:${local.slice(0, 10)}'`
    }
    const recent = await sessionAgo(3)
    expect(await slots()).toContain(recent)
    // A session that was still to come when its slots were written, and has since aged a week.
    const old = await sessionAgo(8)
    expect(await slots()).not.toContain(old)
    await t.platform.db.execute(
      sql`update opportunities set search_sessions = search_sessions || ${old}::tsvector where id = ${id}`,
    )
    expect(await slots()).toContain(old)
    await t.platform.jobs.enqueue('opportunities.extend-horizon')
    await t.platform.jobs.drain()
    expect(await slots()).not.toContain(old)
    expect(await slots()).toContain(recent)

    // A row waiting for the indexing job (as imports leave them) gets its slots with its words.
    await t.platform.db.execute(sql`update opportunities set search_document = null where id = ${id}`)
    const waiting = await sessionAgo(1)
    expect(await slots()).not.toContain(waiting)
    await t.platform.jobs.enqueue('opportunities.index-search')
    await t.platform.jobs.drain()
    expect(await slots()).toContain(waiting)
  })

  describe('JSON API', () => {
    let writeKey: string
    let readKey: string
    let otherCityKey: string
    beforeAll(async () => {
      writeKey = (
        await createApiKey(t.platform.db, {
          cityId,
          organizationId: trustedOrg,
          name: 'sync',
          scopes: ['opportunities:write'],
          createdByUserId: null,
        })
      ).key
      readKey = (
        await createApiKey(t.platform.db, {
          cityId,
          organizationId: trustedOrg,
          name: 'read',
          scopes: ['opportunities:read'],
          createdByUserId: null,
        })
      ).key
      otherCityKey = (
        await createApiKey(t.platform.db, {
          cityId: otherCityId,
          organizationId: otherOrg,
          name: 'porto',
          scopes: ['opportunities:write'],
          createdByUserId: null,
        })
      ).key
    })
    const call = (method: string, path: string, key: string | undefined, body?: unknown) =>
      t.app.request(path, {
        method,
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })

    it('creates, reads, updates and publishes through the API', async () => {
      const created = await call(
        'POST',
        '/api/v1/opportunities?publish=true',
        writeKey,
        opportunityFactory({ externalId: 'rb-1' }),
      )
      expect(created.status).toBe(201)
      const body = await created.json()
      expect(body).toMatchObject({
        status: 'published',
        externalId: 'rb-1',
        cost: { free: true, price: null },
      })
      expect(body.sessions).toHaveLength(8)
      expect(created.headers.get('location')).toBe(body.url)

      const again = await call(
        'POST',
        '/api/v1/opportunities',
        writeKey,
        opportunityFactory({ externalId: 'rb-1' }),
      )
      expect(again.status).toBe(409)

      const put = await call(
        'PUT',
        `/api/v1/opportunities/${body.id}`,
        writeKey,
        opportunityFactory({ externalId: 'rb-1', capacity: 20 }),
      )
      expect(put.status).toBe(200)
      expect((await put.json()).capacity).toBe(20)

      const read = await t.app.request(`/api/v1/cities/chicago/opportunities/${body.id}`)
      expect(read.status).toBe(200)
      const list = await (await t.app.request('/api/v1/cities/chicago/opportunities?limit=200')).json()
      expect(list.data.map((o: { id: number }) => o.id)).toContain(body.id)
      expect(list.data.every((o: { status: string }) => o.status === 'published')).toBe(true)

      const archived = await call('POST', `/api/v1/opportunities/${body.id}/archive`, writeKey)
      expect(await archived.json()).toEqual({ status: 'archived' })
      expect((await t.app.request(`/api/v1/cities/chicago/opportunities/${body.id}`)).status).toBe(404)
    })

    it('answers bad requests with problem+json listing every field', async () => {
      const res = await call(
        'POST',
        '/api/v1/opportunities',
        writeKey,
        opportunityFactory({ title: {}, format: 'teleport', capacity: -1 }),
      )
      expect(res.status).toBe(422)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const fields = (await res.json()).errors.map((e: { field: string }) => e.field)
      expect(fields).toEqual(expect.arrayContaining(['/title', '/format', '/capacity']))
      const broken = await t.app.request('/api/v1/opportunities', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${writeKey}` },
        body: '{"title": ',
      })
      expect(broken.status).toBeGreaterThanOrEqual(400)
      expect(broken.status).toBeLessThan(500)
    })

    it('refuses missing, unknown and read-only keys, and keys of another city', async () => {
      expect((await call('POST', '/api/v1/opportunities', undefined, opportunityFactory())).status).toBe(401)
      expect(
        (
          await call(
            'POST',
            '/api/v1/opportunities',
            'lc_00000000_notarealkeynotarealkeynotareal',
            opportunityFactory(),
          )
        ).status,
      ).toBe(401)
      expect((await call('POST', '/api/v1/opportunities', readKey, opportunityFactory())).status).toBe(403)
      const mine = await (await call('POST', '/api/v1/opportunities', writeKey, opportunityFactory())).json()
      const foreign = await call(
        'PUT',
        `/api/v1/opportunities/${mine.id}`,
        otherCityKey,
        opportunityFactory(),
      )
      expect(foreign.status).toBe(404)
      const archive = await call('POST', `/api/v1/opportunities/${mine.id}/archive`, otherCityKey)
      expect(archive.status).toBe(404)
    })

    it('keeps drafts and other cities out of the public API', async () => {
      const draft = await (await call('POST', '/api/v1/opportunities', writeKey, opportunityFactory())).json()
      expect(draft.status).toBe('draft')
      expect((await t.app.request(`/api/v1/cities/chicago/opportunities/${draft.id}`)).status).toBe(404)
      expect((await t.app.request(`/api/v1/cities/porto/opportunities/${draft.id}`)).status).toBe(404)
      const doc = await (await t.app.request('/api/openapi.json')).json()
      expect(doc.paths['/api/v1/opportunities'].post.security).toEqual([{ apiKey: [] }])
      expect(doc.components.schemas.OpportunityInput.properties.title).toBeDefined()
    })
  })
})
