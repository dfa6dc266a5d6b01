import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../../test/agent.ts'
import { testCatalogue } from '../../../../test/catalogue.ts'
import { signedInPerson } from '../../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../../test/platform.ts'
import { firstRow, sql } from '../../../platform/db/index.ts'
import { haversineKm } from '../../../platform/geo/index.ts'
import { bookPlaces } from '../../registrations/index.ts'
import { walkingMinutes } from './place.ts'
import { whatNext } from './suggestions.ts'

/** The cards of a suggestions page as [title, reason] text. */
function cards(html: string): [string, string][] {
  const text = (s: string) =>
    s
      .replace(/<span class="visually-hidden">[^<]*<\/span>/g, '')
      .replace(/<[^>]+>/g, '')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .trim()
  return [...html.matchAll(/<li class="card"><h2>(.*?)<\/h2>.*?<p class="reason">(.*?)<\/p><\/li>/gs)].map(
    (m) => [text(m[1]!), text(m[2]!)],
  )
}

describe.each(engines)('"what next?" on %s', (engine) => {
  let t: TestPlatform
  let catalogue: Awaited<ReturnType<typeof testCatalogue>>
  let other: Awaited<ReturnType<typeof testCatalogue>>
  let coordinator: Agent
  // The centre of the district 'north' below, and a place 600 m north-east of it.
  const centre = { lat: 42.02, lon: -87.65 }
  const near = { lat: 42.024, lon: -87.645 }

  const firstSession = async (name: string) =>
    (await firstRow<{ id: number }>(
      t.platform.db,
      sql`select id::int as id from opportunity_sessions where opportunity_id = ${catalogue.ids[name]!}
          order by starts_at limit 1`,
    ))!.id

  beforeAll(async () => {
    t = await testPlatform(engine)
    catalogue = await testCatalogue(t, 'nextville')
    const { add, city } = catalogue
    // One district: a rectangle around the city's north side.
    await catalogue.district('north', 'North', [-87.7, 41.99, -87.6, 42.05])
    const library = await catalogue.provider('north-library', 'library')
    const club = await catalogue.provider('south-club', 'community')
    const paid = { cost: { free: false, price: 20, currency: 'USD' } }
    const far = { lat: 41.8, lon: -87.6 }
    // Saturday mornings; the learners below book it.
    await add('Robotics 1', library, { title: { en: 'Robotics 1' }, topics: ['Robotics'] })
    // Saturday afternoons near the district's centre, free, same topic and provider.
    await add('Robotics 2', library, {
      title: { en: 'Robotics 2' },
      topics: ['robotics', 'Coding'],
      ...near,
      schedule: {
        kind: 'series',
        start: '2027-10-02T14:00',
        durationMinutes: 60,
        rrule: 'FREQ=WEEKLY;BYDAY=SA;COUNT=4',
      },
    })
    const wednesday = { kind: 'once', start: '2027-10-06T18:00', durationMinutes: 60 }
    await add('Featured talk', club, {
      title: { en: 'Featured talk' },
      topics: ['history'],
      ...paid,
      ...far,
      schedule: wednesday,
    })
    await add('Old feature', club, {
      title: { en: 'Old feature' },
      topics: ['history'],
      ...paid,
      ...far,
      schedule: wednesday,
    })
    await add('Pottery', club, {
      title: { en: 'Pottery' },
      topics: ['Ceramics'],
      ...paid,
      ...far,
      schedule: wednesday,
    })
    await add('Full', club, {
      title: { en: 'Full' },
      topics: ['x'],
      capacity: 1,
      ...far,
      schedule: wednesday,
    })
    await add('Cancelled', club, { title: { en: 'Cancelled' }, topics: ['x'], ...far, schedule: wednesday })
    await add('Soon free', club, {
      title: { en: 'Soon free' },
      topics: ['x'],
      ...far,
      schedule: { kind: 'once', start: '2027-09-30T18:00', durationMinutes: 60 },
    })
    await t.platform.db.execute(
      sql`update opportunity_sessions set cancelled = true where opportunity_id = ${catalogue.ids.Cancelled!}`,
    )
    const guest = { kind: 'guest' as const, name: 'Someone', email: 'someone@example.org' }
    const booked = await bookPlaces(t.platform, {
      cityId: city.id,
      opportunityId: catalogue.ids.Full!,
      session: await firstSession('Full'),
      booker: guest,
      language: 'en',
      joinWaitlist: false,
    })
    expect(booked.ok).toBe(true)

    other = await testCatalogue(t, 'elsewhere')
    const theirs = await other.provider('their-club', 'community')
    await other.add('Elsewhere', theirs, { title: { en: 'Elsewhere free' } })

    coordinator = (await signedInPerson(t, { coordinatorOf: city.id })).agent
    const featured = await coordinator.submit('/en/nextville/admin/featured', {
      opportunity: `http://localhost:3000/en/nextville/opportunities/${catalogue.ids['Featured talk']}`,
      until: '2030-01-31',
    })
    expect(featured.status).toBe(303)
    // Featuring that ended yesterday, and another city's featuring of its own opportunity.
    await t.platform.db.execute(
      sql`insert into discovery_featured (city_id, opportunity_id, featured_by, until) values
          (${city.id}, ${catalogue.ids['Old feature']!}, 1, now() - interval '1 day'),
          (${other.city.id}, ${other.ids.Elsewhere!}, 1, null)`,
    )
  })
  afterAll(() => t.close())

  /** A learner who booked Robotics 1 and learns near the district 'north'. */
  async function robotLearner() {
    const learner = await signedInPerson(t)
    const result = await bookPlaces(t.platform, {
      cityId: catalogue.city.id,
      opportunityId: catalogue.ids['Robotics 1']!,
      session: await firstSession('Robotics 1'),
      booker: { kind: 'account', userId: learner.userId, name: 'Learner', email: learner.email },
      language: 'en',
      joinWaitlist: false,
    })
    expect(result.ok).toBe(true)
    const saved = await learner.agent.submit('/en/nextville/next/preferences', {
      district: 'north',
      more: '',
    })
    expect(saved.status).toBe(303)
    return learner
  }

  it('explains a suggestion in one sentence: free, the walk, the usual day and what it follows', async () => {
    const { agent } = await robotLearner()
    const res = await agent.get('/en/nextville/next')
    expect(res.status).toBe(200)
    const found = cards(await res.text())
    const minutes = walkingMinutes(haversineKm(centre.lat, centre.lon, near.lat, near.lon))
    expect(minutes).toBe(9)
    expect(found).toContainEqual([
      'Robotics 2',
      `Free, ${minutes} minutes' walk, Saturdays, follows Robotics 1`,
    ])
  })

  it('puts featured ones first, never lists a booked, full or cancelled one, nor an ended featuring', async () => {
    const { agent } = await robotLearner()
    const titles = cards(await (await agent.get('/en/nextville/next')).text()).map(([title]) => title)
    expect(titles[0]).toBe('Featured talk')
    expect(titles).toContain('Robotics 2')
    for (const absent of ['Robotics 1', 'Full', 'Cancelled', 'Old feature', 'Pottery', 'Elsewhere free'])
      expect(titles).not.toContain(absent)
  })

  it('offers someone it knows nothing of what is featured and free ones, soonest first, and asks for interests', async () => {
    const { agent, userId } = await signedInPerson(t)
    const html = await (await agent.get('/en/nextville/next')).text()
    expect(html).toContain('Choose your interests')
    expect(cards(html)).toEqual([
      ['Featured talk', 'Featured by the city'],
      ['Soon free', 'Free'],
      ['Robotics 1', 'Free'],
      ['Robotics 2', 'Free'],
    ])
    const again = await whatNext(t.platform.db, catalogue.city, userId, 'en', new Date())
    expect(again.knowsNothing).toBe(true)
    expect(catalogue.names(again.suggestions)).toEqual([
      'Featured talk',
      'Soon free',
      'Robotics 1',
      'Robotics 2',
    ])
  })

  it('suggests by interests, and never another city’s opportunities even when that city features them', async () => {
    const { agent, userId } = await signedInPerson(t)
    await agent.submit('/en/nextville/next/preferences', { more: 'ceramics' })
    const found = cards(await (await agent.get('/en/nextville/next')).text())
    expect(found).toContainEqual(['Pottery', 'About ceramics'])
    const there = await whatNext(t.platform.db, other.city, userId, 'en', new Date())
    expect(other.names(there.suggestions)).toEqual(['Elsewhere'])
    expect(there.suggestions[0]!.reasons.map((r) => r.key)).toEqual(['featured', 'free'])
  })

  it('suggests what builds on a badge held and what earns a badge not held yet, and says so', async () => {
    const { agent, userId } = await signedInPerson(t)
    const cityId = catalogue.city.id
    const badge = async (name: string, tags: string[], opportunityIds: number[]) =>
      (await firstRow<{ id: number }>(
        t.platform.db,
        sql`insert into badge_achievements (city_id, type, name, description, criteria, tags, opportunity_ids)
            values (${cityId}, 'city', ${JSON.stringify({ en: name })}::jsonb, '{"en":"-"}'::jsonb,
              '{"en":"-"}'::jsonb, ${`{${tags.join(',')}}`}::text[], ${`{${opportunityIds.join(',')}}`}::bigint[])
            returning id::int as id`,
      ))!.id
    const award = (achievementId: number, status: string, n: number) =>
      t.platform.db.execute(
        sql`insert into badge_awards (city_id, uuid, achievement_id, issuer_id, recipient_user_id, credential,
              status_index, status, path, issued_at)
            values (${cityId}, ${`uuid-${achievementId}-${n}`}, ${achievementId}, 1, ${userId}, '{}'::jsonb,
              ${achievementId * 10 + n}, ${status}, 'manual', now())`,
      )
    await award(await badge('Coding Explorer', ['Coding'], []), 'active', 1)
    // A revoked badge is not held: its topic gives no reason.
    await award(await badge('Lapsed Historian', ['history'], []), 'revoked', 2)
    await badge('Clay Badge', [], [catalogue.ids.Pottery!])
    const found = cards(await (await agent.get('/en/nextville/next')).text())
    expect(found).toContainEqual(['Robotics 2', 'Free, builds on your badge Coding Explorer'])
    expect(found).toContainEqual(['Pottery', 'Earns the badge Clay Badge'])
    expect(found.find(([title]) => title === 'Featured talk')?.[1]).toBe('Featured by the city')
    const held = await whatNext(t.platform.db, catalogue.city, userId, 'en', new Date())
    expect(held.knowsNothing).toBe(false)
    // Once it holds the Clay Badge, Pottery no longer promises it.
    await award(
      (await firstRow<{ id: number }>(
        t.platform.db,
        sql`select id::int as id from badge_achievements where name->>'en' = 'Clay Badge'`,
      ))!.id,
      'active',
      3,
    )
    const after = cards(await (await agent.get('/en/nextville/next')).text())
    expect(after.find(([title]) => title === 'Pottery')).toBeUndefined()
    // An archived badge is promised to nobody (nor to the other tests' learners).
    await t.platform.db.execute(
      sql`update badge_achievements set archived_at = now() where city_id = ${cityId}`,
    )
    const someone = await signedInPerson(t)
    const theirs = cards(await (await someone.agent.get('/en/nextville/next')).text())
    expect(theirs.find(([title]) => title === 'Pottery')).toBeUndefined()
  })

  it('asks anonymous readers to sign in and brings them back', async () => {
    const res = await new Agent(t.app).get('/en/nextville/next')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(
      `/en/account/sign-in?next=${encodeURIComponent('/en/nextville/next')}`,
    )
  })

  it('rejects bad preferences with an error summary, keeps what was typed, and deletes them', async () => {
    const { agent } = await signedInPerson(t)
    const bad = await agent.submit('/en/nextville/next/preferences', {
      more: 'chess, <b>x</b>',
      district: 'atlantis',
    })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('class="error-summary"')
    expect(html).toContain('href="#more"')
    expect(html).toContain('href="#district"')
    expect(html).toContain('value="chess, &lt;b&gt;x&lt;/b&gt;"')
    expect(html).not.toContain('<b>x</b>')

    expect(
      (await agent.submit('/en/nextville/next/preferences', { more: 'Chess', district: 'north' })).status,
    ).toBe(303)
    const form = await (await agent.get('/en/nextville/next/preferences')).text()
    expect(form).toMatch(/value="chess" checked/)
    expect(form).toMatch(/<option value="north" selected/)
    expect((await agent.post('/en/nextville/next/preferences/delete', {})).status).toBe(303)
    const cleared = await (await agent.get('/en/nextville/next/preferences')).text()
    expect(cleared).not.toMatch(/value="chess" checked/)
    expect(cleared).not.toContain('Delete my interests and district')
  })

  it('lets only coordinators feature: others get 403, and only published opportunities of the city', async () => {
    const learner = (await signedInPerson(t)).agent
    expect((await learner.get('/en/nextville/admin/featured')).status).toBe(403)
    const before = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from discovery_featured`,
    )
    const sneaky = await learner.post('/en/nextville/admin/featured', {
      opportunity: String(catalogue.ids.Pottery),
    })
    expect(sneaky.status).toBe(403)
    expect(
      (await learner.post(`/en/nextville/admin/featured/${catalogue.ids['Featured talk']}/remove`, {}))
        .status,
    ).toBe(403)
    const after = await firstRow<{ n: number }>(
      t.platform.db,
      sql`select count(*)::int as n from discovery_featured`,
    )
    expect(after).toEqual(before)

    const page = await (await coordinator.get('/en/nextville/admin/featured')).text()
    expect(page).toContain('Featured until January 31, 2030')
    expect(page).toContain('Ended on')
    const theirs = await coordinator.post('/en/nextville/admin/featured', {
      opportunity: String(other.ids.Elsewhere),
    })
    expect(theirs.status).toBe(400)
    expect(await theirs.text()).toContain(
      `There is no published opportunity number ${other.ids.Elsewhere} in nextville`,
    )
    const elsewhere = await coordinator.post('/en/nextville/admin/featured', {
      opportunity: `/en/elsewhere/opportunities/${other.ids.Elsewhere}`,
    })
    expect(await elsewhere.text()).toContain('That address is an opportunity of another city')
  })

  it('stops featuring what a coordinator removes', async () => {
    const id = catalogue.ids.Pottery!
    expect(
      (await coordinator.submit('/en/nextville/admin/featured', { opportunity: String(id) })).status,
    ).toBe(303)
    const { userId } = await signedInPerson(t)
    const featured = await whatNext(t.platform.db, catalogue.city, userId, 'en', new Date())
    expect(catalogue.names(featured.suggestions).slice(0, 2)).toEqual(['Featured talk', 'Pottery'])
    await coordinator.get('/en/nextville/admin/featured')
    expect((await coordinator.post(`/en/nextville/admin/featured/${id}/remove`, {})).status).toBe(303)
    const after = await whatNext(t.platform.db, catalogue.city, userId, 'en', new Date())
    expect(catalogue.names(after.suggestions)).not.toContain('Pottery')
  })
})
