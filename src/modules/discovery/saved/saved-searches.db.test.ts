import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../../test/agent.ts'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { rows, sql } from '../../../platform/db/index.ts'
import { MAX_SAVED_PER_PERSON } from './saved-searches.ts'

interface Stored {
  id: number
  userId: number
  name: string
  query: string
  language: string
  frequency: string
}

describe.each(engines)('saving searches on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  const city = '/en/savetown'
  const saved = `${city}/saved-searches`

  beforeAll(async () => {
    t = await testPlatform(engine)
    cityId = (await testCatalogue(t, 'savetown')).city.id
  })
  afterAll(async () => {
    await t?.close()
  })

  const storedOf = (userId: number) =>
    rows<Stored>(
      t.platform.db,
      sql`select id::int as id, user_id::int as "userId", name, query, language, frequency
          from discovery_saved_searches where city_id = ${cityId} and user_id = ${userId} order by id`,
    )

  /** Posts the search page's "Save this search" form, as a signed-in page carries its CSRF token. */
  async function save(agent: Agent, fields: Record<string, string>, path = saved) {
    await agent.get(saved)
    return agent.post(path, { query: '', name: '', frequency: 'weekly', ...fields })
  }

  it('asks a guest to sign in and brings them back to a form that saves the search', async () => {
    const guest = new Agent(t.app, '192.0.2.10')
    await guest.get('/en/account/sign-in')
    const res = await guest.post(saved, { query: 'free=yes', name: 'Free things', frequency: 'daily' })
    expect(res.status).toBe(303)
    const signIn = new URL(res.headers.get('location')!, 'http://x')
    expect(signIn.pathname).toBe('/en/account/sign-in')
    const next = signIn.searchParams.get('next')!
    expect(next).toBe(`${saved}/new?query=free%3Dyes&name=Free+things&frequency=daily`)
    // The list is for signed-in people too.
    const list = await guest.get(saved)
    expect(list.status).toBe(303)
    expect(list.headers.get('location')).toContain('/en/account/sign-in?next=')

    const person = await signedInPerson(t, { ip: '192.0.2.11' })
    const form = await person.agent.get(next)
    expect(form.status).toBe(200)
    const html = await form.text()
    expect(html).toContain('Free')
    expect(html).toContain('value="Free things"')
    expect(html).toMatch(/value="daily"[^>]*checked/)
    const done = await person.agent.post(`${saved}`, {
      query: 'free=yes',
      name: 'Free things',
      frequency: 'daily',
    })
    expect(done.status).toBe(303)
    const [row] = await storedOf(person.userId)
    expect(row).toMatchObject({ name: 'Free things', query: 'free=yes', frequency: 'daily', language: 'en' })
    expect(done.headers.get('location')).toBe(`${saved}?saved=${row!.id}`)
    const page = await person.agent.get(done.headers.get('location')!)
    expect(await page.text()).toContain('Saved “Free things”. We will email you once a day')
  })

  it('keeps the canonical query, names a search after its filters, and saves the same search once', async () => {
    const { agent, userId } = await signedInPerson(t, { ip: '192.0.2.12' })
    const first = await save(agent, { query: '?topic=Music,art&free=yes&utm_source=mail&page=3' })
    expect(first.status).toBe(303)
    const [row] = await storedOf(userId)
    expect(row!.query).toBe('topic=art%2Cmusic&free=yes')
    expect(row!.name).toBe('topic art or music · Free')
    expect(row!.frequency).toBe('weekly')

    // The same filters in another order and spelling, from the French page: one saved search, updated.
    const again = await save(
      agent,
      { query: 'free=yes&topic=music&topic=ART', frequency: 'daily' },
      `/fr/savetown/saved-searches`,
    )
    expect(again.headers.get('location')).toBe(`/fr/savetown/saved-searches?updated=${row!.id}`)
    const after = await storedOf(userId)
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ frequency: 'daily', language: 'fr', name: 'topic art or music · Free' })
    // The form after signing in says so too.
    const form = await agent.get(`${saved}/new?query=${encodeURIComponent('topic=music,art&free=yes')}`)
    expect(await form.text()).toContain(
      'You saved this search already as “topic art or music · Free”, emailed once a day.',
    )
    const list = await agent.get(`${saved}?updated=${row!.id}`)
    const html = await list.text()
    expect(html).toContain('You had saved this search already.')
    expect(html).toContain(`href="${city}/opportunities?topic=art%2Cmusic&amp;free=yes"`)

    // "Everything" is a search too, and a name given is kept as typed (on one line).
    await save(agent, { query: '', name: '  Anything\nnew\u202E  ' })
    expect((await storedOf(userId)).map((s) => [s.query, s.name])).toEqual([
      ['topic=art%2Cmusic&free=yes', 'topic art or music · Free'],
      ['', 'Anything new'],
    ])
  })

  it('refuses a bad query, name or frequency with a specific error and stores nothing', async () => {
    const { agent, userId } = await signedInPerson(t, { ip: '192.0.2.13' })
    const bad = await save(agent, { query: 'age=old&lat=99&when=someday' })
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain('error-summary')
    expect(html).toContain('This search has filters that cannot be used (lat, when, age)')
    const long = await save(agent, { query: 'free=yes', name: 'x'.repeat(101) })
    expect(long.status).toBe(422)
    expect(await long.text()).toContain('Enter a name of at most 100 characters.')
    const often = await save(agent, { query: 'free=yes', frequency: 'hourly' })
    expect(often.status).toBe(422)
    expect(await often.text()).toContain('Choose daily or weekly.')
    const huge = await save(agent, { query: `q=${'a'.repeat(2100)}` })
    expect(await huge.text()).toContain('too long to save')
    expect(await storedOf(userId)).toEqual([])
  })

  it(`stops at ${MAX_SAVED_PER_PERSON} saved searches a person, but still updates one of them`, async () => {
    const { agent, userId } = await signedInPerson(t, { ip: '192.0.2.14' })
    await t.platform.db.execute(
      sql`insert into discovery_saved_searches (city_id, user_id, name, query, language, frequency, key)
          select ${cityId}, ${userId}, 'n' || i, 'age=' || i, 'en', 'weekly', 'key-limit-${sql.raw(engine)}-' || i
          from generate_series(1, ${MAX_SAVED_PER_PERSON}) as i`,
    )
    const refused = await save(agent, { query: 'free=yes' })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain(`You have saved ${MAX_SAVED_PER_PERSON} searches`)
    const updated = await save(agent, { query: 'age=7', frequency: 'daily' })
    expect(updated.status).toBe(303)
    expect(await storedOf(userId)).toHaveLength(MAX_SAVED_PER_PERSON)
  })

  it('lets a person change how often and in which language, and delete, only their own', async () => {
    const owner = await signedInPerson(t, { ip: '192.0.2.15' })
    const other = await signedInPerson(t, { ip: '192.0.2.16' })
    await save(owner.agent, { query: 'format=online' })
    const [row] = await storedOf(owner.userId)
    const id = row!.id

    await other.agent.get(saved)
    expect((await other.agent.post(`${saved}/${id}`, { frequency: 'daily', language: 'es' })).status).toBe(
      404,
    )
    expect((await other.agent.post(`${saved}/${id}/delete`, {})).status).toBe(404)
    expect(await other.agent.get(saved).then((r) => r.text())).not.toContain('Online')
    expect((await storedOf(owner.userId))[0]).toMatchObject({ frequency: 'weekly', language: 'en' })

    await owner.agent.get(saved)
    const bad = await owner.agent.post(`${saved}/${id}`, { frequency: 'daily', language: 'de' })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain(`href="#language-${id}"`)
    const changed = await owner.agent.post(`${saved}/${id}`, { frequency: 'daily', language: 'es' })
    expect(changed.headers.get('location')).toBe(`${saved}?changed=${id}`)
    const list = await (await owner.agent.get(`${saved}?changed=${id}`)).text()
    expect(list).toContain('Changes saved.')
    expect(list).toMatch(/<option value="daily" selected/)
    expect(list).toMatch(/<option value="es" lang="es" selected/)
    expect((await storedOf(owner.userId))[0]).toMatchObject({ frequency: 'daily', language: 'es' })

    const deleted = await owner.agent.post(`${saved}/${id}/delete`, {})
    expect(deleted.headers.get('location')).toBe(`${saved}?deleted=1`)
    expect(await (await owner.agent.get(`${saved}?deleted=1`)).text()).toContain(
      'You have no saved searches yet.',
    )
    expect(await storedOf(owner.userId)).toEqual([])
    // Posts without the page's CSRF token are refused.
    expect(
      (await owner.agent.post(saved, { query: 'free=yes', frequency: 'weekly' }, { csrf: false })).status,
    ).toBe(403)
  })

  it('is in the navigation of signed-in people only, and needs a city', async () => {
    const { agent } = await signedInPerson(t, { ip: '192.0.2.17' })
    expect(await (await agent.get(`${city}/opportunities`)).text()).toContain(`href="${saved}"`)
    const guest = new Agent(t.app, '192.0.2.18')
    expect(await (await guest.get(`${city}/opportunities`)).text()).not.toContain(`href="${saved}"`)
    expect((await agent.get('/en/nowhere/saved-searches')).status).toBe(404)
  })
})
