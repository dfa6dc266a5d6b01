import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { rows, sql } from '../../../platform/db/index.ts'
import { createVerifiedUser, grantCityRole } from '../../accounts/index.ts'
import { addStaff, type StaffRole } from '../../organizations/index.ts'
import { type BadgeActor, defineAchievement } from '../achievements.ts'
import { independentVerifier } from '../issue/independent-verifier.ts'
import * as badges from '../repository.ts'
import { verifyInput } from '../verify/input.ts'
import { createRemoteResolver } from '../verify/resolver.ts'
import { reviewSubmission, submitEvidence, withdrawSubmission } from './evidence.ts'
import { MAX_EVIDENCE_FILE_BYTES } from './files.ts'
import * as repo from './repository.ts'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const HTML_AS_PDF = Buffer.from('<!doctype html><script>alert(document.cookie)</script>')

describe.each(engines)('evidence reviewed by the issuer on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let makers: number
  let library: number
  let n = 0

  async function person(options: { staff?: [number, StaffRole]; coordinator?: boolean } = {}) {
    const email = `ev${n++}-${engine}@example.org`
    const userId = await createVerifiedUser(t.platform, {
      email,
      password: 'correct horse battery staple',
      displayName: `Person ${n}`,
      language: 'en',
    })
    if (options.staff) await addStaff(t.platform, cityId, options.staff[0], userId, options.staff[1])
    if (options.coordinator) await grantCityRole(t.platform.db, cityId, userId, 'coordinator')
    return { actor: { userId, isNetworkAdmin: false } as BadgeActor, email, userId }
  }

  async function achievement(org: number | null, acceptsEvidence = true) {
    const editor = await person(org === null ? { coordinator: true } : { staff: [org, 'editor'] })
    const made = await defineAchievement(t.platform, editor.actor, cityId, org, {
      type: org === null ? 'city' : 'skill',
      name: { en: `Portfolio ${n}` },
      description: { en: 'Showed a portfolio of work.' },
      criteria: { en: 'Show three pieces of your own work.' },
      acceptsEvidence,
    })
    if (!made.ok) throw new Error(JSON.stringify(made))
    return made.value
  }

  const mailsTo = (email: string) =>
    rows<{ subject: string; body_text: string }>(
      t.platform.db,
      sql`select subject, body_text from mail_outbox where to_address = ${email} order by id`,
    )

  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'evidenceton')
    cityId = catalogue.city.id
    makers = await catalogue.provider('makers', 'community', 'Makers Lab')
    library = await catalogue.provider('library', 'library', 'Evidenceton Library')
  })
  afterAll(() => t?.close())

  it('returned with feedback, resubmitted, approved: the credential carries the evidence and verifies', async () => {
    const id = await achievement(makers)
    const issuer = await person({ staff: [makers, 'issuer'] })
    const learner = await person()
    const first = await submitEvidence(
      t.platform,
      learner.actor,
      cityId,
      id,
      { narrative: 'I made a website.', links: ['https://example.org/my-site', ' '] },
      { bytes: PDF },
    )
    if (!first.ok) throw new Error(JSON.stringify(first))
    expect(first.value).toMatchObject({ status: 'submitted', round: 1, fileType: 'application/pdf' })
    // One open submission per learner and achievement.
    expect(
      await submitEvidence(t.platform, learner.actor, cityId, id, { narrative: 'Again', links: [] }),
    ).toMatchObject({ ok: false, error: 'conflict' })

    // Returning needs feedback.
    expect(
      await reviewSubmission(t.platform, issuer.actor, cityId, first.value.id, {
        decision: 'return',
        feedback: ' ',
      }),
    ).toMatchObject({ ok: false, error: 'invalid', problems: [{ field: 'feedback' }] })
    const returned = await reviewSubmission(t.platform, issuer.actor, cityId, first.value.id, {
      decision: 'return',
      feedback: 'Add a link to the code, please.',
    })
    expect(returned).toMatchObject({ ok: true, value: { status: 'returned' } })
    const returnMail = (await mailsTo(learner.email)).at(-1)!
    expect(returnMail.subject).toContain('needs more')
    expect(returnMail.body_text).toContain('Add a link to the code, please.')
    expect(returnMail.body_text).toContain('/en/evidenceton/badges/submissions')
    // A decided round cannot be decided again.
    expect(
      await reviewSubmission(t.platform, issuer.actor, cityId, first.value.id, { decision: 'approve' }),
    ).toMatchObject({ ok: false, error: 'conflict' })

    const listed = await repo.listOfLearner(t.platform.db, cityId, learner.userId)
    expect(listed[0]).toMatchObject({ status: 'returned', feedback: 'Add a link to the code, please.' })

    const second = await submitEvidence(t.platform, learner.actor, cityId, id, {
      narrative: 'I made a website; the code is linked.',
      links: ['https://example.org/my-site', 'http://code.example.org/repo', 'https://example.org/my-site'],
    })
    if (!second.ok) throw new Error(JSON.stringify(second))
    // The same submission, a second round; the file sent before is kept.
    expect(second.value).toMatchObject({ id: first.value.id, status: 'submitted', round: 2 })
    expect(second.value.fileType).toBe('application/pdf')
    expect(second.value.links).toEqual(['https://example.org/my-site', 'http://code.example.org/repo'])

    const approved = await reviewSubmission(t.platform, issuer.actor, cityId, first.value.id, {
      decision: 'approve',
    })
    if (!approved.ok) throw new Error(JSON.stringify(approved))
    expect(approved.value.status).toBe('approved')
    expect((await mailsTo(learner.email)).at(-1)!.subject).toContain('was awarded')
    const award = (await badges.findAward(t.platform.db, cityId, approved.value.awardId!))!
    expect(award).toMatchObject({ path: 'evidence', recipientUserId: learner.userId })
    expect(award.credential.evidence).toEqual([
      { type: ['Evidence'], narrative: 'I made a website; the code is linked.' },
      { id: 'https://example.org/my-site', type: ['Evidence'] },
      { id: 'http://code.example.org/repo', type: ['Evidence'] },
    ])
    // The independent Digital Bazaar verifier and our own verifier both accept it.
    const independent = independentVerifier(async (path) => t.app.request(path))
    expect(await independent.verify(award.credential)).toEqual({ verified: true, statuses: [], errors: [] })
    const lookup = createRemoteResolver({
      fetchJson: async (url) => (await t.app.request(new URL(url).pathname)).json(),
    })
    const ours = await verifyInput(JSON.stringify(award.credential), { lookup })
    if (!ours.ok) throw new Error(ours.problem)
    expect(ours.report.verdict).toBe('valid')
    // Tampering with the evidence breaks the proof.
    const tampered = structuredClone(award.credential) as { evidence: { narrative?: string }[] }
    tampered.evidence[0]!.narrative = 'I made a much better website.'
    expect((await independent.verify(tampered)).verified).toBe(false)

    // Holding the badge now, the learner cannot apply again.
    expect(
      await submitEvidence(t.platform, learner.actor, cityId, id, { narrative: 'More', links: [] }),
    ).toMatchObject({ ok: false, error: 'conflict', problems: [{ code: 'holds-badge' }] })
  })

  it('lets only issuers of the achievement’s organization decide, never the learner themselves', async () => {
    const id = await achievement(makers)
    const learnerWhoIssues = await person({ staff: [makers, 'issuer'] })
    const editor = await person({ staff: [makers, 'editor'] })
    const otherIssuer = await person({ staff: [library, 'issuer'] })
    const coordinator = await person({ coordinator: true })
    const admin = await person({ staff: [makers, 'admin'] })
    const sub = await submitEvidence(t.platform, learnerWhoIssues.actor, cityId, id, {
      narrative: 'My own work',
      links: [],
    })
    if (!sub.ok) throw new Error(JSON.stringify(sub))
    for (const who of [learnerWhoIssues, editor, otherIssuer, coordinator])
      expect(
        await reviewSubmission(t.platform, who.actor, cityId, sub.value.id, { decision: 'approve' }),
      ).toMatchObject({ ok: false, error: 'forbidden' })
    // An admin of the organization may; the submission is then closed.
    expect(
      await reviewSubmission(t.platform, admin.actor, cityId, sub.value.id, { decision: 'approve' }),
    ).toMatchObject({ ok: true, value: { status: 'approved' } })

    // City badges are reviewed by the city's coordinators, not by providers.
    const cityBadge = await achievement(null)
    const learner = await person()
    const citySub = await submitEvidence(t.platform, learner.actor, cityId, cityBadge, {
      narrative: 'I volunteered',
      links: [],
    })
    if (!citySub.ok) throw new Error(JSON.stringify(citySub))
    expect(
      await reviewSubmission(t.platform, admin.actor, cityId, citySub.value.id, { decision: 'approve' }),
    ).toMatchObject({ error: 'forbidden' })
    expect(
      await reviewSubmission(t.platform, coordinator.actor, cityId, citySub.value.id, {
        decision: 'approve',
      }),
    ).toMatchObject({ ok: true })

    // Achievements that do not accept evidence cannot be applied for.
    const closed = await achievement(makers, false)
    expect(
      await submitEvidence(t.platform, learner.actor, cityId, closed, { narrative: 'x', links: [] }),
    ).toMatchObject({ ok: false, error: 'not-found' })
  })

  it('refuses hostile input: files that are not what they claim, too big, bad links; withdraws', async () => {
    const id = await achievement(makers)
    const learner = await person()
    const attempt = (raw: unknown, file: { bytes: Uint8Array; size?: number } | null = null) =>
      submitEvidence(t.platform, learner.actor, cityId, id, raw, file)
    expect(await attempt({ narrative: 'x', links: [] }, { bytes: HTML_AS_PDF })).toMatchObject({
      ok: false,
      problems: [{ field: 'file', code: 'file-wrong-type' }],
    })
    expect(
      await attempt(
        { narrative: 'x', links: [] },
        { bytes: new Uint8Array(0), size: MAX_EVIDENCE_FILE_BYTES + 1 },
      ),
    ).toMatchObject({ problems: [{ field: 'file', code: 'file-too-large' }] })
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_EVIDENCE_FILE_BYTES)])
    expect(await attempt({ narrative: 'x', links: [] }, { bytes: big })).toMatchObject({
      problems: [{ code: 'file-too-large' }],
    })
    const bad = await attempt({
      narrative: '',
      links: ['javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@example.org/', 'a', 'b', 'c'],
    })
    expect(bad.ok).toBe(false)
    if (bad.ok) return
    expect(bad.problems.map((p) => p.code)).toEqual(
      expect.arrayContaining(['narrative-required', 'too-many-links', 'bad-link']),
    )
    expect(bad.problems.filter((p) => p.code === 'bad-link')).toHaveLength(5)
    // Nothing was stored by the refused attempts.
    expect(await repo.listOfLearner(t.platform.db, cityId, learner.userId)).toEqual([])

    const ok = await attempt({ narrative: 'A picture of my work', links: [] }, { bytes: PNG })
    if (!ok.ok) throw new Error(JSON.stringify(ok))
    expect(ok.value.fileType).toBe('image/png')
    const other = await person()
    expect(await withdrawSubmission(t.platform, other.actor, cityId, ok.value.id)).toMatchObject({
      error: 'not-found',
    })
    expect(await withdrawSubmission(t.platform, learner.actor, cityId, ok.value.id)).toMatchObject({
      ok: true,
      value: { status: 'withdrawn' },
    })
    // Withdrawn, the learner may apply afresh.
    expect((await attempt({ narrative: 'Fresh start', links: [] })).ok).toBe(true)
  })

  it('pages: the learner uploads through the form, the file comes back only as a download to them and the reviewers', async () => {
    const id = await achievement(makers)
    const learner = await signedInPerson(t)
    const reviewer = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'issuer' } })
    const stranger = await signedInPerson(t)
    const apply = `/en/evidenceton/badges/achievements/${id}/apply`
    // The learner finds the badge to apply for on their submissions page.
    const before = await (await learner.agent.get('/en/evidenceton/badges/submissions')).text()
    expect(before).toContain('Badges you can apply for with evidence')
    expect(before).toContain(`href="${apply}"`)
    expect((await learner.agent.get(apply)).status).toBe(200)
    const post = async (
      file: { name: string; type: string; bytes: Buffer } | null,
      narrative = 'My work',
    ) => {
      const form = new FormData()
      form.set('_csrf', learner.agent.csrf())
      form.set('narrative', narrative)
      form.set('links', 'https://example.org/work\nhttps://example.org/more')
      if (file) form.set('file', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }))
      const cookie = [...learner.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
      return t.app.request(apply, { method: 'POST', body: form, headers: { cookie } })
    }
    // An HTML page named like a PDF and declared as one is refused, with the error on the form.
    const refused = await post({ name: 'cv.pdf', type: 'application/pdf', bytes: HTML_AS_PDF })
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(html).toContain('The file must be a PDF, PNG or JPEG file.')
    expect(html).toContain('href="#file"')
    // A path-like name is never used: the file is kept in the database under our own name.
    const sent = await post({ name: '../../../etc/passwd.pdf', type: 'text/html', bytes: PDF })
    expect(sent.status).toBe(303)
    const submission = (await repo.listOfLearner(t.platform.db, cityId, learner.userId))[0]!
    expect(sent.headers.get('location')).toBe(`/en/evidenceton/badges/submissions?sent=${submission.id}`)
    const list = await (await learner.agent.get(sent.headers.get('location')!)).text()
    expect(list).toContain('Your evidence was sent.')
    expect(list).toContain('Waiting for review')
    // Once sent, it is no longer offered.
    expect(list).not.toContain(`href="${apply}"`)

    const download = await learner.agent.get(`/en/evidenceton/badges/submissions/${submission.id}/file`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="evidence-${submission.id}.pdf"`,
    )
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
    expect(download.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true)
    expect(
      (await stranger.agent.get(`/en/evidenceton/badges/submissions/${submission.id}/file`)).status,
    ).toBe(404)

    // The reviewer's queue lists it; their download works; a stranger's queue is refused.
    const queue = `/en/evidenceton/provide/${makers}/badges/evidence`
    const waiting = await (await reviewer.agent.get(queue)).text()
    expect(waiting).toContain(`href="${queue}/${submission.id}"`)
    expect(waiting).toMatch(/\d+ submissions? waiting/)
    expect((await reviewer.agent.get(`${queue}/${submission.id}/file`)).status).toBe(200)
    expect((await stranger.agent.get(queue)).status).toBe(403)
    expect((await learner.agent.get(`${queue}/${submission.id}`)).status).toBe(403)

    // Returning without feedback shows the error; with feedback the learner sees it.
    await reviewer.agent.get(`${queue}/${submission.id}`)
    const empty = await reviewer.agent.post(`${queue}/${submission.id}/return`, { feedback: '' })
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('Write feedback so the learner knows what to improve.')
    const back = await reviewer.agent.post(`${queue}/${submission.id}/return`, {
      feedback: 'Show <b>more</b>',
    })
    expect(back.status).toBe(303)
    const mine = await (await learner.agent.get('/en/evidenceton/badges/submissions')).text()
    expect(mine).toContain('Returned with feedback')
    expect(mine).toContain('Show &lt;b&gt;more&lt;/b&gt;')

    // Resubmitted through the form and approved through the form.
    await learner.agent.get(apply)
    expect((await post(null, 'My work, with more')).status).toBe(303)
    await reviewer.agent.get(`${queue}/${submission.id}`)
    expect((await reviewer.agent.post(`${queue}/${submission.id}/approve`, {})).status).toBe(303)
    const done = await (await learner.agent.get('/en/evidenceton/badges/submissions')).text()
    expect(done).toContain('Approved: badge awarded')
    expect(await badges.holdsAchievement(t.platform.db, id, learner.userId)).toBeTruthy()
  })
})
