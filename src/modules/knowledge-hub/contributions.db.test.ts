import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { startTestSmtp, type TestSmtp } from '../../../test/smtp.ts'
import { firstRow, rows, sql } from '../../platform/db/index.ts'
import { createCity } from '../cities/index.ts'

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

/** No payload reached the page as markup. */
function expectInert(html: string) {
  expect(html).not.toContain('<script>alert')
  expect(html).not.toContain('<img src=x')
  const rest = html.replaceAll('&lt;img src=x onerror=', '').replaceAll('\\u003cimg src=x onerror=', '')
  expect(rest).not.toContain('onerror=')
}

/** A complete, valid contribution form; override what a test is about. */
function form(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    textLanguage: 'en',
    title: 'Community learning maps for small towns',
    summary: 'How three towns mapped where people learn, and what they changed afterwards.',
    links: 'https://example.org/learning-maps',
    type: 'case-study',
    publisher: 'Example Foundation',
    year: '2021',
    scope: 'city',
    ...overrides,
  }
}

async function status(t: TestPlatform, title: string) {
  const row = await firstRow<{ status: string; id: number | string }>(
    t.platform.db,
    sql`select status, id from hub_resources where title->>'en' = ${title}`,
  )
  return row ? { status: row.status, id: Number(row.id) } : undefined
}

