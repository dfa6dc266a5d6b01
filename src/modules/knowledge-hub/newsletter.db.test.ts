import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { headerOf, linkIn, startTestSmtp, type TestSmtp } from '../../../test/smtp.ts'
import { firstRow, sql } from '../../platform/db/index.ts'
import { createCity } from '../cities/index.ts'
import { subscriptionToken } from './newsletter-token.ts'

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

function expectInert(html: string) {
  expect(html).not.toContain('<script>alert')
  expect(html).not.toContain('<img src=x')
  expect(html.replaceAll('&lt;img src=x onerror=', '')).not.toContain('onerror=')
}

describe.each(engines)('knowledge hub newsletter on %s', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  let cityId: number
  let ip = 1
  const hub = '/en/riverton/hub'
  const guest = () => new Agent(t.app, `192.0.2.${ip++}`)

  beforeAll(async () => {
    smtp = await startTestSmtp({ rejectRecipients: ['bounce@example.org'] })
    t = await testPlatform(engine, {
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://learn.example.org',
      BULK_MAIL_PER_MINUTE: '2',
    })
    const city = await createCity(t.platform, {
      slug: 'riverton',
      name: { en: 'Riverton' },
      defaultLanguage: 'en',
      timeZone: 'America/Chicago',
    })
    if (!city.ok) throw new Error('city')
    cityId = city.value
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })

  async function publishResource(title: string, summary = 'A resource for the newsletter.') {
    const row = await firstRow<{ id: number | string }>(
      t.platform.db,
      sql`insert into hub_resources (city_id, title, summary, links, type, status, published_at)
          values (${cityId}, ${JSON.stringify({ en: title })}::jsonb, ${JSON.stringify({ en: summary })}::jsonb,
            '[{"url":"https://example.org/r","rel":"self"}]'::jsonb, 'guide', 'published', now())
          returning id`,
    )
    return Number(row!.id)
  }

  /** A guest subscribes by email only and, unless told not to, confirms from the emailed link. */
  async function subscribe(email: string, confirm = true) {
    const agent = guest()
    await agent.get(`${hub}/newsletter`)
    const res = await agent.post(`${hub}/newsletter`, { email, scope: 'city', language: 'en' })
    expect(res.headers.get('location')).toBe(`${hub}/newsletter/check-email`)
    if (!confirm) return agent
    await t.platform.jobs.drain()
    const mail = await smtp.waitFor(email, 10_000, (m) => m.subject.startsWith('Confirm'))
    const path = new URL(linkIn(mail, '/newsletter/confirm/')).pathname
    const page = await agent.get(path)
    expect(await page.text()).toContain('Yes, subscribe me')
    const done = await agent.post(path, {})
    expect(await done.text()).toContain('You are subscribed')
    return agent
  }

  /** Runs every job, including newsletter batches the rate limit put a minute later. */
  async function flush() {
    for (let i = 0; i < 10; i++) {
      await t.platform.jobs.drain()
      const waiting = await firstRow<{ n: number }>(
        t.platform.db,
        sql`update jobs set run_at = now() where name = 'knowledge-hub.newsletter-batch' and status = 'queued'
            returning 1 as n`,
      )
      if (!waiting) return
    }
  }

  async function sendIssue(curator: Agent, subject: string, intro = '') {
    const compose = await curator.get(`${hub}/newsletter/issues/new?scope=city&language=en`)
    expect(compose.status).toBe(200)
    const checked = [
      ...curator.lastHtml.matchAll(/<input[^>]*name="resources"[^>]*value="(\d+)"[^>]*checked/g),
    ].map((m) => m[1]!)
    const body = new URLSearchParams({ _csrf: curator.csrf(), scope: 'city', language: 'en', subject, intro })
    for (const id of checked) body.append('resources', id)
    const created = await t.app.request(
      `${hub}/newsletter/issues/new`,
      {
        method: 'POST',
        body: body.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: [...curator.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      },
      { incoming: { socket: { remoteAddress: '192.0.2.200' } } },
    )
    expect(created.status).toBe(303)
    const issuePath = new URL(created.headers.get('location')!, 'http://x').pathname
    await curator.get(issuePath)
    const sent = await curator.post(`${issuePath}/send`, {})
    expect(sent.status).toBe(303)
    return { issuePath, checked }
  }

  it('double opt-in, an issue to confirmed subscribers with one-click unsubscribe, rate-limited batches, bounce counts', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId, ip: '192.0.2.100' })
    const first = await publishResource('Learning walks in every district')
    await subscribe('ada@example.org')
    await subscribe('ben@example.org')
    await subscribe('pending@example.org', false)
    // The bouncing address cannot read its confirmation mail; it confirms with the token it was sent.
    await subscribe('bounce@example.org', false)
    const bouncer = await firstRow<{ key: string }>(
      t.platform.db,
      sql`select key from hub_subscriptions where email = 'bounce@example.org'`,
    )
    const confirmPath = `${hub}/newsletter/confirm/${subscriptionToken(t.config.sessionSecret, 'confirm', bouncer!.key)}`
    const agent = guest()
    await agent.get(confirmPath)
    await agent.post(confirmPath, {})

    const { issuePath, checked } = await sendIssue(
      coordinator.agent,
      'Riverton hub news, autumn',
      'Hello readers.\n\nThree new finds.',
    )
    expect(checked).toEqual([String(first)])
    await t.platform.jobs.drain()
    // BULK_MAIL_PER_MINUTE=2: two emails now, the rest a minute later.
    let counts = await coordinator.agent.get(issuePath)
    let html = await counts.text()
    expect(html).toMatch(/data-count="recipients">3</)
    expect(html).toMatch(/data-count="waiting">1</)
    await t.platform.db.execute(
      sql`update jobs set run_at = now() where name = 'knowledge-hub.newsletter-batch' and status = 'queued'`,
    )
    await t.platform.jobs.drain()

    const mail = await smtp.waitFor(
      'ada@example.org',
      10_000,
      (m) => m.subject === 'Riverton hub news, autumn',
    )
    const unsubscribeHeader = headerOf(mail, 'List-Unsubscribe')!
    expect(unsubscribeHeader).toMatch(
      /^<https:\/\/learn\.example\.org\/en\/riverton\/hub\/newsletter\/unsubscribe\/[A-Za-z0-9_-]{65}>$/,
    )
    expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    expect(mail.text).toContain('Learning walks in every district')
    expect(mail.text).toContain(`https://learn.example.org/en/riverton/hub/resources/${first}`)
    expect(mail.html).toContain('<p dir="auto">Hello readers.</p>')
    expect(mail.html).toContain(unsubscribeHeader.slice(1, -1))
    await smtp.waitFor('ben@example.org', 10_000, (m) => m.subject === 'Riverton hub news, autumn')
    expect(
      smtp.messages.some((m) => m.to.includes('pending@example.org') && m.subject.startsWith('Riverton')),
    ).toBe(false)

    counts = await coordinator.agent.get(issuePath)
    html = await counts.text()
    expect(html).toMatch(/data-count="delivered">2</)
    expect(html).toMatch(/data-count="bounced">1</)
    expect(html).toMatch(/data-count="waiting">0</)
    expect(html).toContain('sent')

    // One-click unsubscribe: a cookieless POST without a CSRF token, as a mail provider sends it.
    const oneClick = await t.app.request(new URL(unsubscribeHeader.slice(1, -1)).pathname, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(oneClick.status).toBe(200)
    expect(await oneClick.text()).toContain('You are unsubscribed')
    // The GET page never unsubscribes by itself; a tampered token is not found.
    expect(
      (await guest().get(`${new URL(unsubscribeHeader.slice(1, -1)).pathname.slice(0, -2)}xx`)).status,
    ).toBe(404)

    // The next issue lists only what is new, and does not reach the unsubscribed reader.
    const second = await publishResource('Night school for parents')
    const next = await sendIssue(coordinator.agent, 'Riverton hub news, winter')
    expect(next.checked).toEqual([String(second)])
    await flush()
    await smtp.waitFor('ben@example.org', 10_000, (m) => m.subject === 'Riverton hub news, winter')
    expect(
      smtp.messages.some(
        (m) => m.to.includes('ada@example.org') && m.subject === 'Riverton hub news, winter',
      ),
    ).toBe(false)
  })

  it('only the scope’s curators compose, preview and send; XSS stays inert in the pages and the email', async () => {
    const resident = await signedInPerson(t, { ip: '192.0.2.150' })
    expect((await resident.agent.get(`${hub}/newsletter/issues`)).status).toBe(403)
    expect((await resident.agent.get(`${hub}/newsletter/issues/new?scope=city&language=en`)).status).toBe(403)
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId, ip: '192.0.2.151' })
    expect(
      (await coordinator.agent.get(`${hub}/newsletter/issues/new?scope=network&language=en`)).status,
    ).toBe(403)

    await publishResource(`Resource ${XSS}`, `Summary ${XSS}`)
    await subscribe('xss-reader@example.org')
    const { issuePath } = await sendIssue(coordinator.agent, `Subject ${XSS}`, `Intro ${XSS}`)
    expect((await resident.agent.get(issuePath)).status).toBe(403)
    for (const path of [issuePath, `${issuePath}/preview`, `${hub}/newsletter/issues`]) {
      const res = await coordinator.agent.get(path)
      expect(res.status, path).toBe(200)
      expectInert(await res.text())
    }
    await flush()
    const mail = await smtp.waitFor('xss-reader@example.org', 10_000, (m) => m.subject.startsWith('Subject'))
    expect(mail.subject).toBe(`Subject ${XSS}`)
    expectInert(mail.html!)
    expect(mail.html).toContain('Intro &lt;script&gt;')
  })

  it('the network newsletter: a network admin sends it to network subscribers only, with links back to their city', async () => {
    const agent = guest()
    await agent.get(`${hub}/newsletter`)
    await agent.post(`${hub}/newsletter`, {
      email: 'net-reader@example.org',
      scope: 'network',
      language: 'fr',
    })
    await t.platform.jobs.drain()
    const confirm = await smtp.waitFor('net-reader@example.org', 10_000, (m) =>
      m.subject.startsWith('Confirmez'),
    )
    const path = new URL(linkIn(confirm, '/newsletter/confirm/')).pathname
    await agent.get(path)
    await agent.post(path, {})
    await firstRow(
      t.platform.db,
      sql`insert into hub_resources (city_id, title, summary, type, status, published_at)
          values (null, '{"fr":"Villes apprenantes : le guide"}'::jsonb, '{"fr":"Un guide."}'::jsonb, 'guide', 'published', now())
          returning id`,
    )
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId, ip: '192.0.2.160' })
    expect(
      (await coordinator.agent.get(`${hub}/newsletter/issues/new?scope=network&language=fr`)).status,
    ).toBe(403)
    const admin = await signedInPerson(t, { isNetworkAdmin: true, ip: '192.0.2.161' })
    const compose = await admin.agent.get(`${hub}/newsletter/issues/new?scope=network&language=fr`)
    const html = await compose.text()
    expect(html).toContain('Villes apprenantes : le guide')
    // City resources are not offered to the network's readers.
    expect(html).not.toContain('Night school for parents')
    const id = /name="resources" type="checkbox" value="(\d+)"/.exec(html)![1]!
    const created = await admin.agent.post(`${hub}/newsletter/issues/new`, {
      scope: 'network',
      language: 'fr',
      subject: 'Nouvelles du réseau',
      intro: '',
      resources: id,
    })
    const issuePath = new URL(created.headers.get('location')!, 'http://x').pathname
    await admin.agent.get(issuePath)
    await admin.agent.post(`${issuePath}/send`, {})
    await flush()
    const mail = await smtp.waitFor(
      'net-reader@example.org',
      10_000,
      (m) => m.subject === 'Nouvelles du réseau',
    )
    expect(mail.text).toContain(`https://learn.example.org/fr/riverton/hub/resources/${id}`)
    expect(headerOf(mail, 'List-Unsubscribe')).toContain('/fr/riverton/hub/newsletter/unsubscribe/')
    expect(smtp.messages.filter((m) => m.subject === 'Nouvelles du réseau').flatMap((m) => m.to)).toEqual([
      'net-reader@example.org',
    ])
  })

  it('rejects bad sign-ups at their field and never says whether an address is known', async () => {
    const agent = guest()
    await agent.get(`${hub}/newsletter`)
    const bad = await agent.post(`${hub}/newsletter`, {
      email: 'not-an-email',
      scope: 'moon',
      language: 'xx',
    })
    expect(bad.status).toBe(422)
    const html = await bad.text()
    for (const field of ['email', 'scope', 'language']) expect(html).toContain(`href="#${field}"`)
    const again = await agent.post(`${hub}/newsletter`, {
      email: 'ben@example.org',
      scope: 'city',
      language: 'en',
    })
    expect(again.headers.get('location')).toBe(`${hub}/newsletter/check-email`)
  })
})
