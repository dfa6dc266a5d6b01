import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { testCatalogue } from '../../../test/catalogue.ts'
import { opportunityFactory } from '../../../test/factories.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { modules } from '../../app.ts'
import { firstRow, rows, sql } from '../../platform/db/index.ts'
import { personalDataParts } from '../../platform/personal-data.ts'
import { awardManually, type BadgeActor, defineAchievement, setVisibility } from '../badges/index.ts'
import { independentVerifier } from '../badges/issue/independent-verifier.ts'
import { listAwardsWithRecipients } from '../badges/repository.ts'
import { createOpportunity, listSessions } from '../opportunities/index.ts'
import { addStaff } from '../organizations/index.ts'
import { bookPlaces } from '../registrations/index.ts'
import { createVerifiedUser, signIn, signUp } from './index.ts'
import { deleteMyAccount, exportFileName } from './privacy.ts'

const PASSWORD = 'correct horse battery staple'
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')

/** Rows of a person in every table that holds their id or address, counted. */
async function footprint(t: TestPlatform, userId: number, email: string) {
  const count = async (query: ReturnType<typeof sql>) =>
    (await firstRow<{ n: number }>(t.platform.db, query))?.n ?? 0
  return {
    users: await count(sql`select count(*)::int as n from users where id = ${userId}`),
    sessions: await count(sql`select count(*)::int as n from sessions where user_id = ${userId}`),
    cityRoles: await count(sql`select count(*)::int as n from city_roles where user_id = ${userId}`),
    bookings: await count(sql`select count(*)::int as n from registrations where user_id = ${userId}`),
    savedSearches: await count(
      sql`select count(*)::int as n from discovery_saved_searches where user_id = ${userId}`,
    ),
    interests: await count(
      sql`select count(*)::int as n from discovery_learner_preferences where user_id = ${userId}`,
    ),
    walletImports: await count(
      sql`select count(*)::int as n from badge_wallet_imports where user_id = ${userId}`,
    ),
    evidence: await count(
      sql`select count(*)::int as n from badge_evidence_submissions where learner_user_id = ${userId}`,
    ),
    awards: await count(sql`select count(*)::int as n from badge_awards where recipient_user_id = ${userId}`),
    staff: await count(sql`select count(*)::int as n from organization_staff where user_id = ${userId}`),
    orgAudit: await count(sql`select count(*)::int as n from organization_changes where user_id = ${userId}`),
    opportunityAudit: await count(
      sql`select count(*)::int as n from opportunity_changes where actor_user_id = ${userId}`,
    ),
    contributions: await count(
      sql`select count(*)::int as n from hub_resources where submitted_by = ${userId}`,
    ),
    subscriptions: await count(sql`select count(*)::int as n from hub_subscriptions where email = ${email}`),
    feeds: await count(
      sql`select count(*)::int as n from harvest_feeds where created_by_user_id = ${userId}`,
    ),
    webhooks: await count(
      sql`select count(*)::int as n from webhook_subscriptions where created_by_user_id = ${userId}`,
    ),
  }
}

/**
 * Every column that can point to a person, with what the deletion does with it (docs/privacy.md).
 * A new one fails the test below until its module's personal-data.ts and the docs handle it.
 */
const PERSON_COLUMNS = [
  'api_keys.created_by_user_id',
  'badge_achievements.created_by_user_id',
  'badge_awards.awarded_by_user_id',
  'badge_awards.recipient_user_id',
  'badge_claim_codes.created_by_user_id',
  'badge_claim_codes.revoked_by_user_id',
  'badge_evidence_submissions.learner_user_id',
  'badge_evidence_submissions.reviewed_by_user_id',
  'badge_wallet_imports.user_id',
  'city_roles.user_id',
  'discovery_featured.featured_by',
  'discovery_learner_preferences.user_id',
  'discovery_saved_searches.user_id',
  'email_tokens.user_id',
  'harvest_feeds.created_by_user_id',
  'hub_newsletter_issues.created_by',
  'hub_newsletter_issues.sent_by',
  'hub_resources.reviewed_by',
  'hub_resources.submitted_by',
  'hub_subscriptions.email',
  // A worker's name, not a person.
  'jobs.locked_by',
  'mail_outbox.to_address',
  // A provider's public contact, kept (docs/privacy.md).
  'opportunities.contact_email',
  'opportunity_changes.actor_user_id',
  'opportunity_imports.created_by_user_id',
  'organization_changes.user_id',
  'organization_invitations.accepted_by_user_id',
  'organization_invitations.email',
  'organization_invitations.invited_by_user_id',
  'organization_staff.user_id',
  'organizations.contact_email',
  'registrations.email',
  'registrations.user_id',
  'sessions.user_id',
  'users.email',
  'users.email_verified_at',
  'webhook_subscriptions.created_by_user_id',
]