describe.each(engines)('knowledge hub contributions on %s', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  let cityId: number
  let otherCityId: number
  let ip = 1
  const person = (options: Parameters<typeof signedInPerson>[1] = {}) =>
    signedInPerson(t, { ip: `198.51.100.${ip++}`, ...options })

  beforeAll(async () => {
    smtp = await startTestSmtp()
    t = await testPlatform(engine, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://learn.example.org' })
    const city = await createCity(t.platform, {
      slug: 'riverton',
      name: { en: 'Riverton' },
      defaultLanguage: 'en',
      timeZone: 'America/Chicago',
    })
    const other = await createCity(t.platform, {
      slug: 'lakeside',
      name: { en: 'Lakeside' },
      defaultLanguage: 'en',
      timeZone: 'America/Chicago',
    })
    if (!city.ok || !other.ok) throw new Error('cities')
    cityId = city.value
    otherCityId = other.value
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })

  const submit = '/en/riverton/hub/submit'

  /** Sends one city resource and one network resource ([title, link] each); both as stored. */
  async function sendBoth(
    sender: Awaited<ReturnType<typeof person>>,
    city: [string, string],
    network: [string, string],
  ) {
    await sender.agent.get(submit)
    await sender.agent.post(submit, form({ title: city[0], links: city[1] }))
    await sender.agent.post(submit, form({ title: network[0], links: network[1], scope: 'network' }))
    return { city: (await status(t, city[0]))!, network: (await status(t, network[0]))! }
  }

  it('a signed-in resident sends a resource; it waits for review and a coordinator publishes it; the submitter is emailed and credited', async () => {
    const resident = await person()
    expect((await resident.agent.get(submit)).status).toBe(200)
    expect(resident.agent.lastHtml).toContain('A curator reads every contribution')
    const title = 'Learning festivals that last all year'
    const sent = await resident.agent.post(
      submit,
      form({
        title,
        links: 'https://festivals.example.org/guide',
        creditConsent: 'on',
        creditName: 'Ana P.',
      }),
    )
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toBe('/en/riverton/hub/submit/thanks')
    const stored = await status(t, title)
    expect(stored?.status).toBe('submitted')

    const coordinator = await person({ coordinatorOf: cityId })
    const queue = await coordinator.agent.get('/en/riverton/hub/review')
    expect(await queue.text()).toContain(title)
    expect((await coordinator.agent.get(`/en/riverton/hub/review/${stored!.id}`)).status).toBe(200)
    const done = await coordinator.agent.post(`/en/riverton/hub/review/${stored!.id}`, {
      action: 'publish',
      note: 'Lovely find.',
    })
    expect(done.headers.get('location')).toBe('/en/riverton/hub/review?done=published')
    expect((await status(t, title))?.status).toBe('published')

    await t.platform.jobs.drain()
    const mail = await smtp.waitFor(resident.email, 10_000, (m) => m.subject.startsWith('Published'))
    expect(mail.subject).toBe(`Published: ${title}`)
    expect(mail.text).toContain(`https://learn.example.org/en/riverton/hub/resources/${stored!.id}`)
    expect(mail.text).toContain('Its page credits you as Ana P.')
    expect(mail.text).toContain('Lovely find.')
    const pageHtml = await (await resident.agent.get(`/en/riverton/hub/resources/${stored!.id}`)).text()
    expect(pageHtml).toContain(title)
    expect(pageHtml).toContain('Ana P.')
  })

  it('the curators of its scope are emailed that a contribution waits: the city coordinators for a city resource, the network admins for a network one', async () => {
    const coordinator = await person({ coordinatorOf: cityId })
    const otherCoordinator = await person({ coordinatorOf: otherCityId })
    const admin = await person({ isNetworkAdmin: true })
    const resident = await person()
    const { city: local, network } = await sendBoth(
      resident,
      ['Study circles in rural libraries', 'https://circles.example.org/'],
      ['Measuring a learning network', 'https://measure.example.org/'],
    )

    await t.platform.jobs.drain()
    const toCoordinator = await smtp.waitFor(coordinator.email, 10_000, (m) =>
      m.subject.includes('Study circles'),
    )
    expect(toCoordinator.subject).toBe('Waiting for your review: Study circles in rural libraries')
    expect(toCoordinator.text).toContain(`https://learn.example.org/en/riverton/hub/review/${local.id}`)
    expect(toCoordinator.text).toContain('because you curate')
    expect(toCoordinator.text).toContain('Riverton')
    const toAdmin = await smtp.waitFor(admin.email, 10_000, (m) => m.subject.includes('Measuring'))
    expect(toAdmin.text).toContain(`https://learn.example.org/en/riverton/hub/review/${network.id}`)
    // Each curator hears only of their own scope; another city's coordinator hears of neither.
    const heard = (email: string) => smtp.messages.filter((m) => m.to.includes(email)).map((m) => m.subject)
    expect(heard(coordinator.email).some((s) => s.includes('Measuring'))).toBe(false)
    expect(heard(admin.email).some((s) => s.includes('Study circles'))).toBe(false)
    expect(heard(otherCoordinator.email)).toEqual([])
  })

  it('a coordinator edits then publishes, or declines with a reason; each outcome is emailed', async () => {
    const resident = await person()
    const coordinator = await person({ coordinatorOf: cityId })
    await resident.agent.get(submit)
    await resident.agent.post(
      submit,
      form({ title: 'Libraries as learning hubs', links: 'https://lib.example.org/a' }),
    )
    await resident.agent.post(
      submit,
      form({ title: 'Buy cheap watches now', links: 'https://spam.example.net/x' }),
    )
    const edited = (await status(t, 'Libraries as learning hubs'))!
    const spam = (await status(t, 'Buy cheap watches now'))!

    await coordinator.agent.get(`/en/riverton/hub/review/${edited.id}`)
    const invalid = await coordinator.agent.post(`/en/riverton/hub/review/${edited.id}`, {
      ...form({ title: '', links: 'ftp://lib.example.org/a' }),
      action: 'edit-publish',
    })
    expect(invalid.status).toBe(422)
    const html = await invalid.text()
    expect(html).toContain('href="#title"')
    expect(html).toContain('Links must start with https:// or http://')
    await coordinator.agent.post(`/en/riverton/hub/review/${edited.id}`, {
      ...form({ title: 'Public libraries as learning hubs', links: 'https://lib.example.org/a' }),
      action: 'edit-publish',
    })
    expect((await status(t, 'Public libraries as learning hubs'))?.status).toBe('published')
    // Without consent the page names nobody, even though a name was typed.
    const page = await (await resident.agent.get(`/en/riverton/hub/resources/${edited.id}`)).text()
    expect(page).toContain('Public libraries as learning hubs')
    expect(page).not.toContain('Hidden Name')

    await coordinator.agent.get(`/en/riverton/hub/review/${spam.id}`)
    const noReason = await coordinator.agent.post(`/en/riverton/hub/review/${spam.id}`, {
      action: 'decline',
      reason: '  ',
    })
    expect(noReason.status).toBe(422)
    expect(await noReason.text()).toContain('Enter the reason the submitter will read')
    await coordinator.agent.post(`/en/riverton/hub/review/${spam.id}`, {
      action: 'decline',
      reason: 'This is an advertisement, not a resource about learning cities.',
    })
    expect((await status(t, 'Buy cheap watches now'))?.status).toBe('declined')
    // A second decision on the same contribution changes nothing.
    const again = await coordinator.agent.post(`/en/riverton/hub/review/${spam.id}`, { action: 'publish' })
    expect(again.status).toBe(409)
    expect((await status(t, 'Buy cheap watches now'))?.status).toBe('declined')

    await t.platform.jobs.drain()
    const published = await smtp.waitFor(resident.email, 10_000, (m) =>
      m.subject.startsWith('Published with'),
    )
    expect(published.subject).toBe('Published with edits: Public libraries as learning hubs')
    expect(published.text).toContain('your name is not shown')
    const declined = await smtp.waitFor(resident.email, 10_000, (m) => m.subject.startsWith('Not published'))
    expect(declined.text).toContain('This is an advertisement, not a resource about learning cities.')
  })

  it('shows possible duplicates by address (scheme, www, slash, tracking) and by similar title; the submitter confirms or stops', async () => {
    const first = await person()
    await first.agent.get(submit)
    await first.agent.post(
      submit,
      form({
        title: 'Measuring lifelong learning in cities',
        links: 'https://www.measure.example.org/report/',
      }),
    )
    const second = await person()
    await second.agent.get(submit)
    for (const variant of [
      'http://measure.example.org/report',
      'https://MEASURE.example.org/report?utm_source=newsletter&utm_medium=email',
      'https://measure.example.org/report/#top',
    ]) {
      const res = await second.agent.post(submit, form({ title: 'Another title entirely', links: variant }))
      expect(res.status, variant).toBe(200)
      const html = await res.text()
      expect(html).toContain('The hub may already have this resource')
      expect(html).toContain('same web address')
      expect(html).toContain('already waiting for review')
    }
    const similar = await second.agent.post(
      submit,
      form({ title: 'Measuring life-long learning in cities', links: 'https://elsewhere.example.com/x' }),
    )
    const similarHtml = await similar.text()
    expect(similarHtml).toContain('similar title')
    expect(similarHtml).toContain('Stop: do not send it, go back to the hub')
    expect(await status(t, 'Measuring life-long learning in cities')).toBeUndefined()
    // A different page on the same site is no duplicate.
    const other = await second.agent.post(
      submit,
      form({ title: 'Adult education budgets', links: 'https://measure.example.org/budgets' }),
    )
    expect(other.status).toBe(303)
    // Confirming sends it anyway.
    const confirmed = await second.agent.post(
      submit,
      form({
        title: 'Measuring life-long learning in cities',
        links: 'https://elsewhere.example.com/x',
        confirmed: /name="confirmed" value="([^"]+)"/.exec(similarHtml)![1]!,
      }),
    )
    expect(confirmed.status).toBe(303)
    expect((await status(t, 'Measuring life-long learning in cities'))?.status).toBe('submitted')
  })

  it('a filled trap field looks like success and stores nothing; accounts are rate-limited with the text kept', async () => {
    const bot = await person()
    await bot.agent.get(submit)
    const trapped = await bot.agent.post(
      submit,
      form({ title: 'Trap contribution', website: 'http://spam.example' }),
    )
    expect(trapped.status).toBe(303)
    expect(await status(t, 'Trap contribution')).toBeUndefined()

    const eager = await person()
    await eager.agent.get(submit)
    const titles = [
      'Apprenticeship atlas',
      'Museum nights toolkit',
      'Park walks research',
      'Choir policy brief',
      'Radio lessons archive',
    ]
    for (const [i, title] of titles.entries()) {
      const res = await eager.agent.post(submit, form({ title, links: `https://eager${i}.example.org/` }))
      expect(res.status).toBe(303)
    }
    const sixth = await eager.agent.post(
      submit,
      form({ title: 'Eager resource number six', links: 'https://eager6.example.org/' }),
    )
    expect(sixth.status).toBe(429)
    const html = await sixth.text()
    expect(html).toContain('You have sent many resources in a short time')
    expect(html).toContain('value="Eager resource number six"')
    expect(await status(t, 'Eager resource number six')).toBeUndefined()
  })

  it('rejects bad input at its field with a clear message; oversized bodies are refused; guests are sent to sign in', async () => {
    const resident = await person()
    await resident.agent.get(submit)
    const bad = await resident.agent.post(
      submit,
      form({
        title: '',
        summary: 'x'.repeat(2001),
        links: 'javascript:alert(1)',
        type: 'spell',
        year: '99',
        scope: 'galaxy',
      }),
    )
    expect(bad.status).toBe(422)
    const html = await bad.text()
    for (const field of ['title', 'summary', 'links', 'type', 'year', 'scope'])
      expect(html, field).toContain(`href="#${field}"`)
    expect(html).toContain('Links must start with https:// or http://')
    expect(html).toContain('aria-invalid="true"')
    const notUrl = await resident.agent.post(submit, form({ links: 'not a link' }))
    expect(await notUrl.text()).toContain('Enter each link as a full web address')
    const consentNoName = await resident.agent.post(submit, form({ creditConsent: 'on', creditName: '' }))
    expect(await consentNoName.text()).toContain('Enter the name to show, or untick the credit box')

    const huge = await resident.agent.post(submit, form({ summary: 'x'.repeat(1_100_000) }))
    expect(huge.status).toBe(413)

    const { Agent } = await import('../../../test/agent.ts')
    const guest = new Agent(t.app, '198.51.100.250')
    const res = await guest.get(submit)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toContain('/en/account/sign-in')
  })

  it('permissions: residents and other cities’ coordinators cannot review; only network admins review network resources', async () => {
    const resident = await person()
    const { city: cityOne, network: networkOne } = await sendBoth(
      resident,
      ['City-scope resource for permissions', 'https://perm.example.org/city'],
      ['Global mayors forum recordings', 'https://perm.example.org/net'],
    )
    const net = await firstRow<{ city_id: string | null }>(
      t.platform.db,
      sql`select city_id from hub_resources where id = ${networkOne.id}`,
    )
    expect(net?.city_id).toBeNull()

    const coordinator = await person({ coordinatorOf: cityId })
    const otherCoordinator = await person({ coordinatorOf: otherCityId })
    const admin = await person({ isNetworkAdmin: true })

    expect((await resident.agent.get('/en/riverton/hub/review')).status).toBe(403)
    expect((await resident.agent.get(`/en/riverton/hub/review/${cityOne.id}`)).status).toBe(403)
    await resident.agent.get(submit)
    expect(
      (await resident.agent.post(`/en/riverton/hub/review/${cityOne.id}`, { action: 'publish' })).status,
    ).toBe(403)

    // Another city's coordinator: nothing to review here, and Riverton's resource is not found from Lakeside.
    expect((await otherCoordinator.agent.get('/en/riverton/hub/review')).status).toBe(403)
    expect((await otherCoordinator.agent.get(`/en/lakeside/hub/review/${cityOne.id}`)).status).toBe(404)
    expect((await otherCoordinator.agent.get(`/en/riverton/hub/review/${cityOne.id}`)).status).toBe(403)

    // The city's coordinator sees the city's contribution but not the network's, and cannot decide it.
    const queue = await (await coordinator.agent.get('/en/riverton/hub/review')).text()
    expect(queue).toContain('City-scope resource for permissions')
    expect(queue).not.toContain('Global mayors forum recordings')
    expect((await coordinator.agent.get(`/en/riverton/hub/review/${networkOne.id}`)).status).toBe(403)
    await coordinator.agent.get('/en/riverton/hub/review')
    expect(
      (await coordinator.agent.post(`/en/riverton/hub/review/${networkOne.id}`, { action: 'publish' }))
        .status,
    ).toBe(403)
    expect((await status(t, 'Global mayors forum recordings'))?.status).toBe('submitted')

    // The network admin sees both and publishes the network one.
    const adminQueue = await (await admin.agent.get('/en/riverton/hub/review')).text()
    expect(adminQueue).toContain('Global mayors forum recordings')
    await admin.agent.get(`/en/riverton/hub/review/${networkOne.id}`)
    const published = await admin.agent.post(`/en/riverton/hub/review/${networkOne.id}`, {
      action: 'publish',
    })
    expect(published.status).toBe(303)
    expect((await status(t, 'Global mayors forum recordings'))?.status).toBe('published')
  })

  it('XSS in every field stays inert on the review pages, the published page and in the email', async () => {
    const resident = await person()
    await resident.agent.get(submit)
    const res = await resident.agent.post(
      submit,
      form({
        title: `Title ${XSS}`,
        summary: `Summary ${XSS}`,
        publisher: `Publisher ${XSS}`,
        links: 'https://xss.example.org/?q=<script>alert(1)</script>',
        creditConsent: 'on',
        creditName: `Name ${XSS}`,
      }),
    )
    expect(res.status).toBe(303)
    const [row] = await rows<{ id: number | string }>(
      t.platform.db,
      sql`select id from hub_resources where publisher = ${`Publisher ${XSS}`}`,
    )
    const id = Number(row!.id)
    const coordinator = await person({ coordinatorOf: cityId })
    const queue = await coordinator.agent.get('/en/riverton/hub/review')
    expectInert(await queue.text())
    const review = await coordinator.agent.get(`/en/riverton/hub/review/${id}`)
    const html = await review.text()
    expectInert(html)
    expect(html).toContain('Title &lt;script&gt;')
    await coordinator.agent.post(`/en/riverton/hub/review/${id}`, { action: 'publish', note: `Note ${XSS}` })
    for (const path of [
      `/en/riverton/hub/resources/${id}`,
      '/en/riverton/hub',
      '/en/riverton/hub/feed.rss',
    ]) {
      const res = await resident.agent.get(path)
      expect(res.status, path).toBe(200)
      expectInert(await res.text())
    }
    await t.platform.jobs.drain()
    // The outcome email is plain text only: the payload arrives as text, never as markup.
    const mail = await smtp.waitFor(resident.email, 10_000, (m) => m.subject.startsWith('Published'))
    expect(mail.html).toBeUndefined()
    expect(mail.text).toContain(`Note ${XSS}`)
  })
})
