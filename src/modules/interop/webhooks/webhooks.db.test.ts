import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { opportunityFactory } from '../../../../test/factories.ts'
import { feedCity } from '../../../../test/interop.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { startTestSmtp, type TestSmtp } from '../../../../test/smtp.ts'
import { startWebhookReceiver, type WebhookReceiver } from '../../../../test/webhook-receiver.ts'
import { rows, sql } from '../../../platform/db/index.ts'
import {
  createOpportunity,
  listSessions,
  startImport,
  transition,
  updateOpportunity,
} from '../../opportunities/index.ts'
import { createApiKey, createOrganization } from '../../organizations/index.ts'
import { retryDelayMs } from './deliver.ts'
import { scanChanges, WEBHOOK_DELIVER_JOB } from './scan.ts'
import { createSubscription, subscriptionById } from './subscriptions.ts'

describe.each(engines)('webhooks (%s)', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  let receiver: WebhookReceiver
  let city: Awaited<ReturnType<typeof feedCity>>
  let n = 0

  beforeAll(async () => {
    smtp = await startTestSmtp()
    t = await testPlatform(engine, { FETCH_ALLOW_ADDRESSES: 'loopback', SMTP_URL: smtp.url })
    receiver = await startWebhookReceiver()
  })
  afterAll(async () => {
    await t?.close()
    await receiver?.close()
    await smtp?.close()
  })
  beforeEach(async () => {
    // Each test has a city of its own, so earlier tests' subscriptions and events stay out of it.
    city = await feedCity(t, `hooks-${engine}-${n++}`)
    receiver.status = 200
  })

  /** What the worker does: read the change log, then run every due job (deliveries among them). */
  async function deliver() {
    await scanChanges(t.platform.db, t.platform.config.publicUrl)
    await t.platform.jobs.drain()
  }

  const api = (path: string, key: string, init: { method?: string; body?: unknown } = {}) =>
    t.app.request(path, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })

  async function keyFor(organizationId: number) {
    const { key } = await createApiKey(t.platform.db, {
      cityId: city.cityId,
      organizationId,
      name: 'integration',
      scopes: ['webhooks:manage'],
      createdByUserId: null,
    })
    return key
  }

  /** The requests of this city, and of these types when given. */
  const hooks = (types?: string[]) =>
    receiver.received.filter((r) => r.json.city === city.slug && (!types || types.includes(r.json.type)))

  async function subscribeViaApi(events: string[]) {
    const key = await keyFor(city.organizationId)
    const res = await api(`/api/v1/cities/${city.slug}/webhooks`, key, {
      method: 'POST',
      body: { url: receiver.url, events, description: 'CRM' },
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { id: number; secret: string }
    expect(body.secret).toMatch(/^whsec_/)
    return { ...body, key }
  }

  it('creating, changing and withdrawing an opportunity sends each event once, signed', async () => {
    const sub = await subscribeViaApi(['opportunity.created', 'opportunity.updated', 'opportunity.deleted'])
    const id = await city.publish({ title: { en: 'Pottery evenings' } })
    await deliver()
    const created = hooks()
    expect(created.map((h) => [h.json.type, h.json.data.id])).toEqual([['opportunity.created', id]])
    const verified = new Webhook(sub.secret).verify(
      created[0]!.body,
      created[0]!.headers as Record<string, string>,
    )
    expect(verified).toMatchObject({ type: 'opportunity.created', city: city.slug })
    expect(created[0]!.json.data).toMatchObject({ title: { en: 'Pottery evenings' }, status: 'published' })
    // A wrong secret does not verify.
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
        created[0]!.body,
        created[0]!.headers as Record<string, string>,
      ),
    ).toThrow()

    const updated = await updateOpportunity(
      t.platform,
      city.actor,
      id,
      opportunityFactory({ title: { en: 'Pottery evenings, now with glazing' } }),
    )
    expect(updated.ok).toBe(true)
    await deliver()
    expect(hooks().map((h) => h.json.type)).toEqual(['opportunity.created', 'opportunity.updated'])
    expect(hooks().at(-1)!.json.data).toMatchObject({ title: { en: 'Pottery evenings, now with glazing' } })

    expect((await transition(t.platform, city.actor, id, 'archive')).ok).toBe(true)
    await deliver()
    const all = hooks()
    expect(all.map((h) => h.json.type)).toEqual([
      'opportunity.created',
      'opportunity.updated',
      'opportunity.deleted',
    ])
    expect(all.at(-1)!.json.data).toEqual({ id })
    // Nothing more happened: nothing more is sent.
    await deliver()
    expect(hooks()).toHaveLength(3)
    // Every message has its own id; the delivery log lists each attempt.
    expect(new Set(all.map((h) => h.headers['webhook-id'])).size).toBe(3)
    const log = await api(`/api/v1/cities/${city.slug}/webhooks/${sub.id}/deliveries`, sub.key)
    const lines = ((await log.json()) as { data: { type: string; statusCode: number }[] }).data
    expect(lines.map((l) => [l.type, l.statusCode])).toEqual([
      ['opportunity.deleted', 200],
      ['opportunity.updated', 200],
      ['opportunity.created', 200],
    ])
  })

  it('a CSV import of five rows sends five created events', async () => {
    await subscribeViaApi(['opportunity.created'])
    // The provider's own template (header and example row), the example copied five times.
    const admin = await signedInPerson(t, {
      staff: { cityId: city.cityId, organizationId: city.organizationId, role: 'admin' },
    })
    const template = await (
      await admin.agent.get(`/en/${city.slug}/provide/${city.organizationId}/import/template.csv`)
    ).text()
    const [header, example] = template.replace(/^\uFEFF/, '').split(/\r?\n/)
    expect(example).toContain('ROBOTS-2027-AUTUMN')
    const csv = [
      header,
      ...[1, 2, 3, 4, 5].map((i) =>
        example!.replace('ROBOTS-2027-AUTUMN', `ROW-${i}`).replace('Robotics for beginners', `Imported ${i}`),
      ),
    ].join('\r\n')
    const started = await startImport(t.platform, city.actor, city.organizationId, {
      name: 'five.csv',
      bytes: new TextEncoder().encode(csv),
    })
    expect(started.ok).toBe(true)
    await t.platform.jobs.drain()
    await deliver()
    const created = hooks(['opportunity.created'])
    expect(created).toHaveLength(5)
    expect(new Set(created.map((h) => h.json.data.id)).size).toBe(5)
  })

  it('drafts reach nobody; a city-wide subscriber gets every public change and attendance as a count', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: city.cityId })
    const wide = await createSubscription(
      t.platform.db,
      t.platform.config.fetch,
      { cityId: city.cityId, organizationId: null },
      coordinator.userId,
      {
        url: receiver.url,
        events: ['opportunity.created', 'opportunity.updated', 'session.created', 'registration.attended'],
      },
    )
    expect(wide.ok).toBe(true)
    await subscribeViaApi(['opportunity.created', 'opportunity.updated'])
    const draft = await createOpportunity(
      t.platform,
      city.actor,
      city.organizationId,
      opportunityFactory({ title: { en: 'Secret draft' } }),
    )
    expect(draft.ok).toBe(true)
    const draftId = draft.ok ? draft.value.id : 0
    await updateOpportunity(
      t.platform,
      city.actor,
      draftId,
      opportunityFactory({ title: { en: 'Still a draft' } }),
    )
    const published = await city.publish({ title: { en: 'Open day' } })
    await deliver()
    expect(
      receiver.received.some((h) => h.body.includes('Secret draft') || h.body.includes('Still a draft')),
    ).toBe(false)
    expect(hooks().some((h) => h.json.data.id === draftId)).toBe(false)
    // Both subscribers hear of the published one, once each.
    expect(hooks(['opportunity.created']).map((h) => h.json.data.id)).toEqual([published, published])

    const [session] = await listSessions(t.platform.db, city.cityId, published)
    await t.platform.events.emit('registration.attended', {
      cityId: city.cityId,
      opportunityId: published,
      sessionId: session!.id,
      userIds: [101, 102, 103],
    })
    await deliver()
    const attended = hooks(['registration.attended'])
    expect(attended).toHaveLength(1)
    expect(attended[0]!.json.data).toEqual({ opportunityId: published, sessionId: session!.id, attended: 3 })
    expect(attended[0]!.body).not.toContain('101')
    // Attendance of a draft is no city-wide business.
    await t.platform.events.emit('registration.attended', {
      cityId: city.cityId,
      opportunityId: draftId,
      sessionId: 1,
      userIds: [7],
    })
    await deliver()
    expect(hooks(['registration.attended'])).toHaveLength(1)
  })

  it('a failing receiver is retried with growing waits, then the subscription is disabled and its owner mailed', async () => {
    const owner = await signedInPerson(t, {
      staff: { cityId: city.cityId, organizationId: city.organizationId, role: 'admin' },
    })
    const made = await createSubscription(
      t.platform.db,
      t.platform.config.fetch,
      { cityId: city.cityId, organizationId: city.organizationId },
      owner.userId,
      { url: receiver.url, events: ['opportunity.created'] },
    )
    if (!made.ok) throw new Error('subscription')
    receiver.status = 500
    for (const title of ['One', 'Two', 'Three']) await city.publish({ title: { en: title } })
    await scanChanges(t.platform.db, t.platform.config.publicUrl)
    const waits: number[] = []
    for (let round = 0; round < 30; round++) {
      await t.platform.jobs.drain()
      const due = await rows<{ wait: number }>(
        t.platform.db,
        sql`select extract(epoch from run_at - now())::float8 as wait from jobs
            where name = ${WEBHOOK_DELIVER_JOB} and status = 'queued' order by id desc limit 1`,
      )
      if (due.length === 0) break
      if (waits.length < 3) waits.push(due[0]!.wait)
      // The job clock: what is waiting becomes due now.
      await t.platform.db.execute(
        sql`update jobs set run_at = now() where name = ${WEBHOOK_DELIVER_JOB} and status = 'queued'`,
      )
    }
    // 30 s, 2 min, 10 min, each ±10 %.
    expect(waits[0]).toBeGreaterThan(26)
    expect(waits[0]).toBeLessThan(34)
    expect(waits[1]).toBeGreaterThan(105)
    expect(waits[1]).toBeLessThan(133)
    expect(waits[2]).toBeGreaterThan(535)
    expect(waits[2]).toBeLessThan(661)
    const sub = await subscriptionById(t.platform.db, made.value.id)
    expect(sub?.status).toBe('disabled')
    expect(sub?.disabledReason).toBe('HTTP 500')
    expect(hooks()).toHaveLength(15)
    const mail = await smtp.waitFor(owner.email)
    expect(mail.subject).toContain('disabled')
    expect(mail.text).toContain(receiver.url)
    expect(mail.text).toContain(`/provide/${city.organizationId}/webhooks/${made.value.id}`)

    // Fixed and switched on again by hand: what waited is delivered.
    receiver.status = 200
    const key = await keyFor(city.organizationId)
    const on = await api(`/api/v1/cities/${city.slug}/webhooks/${made.value.id}`, key, {
      method: 'PATCH',
      body: { status: 'active' },
    })
    expect(on.status).toBe(200)
    expect(((await on.json()) as { status: string }).status).toBe('active')
    const before = hooks().length
    await t.platform.jobs.drain()
    const after = hooks().slice(before)
    expect(after.length).toBeGreaterThan(0)
    expect(after.every((h) => h.json.type === 'opportunity.created')).toBe(true)
  })

  it('the API is in the OpenAPI document, with its problem responses', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
    }
    const hooks = doc.paths['/api/v1/cities/{city}/webhooks']
    expect(Object.keys(hooks ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(hooks!.post!.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']))
    for (const p of [
      '{id}',
      '{id}/deliveries',
      '{id}/test',
      '{id}/rotate-secret',
      '{id}/messages/{message}/redeliver',
    ])
      expect(doc.paths[`/api/v1/cities/{city}/webhooks/${p}`], p).toBeDefined()
  })

  it('the retry schedule and its jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, 0.5))).toEqual([
      30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000,
    ])
    expect(retryDelayMs(1, 0)).toBe(27_000)
    expect(retryDelayMs(1, 1)).toBe(33_000)
    expect(retryDelayMs(7)).toBeNull()
  })

  it('refuses private, link-local and plain-http public addresses with a field error for each', async () => {
    const key = await keyFor(city.organizationId)
    for (const [url, words] of [
      ['https://10.1.2.3/hook', 'private'],
      ['https://169.254.169.254/latest/meta-data', 'link-local'],
      ['http://93.184.216.34/hook', 'https://'],
      ['ftp://example.org/hook', 'https://'],
      ['https://user:pw@93.184.216.34/hook', 'password'],
    ] as const) {
      const res = await api(`/api/v1/cities/${city.slug}/webhooks`, key, {
        method: 'POST',
        body: { url, events: ['opportunity.created'] },
      })
      expect(res.status, url).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const body = (await res.json()) as { errors: { field: string; detail: string }[] }
      expect(body.errors[0]!.field).toBe('/url')
      expect(body.errors[0]!.detail).toContain(words)
    }
    // Every field's problem at once.
    const res = await api(`/api/v1/cities/${city.slug}/webhooks`, key, {
      method: 'POST',
      body: { url: '', events: ['nonsense'], description: 'x'.repeat(300) },
    })
    const body = (await res.json()) as { errors: { field: string }[] }
    expect(body.errors.map((e) => e.field).sort()).toEqual(['/description', '/events/0', '/url'])
    // A key without the scope is refused.
    const { key: readOnly } = await createApiKey(t.platform.db, {
      cityId: city.cityId,
      organizationId: city.organizationId,
      name: 'read',
      scopes: ['opportunities:read'],
      createdByUserId: null,
    })
    expect((await api(`/api/v1/cities/${city.slug}/webhooks`, readOnly)).status).toBe(403)
  })

  it('an address that turned unsafe after it was registered is refused again at delivery', async () => {
    const sub = await subscribeViaApi(['opportunity.created'])
    // As if its name now resolved inside the network: the fetcher checks every delivery.
    await t.platform.db.execute(
      sql`update webhook_subscriptions set url = 'https://10.9.8.7/hook' where id = ${sub.id}`,
    )
    const res = await api(`/api/v1/cities/${city.slug}/webhooks/${sub.id}/test`, sub.key, { method: 'POST' })
    expect(res.status).toBe(202)
    await t.platform.jobs.drain()
    const log = await api(`/api/v1/cities/${city.slug}/webhooks/${sub.id}/deliveries`, sub.key)
    const [line] = ((await log.json()) as { data: { statusCode: number | null; error: string }[] }).data
    expect(line).toMatchObject({ statusCode: null })
    expect(line!.error).toContain('private')
  })

  it("an organization never sees or changes another organization's subscriptions", async () => {
    const mine = await subscribeViaApi(['opportunity.created'])
    const org = await createOrganization(t.platform, city.cityId, {
      slug: `${city.slug}-other`,
      name: { en: 'Other club' },
      sector: 'community',
      trusted: true,
    })
    if (!org.ok) throw new Error('org')
    const theirs = await keyFor(org.value)
    const list = await api(`/api/v1/cities/${city.slug}/webhooks`, theirs)
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([])
    expect((await api(`/api/v1/cities/${city.slug}/webhooks/${mine.id}`, theirs)).status).toBe(404)
    const patch = await api(`/api/v1/cities/${city.slug}/webhooks/${mine.id}`, theirs, {
      method: 'PATCH',
      body: { url: 'https://93.184.216.34/steal' },
    })
    expect(patch.status).toBe(404)
    expect(
      (await api(`/api/v1/cities/${city.slug}/webhooks/${mine.id}`, theirs, { method: 'DELETE' })).status,
    ).toBe(404)
    // Nor on the pages: another organization's admin is turned away.
    const stranger = await signedInPerson(t, {
      staff: { cityId: city.cityId, organizationId: org.value, role: 'admin' },
    })
    expect(
      (await stranger.agent.get(`/en/${city.slug}/provide/${city.organizationId}/webhooks`)).status,
    ).toBe(403)
    expect(
      (await stranger.agent.get(`/en/${city.slug}/provide/${city.organizationId}/webhooks/${mine.id}`))
        .status,
    ).toBe(403)
    expect(
      (await stranger.agent.get(`/en/${city.slug}/provide/${org.value}/webhooks/${mine.id}`)).status,
    ).toBe(404)
    // Its events do not reach the other organization either.
    await subscribeViaApiFor(theirs)
    await city.publish({ title: { en: 'Only ours' } })
    await deliver()
    expect(hooks(['opportunity.created'])).toHaveLength(1)
  })

  async function subscribeViaApiFor(key: string) {
    const res = await api(`/api/v1/cities/${city.slug}/webhooks`, key, {
      method: 'POST',
      body: { url: receiver.url, events: ['opportunity.created'] },
    })
    expect(res.status).toBe(201)
  }

  it('pages: an admin subscribes in every language, sees the secret once, sends a test event and reads the log', async () => {
    const admin = await signedInPerson(t, {
      staff: { cityId: city.cityId, organizationId: city.organizationId, role: 'admin' },
    })
    const base = `/en/${city.slug}/provide/${city.organizationId}/webhooks`
    for (const lang of ['en', 'ar', 'zh', 'fr', 'ru', 'es']) {
      const res = await admin.agent.get(`/${lang}/${city.slug}/provide/${city.organizationId}/webhooks`)
      expect(res.status, lang).toBe(200)
      expect(await res.text()).toContain('name="events"')
    }
    const editor = await signedInPerson(t, {
      staff: { cityId: city.cityId, organizationId: city.organizationId, role: 'editor' },
    })
    expect((await editor.agent.get(base)).status).toBe(403)
    const bad = await admin.agent.submit(base, { url: 'https://10.0.0.8/', description: '' })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('href="#url"')
    expect(badHtml).toContain('href="#events"')
    expect(badHtml).toContain('private or local network')
    const good = await admin.agent.submit(base, { url: receiver.url, events: 'opportunity.created' })
    expect(good.status).toBe(200)
    const html = await good.text()
    const secret = /id="webhook-secret">(whsec_[^<]+)</.exec(html)?.[1]
    expect(secret).toBeDefined()
    const id = Number(/webhooks\/(\d+)\/test/.exec(html)?.[1])
    const detail = `${base}/${id}`
    expect(await (await admin.agent.get(detail)).text()).not.toContain(secret!)
    const sent = await admin.agent.submit(`${detail}/test`, {}, detail)
    expect(sent.status).toBe(303)
    await t.platform.jobs.drain()
    const test = hooks(['webhook.test'])
    expect(test).toHaveLength(1)
    expect(
      new Webhook(secret!).verify(test[0]!.body, test[0]!.headers as Record<string, string>),
    ).toBeTruthy()
    const log = await (await admin.agent.get(detail)).text()
    expect(log).toContain('webhook.test')
    expect(log).toContain('>200<')
    // Rotation: the new secret signs, and the old one still does for a day.
    const rotated = await admin.agent.submit(`${detail}/rotate`, {}, detail)
    const next = /id="webhook-secret">(whsec_[^<]+)</.exec(await rotated.text())?.[1]
    expect(next).toBeDefined()
    expect(next).not.toBe(secret)
    await admin.agent.submit(`${detail}/test`, {}, detail)
    await t.platform.jobs.drain()
    const second = hooks(['webhook.test'])[1]!
    for (const s of [secret!, next!])
      expect(new Webhook(s).verify(second.body, second.headers as Record<string, string>)).toBeTruthy()
    // The coordinator's side is for coordinators only.
    expect((await admin.agent.get(`/en/${city.slug}/admin/webhooks`)).status).toBe(403)
    const coordinator = await signedInPerson(t, { coordinatorOf: city.cityId })
    expect((await coordinator.agent.get(`/en/${city.slug}/admin/webhooks`)).status).toBe(200)
    expect((await coordinator.agent.get(`/en/${city.slug}/admin/webhooks/${id}`)).status).toBe(404)
  })
})
