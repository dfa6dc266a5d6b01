import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../../test/agent.ts'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { headerOf, linkIn, type ReceivedMail, startTestSmtp, type TestSmtp } from '../../../../test/smtp.ts'
import { firstRow, sql } from '../../../platform/db/index.ts'
import { DIGEST_JOB, DIGEST_SIZE, sendDueDigests } from './digest.ts'

const HOUR = 3600_000

describe.each(engines)('saved search digests on %s', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  let catalogue: Awaited<ReturnType<typeof testCatalogue>>
  let provider: number
  const origin = 'https://learn.example.org'

  beforeAll(async () => {
    smtp = await startTestSmtp()
    t = await testPlatform(engine, { SMTP_URL: smtp.url, PUBLIC_URL: origin })
    catalogue = await testCatalogue(t, 'digestville')
    provider = await catalogue.provider('digest-library', 'library')
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.close()
  })

  /** Time passes: every saved search's times and every publication move back by `ms`. */
  async function passes(ms: number) {
    const back = sql`(${ms / 1000}::float8 * interval '1 second')`
    await t.platform.db.execute(
      sql`update discovery_saved_searches set checked_until = checked_until - ${back},
            created_at = created_at - ${back}, last_sent_at = last_sent_at - ${back}`,
    )
    await t.platform.db.execute(
      sql`update opportunities set published_at = published_at - ${back} where published_at is not null`,
    )
  }

  /** Publishes an opportunity with this English (and optional French) title. */
  const publish = (en: string, fields: Record<string, unknown> = {}, fr?: string) =>
    catalogue.add(en, provider, { title: fr ? { en, fr } : { en }, ...fields })

  async function save(agent: Agent, lang: string, query: string, frequency: string) {
    await agent.get(`/${lang}/digestville/saved-searches`)
    const res = await agent.post(`/${lang}/digestville/saved-searches`, { query, name: '', frequency })
    expect(res.status).toBe(303)
  }

  /** Runs the digests and delivers the mail they queued; returns what each address received. */
  async function digests() {
    const before = smtp.messages.length
    const run = await sendDueDigests(t.platform)
    await t.platform.jobs.drain()
    const start = Date.now()
    while (smtp.messages.length < before + run.sent && Date.now() - start < 10_000)
      await new Promise((r) => setTimeout(r, 50))
    return smtp.messages.slice(before)
  }
  const to = (mails: ReceivedMail[], email: string) => mails.filter((m) => m.to.includes(email))

  it('emails only what was published since, once, on each one’s day, in its language, and stops by its link', async () => {
    const daily = await signedInPerson(t, { ip: '192.0.2.30' })
    const weekly = await signedInPerson(t, { ip: '192.0.2.31' })
    await publish('Robotics before saving', { topics: ['robotics'] })
    await passes(HOUR)
    await save(daily.agent, 'en', 'topic=robotics', 'daily')
    await save(weekly.agent, 'fr', 'free=yes', 'weekly')
    await publish('Robotics club', { topics: ['robotics'] }, 'Club de robotique')
    await publish('Paid pottery', { topics: ['ceramics'], cost: { free: false, price: 20, currency: 'USD' } })

    // Nothing is due before a day has passed.
    expect(await digests()).toEqual([])

    await passes(25 * HOUR)
    let mails = await digests()
    expect(mails.map((m) => m.to[0])).toEqual([daily.email])
    const mail = mails[0]!
    expect(mail.subject).toBe('1 new match for “topic robotics” in digestville')
    expect(mail.text).toContain('Robotics club')
    expect(mail.text).not.toContain('Robotics before saving')
    expect(mail.text).not.toContain('pottery')
    expect(mail.text).toContain(`Next session: Saturday, October 2, 2027 at 10:00`)
    expect(mail.text).toContain(`${origin}/en/digestville/opportunities/${catalogue.ids['Robotics club']}`)
    expect(mail.text).toContain(`${origin}/en/digestville/opportunities?topic=robotics`)
    expect(mail.html).toContain('<a href="https://learn.example.org/en/digestville/opportunities/')
    const unsubscribe = linkIn(mail, '/saved-searches/unsubscribe/')
    expect(headerOf(mail, 'List-Unsubscribe')).toBe(`<${unsubscribe}>`)
    expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')

    // Sent once: running again right away sends nothing, and a day with nothing new sends nothing.
    expect(await digests()).toEqual([])
    await passes(25 * HOUR)
    expect(await digests()).toEqual([])
    const lastSent = await firstRow<{ sent: boolean }>(
      t.platform.db,
      sql`select last_sent_at is not null as sent from discovery_saved_searches s
          join users u on u.id = s.user_id where u.email = ${weekly.email}`,
    )
    expect(lastSent?.sent).toBe(false)

    // A week after saving, the weekly one in French: the free ones published since it was saved.
    await passes(5 * 24 * HOUR)
    mails = await digests()
    expect(mails.map((m) => m.to[0])).toEqual([weekly.email])
    expect(mails[0]!.subject).toBe('1 nouveau résultat pour « Gratuit » à digestville')
    expect(mails[0]!.text).toContain('Club de robotique')
    expect(mails[0]!.text).toContain('Prochaine séance : samedi 2 octobre 2027')
    expect(mails[0]!.text).toContain(`${origin}/fr/digestville/opportunities/`)
    expect(mails[0]!.html).toContain('<html lang="fr" dir="ltr">')

    // The link opens a page with a button (a GET deletes nothing) …
    const guest = new Agent(t.app, '192.0.2.32')
    const path = new URL(unsubscribe).pathname
    const page = await guest.get(path)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('topic robotics')
    expect(await countFor(daily.email)).toBe(1)
    // … and a mail client's one-click POST, without cookies or CSRF token, deletes the saved search.
    const oneClick = await t.app.request(path, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(oneClick.status).toBe(200)
    expect(await oneClick.text()).toContain('The emails have stopped')
    expect(await countFor(daily.email)).toBe(0)
    // Again, or the page afterwards, says so; a made-up token is not found.
    expect((await guest.get(path)).status).toBe(200)
    expect(await guest.lastHtml).toContain('The emails have stopped')
    const forged = `${path.slice(0, -5)}AAAAA`
    expect((await guest.get(forged)).status).toBe(404)
    expect((await t.app.request(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(
      404,
    )

    await publish('Robotics after unsubscribing', { topics: ['robotics'] })
    await passes(25 * HOUR)
    expect(to(await digests(), daily.email)).toEqual([])
  })

  async function countFor(email: string) {
    const row = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from discovery_saved_searches s join users u on u.id = s.user_id
          where u.email = ${email}`,
    )
    return row?.n ?? 0
  }

  it(`lists at most ${DIGEST_SIZE} new matches, says how many more, and waits for unverified addresses`, async () => {
    const reader = await signedInPerson(t, { ip: '192.0.2.33' })
    const unverified = await signedInPerson(t, { ip: '192.0.2.34' })
    await t.platform.db.execute(
      sql`update users set email_verified_at = null where email = ${unverified.email}`,
    )
    await save(reader.agent, 'en', 'q=astronomy', 'daily')
    await save(unverified.agent, 'en', 'q=astronomy', 'daily')
    for (let i = 1; i <= DIGEST_SIZE + 2; i++)
      await publish(`Astronomy night ${i}`, { description: { en: 'Looking at the stars.' } })
    await passes(25 * HOUR)
    const mails = await digests()
    expect(mails.map((m) => m.to[0])).toEqual([reader.email])
    const mail = mails[0]!
    expect(mail.subject).toBe(`${DIGEST_SIZE + 2} new matches for “astronomy” in digestville`)
    expect(mail.text.match(/Astronomy night \d+/g)).toHaveLength(DIGEST_SIZE)
    expect(mail.text).toContain('And 2 more: see the whole search')
    expect(mail.text).toContain(`${origin}/en/digestville/opportunities?q=astronomy`)
  })

  it('runs as a recurring job', async () => {
    const person = await signedInPerson(t, { ip: '192.0.2.35' })
    await save(person.agent, 'en', 'q=calligraphy', 'daily')
    await publish('Calligraphy for all', { description: { en: 'Brush calligraphy.' } })
    await passes(25 * HOUR)
    await t.platform.jobs.enqueue(DIGEST_JOB, {})
    await t.platform.jobs.drain()
    const mail = await smtp.waitFor(person.email, 10_000)
    expect(mail.text).toContain('Calligraphy for all')
  })
})