describe.each(engines)('downloading my data and deleting my account on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let makers: number
  let opportunityId: number
  let sessionId: number
  let achievementId: number
  let issuer: BadgeActor
  let n = 0

  async function account(name: string) {
    const email = `${name}-${n++}-${engine}@example.org`
    const userId = await createVerifiedUser(t.platform, {
      email,
      password: PASSWORD,
      displayName: name,
      language: 'en',
    })
    const agent = new Agent(t.app)
    const res = await agent.submit('/en/account/sign-in', { email, password: PASSWORD })
    if (res.status !== 303) throw new Error(`sign-in ${res.status}`)
    return { userId, email, agent, name }
  }

  /** A person with data in every module: a booking, a saved search, badges, staff work, hub, feeds. */
  async function personWithData(name: string) {
    const p = await account(name)
    const db = t.platform.db
    await db.execute(
      sql`insert into city_roles (city_id, user_id, role) values (${cityId}, ${p.userId}, 'learner')`,
    )
    await addStaff(t.platform, cityId, makers, p.userId, 'editor')
    const booked = await bookPlaces(t.platform, {
      cityId,
      opportunityId,
      session: sessionId,
      booker: { kind: 'account', userId: p.userId, name: p.name, email: p.email },
      language: 'en',
      joinWaitlist: true,
    })
    if (!booked.ok) throw new Error(`booking: ${booked.error}`)
    await db.execute(
      sql`insert into discovery_saved_searches (city_id, user_id, name, query, language, key)
          values (${cityId}, ${p.userId}, ${`${name}'s robots`}, 'q=robots', 'en', ${`digest-key-${name}-${n}`})`,
    )
    await db.execute(
      sql`insert into discovery_learner_preferences (city_id, user_id, interests)
          values (${cityId}, ${p.userId}, '{robotics}')`,
    )
    await db.execute(
      sql`insert into badge_wallet_imports (user_id, format, baked, source, credential, image, fingerprint, name,
            verdict, report, verified_at)
          values (${p.userId}, 'json-ld', 'png', 'file', '{"type":["VerifiableCredential"]}', ${PNG},
            ${`fp-${name}`}, 'Imported badge', 'valid', '{}'::jsonb, now())`,
    )
    await db.execute(
      sql`insert into badge_evidence_submissions (city_id, achievement_id, organization_id, learner_user_id,
            narrative, links, file, file_type, file_size)
          values (${cityId}, ${achievementId}, ${makers}, ${p.userId}, ${`${name} built a robot`},
            '{https://example.org/robot}', ${PNG}, 'image/png', ${PNG.length})`,
    )
    const awarded = await awardManually(t.platform, issuer, cityId, achievementId, makers, [p.email])
    if (!awarded.ok) throw new Error(JSON.stringify(awarded))
    const award = awarded.value[0]!
    await setVisibility(t.platform, p.userId, award.uuid, 'public')
    const made = await createOpportunity(
      t.platform,
      {
        userId: p.userId,
        label: p.name,
        cityId,
        timeZone: 'America/Chicago',
        coordinator: false,
        organizations: [{ id: makers, role: 'editor', trusted: true }],
      },
      makers,
      opportunityFactory({ title: { en: `${name}'s workshop` } }),
      { publish: true },
    )
    if (!made.ok) throw new Error(JSON.stringify(made))
    await db.execute(
      sql`insert into organization_changes (city_id, organization_id, user_id, action, detail)
          values (${cityId}, ${makers}, ${p.userId}, 'staff-invited',
            ${JSON.stringify({ email: `invitee-of-${name}@example.org`, role: 'editor' })}::jsonb)`,
    )
    await db.execute(
      sql`insert into hub_resources (city_id, title, summary, type, status, submitted_by, credit_consent, credit_name)
          values (${cityId}, ${JSON.stringify({ en: `${name}'s draft` })}::jsonb, '{}'::jsonb, 'guide', 'submitted',
            ${p.userId}, true, ${name}),
            (${cityId}, ${JSON.stringify({ en: `${name}'s guide` })}::jsonb, '{}'::jsonb, 'guide', 'published',
            ${p.userId}, true, ${name})`,
    )
    await db.execute(
      sql`insert into hub_subscriptions (city_id, site_city_id, email, language, status, key)
          values (${cityId}, ${cityId}, ${p.email}, 'en', 'confirmed', ${`hub-key-${name}-${n}`})`,
    )
    await db.execute(
      sql`insert into harvest_feeds (city_id, organization_id, kind, name, url, language, building_block, status,
            created_by_user_id)
          values (${cityId}, ${makers}, 'ical', ${`${name}'s feed`}, 'https://example.org/feed.ics', 'en', 'learning',
            'paused', ${p.userId})`,
    )
    await db.execute(
      sql`insert into webhook_subscriptions (city_id, organization_id, url, events, secret, status, created_by_user_id)
          values (${cityId}, ${makers}, 'https://example.org/hook', '{opportunity.created}', ${`whsec_${name}secret`},
            'disabled', ${p.userId})`,
    )
    return { ...p, award }
  }

  let alex: Awaited<ReturnType<typeof personWithData>>
  let sam: Awaited<ReturnType<typeof personWithData>>

  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'privacyton')
    cityId = catalogue.city.id
    makers = await catalogue.provider('makers', 'community', 'Makers Lab')
    // One seat: the first booker holds it, the second waits.
    await catalogue.add('robotics', makers, { capacity: 1 })
    opportunityId = catalogue.ids.robotics!
    sessionId = (await listSessions(t.platform.db, cityId, opportunityId))[0]!.id
    const issuerId = await createVerifiedUser(t.platform, {
      email: `issuer-${engine}@example.org`,
      password: PASSWORD,
      displayName: 'Issuer',
      language: 'en',
    })
    await addStaff(t.platform, cityId, makers, issuerId, 'admin')
    issuer = { userId: issuerId, isNetworkAdmin: false }
    const made = await defineAchievement(t.platform, issuer, cityId, makers, {
      type: 'skill',
      name: { en: 'Robot builder' },
      description: { en: 'Built a robot.' },
      criteria: { en: 'Show a working robot.' },
      tags: ['robotics'],
      alignments: [],
      level: 'introductory',
    })
    if (!made.ok) throw new Error(JSON.stringify(made))
    achievementId = made.value
    alex = await personWithData('alex')
    sam = await personWithData('sam')
  })
  afterAll(() => t?.close())

  it('walks the part of every module that names one in its manifest, and no other', () => {
    const named = modules.flatMap((m) => (m.personalData ? [m.personalData] : []))
    expect(
      personalDataParts()
        .map((p) => p.module)
        .sort(),
    ).toEqual(named.map((p) => p.module).sort())
    expect(new Set(personalDataParts())).toEqual(new Set(named))
  })

  it('knows every column that can point to a person', async () => {
    const found = await rows<{ c: string }>(
      t.platform.db,
      sql`select table_name || '.' || column_name as c from information_schema.columns
          where table_schema = 'public'
            and (column_name ~ '(^|_)user_id$' or column_name ~ '_by$' or column_name ~ 'email'
                 or column_name = 'to_address')
          order by 1`,
    )
    expect(found.map((r) => r.c).sort()).toEqual([...PERSON_COLUMNS].sort())
  })

  it('downloads a JSON file with a section per module, holding only my rows and no secrets', async () => {
    const res = await alex.agent.get('/en/account/my-data')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${exportFileName(new Date())}"`,
    )
    expect(exportFileName(new Date('2026-12-04T23:30:00Z'))).toBe('learncity-my-data-2026-12-04.json')
    const text = await res.text()
    const data = JSON.parse(text)
    expect(data.person).toEqual({ id: alex.userId, email: alex.email })
    const s = data.sections
    expect(Object.keys(s).sort()).toEqual(
      [
        'accounts',
        'badges',
        'discovery',
        'interop',
        'knowledge-hub',
        'opportunities',
        'organizations',
        'registrations',
      ].sort(),
    )
    expect(s.accounts.profile).toMatchObject({ id: alex.userId, email: alex.email, displayName: 'alex' })
    expect(s.accounts.cityRoles).toEqual([expect.objectContaining({ cityId, role: 'learner' })])
    expect(s.accounts.sessions).toHaveLength(1)
    expect(s.registrations.bookings).toEqual([
      expect.objectContaining({ sessionId, opportunityId, email: alex.email, status: 'confirmed' }),
    ])
    expect(s.discovery.savedSearches).toEqual([expect.objectContaining({ name: "alex's robots" })])
    expect(s.discovery.interests).toEqual([expect.objectContaining({ interests: ['robotics'] })])
    expect(s.badges.awardsReceived).toEqual([expect.objectContaining({ uuid: alex.award.uuid })])
    expect(s.badges.walletImports).toEqual([
      expect.objectContaining({ name: 'Imported badge', imageBase64: PNG.toString('base64') }),
    ])
    expect(s.badges.evidenceSubmissions).toEqual([
      expect.objectContaining({ narrative: 'alex built a robot', fileBase64: PNG.toString('base64') }),
    ])
    expect(s.organizations.staff).toEqual([
      expect.objectContaining({ organizationId: makers, role: 'editor' }),
    ])
    expect(s.organizations.actions).toEqual([expect.objectContaining({ action: 'staff-invited' })])
    expect(s.opportunities.changes.length).toBeGreaterThan(0)
    expect(s['knowledge-hub'].contributions).toHaveLength(2)
    expect(s['knowledge-hub'].newsletterSubscriptions).toEqual([
      expect.objectContaining({ email: alex.email }),
    ])
    expect(s.interop.harvestFeeds).toEqual([expect.objectContaining({ name: "alex's feed" })])
    expect(s.interop.webhooks).toHaveLength(1)

    // No secrets, nobody else.
    const secrets = await rows<{ v: string }>(
      t.platform.db,
      sql`select password_hash as v from users where id = ${alex.userId}
          union all select token_hash from sessions where user_id = ${alex.userId}
          union all select key from discovery_saved_searches where user_id = ${alex.userId}
          union all select key from hub_subscriptions where email = ${alex.email}`,
    )
    expect(secrets.length).toBe(4)
    for (const { v } of secrets) expect(text).not.toContain(v)
    expect(text).not.toContain('argon2')
    expect(text).not.toContain('whsec_')
    expect(text).not.toContain('invitee-of-alex@example.org')
    expect(text).not.toContain(sam.email)
    expect(text).not.toContain("sam's")
  })

  it('offers the same export at the API, to the signed-in person only', async () => {
    const res = await alex.agent.get('/api/v1/me/data')
    expect(res.status).toBe(200)
    const data = await res.json()
    expect(data.sections.registrations.bookings).toHaveLength(1)
    const anonymous = await new Agent(t.app).get('/api/v1/me/data')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json')
    expect((await new Agent(t.app).get('/en/account/my-data')).status).toBe(303)
  })

  it('refuses a wrong password with a clear error and deletes nothing', async () => {
    const before = await footprint(t, alex.userId, alex.email)
    await alex.agent.get('/en/account/delete')
    const res = await alex.agent.post('/en/account/delete', { password: 'not my password at all' })
    expect(res.status).toBe(400)
    expect(alex.agent.lastHtml).toContain('The password is not right. Nothing was deleted.')
    expect(alex.agent.lastHtml).toContain('href="#password"')
    const empty = await alex.agent.post('/en/account/delete', { password: '' })
    expect(empty.status).toBe(400)
    expect(alex.agent.lastHtml).toContain('Enter your password')
    const api = await t.app.request('/api/v1/me', {
      method: 'DELETE',
      headers: {
        cookie: [...alex.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ password: 'still not it' }),
    })
    expect(api.status).toBe(422)
    expect((await api.json()).errors).toEqual([{ field: '/password', detail: 'The password is not right' }])
    // No form token, another site, or not JSON: refused before the password is even read.
    expect(
      (await alex.agent.post('/en/account/delete', { password: PASSWORD }, { csrf: false })).status,
    ).toBe(403)
    const crossSite = await t.app.request('/api/v1/me', {
      method: 'DELETE',
      headers: {
        cookie: [...alex.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        origin: 'https://evil.example',
      },
      body: JSON.stringify({ password: PASSWORD }),
    })
    expect(crossSite.status).toBe(403)
    expect(await footprint(t, alex.userId, alex.email)).toEqual(before)
  })

  it('tells the last admin of a provider to hand over first, and deletes nothing', async () => {
    const lee = await account('lee')
    const catalogue = await testCatalogue(t, `solo-${engine}`)
    const solo = await catalogue.provider('solo', 'community', 'Solo Studio')
    await addStaff(t.platform, catalogue.city.id, solo, lee.userId, 'admin')
    await lee.agent.get('/en/account/delete')
    const res = await lee.agent.post('/en/account/delete', { password: PASSWORD })
    expect(res.status).toBe(400)
    expect(lee.agent.lastHtml).toContain(
      'You are the only admin of Solo Studio. Make another staff member an admin of it, then delete your account.',
    )
    expect(lee.agent.lastHtml).toContain('href="#blockers"')
    expect((await footprint(t, lee.userId, lee.email)).users).toBe(1)
    // With a second admin the way is clear.
    const other = await account('other-admin')
    await addStaff(t.platform, catalogue.city.id, solo, other.userId, 'admin')
    await lee.agent.get('/en/account/delete')
    expect((await lee.agent.post('/en/account/delete', { password: PASSWORD })).status).toBe(303)
    expect((await footprint(t, lee.userId, lee.email)).users).toBe(0)
  })

  it('keeps the network administered: its last admin hands over first', async () => {
    const db = t.platform.db
    await db.execute(sql`update users set is_network_admin = false where is_network_admin`)
    const nia = await account('nia')
    await db.execute(sql`update users set is_network_admin = true where id = ${nia.userId}`)
    await nia.agent.get('/en/account/delete')
    expect((await nia.agent.post('/en/account/delete', { password: PASSWORD })).status).toBe(400)
    expect(nia.agent.lastHtml).toContain('You are the only administrator of the network.')
    const api = await t.app.request('/api/v1/me', {
      method: 'DELETE',
      headers: {
        cookie: [...nia.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ password: PASSWORD }),
    })
    expect(api.status).toBe(409)
    expect((await api.json()).blockers).toEqual([expect.objectContaining({ reason: 'last-network-admin' })])
    expect((await footprint(t, nia.userId, nia.email)).users).toBe(1)
    await createVerifiedUser(t.platform, {
      email: `second-admin-${engine}@example.org`,
      password: PASSWORD,
      displayName: 'Second admin',
      language: 'en',
      isNetworkAdmin: true,
    })
    await nia.agent.get('/en/account/delete')
    expect((await nia.agent.post('/en/account/delete', { password: PASSWORD })).status).toBe(303)
    expect((await footprint(t, nia.userId, nia.email)).users).toBe(0)
  })

  it('lets only one of the last two network admins go when both delete at the same moment', async () => {
    const db = t.platform.db
    await db.execute(sql`update users set is_network_admin = false where is_network_admin`)
    const [a, b] = [await account('admin-a'), await account('admin-b')]
    await db.execute(sql`update users set is_network_admin = true where id in (${a.userId}, ${b.userId})`)
    const outcomes = await Promise.all(
      [a, b].map((p) => deleteMyAccount(t.platform, p.userId, PASSWORD, { lang: 'en' })),
    )
    expect(outcomes.map((o) => (o.ok ? 'deleted' : o.error)).sort()).toEqual(['blocked', 'deleted'])
    const left = await firstRow<{ n: number }>(
      db,
      sql`select count(*)::int as n from users where is_network_admin`,
    )
    expect(left?.n).toBe(1)
  })

  it('deletes the account in one go: own data erased, shared records unlinked, the credential still verifies', async () => {
    const samBefore = await footprint(t, sam.userId, sam.email)
    const samPlace = await firstRow<{ status: string }>(
      t.platform.db,
      sql`select status from registrations where user_id = ${sam.userId}`,
    )
    expect(samPlace?.status).toBe('waitlisted')
    expect((await t.app.request(`/credentials/${alex.award.uuid}`)).status).toBe(200)

    await alex.agent.get('/en/account/delete')
    expect(alex.agent.lastHtml).toContain('What we remove')
    expect(alex.agent.lastHtml).toContain('What we keep, without your name')
    const res = await alex.agent.post('/en/account/delete', { password: PASSWORD })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/en/account/deleted')
    expect(alex.agent.cookies.has('lc_session')).toBe(false)
    await alex.agent.get('/en/account/deleted')
    expect(alex.agent.lastHtml).toContain('Your account was deleted')
    expect((await alex.agent.get('/en/account')).status).toBe(303)

    // Everything that was the person's alone is gone.
    expect(await footprint(t, alex.userId, alex.email)).toEqual({
      users: 0,
      sessions: 0,
      cityRoles: 0,
      bookings: 0,
      savedSearches: 0,
      interests: 0,
      walletImports: 0,
      evidence: 0,
      awards: 0,
      staff: 0,
      orgAudit: 0,
      opportunityAudit: 0,
      contributions: 0,
      subscriptions: 0,
      feeds: 0,
      webhooks: 0,
    })
    const db = t.platform.db
    // What others rely on stays, with no link to the person.
    const award = await firstRow<{
      recipient: number
      visibility: string
      credential: Record<string, unknown>
    }>(
      db,
      sql`select recipient_user_id::int as recipient, visibility, credential from badge_awards
          where uuid = ${alex.award.uuid}`,
    )
    expect(award?.recipient).toBeLessThan(0)
    expect(award?.visibility).toBe('private')
    // The issuer still sees the award (so can still revoke it), as an account since deleted.
    const listed = (await listAwardsWithRecipients(db, cityId, achievementId)).find(
      (w) => w.uuid === alex.award.uuid,
    )
    expect(listed).toMatchObject({ status: 'active', recipientName: null, recipientEmail: null })
    expect((await t.app.request(`/credentials/${alex.award.uuid}`)).status).toBe(404)
    const verifier = independentVerifier(async (path) => t.app.request(path))
    expect(await verifier.verify(award!.credential)).toEqual({ verified: true, statuses: [], errors: [] })
    const audit = await rows<{ actor: number | null; label: string }>(
      db,
      sql`select actor_user_id::int as actor, actor_label as label from opportunity_changes c
          join opportunities o on o.id = c.opportunity_id where o.title ->> 'en' = 'alex''s workshop'`,
    )
    expect(audit.length).toBeGreaterThan(0)
    expect(audit.every((a) => a.actor === null && a.label === '—')).toBe(true)
    const orgAudit = await firstRow<{ userId: number | null; detail: Record<string, unknown> }>(
      db,
      sql`select user_id::int as "userId", detail from organization_changes
          where detail ->> 'role' = 'editor' and action = 'staff-invited' and detail::text like '%alex%'`,
    )
    expect(orgAudit).toMatchObject({ userId: null, detail: { email: 'invitee-of-alex@example.org' } })
    const hub = await rows<{ status: string; submittedBy: number | null; creditName: string | null }>(
      db,
      sql`select status, submitted_by::int as "submittedBy", credit_name as "creditName" from hub_resources
          where title ->> 'en' like 'alex''s %'`,
    )
    expect(hub).toEqual([{ status: 'published', submittedBy: null, creditName: null }])
    const feed = await firstRow<{ creator: number | null }>(
      db,
      sql`select created_by_user_id::int as creator from harvest_feeds where name = 'alex''s feed'`,
    )
    expect(feed).toEqual({ creator: null })

    // Sam's data is untouched, and Sam got the freed seat.
    expect(await footprint(t, sam.userId, sam.email)).toEqual(samBefore)
    const samNow = await firstRow<{ status: string }>(
      db,
      sql`select status from registrations where user_id = ${sam.userId}`,
    )
    expect(samNow?.status).toBe('offered')

    // A confirmation went to the old address.
    const mail = await rows<{ subject: string; body: string }>(
      db,
      sql`select subject, body_text as body from mail_outbox where to_address = ${alex.email} order by id`,
    )
    expect(mail.map((m) => m.subject)).toEqual(['Your account was deleted'])
    expect(mail[0]!.body).toContain('/en/account/sign-up')

    // Signing in fails; the address is free for a new account.
    const again = await signIn(
      t.platform,
      { email: alex.email, password: PASSWORD, remember: false },
      { ip: '198.51.100.9', userAgent: 'test' },
    )
    expect(again).toMatchObject({ ok: false, error: 'wrong-credentials' })
    const fresh = await signUp(
      t.platform,
      { email: alex.email, password: 'a brand new password', displayName: 'Alex again' },
      { lang: 'en', ip: '198.51.100.9' },
    )
    expect(fresh.ok).toBe(true)
    const reborn = await firstRow<{ id: number; name: string }>(
      db,
      sql`select id::int as id, display_name as name from users where email = ${alex.email}`,
    )
    expect(reborn?.name).toBe('Alex again')
    expect(reborn?.id).not.toBe(alex.userId)
  })

  it('deletes through the API with the password, ending the session', async () => {
    const kim = await account('kim')
    const cookie = () => [...kim.agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const notJson = await t.app.request('/api/v1/me', {
      method: 'DELETE',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: `password=${encodeURIComponent(PASSWORD)}`,
    })
    expect(notJson.status).toBe(415)
    const res = await t.app.request('/api/v1/me', {
      method: 'DELETE',
      headers: { cookie: cookie(), 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    })
    expect(res.status).toBe(204)
    expect(res.headers.getSetCookie().some((c) => c.startsWith('lc_session=;'))).toBe(true)
    expect((await footprint(t, kim.userId, kim.email)).users).toBe(0)
    expect((await kim.agent.get('/api/v1/me/data')).status).toBe(401)
  })
})
