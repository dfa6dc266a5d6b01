import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { startTestSmtp, type TestSmtp } from '../../../test/smtp.ts'
import { rows, sql } from '../../platform/db/index.ts'
import { createCity } from '../cities/index.ts'
import { checkDueLinks, checkLink, LINK_RECHECK_DELAY_MS, recheckLinks } from './link-check.ts'
import { LINK_CHECK_JOB, LINK_RECHECK_JOB, mailNewlyBroken } from './link-check-pages.tsx'
import { insertResource } from './repository.ts'

/** The only server these tests reach, on 127.0.0.1. */
let server: http.Server
let base: string
const seen: string[] = []
/** Answers 503 to a check's first look (HEAD, then GET), then 200: a server restarting, not a dead link. */
let flakyCalls = 0

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    if (req.url === '/ok') return res.end('fine')
    if (req.url === '/flaky') return flakyCalls++ < 2 ? res.writeHead(503).end() : res.end('back')
    if (req.url === '/missing') return res.writeHead(404).end()
    if (req.url === '/slow') return
    if (req.url === '/to-private') return res.writeHead(302, { location: 'http://192.168.0.10/' }).end()
    if (req.url === '/no-head') return res.writeHead(req.method === 'HEAD' ? 405 : 200).end()
    if (req.url === '/long-page')
      return req.method === 'HEAD' ? res.writeHead(405).end() : res.end(Buffer.alloc(1_000_000, 97))
    res.writeHead(500).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

describe('checkLink', () => {
  const opts = { allowLoopback: true, timeoutMs: 400 }
  it('accepts a page that answers 200', async () => {
    expect(await checkLink(`${base}/ok`, opts)).toEqual({ url: `${base}/ok`, ok: true })
  })
  it('flags a 404, a timeout and a redirect to a private address', async () => {
    expect(await checkLink(`${base}/missing`, opts)).toMatchObject({ ok: false, problem: 'HTTP 404' })
    expect(await checkLink(`${base}/slow`, opts)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^timeout/),
    })
    expect(await checkLink(`${base}/to-private`, opts)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^blocked-address/),
    })
  })
  it('asks again with GET when a server refuses HEAD', async () => {
    seen.length = 0
    expect(await checkLink(`${base}/no-head`, opts)).toMatchObject({ ok: true })
    expect(seen).toEqual(['HEAD /no-head', 'GET /no-head'])
  })
  it('accepts a page far longer than it reads (only its start is read)', async () => {
    expect(await checkLink(`${base}/long-page`, opts)).toEqual({ url: `${base}/long-page`, ok: true })
  })
})

