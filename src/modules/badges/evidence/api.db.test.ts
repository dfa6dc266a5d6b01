import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from '../../../../test/agent.ts'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { rows, sql } from '../../../platform/db/index.ts'
import { defineAchievement } from '../achievements.ts'
import { independentVerifier } from '../issue/independent-verifier.ts'
import * as badges from '../repository.ts'

const IP = { incoming: { socket: { remoteAddress: '203.0.113.11' } } }
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const HTML_AS_PDF = Buffer.from('<!doctype html><script>alert(document.cookie)</script>')

describe.each(engines)('evidence JSON API on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let makers: number
  let library: number
  const api = '/api/v1/cities/evidenceapiton'

  async function call(
    agent: Agent | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const cookie = agent ? [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : ''
    const res = await t.app.request(
      path,
      {
        method,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      },
      IP,
    )
    const raw = Buffer.from(await res.arrayBuffer())
    // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON answers field by field
    let json: any
    try {
      json = JSON.parse(raw.toString('utf8'))
    } catch {
      json = undefined
    }
    return {
      status: res.status,
      headers: res.headers,
      type: res.headers.get('content-type') ?? '',
      json,
      raw,
    }
  }

  /** An achievement that accepts evidence (or not), defined through the use case by an editor. */
  async function achievement(org: number | null, acceptsEvidence = true, name = 'Portfolio') {
    const editor = await signedInPerson(
      t,
      org === null ? { coordinatorOf: cityId } : { staff: { cityId, organizationId: org, role: 'editor' } },
    )
    const made = await defineAchievement(
      t.platform,
      { userId: editor.userId, isNetworkAdmin: false },
      cityId,
      org,
      {
        type: org === null ? 'city' : 'skill',
        name: { en: name },
        description: { en: 'Showed a portfolio of work.' },
        criteria: { en: 'Show three pieces of your own work.' },
        acceptsEvidence,
      },
    )
    if (!made.ok) throw new Error(JSON.stringify(made))
    return made.value
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'evidenceapiton')
    cityId = catalogue.city.id
    makers = await catalogue.provider('makers', 'community', 'Makers Lab')
    library = await catalogue.provider('library', 'library', 'Evidence Library')
  })
  afterAll(() => t?.close())

  it('needs a session, JSON, and this site for writes', async () => {
    const id = await achievement(makers)
    expect((await call(null, 'GET', `${api}/evidence/submissions`)).status).toBe(401)
    const anonymous = await call(null, 'POST', `${api}/achievements/${id}/evidence`, { narrative: 'x' })
    expect(anonymous.status).toBe(401)
    expect(anonymous.type).toContain('application/problem+json')
    const learner = await signedInPerson(t)
    const cross = await call(
      learner.agent,
      'POST',
      `${api}/achievements/${id}/evidence`,
      { narrative: 'I did it.' },
      { origin: 'https://evil.example' },
    )
    expect(cross.status).toBe(403)
    const site = await call(
      learner.agent,
      'POST',
      `${api}/achievements/${id}/evidence`,
      { narrative: 'I did it.' },
      { 'sec-fetch-site': 'cross-site' },
    )
    expect(site.status).toBe(403)
    const form = await call(learner.agent, 'POST', `${api}/achievements/${id}/evidence`, 'narrative=x', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expect(form.status).toBe(415)
    expect((await call(learner.agent, 'GET', `${api}/evidence/submissions`)).json.data).toEqual([])
  })

  it('a learner applies (every bad field at once), is returned, resubmits and is approved: the badge carries the evidence', async () => {
    const id = await achievement(makers, true, 'API portfolio')
    const closed = await achievement(makers, false, 'Not for evidence')
    const learner = await signedInPerson(t)
    const issuer = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'issuer' } })
    await t.platform.db.execute(
      sql`update users set display_name = 'Lena Learner' where id = ${learner.userId}`,
    )

    const mine = await call(learner.agent, 'GET', `${api}/evidence/submissions`)
    expect(mine.json.openForEvidence.map((a: { id: number }) => a.id)).toContain(id)
    expect(mine.json.openForEvidence.map((a: { id: number }) => a.id)).not.toContain(closed)

    const bad = await call(learner.agent, 'POST', `${api}/achievements/${id}/evidence`, {
      narrative: '   ',
      links: ['javascript:alert(1)', 'https://user:pw@example.org/x', 'https://example.org/ok'],
      file: HTML_AS_PDF.toString('base64'),
    })
    expect(bad.status).toBe(422)
    expect(bad.type).toContain('application/problem+json')
    expect(bad.json.errors).toEqual([
      { field: '/narrative', detail: 'is required' },
      { field: '/links', detail: 'javascript:alert(1) is not an http(s) address' },
      { field: '/links', detail: 'https://user:pw@example.org/x is not an http(s) address' },
      { field: '/file', detail: 'must be a PDF, PNG or JPEG file' },
    ])
    const tooMany = await call(learner.agent, 'POST', `${api}/achievements/${id}/evidence`, {
      narrative: 'x'.repeat(5001),
      links: Array.from({ length: 6 }, (_, i) => `https://example.org/${i}`),
      file: 42,
    })
    expect(tooMany.json.errors.map((e: { field: string }) => e.field)).toEqual([
      '/narrative',
      '/links',
      '/file',
    ])
    const wrongTypes = await call(learner.agent, 'POST', `${api}/achievements/${id}/evidence`, {
      narrative: 12,
      links: 'https://example.org',
    })
    expect(wrongTypes.status).toBe(422)
    expect(wrongTypes.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      '/links',
      '/narrative',
    ])
    expect(
      (await call(learner.agent, 'POST', `${api}/achievements/${closed}/evidence`, { narrative: 'Hi' }))
        .status,
    ).toBe(404)
    expect((await call(learner.agent, 'GET', `${api}/evidence/submissions`)).json.data).toEqual([])

    const sent = await call(learner.agent, 'POST', `${api}/achievements/${id}/evidence`, {
      narrative: 'I built a website for the library.',
      links: ['https://example.org/site', 'https://example.org/site'],
      file: PDF.toString('base64'),
    })
    expect(sent.status).toBe(201)
    expect(sent.json).toMatchObject({
      achievementId: id,
      organizationId: makers,
      status: 'submitted',
      round: 1,
      links: ['https://example.org/site'],
      file: { type: 'application/pdf', size: PDF.length },
      award: null,
    })
    const submission = sent.json.id
    const again = await call(learner.agent, 'POST', `${api}/achievements/${id}/evidence`, {
      narrative: 'Again',
    })
    expect(again.status).toBe(409)
    expect(again.json.errors).toEqual([{ field: '/', detail: 'your evidence is waiting for review already' }])

    // The file: to the learner and the reviewer as an attachment; to nobody else.
    const file = await call(learner.agent, 'GET', new URL(sent.json.file.url).pathname)
    expect(file.status).toBe(200)
    expect(file.raw.equals(PDF)).toBe(true)
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="evidence-${submission}.pdf"`)
    expect(file.headers.get('x-content-type-options')).toBe('nosniff')
    expect((await call(issuer.agent, 'GET', new URL(sent.json.file.url).pathname)).status).toBe(200)
    const stranger = await signedInPerson(t)
    expect((await call(stranger.agent, 'GET', new URL(sent.json.file.url).pathname)).status).toBe(404)
    expect((await call(stranger.agent, 'GET', `${api}/evidence/submissions/${submission}`)).status).toBe(404)

    // The reviewer's queue, with the learner's name.
    const queue = await call(issuer.agent, 'GET', `${api}/evidence/queue?organization=${makers}`)
    expect(queue.status).toBe(200)
    expect(queue.json.data).toEqual([
      expect.objectContaining({ id: submission, learner: { name: 'Lena Learner' }, status: 'submitted' }),
    ])
    const vague = await call(issuer.agent, 'POST', `${api}/evidence/submissions/${submission}/review`, {
      decision: 'maybe',
      feedback: 3,
    })
    expect(vague.status).toBe(422)
    expect(vague.json.errors).toEqual([
      { field: '/decision', detail: 'must be approve or return' },
      { field: '/feedback', detail: 'must be text' },
    ])
    const empty = await call(issuer.agent, 'POST', `${api}/evidence/submissions/${submission}/review`, {
      decision: 'return',
    })
    expect(empty.status).toBe(422)
    expect(empty.json.errors).toEqual([{ field: '/feedback', detail: 'say what is missing' }])
    const returned = await call(issuer.agent, 'POST', `${api}/evidence/submissions/${submission}/review`, {
      decision: 'return',
      feedback: 'Add a link to the code, please.',
    })
    expect(returned.status).toBe(200)
    expect(returned.json).toMatchObject({ status: 'returned', feedback: 'Add a link to the code, please.' })
    const mail = await rows<{ subject: string; body_text: string }>(
      t.platform.db,
      sql`select subject, body_text from mail_outbox where to_address = ${learner.email} order by id`,
    )
    expect(mail.at(-1)!.body_text).toContain('Add a link to the code, please.')
    expect(
      (await call(issuer.agent, 'GET', `${api}/evidence/queue?organization=${makers}`)).json.data,
    ).toEqual([])

    const seen = await call(learner.agent, 'GET', `${api}/evidence/submissions/${submission}`)
    expect(seen.json).toMatchObject({ status: 'returned', feedback: 'Add a link to the code, please.' })
    const resent = await call(learner.agent, 'POST', `${api}/achievements/${id}/evidence`, {
      narrative: 'I built a website for the library. The code is linked.',
      links: ['https://example.org/site', 'https://example.org/code'],
    })
    expect(resent.status).toBe(201)
    expect(resent.json).toMatchObject({ id: submission, status: 'submitted', round: 2 })
    // Without a new file the earlier one is kept.
    expect(resent.json.file).toMatchObject({ type: 'application/pdf' })

    const approved = await call(issuer.agent, 'POST', `${api}/evidence/submissions/${submission}/review`, {
      decision: 'approve',
    })
    expect(approved.status).toBe(200)
    expect(approved.json).toMatchObject({ status: 'approved', award: { uuid: expect.any(String) } })
    const award = (await badges.findAwardByUuid(t.platform.db, approved.json.award.uuid))!
    expect(award).toMatchObject({ recipientUserId: learner.userId, path: 'evidence', organizationId: makers })
    expect((award.credential as { evidence: unknown }).evidence).toEqual([
      { type: ['Evidence'], narrative: 'I built a website for the library. The code is linked.' },
      { id: 'https://example.org/site', type: ['Evidence'] },
      { id: 'https://example.org/code', type: ['Evidence'] },
    ])
    const source = await rows<{ source: string }>(
      t.platform.db,
      sql`select source from badge_awards where uuid = ${award.uuid}`,
    )
    expect(source[0]!.source).toBe(`evidence:${submission}`)
    const verifier = independentVerifier(async (path) => t.app.request(path))
    expect((await verifier.verify(award.credential)).verified).toBe(true)
    const decidedTwice = await call(
      issuer.agent,
      'POST',
      `${api}/evidence/submissions/${submission}/review`,
      {
        decision: 'approve',
      },
    )
    expect(decidedTwice.status).toBe(409)
    const held = await call(learner.agent, 'GET', `${api}/evidence/submissions`)
    expect(held.json.data[0]).toMatchObject({ id: submission, status: 'approved' })
    expect(held.json.openForEvidence.map((a: { id: number }) => a.id)).not.toContain(id)
  })

  it('only issuers and admins of the organization review (city badges: the coordinators of this city)', async () => {
    const id = await achievement(makers, true, 'Who reviews')
    const cityBadge = await achievement(null, true, 'City portfolio')
    const learner = await signedInPerson(t)
    const s = (
      await call(learner.agent, 'POST', `${api}/achievements/${id}/evidence`, { narrative: 'My work.' })
    ).json.id
    const c = (
      await call(learner.agent, 'POST', `${api}/achievements/${cityBadge}/evidence`, {
        narrative: 'City work.',
      })
    ).json.id
    const editor = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'editor' } })
    const otherIssuer = await signedInPerson(t, {
      staff: { cityId, organizationId: library, role: 'issuer' },
    })
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const other = await testCatalogue(t, 'evidenceelsewhere')
    const elsewhere = await signedInPerson(t, { coordinatorOf: other.city.id })
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })

    for (const who of [learner, editor, otherIssuer, coordinator, elsewhere]) {
      expect((await call(who.agent, 'GET', `${api}/evidence/queue?organization=${makers}`)).status).toBe(403)
      const refused = await call(who.agent, 'POST', `${api}/evidence/submissions/${s}/review`, {
        decision: 'approve',
      })
      expect(refused.status).toBe(403)
    }
    for (const who of [learner, admin, otherIssuer, elsewhere]) {
      expect((await call(who.agent, 'GET', `${api}/evidence/queue`)).status).toBe(403)
      expect(
        (await call(who.agent, 'POST', `${api}/evidence/submissions/${c}/review`, { decision: 'approve' }))
          .status,
      ).toBe(403)
    }
    expect((await call(admin.agent, 'GET', `${api}/evidence/queue?organization=x`)).status).toBe(422)
    expect(
      (await call(admin.agent, 'GET', `${api}/evidence/queue?organization=${makers}`)).json.data,
    ).toEqual([expect.objectContaining({ id: s })])
    const cityQueue = await call(coordinator.agent, 'GET', `${api}/evidence/queue`)
    expect(cityQueue.json.data).toEqual([expect.objectContaining({ id: c, organizationId: null })])
    expect(
      (
        await call(coordinator.agent, 'POST', `${api}/evidence/submissions/${c}/review`, {
          decision: 'approve',
        })
      ).json.status,
    ).toBe('approved')
    // The learner withdraws the other one; it leaves the queue.
    const withdrawn = await call(learner.agent, 'POST', `${api}/evidence/submissions/${s}/withdraw`, {})
    expect(withdrawn.json.status).toBe('withdrawn')
    expect(
      (await call(admin.agent, 'GET', `${api}/evidence/queue?organization=${makers}`)).json.data,
    ).toEqual([])
    expect((await call(editor.agent, 'POST', `${api}/evidence/submissions/${s}/withdraw`, {})).status).toBe(
      404,
    )
  })

  it('is in the OpenAPI document', async () => {
    const doc = await (await t.app.request('/api/openapi.json')).json()
    for (const path of [
      '/api/v1/cities/{city}/evidence/submissions',
      '/api/v1/cities/{city}/achievements/{id}/evidence',
      '/api/v1/cities/{city}/evidence/submissions/{id}',
      '/api/v1/cities/{city}/evidence/submissions/{id}/file',
      '/api/v1/cities/{city}/evidence/submissions/{id}/withdraw',
      '/api/v1/cities/{city}/evidence/queue',
      '/api/v1/cities/{city}/evidence/submissions/{id}/review',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
      for (const op of Object.values(doc.paths[path]) as { security: unknown; tags: string[] }[]) {
        expect(op.security).toEqual([{ session: [] }])
        expect(op.tags).toEqual(['Badges'])
      }
    }
  })
})
