import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Agent } from '../../../../test/agent.ts'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { firstRow, sql } from '../../../platform/db/index.ts'
import * as repo from '../repository.ts'
import { png } from './test-png.ts'

const IP = { incoming: { socket: { remoteAddress: '203.0.113.7' } } }

describe.each(engines)('badges console pages on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let makers: number
  let library: number
  let base: string

  /** Posts a multipart form (as a browser does with a file field) with the last page's CSRF token. */
  async function postMultipart(
    agent: Agent,
    path: string,
    fields: Record<string, string | string[]>,
    file?: { name: string; type: string; bytes: Uint8Array },
    csrf: string | false = agent.csrf(),
  ) {
    const form = new FormData()
    if (csrf) form.set('_csrf', csrf)
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x)
    if (file) form.set('image', new File([Buffer.from(file.bytes)], file.name, { type: file.type }))
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    return t.app.request(path, { method: 'POST', body: form, headers: { cookie } }, IP)
  }

  const good = (overrides: Record<string, string | string[]> = {}) => ({
    type: 'skill',
    'name-en': 'Robot builder',
    'description-en': 'Built a line-following robot.',
    'criteria-en': 'Attend four workshops and demonstrate a robot.',
    tags: 'robotics, coding',
    level: 'introductory',
    'alignment-0-name': 'programming robots',
    'alignment-0-url': 'http://data.europa.eu/esco/skill/0a4b1e7e-3d4b-4c36-9d1e-0d4f6a1b2c3d',
    'alignment-0-framework': 'ESCO',
    validDays: '365',
    ...overrides,
  })

  /** A provider admin's agent and a badge they defined through the form. */
  async function definedBy(agent: Agent, fields = good()) {
    await agent.get(`${base}/new`)
    const res = await postMultipart(agent, `${base}/new`, fields, {
      name: 'badge.png',
      type: 'image/png',
      bytes: png(),
    })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    return { id: Number(/\/badges\/(\d+)\?/.exec(location)![1]), location }
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'consoleton')
    cityId = catalogue.city.id
    makers = await catalogue.provider('makers', 'community', 'Makers Lab')
    library = await catalogue.provider('library', 'library', 'Consoleton Library')
    base = `/en/consoleton/provide/${makers}/badges`
  })
  afterAll(() => t?.close())

  it('a provider admin defines a badge with an image; the list and badge page show its name escaped', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const { id, location } = await definedBy(
      admin.agent,
      good({ 'name-en': '<script>alert(1)</script> Robots', acceptsEvidence: 'on' }),
    )
    const page = await admin.agent.get(location)
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('The badge is saved.')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Robots')
    expect(html).not.toContain('<script>alert(1)')
    const list = await (await admin.agent.get(base)).text()
    expect(list).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Robots')
    const image = await t.app.request(`/achievements/${id}/image.png`)
    expect(image.headers.get('content-type')).toBe('image/png')
    const row = (await repo.findAchievement(t.platform.db, cityId, id))!
    expect(row).toMatchObject({
      type: 'skill',
      tags: ['robotics', 'coding'],
      level: 'introductory',
      validDays: 365,
      hasImage: true,
      acceptsEvidence: true,
      alignments: [{ targetName: 'programming robots', targetFramework: 'ESCO' }],
    })
    // Editing shows the values again, and saving without a new image keeps the old one.
    const edit = await (await admin.agent.get(`${base}/${id}/edit`)).text()
    expect(edit).toContain('value="robotics, coding"')
    const saved = await postMultipart(admin.agent, `${base}/${id}/edit`, good({ 'name-en': 'Robot maker' }))
    expect(saved.status).toBe(303)
    expect((await repo.findAchievement(t.platform.db, cityId, id))!).toMatchObject({
      name: { en: 'Robot maker' },
      hasImage: true,
      acceptsEvidence: false,
    })
  })

  it('lists every field error at once in the error summary, keeps what was typed, and refuses a bad image', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    await admin.agent.get(`${base}/new`)
    const res = await postMultipart(
      admin.agent,
      `${base}/new`,
      {
        type: 'city',
        'name-en': '',
        'description-en': 'x'.repeat(2001),
        'criteria-en': '',
        tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(','),
        level: 'expert',
        'alignment-0-name': 'skill',
        'alignment-0-url': 'javascript:alert(1)',
        validDays: 'soon',
        opportunityIds: '999999',
      },
      { name: '../../etc/passwd.png', type: 'image/png', bytes: new TextEncoder().encode('<svg onload=x>') },
    )
    expect(res.status).toBe(422)
    const html = await res.text()
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)![0]
    const links = [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1])
    expect(links.sort()).toEqual(
      [
        'name-en',
        'description-en',
        'criteria-en',
        'tags',
        'level',
        'alignment-0-url',
        'validDays',
        'image',
      ].sort(),
    )
    expect(summary).toContain('Enter the badge&#39;s name in at least one language')
    expect(summary).toContain('The image must be a PNG file')
    expect(html).toContain('value="soon"')
    expect(html).toContain('javascript:alert(1)')
    expect(html).not.toContain('href="javascript:')

    // An image over 256 KB (but a real PNG) is refused with its own message; nothing is saved.
    const before = await repo.listAchievements(t.platform.db, cityId, makers)
    const big = await postMultipart(admin.agent, `${base}/new`, good(), {
      name: 'big.png',
      type: 'image/png',
      bytes: png(4, 4, 300 * 1024),
    })
    expect(big.status).toBe(422)
    expect(await big.text()).toContain('The image must be at most 256 KB')
    expect(await repo.listAchievements(t.platform.db, cityId, makers)).toHaveLength(before.length)
  })

  it('lets in only staff of the provider: learners and other providers get 403; editors define but do not award', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const { id } = await definedBy(admin.agent)
    const learner = await signedInPerson(t)
    const other = await signedInPerson(t, { staff: { cityId, organizationId: library, role: 'admin' } })
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    for (const who of [learner, other, coordinator]) {
      expect((await who.agent.get(base)).status).toBe(403)
      expect((await who.agent.get(`${base}/${id}`)).status).toBe(403)
    }
    // Posting through another provider's URL is refused too, before anything is read.
    await other.agent.get(`/en/consoleton/provide/${library}/badges`)
    expect((await other.agent.post(`${base}/${id}/awards`, { emails: learner.email })).status).toBe(403)
    expect((await repo.listAwardsWithRecipients(t.platform.db, cityId, id)).length).toBe(0)

    const editor = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'editor' } })
    const page = await (await editor.agent.get(`${base}/${id}`)).text()
    expect(page).toContain('Your role lets you define badges but not award them.')
    expect(page).not.toContain('name="emails"')
    expect((await editor.agent.post(`${base}/${id}/awards`, { emails: learner.email })).status).toBe(403)
    expect((await editor.agent.post(`${base}/${id}/codes`, { maxUses: '5' })).status).toBe(403)

    // Not signed in: to the sign-in page and back.
    const anonymous = await t.app.request(`${base}/${id}`)
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('location')).toBe(
      `/en/account/sign-in?next=${encodeURIComponent(`${base}/${id}`)}`,
    )
    expect((await admin.agent.get(`/en/consoleton/provide/999999/badges`)).status).toBe(404)
  })

  it('refuses a form without its CSRF token', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const before = await repo.listAchievements(t.platform.db, cityId, makers)
    await admin.agent.get(`${base}/new`)
    const res = await postMultipart(admin.agent, `${base}/new`, good(), undefined, false)
    expect(res.status).toBe(403)
    const { id } = await definedBy(admin.agent)
    expect((await admin.agent.post(`${base}/${id}/archive`, {}, { csrf: false })).status).toBe(403)
    expect((await repo.listAchievements(t.platform.db, cityId, makers)).length).toBe(before.length + 1)
  })

  it('awards by email only when every address is right, lists each wrong one, and nobody awards themselves', async () => {
    const issuer = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'issuer' } })
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const { id } = await definedBy(admin.agent)
    const [ana, ben] = [await signedInPerson(t), await signedInPerson(t)]
    await issuer.agent.get(`${base}/${id}`)
    const wrong = await issuer.agent.post(`${base}/${id}/awards`, {
      emails: `${ana.email}\nnot-an-email\nnobody@example.org\n${issuer.email}`,
    })
    expect(wrong.status).toBe(422)
    const html = await wrong.text()
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)![0]
    expect(summary).toContain('not-an-email is not an email address')
    expect(summary).toContain('There is no account with the email nobody@example.org')
    expect(summary).toContain('You cannot award a badge to yourself')
    expect(html).toContain(ana.email) // what was typed is kept
    expect(await repo.listAwardsWithRecipients(t.platform.db, cityId, id)).toEqual([])

    const right = await issuer.agent.post(`${base}/${id}/awards`, { emails: `${ana.email}, ${ben.email}` })
    expect(right.status).toBe(303)
    const page = await (await issuer.agent.get(right.headers.get('location')!)).text()
    expect(page).toContain('The badge is awarded.')
    // Staff see a masked email, never the whole address.
    expect(page).toContain(`${ana.email[0]}•••@example.org`)
    expect(page).not.toContain(ana.email)

    // Revoking asks first, then the status list shows it.
    const award = (await repo.listAwardsWithRecipients(t.platform.db, cityId, id)).find(
      (w) => w.recipientUserId === ana.userId,
    )!
    const confirm = await issuer.agent.get(`${base}/${id}/awards/${award.id}/revoke`)
    expect(await confirm.text()).toContain('Yes, revoke it')
    expect((await repo.findAward(t.platform.db, cityId, award.id))!.status).toBe('active')
    const revoked = await issuer.agent.post(`${base}/${id}/awards/${award.id}/revoke`, { reason: 'in error' })
    expect(revoked.status).toBe(303)
    expect((await repo.findAward(t.platform.db, cityId, award.id))!).toMatchObject({
      status: 'revoked',
      statusReason: 'in error',
    })
    // A revoked badge cannot be lifted.
    await issuer.agent.get(`${base}/${id}`)
    const lift = await issuer.agent.post(`${base}/${id}/awards/${award.id}/reinstate`, {})
    expect(lift.status).toBe(409)
    expect(await lift.text()).toContain('This is not possible: the badge is Revoked.')

    // Suspend, then lift the suspension.
    const other = (await repo.listAwardsWithRecipients(t.platform.db, cityId, id)).find(
      (w) => w.recipientUserId === ben.userId,
    )!
    await issuer.agent.get(`${base}/${id}/awards/${other.id}/suspend`)
    expect((await issuer.agent.post(`${base}/${id}/awards/${other.id}/suspend`, {})).status).toBe(303)
    expect((await repo.findAward(t.platform.db, cityId, other.id))!.status).toBe('suspended')
    await issuer.agent.get(`${base}/${id}/awards/${other.id}/reinstate`)
    expect((await issuer.agent.post(`${base}/${id}/awards/${other.id}/reinstate`, {})).status).toBe(303)
    expect((await repo.findAward(t.platform.db, cityId, other.id))!.status).toBe('active')
  })

  it('makes claim codes with a QR code and print view; learners claim with them and get clear errors', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const { id } = await definedBy(admin.agent, good({ 'name-en': 'Festival' }))
    await admin.agent.get(`${base}/${id}`)
    const bad = await admin.agent.post(`${base}/${id}/codes`, { maxUses: '0', expiresAt: '2020-01-01T10:00' })
    expect(bad.status).toBe(422)
    const badHtml = await bad.text()
    expect(badHtml).toContain('href="#maxUses"')
    expect(badHtml).toContain('href="#expiresAt"')

    const made = await admin.agent.post(`${base}/${id}/codes`, { maxUses: '1', expiresAt: '' })
    expect(made.status).toBe(303)
    const codePage = await (await admin.agent.get(made.headers.get('location')!)).text()
    const code = /<code>([A-Z2-9]{5}-[A-Z2-9]{5})<\/code>/.exec(codePage)![1]!
    expect(codePage).toContain(`/en/consoleton/badges/claim?code=${code}`)
    expect(codePage).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code/)
    const print = await admin.agent.get(`${made.headers.get('location')!.split('?')[0]}/print`)
    expect(print.status).toBe(200)
    expect(await print.text()).toContain('@media print')

    // The creator cannot claim their own code.
    await admin.agent.get('/en/consoleton/badges/claim')
    const own = await admin.agent.post('/en/consoleton/badges/claim', { code })
    expect(own.status).toBe(422)
    expect(await own.text()).toContain('You made this code, so you cannot claim it yourself.')

    // The QR code's address fills the field in; a learner claims, then the code is used up.
    const learner = await signedInPerson(t)
    const form = await (await learner.agent.get(`/en/consoleton/badges/claim?code=${code}`)).text()
    expect(form).toContain(`value="${code}"`)
    const claimed = await learner.agent.post('/en/consoleton/badges/claim', { code: code.toLowerCase() })
    expect(claimed.status).toBe(303)
    const done = await (await learner.agent.get(claimed.headers.get('location')!)).text()
    expect(done).toContain('The badge is yours:')
    expect(done).toMatch(/href="\/credentials\/[0-9a-f-]{36}"/)
    expect(done).toContain('href="/en/consoleton/wallet"')
    const again = await learner.agent.post('/en/consoleton/badges/claim', { code })
    expect(await again.text()).toContain('You already hold this badge.')
    const late = await signedInPerson(t)
    await late.agent.get('/en/consoleton/badges/claim')
    expect(await (await late.agent.post('/en/consoleton/badges/claim', { code })).text()).toContain(
      'This code has been used as many times as it allows.',
    )
    expect(
      await (await late.agent.post('/en/consoleton/badges/claim', { code: 'ZZZZZ-ZZZZZ' })).text(),
    ).toContain('There is no such claim code.')
    // An expired code says so.
    const later = await admin.agent.post(`${base}/${id}/codes`, {
      maxUses: '5',
      expiresAt: '2099-01-01T10:00',
    })
    const laterCode = /<code>([A-Z2-9-]{11})<\/code>/.exec(
      await (await admin.agent.get(later.headers.get('location')!)).text(),
    )![1]!
    await t.platform.db.execute(
      sql`update badge_claim_codes set expires_at = now() - interval '1 hour' where code = ${laterCode}`,
    )
    expect(
      await (await late.agent.post('/en/consoleton/badges/claim', { code: laterCode })).text(),
    ).toContain('This code has expired.')
    // Someone else's claimed badge page is not shown.
    const uuid = /claimed=([0-9a-f-]+)/.exec(claimed.headers.get('location')!)![1]
    expect((await late.agent.get(`/en/consoleton/badges/claim?claimed=${uuid}`)).status).toBe(404)
    // Signed out, the claim page sends to sign-in and back with the code.
    const anonymous = await t.app.request(`/en/consoleton/badges/claim?code=${code}`)
    expect(anonymous.headers.get('location')).toBe(
      `/en/account/sign-in?next=${encodeURIComponent(`/en/consoleton/badges/claim?code=${code}`)}`,
    )
  })

  it('withdraws a claim code after asking: it stays listed with when and by whom, and claiming says it was withdrawn', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    await t.platform.db.execute(
      sql`update users set display_name = 'Wanda Withdrawer' where id = ${admin.userId}`,
    )
    const { id } = await definedBy(admin.agent, good({ 'name-en': 'Withdrawable' }))
    await admin.agent.get(`${base}/${id}`)
    const made = await admin.agent.post(`${base}/${id}/codes`, { maxUses: '5', expiresAt: '' })
    const codeUrl = made.headers.get('location')!.split('?')[0]!
    const codePage = await (await admin.agent.get(codeUrl)).text()
    const code = /<code>([A-Z2-9]{5}-[A-Z2-9]{5})<\/code>/.exec(codePage)![1]!
    expect(codePage).toContain(`href="${codeUrl}/withdraw"`)
    expect(codePage).toContain('Can be claimed')
    // One learner claims before the code is withdrawn; their badge stays valid.
    const early = await signedInPerson(t)
    await early.agent.get('/en/consoleton/badges/claim')
    expect((await early.agent.post('/en/consoleton/badges/claim', { code })).status).toBe(303)

    // Others may not withdraw it: a learner, another provider's issuer, an editor of the provider.
    const learner = await signedInPerson(t)
    await learner.agent.get('/en/consoleton/badges/claim')
    expect((await learner.agent.post(`${codeUrl}/withdraw`, {})).status).toBe(403)
    const librarian = await signedInPerson(t, { staff: { cityId, organizationId: library, role: 'issuer' } })
    await librarian.agent.get('/en/consoleton/badges/claim')
    expect((await librarian.agent.post(`${codeUrl}/withdraw`, {})).status).toBe(403)
    const libraryUrl = codeUrl.replace(`/provide/${makers}/`, `/provide/${library}/`)
    expect((await librarian.agent.post(`${libraryUrl}/withdraw`, {})).status).toBe(404)
    const editor = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'editor' } })
    await editor.agent.get(`${base}/${id}`)
    expect((await editor.agent.get(`${codeUrl}/withdraw`)).status).toBe(404)
    expect((await editor.agent.post(`${codeUrl}/withdraw`, {})).status).toBe(403)
    // Without the form's CSRF token nothing happens either.
    expect((await admin.agent.post(`${codeUrl}/withdraw`, {}, { csrf: false })).status).toBe(403)
    expect((await repo.findClaimCode(t.platform.db, cityId, code))!.revoked).toBe(false)

    // The confirmation is a plain form; posting it withdraws the code.
    const ask = await admin.agent.get(`${codeUrl}/withdraw`)
    expect(ask.status).toBe(200)
    const askHtml = await ask.text()
    expect(askHtml).toContain(`Withdraw the claim code ${code}?`)
    expect(askHtml).toContain(`action="${codeUrl}/withdraw"`)
    expect(askHtml).toContain('name="_csrf"')
    const done = await admin.agent.post(`${codeUrl}/withdraw`, {})
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(`${codeUrl}?done=withdrawn`)
    const after = await (await admin.agent.get(done.headers.get('location')!)).text()
    expect(after).toContain('The claim code is withdrawn')
    expect(after).toMatch(/This code was withdrawn .+ by Wanda Withdrawer\./)
    expect(after).not.toContain('data:image/svg+xml')
    expect(after).not.toContain(`${codeUrl}/withdraw`)
    // The print view hands out no poster of a withdrawn code.
    expect(await (await admin.agent.get(`${codeUrl}/print`)).text()).not.toContain('data:image/svg+xml')
    const row = await firstRow<{ by: number; at: string | null }>(
      t.platform.db,
      sql`select revoked_by_user_id::int as by, revoked_at as at from badge_claim_codes where code = ${code}`,
    )
    expect(row).toMatchObject({ by: admin.userId, at: expect.anything() })
    // Still listed on the badge's page, marked withdrawn, with when and by whom.
    const detail = await (await admin.agent.get(`${base}/${id}`)).text()
    expect(detail).toContain(code)
    expect(detail).toMatch(/<td>Withdrawn [^<]+ by Wanda Withdrawer<\/td>/)
    // Withdrawing again changes nothing.
    await admin.agent.get(`${base}/${id}`)
    expect((await admin.agent.post(`${codeUrl}/withdraw`, {})).headers.get('location')).toBe(codeUrl)

    // Claiming says it was withdrawn, distinct from used up and unknown, in the learner's language.
    const html = await (await learner.agent.post('/en/consoleton/badges/claim', { code })).text()
    expect(html).toContain('This code has been withdrawn by whoever handed it out')
    expect(html).not.toContain('used as many times')
    expect(html).not.toContain('There is no such claim code')
    await learner.agent.get('/fr/consoleton/badges/claim')
    const fr = await learner.agent.post('/fr/consoleton/badges/claim', { code })
    expect(fr.status).toBe(422)
    expect(await fr.text()).toContain('Ce code a été retiré par qui l’a distribué')
    await learner.agent.get('/ar/consoleton/badges/claim')
    const ar = await (await learner.agent.post('/ar/consoleton/badges/claim', { code })).text()
    expect(ar).toContain('dir="rtl"')
    expect(ar).toContain(
      JSON.parse(readFileSync(new URL('./messages/ar.json', import.meta.url), 'utf8'))[
        'claim.error.withdrawn'
      ],
    )
    const award = await firstRow<{ status: string }>(
      t.platform.db,
      sql`select status from badge_awards where achievement_id = ${id} and recipient_user_id = ${early.userId}`,
    )
    expect(award?.status).toBe('active')
  })

  it('withdraws city claim codes for the city coordinators only, not for a coordinator of another city', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const other = await testCatalogue(t, 'withdrawton')
    const elsewhere = await signedInPerson(t, { coordinatorOf: other.city.id })
    const cityBase = '/en/consoleton/admin/badges'
    await coordinator.agent.get(`${cityBase}/new`)
    const res = await postMultipart(
      coordinator.agent,
      `${cityBase}/new`,
      good({ type: 'city', 'name-en': 'City code badge' }),
    )
    const id = Number(/\/badges\/(\d+)/.exec(res.headers.get('location')!)![1])
    await coordinator.agent.get(`${cityBase}/${id}`)
    const made = await coordinator.agent.post(`${cityBase}/${id}/codes`, { maxUses: '3', expiresAt: '' })
    const codeUrl = made.headers.get('location')!.split('?')[0]!
    await elsewhere.agent.get('/en/withdrawton/badges/claim')
    expect((await elsewhere.agent.post(`${codeUrl}/withdraw`, {})).status).toBe(403)
    const provider = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    await provider.agent.get('/en/consoleton/badges/claim')
    expect((await provider.agent.post(`${codeUrl}/withdraw`, {})).status).toBe(403)
    await coordinator.agent.get(`${codeUrl}/withdraw`)
    expect((await coordinator.agent.post(`${codeUrl}/withdraw`, {})).status).toBe(303)
    expect(await (await coordinator.agent.get(`${cityBase}/${id}`)).text()).toMatch(/<td>Withdrawn [^<]+ by /)
  })

  it('shares a badge with another provider, whose issuers award it under their own name; archives it', async () => {
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const { id } = await definedBy(admin.agent, good({ 'name-en': 'Shared one' }))
    await admin.agent.get(`${base}/${id}`)
    expect((await admin.agent.post(`${base}/${id}/share`, { organization: 'makers' })).status).toBe(422)
    expect((await admin.agent.post(`${base}/${id}/share`, { organization: 'library' })).status).toBe(303)
    const librarian = await signedInPerson(t, { staff: { cityId, organizationId: library, role: 'issuer' } })
    const libraryBase = `/en/consoleton/provide/${library}/badges`
    const list = await (await librarian.agent.get(libraryBase)).text()
    expect(list).toContain('Shared one')
    expect(list).toContain('Another provider (shared with you)')
    // The provider it is shared with awards it, but cannot change it.
    expect((await librarian.agent.get(`${libraryBase}/${id}/edit`)).status).toBe(403)
    const learner = await signedInPerson(t)
    await librarian.agent.get(`${libraryBase}/${id}`)
    expect(
      (await librarian.agent.post(`${libraryBase}/${id}/awards`, { emails: learner.email })).status,
    ).toBe(303)
    const award = await firstRow<{ organizationId: number }>(
      t.platform.db,
      sql`select organization_id::int as "organizationId" from badge_awards where achievement_id = ${id}`,
    )
    expect(award!.organizationId).toBe(library)
    // Archive asks first; then the badge is gone from the list, and its page is 404.
    expect(await (await admin.agent.get(`${base}/${id}/archive`)).text()).toContain('Yes, archive it')
    expect((await admin.agent.post(`${base}/${id}/archive`, {})).status).toBe(303)
    expect(await (await admin.agent.get(base)).text()).not.toContain('Shared one')
    expect((await admin.agent.get(`${base}/${id}`)).status).toBe(404)
  })

  it('city badges at /admin/badges: coordinators only, of type city', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const cityBase = '/en/consoleton/admin/badges'
    expect((await admin.agent.get(cityBase)).status).toBe(403)
    const form = await (await coordinator.agent.get(`${cityBase}/new`)).text()
    expect(form).toContain('<option value="city" selected="">City badge</option>')
    expect(form).not.toContain('value="skill"')
    const res = await postMultipart(
      coordinator.agent,
      `${cityBase}/new`,
      good({ type: 'city', 'name-en': 'Learning city' }),
    )
    expect(res.status).toBe(303)
    const list = await (await coordinator.agent.get(cityBase)).text()
    expect(list).toContain('Learning city')
    const learner = await signedInPerson(t)
    const id = Number(/\/badges\/(\d+)/.exec(res.headers.get('location')!)![1])
    await coordinator.agent.get(`${cityBase}/${id}`)
    expect((await coordinator.agent.post(`${cityBase}/${id}/awards`, { emails: learner.email })).status).toBe(
      303,
    )
    // A city badge is not a provider's: its page under a provider is 404.
    expect((await admin.agent.get(`${base}/${id}`)).status).toBe(404)
  })

  it('renders every page in all six languages, Arabic right to left', async () => {
    const keys = (lang: string) =>
      Object.keys(
        JSON.parse(readFileSync(new URL(`./messages/${lang}.json`, import.meta.url), 'utf8')),
      ).sort()
    for (const lang of ['ar', 'zh', 'fr', 'ru', 'es']) expect(keys(lang), lang).toEqual(keys('en'))
    const admin = await signedInPerson(t, { staff: { cityId, organizationId: makers, role: 'admin' } })
    const { id } = await definedBy(admin.agent)
    for (const lang of ['ar', 'zh', 'en', 'fr', 'ru', 'es']) {
      for (const path of ['', '/new', `/${id}`, `/${id}/edit`, `/${id}/archive`]) {
        const res = await admin.agent.get(`/${lang}/consoleton/provide/${makers}/badges${path}`)
        expect(res.status, `${lang}${path}`).toBe(200)
        const html = await res.text()
        expect(html).not.toMatch(/badge-console\./)
        if (lang === 'ar') expect(html).toContain('dir="rtl"')
      }
      const claim = await (await admin.agent.get(`/${lang}/consoleton/badges/claim`)).text()
      expect(claim).not.toMatch(/badge-console\./)
    }
  })
})