describe.each(engines)('weekly link check on %s', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  let cityId: number
  const ids: Record<string, number> = {}

  /** A published resource named `Resource {key}`, linking to these test-server paths or addresses. */
  const add = async (key: string, paths: string[], scope: number | null) => {
    ids[key] = (await insertResource(t.platform.db, {
      cityId: scope,
      title: { en: `Resource ${key}` },
      summary: {},
      links: paths.map((p) => ({ url: p.startsWith('http') ? p : `${base}${p}`, rel: 'self' as const })),
      type: 'guide',
      publisher: '',
      year: null,
      languages: [],
      topics: [],
      status: 'published',
    }))!
  }

  beforeAll(async () => {
    smtp = await startTestSmtp()
    t = await testPlatform(engine, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://learn.example.org' })
    const city = await createCity(t.platform, {
      slug: 'lakeside',
      name: { en: 'Lakeside' },
      defaultLanguage: 'en',
      timeZone: 'UTC',
    })
    if (!city.ok) throw new Error('city')
    cityId = city.value
    await add('fine', ['/ok', '/no-head'], null)
    await add('gone', ['/ok', '/missing'], null)
    await add('hidden', ['/to-private'], cityId)
    await add('elsewhere', ['https://example.org/never-fetched'], cityId)
    await add('flaky', ['/flaky'], cityId)
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })

  const opts = { allowLoopback: true, timeoutMs: 400 }
  let firstRun: Awaited<ReturnType<typeof recheckLinks>>
  /** The weekly check and, at once, its second look at what failed. */
  const check = async () => {
    const first = await checkDueLinks(t.platform, opts)
    return { checked: first.checked, ...(await recheckLinks(t.platform, first.suspects, opts)) }
  }

  it('records ok and broken per resource, with what went wrong for each broken link', async () => {
    flakyCalls = 0
    const result = await check()
    firstRun = result
    expect({ checked: result.checked, broken: result.broken }).toEqual({ checked: 5, broken: 3 })
    // Everything broken is new the first time; a link that failed once and answered when asked again is not.
    expect([...result.newlyBroken.keys()].sort()).toEqual([cityId, null].sort())
    expect(result.newlyBroken.get(null)?.map((r) => r.id)).toEqual([ids.gone])
    expect(result.newlyBroken.get(cityId)?.map((r) => r.id)).toEqual([ids.hidden, ids.elsewhere])
    const found = await rows<{ id: number; status: string; error: string | null; checked: boolean }>(
      t.platform.db,
      sql`select id::int as id, link_status as status, link_error as error, last_checked_at is not null as checked
          from hub_resources order by id`,
    )
    const by = (key: string) => found.find((r) => r.id === ids[key])!
    expect(by('fine')).toMatchObject({ status: 'ok', error: null, checked: true })
    expect(by('gone')).toMatchObject({ status: 'broken', error: `${base}/missing — HTTP 404` })
    expect(by('hidden').error).toContain('blocked-address')
    // A test run never leaves the machine: a public address is refused, not fetched.
    expect(by('elsewhere').error).toContain('non-loopback address (test run)')
    expect(by('flaky')).toMatchObject({ status: 'ok', error: null })
    // HEAD and GET failed the first look; HEAD answered the second.
    expect(flakyCalls).toBe(3)
  })

  it('emails each scope’s curators about what newly broke, once, in their language', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const admin = await signedInPerson(t, { isNetworkAdmin: true })
    const bystander = await signedInPerson(t)
    await mailNewlyBroken(t.platform, firstRun.newlyBroken)
    await t.platform.jobs.drain()
    const toAdmin = await smtp.waitFor(admin.email, 10_000)
    expect(toAdmin.subject).toBe('1 resource in the knowledge hub lost a link')
    expect(toAdmin.text).toContain('Resource gone (https://learn.example.org/en/lakeside/hub/resources/')
    expect(toAdmin.text).toContain(`${base}/missing — HTTP 404`)
    expect(toAdmin.text).toContain('https://learn.example.org/en/lakeside/hub/broken-links')
    expect(toAdmin.text).toContain('because you curate the knowledge hub of the whole network')
    const toCoordinator = await smtp.waitFor(coordinator.email, 10_000)
    expect(toCoordinator.subject).toBe('2 resources in the knowledge hub lost a link')
    expect(toCoordinator.text).toContain('Resource hidden')
    expect(toCoordinator.text).toContain('Resource elsewhere')
    expect(toCoordinator.text).not.toContain('Resource gone')
    expect(toCoordinator.text).toContain('because you curate the Lakeside knowledge hub')
    expect(smtp.messages.some((m) => m.to.includes(bystander.email))).toBe(false)
    // Next week the same links are still broken: still flagged, but nothing new to mail.
    const again = await check()
    expect(again.broken).toBe(3)
    expect(again.newlyBroken.size).toBe(0)
  })

  it('shows the city’s broken links to its coordinator and is scheduled weekly', async () => {
    const coordinator = await signedInPerson(t, { coordinatorOf: cityId })
    const html = await (await coordinator.agent.get('/en/lakeside/hub/broken-links')).text()
    expect(html).toContain('Resource hidden')
    expect(html).toContain('Resource elsewhere')
    expect(html).not.toContain('Resource gone')
    const admin = await signedInPerson(t, { isNetworkAdmin: true })
    const network = await (await admin.agent.get('/en/lakeside/hub/broken-links')).text()
    expect(network).toContain('Resource gone')
    expect(network).toContain(`${base}/missing — HTTP 404`)
    const { knowledgeHubModule } = await import('./module.ts')
    expect(knowledgeHubModule.recurring?.[LINK_CHECK_JOB]).toBe(7 * 24 * 3600_000)
  })

  it('runs as jobs: the weekly check queues its second look for later, which flags and mails what still fails', async () => {
    const admin = await signedInPerson(t, { isNetworkAdmin: true })
    await add('dead', ['/missing'], null)
    const dead = ids.dead!
    flakyCalls = 0
    await t.platform.jobs.enqueue(LINK_CHECK_JOB)
    const asked = Date.now()
    await t.platform.jobs.drain()
    const [later] = await rows<{ runAt: Date; payload: { suspects: { id: number }[] } }>(
      t.platform.db,
      sql`select run_at as "runAt", payload from jobs where name = ${LINK_RECHECK_JOB} and status = 'queued'`,
    )
    const failedFirst = [ids.gone!, ids.hidden!, ids.elsewhere!, ids.flaky!, dead].sort((x, y) => x - y)
    expect(later!.payload.suspects.map((s) => s.id)).toEqual(failedFirst)
    const wait = new Date(later!.runAt).getTime() - asked
    expect(wait).toBeGreaterThan(LINK_RECHECK_DELAY_MS - 60_000)
    expect(wait).toBeLessThan(LINK_RECHECK_DELAY_MS + 60_000)
    // Nothing is flagged until the second look.
    const statusOf = async (id: number) =>
      (
        await rows<{ s: string }>(
          t.platform.db,
          sql`select link_status as s from hub_resources where id = ${id}`,
        )
      )[0]?.s
    expect(await statusOf(dead)).toBe('unknown')

    await t.platform.db.execute(sql`update jobs set run_at = now() where name = ${LINK_RECHECK_JOB}`)
    await t.platform.jobs.drain()
    expect(await statusOf(dead)).toBe('broken')
    expect(await statusOf(ids.flaky!)).toBe('ok')
    const mail = await smtp.waitFor(admin.email, 10_000, (m) => m.text.includes('Resource dead'))
    expect(mail.subject).toBe('1 resource in the knowledge hub lost a link')
    expect(mail.text).not.toContain('Resource gone')
  })
})
