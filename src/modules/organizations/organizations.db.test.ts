import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { linkIn, startTestSmtp, type TestSmtp } from '../../../test/smtp.ts'
import { seedAll } from '../../app.ts'
import { sql } from '../../platform/db/index.ts'
import { createVerifiedUser, grantCityRole } from '../accounts/index.ts'
import { findCityBySlug, listVenues } from '../cities/index.ts'
import {
  acceptInvitation,
  changeStaffRole,
  findOrganizationById,
  inviteStaff,
  listOrganizationChanges,
  listStaff,
  registerOrganization,
  removeStaffMember,
  reviewOrganization,
  staffRolesOf,
} from './index.ts'
import type { CityContext } from './organizations.ts'
import { addVenue } from './organizations.ts'
import { venueIdsOf } from './repository.ts'

const PASSWORD = 'correct horse battery staple'
/** The demo seed's Chicago coordinator (see the demo module). */
const DEMO_COORDINATOR = 'coordinator@demo.learncity.localhost'

describe.each(engines)('provider organizations on %s', (engine) => {
  let t: TestPlatform
  let smtp: TestSmtp
  let city: CityContext
  let founder: number
  let coordinator: number
  const people: Record<string, number> = {}

  const person = async (key: string) => {
    const email = `${key}@example.org`
    people[key] = await createVerifiedUser(t.platform, {
      email,
      password: PASSWORD,
      displayName: key,
      language: 'en',
    })
    return { id: people[key]!, email, displayName: key }
  }

  const register = async (name: string) => {
    const result = await registerOrganization(t.platform, city, founder, {
      name_en: name,
      name_es: `${name} (es)`,
      description_en: 'Workshops for everyone.',
      sector: 'community',
      website: 'https://example.org',
      contactEmail: 'Hello@Example.org',
      contactPhone: '+1 (312) 555-0100',
    })
    if (!result.ok) throw new Error(JSON.stringify(result.fields))
    return result.value
  }

  beforeAll(async () => {
    smtp = await startTestSmtp()
    t = await testPlatform(engine, { SMTP_URL: smtp.url })
    await seedAll(t.platform, () => {})
    const chicago = (await findCityBySlug(t.platform.db, 'chicago'))!
    city = { ...chicago }
    founder = (await person('founder')).id
    coordinator = (await person('second-coordinator')).id
    await grantCityRole(t.platform.db, city.id, coordinator, 'coordinator')
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })

  it('registers a provider as pending with its founder as admin and emails every coordinator', async () => {
    const { id, slug } = await register('Southside Makers')
    expect(slug).toBe('southside-makers')
    const org = await findOrganizationById(t.platform.db, city.id, id)
    expect(org).toMatchObject({
      status: 'pending',
      name: { en: 'Southside Makers', es: 'Southside Makers (es)' },
      contactEmail: 'hello@example.org',
      contactPhone: '+1 (312) 555-0100',
      sector: 'community',
    })
    expect(await staffRolesOf(t.platform.db, city.id, founder)).toContainEqual({
      organizationId: id,
      role: 'admin',
    })
    await t.platform.jobs.drain()
    for (const to of [DEMO_COORDINATOR, 'second-coordinator@example.org']) {
      const mail = await smtp.waitFor(to, 10_000, (m) => m.subject.includes('Southside Makers'))
      expect(mail.subject).toBe('New learning provider to review: Southside Makers')
      expect(linkIn(mail, '/admin/providers')).toContain('/en/chicago/admin/providers')
    }
    const again = await register('Southside Makers')
    expect(again.slug).toBe('southside-makers-2')
  })

  it('rejects an invalid profile with a message key per field', async () => {
    const result = await registerOrganization(t.platform, city, founder, {
      sector: 'circus',
      website: 'javascript:alert(1)',
      logoUrl: '//evil.example/logo.png',
      contactEmail: 'not-an-email',
      contactPhone: '<b>555</b>',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.fields.map((f) => f.key)).toEqual([
      'errors.name',
      'errors.sector',
      'errors.website',
      'errors.logoUrl',
      'errors.contactEmail',
      'errors.contactPhone',
    ])
  })

  it('moves pending → approved → trusted → suspended, records who and when, and emails the admins', async () => {
    const { id } = await register('Review Path')
    await t.platform.jobs.drain()
    for (const [action, status] of [
      ['approve', 'approved'],
      ['trust', 'trusted'],
      ['suspend', 'suspended'],
    ] as const) {
      const result = await reviewOrganization(t.platform, city, id, coordinator, action)
      expect(result).toEqual({ ok: true, value: status })
      expect((await findOrganizationById(t.platform.db, city.id, id))?.status).toBe(status)
    }
    expect((await reviewOrganization(t.platform, city, id, coordinator, 'suspend')).ok).toBe(false)
    const changes = await listOrganizationChanges(t.platform.db, city.id, id)
    expect(changes.map((c) => [c.action, c.userId])).toEqual([
      ['registered', founder],
      ['approved', coordinator],
      ['trusted', coordinator],
      ['suspended', coordinator],
    ])
    expect(changes[1]?.detail).toEqual({ from: 'pending' })
    expect(changes.every((c) => !Number.isNaN(Date.parse(c.createdAt)))).toBe(true)
    await t.platform.jobs.drain()
    const subjects = smtp.messages.filter((m) => m.to.includes('founder@example.org')).map((m) => m.subject)
    expect(subjects).toEqual(
      expect.arrayContaining([
        'Review Path is approved',
        'Review Path is now a trusted provider',
        'Review Path is suspended',
      ]),
    )
  })

  it('adds only venues of the same city', async () => {
    const { id } = await register('Venue User')
    const [venue] = await listVenues(t.platform.db, city.id, 'library')
    expect((await addVenue(t.platform, city.id, id, founder, venue!.id)).ok).toBe(true)
    expect((await addVenue(t.platform, city.id, id, founder, 999_999_999)).ok).toBe(false)
    expect(await venueIdsOf(t.platform.db, city.id, id)).toEqual([venue!.id])
  })

  describe('staff invitations', () => {
    let orgId: number
    let org: { id: number; slug: string; name: Record<string, string | undefined> }
    const inviter = { id: 0, displayName: 'Founder' }

    const invite = async (email: string, role: string) => {
      const result = await inviteStaff(t.platform, city, org, inviter, { email, role }, 'en')
      expect(result.ok).toBe(true)
      await t.platform.jobs.drain()
      const mail = await smtp.waitFor(email.toLowerCase(), 10_000)
      return linkIn(mail, '/providers/invitations/').split('/').at(-1)!
    }

    beforeAll(async () => {
      orgId = (await register('Staffed Org')).id
      org = (await findOrganizationById(t.platform.db, city.id, orgId))!
      inviter.id = founder
    })

    it('lets the invited person accept once, with the invited role', async () => {
      const editor = await person('editor-one')
      const token = await invite('Editor-One@Example.org', 'editor')
      const mail = smtp.messages.find((m) => m.to.includes('editor-one@example.org'))!
      expect(mail.subject).toBe('Join Staffed Org on the Chicago learning city site')
      expect(mail.text).toContain('Founder invites you to join Staffed Org as: Editor.')
      const stored = await t.platform.db.execute(
        sql`select token_hash from organization_invitations where email = 'editor-one@example.org'`,
      )
      expect(JSON.stringify(stored)).not.toContain(token)
      expect(await acceptInvitation(t.platform, city.id, token, editor)).toEqual({
        ok: true,
        value: { organizationId: orgId, role: 'editor' },
      })
      const again = await acceptInvitation(t.platform, city.id, token, editor)
      expect(again).toMatchObject({ ok: false, error: 'invalid' })
      const staff = await listStaff(t.platform.db, city.id, orgId)
      expect(staff.map((s) => [s.email, s.role])).toEqual([
        ['founder@example.org', 'admin'],
        ['editor-one@example.org', 'editor'],
      ])
    })

    it('refuses the wrong person, then still lets the right one in', async () => {
      const issuer = await person('issuer-one')
      const stranger = await person('stranger')
      const token = await invite('issuer-one@example.org', 'issuer')
      expect(await acceptInvitation(t.platform, city.id, token, stranger)).toMatchObject({
        ok: false,
        error: 'wrong-person',
      })
      expect(await acceptInvitation(t.platform, city.id, token, issuer)).toMatchObject({ ok: true })
      expect(await staffRolesOf(t.platform.db, city.id, stranger.id)).toEqual([])
    })

    it('refuses an expired invitation and one from another city', async () => {
      const late = await person('late')
      const token = await invite('late@example.org', 'editor')
      const otherCity = { ...city, id: city.id + 1000 }
      expect((await acceptInvitation(t.platform, otherCity.id, token, late)).ok).toBe(false)
      await t.platform.db.execute(
        sql`update organization_invitations set expires_at = now() - interval '1 minute' where email = 'late@example.org'`,
      )
      expect(await acceptInvitation(t.platform, city.id, token, late)).toMatchObject({
        ok: false,
        error: 'invalid',
      })
      expect(await acceptInvitation(t.platform, city.id, 'not-a-token', late)).toMatchObject({ ok: false })
    })

    it('rejects a bad invitation form', async () => {
      const result = await inviteStaff(t.platform, city, org, inviter, { email: 'nope', role: 'owner' }, 'en')
      expect(result).toMatchObject({
        ok: false,
        fields: [
          { field: 'email', key: 'errors.email' },
          { field: 'role', key: 'errors.role' },
        ],
      })
    })

    it('changes roles and never removes or demotes the last admin', async () => {
      const editorId = people['editor-one']!
      expect(
        await changeStaffRole(t.platform, city.id, orgId, founder, founder, { role: 'editor' }),
      ).toMatchObject({
        ok: false,
        error: 'last-admin',
      })
      expect(await removeStaffMember(t.platform, city.id, orgId, founder, founder)).toMatchObject({
        ok: false,
        error: 'last-admin',
      })
      expect(
        await changeStaffRole(t.platform, city.id, orgId, founder, editorId, { role: 'boss' }),
      ).toMatchObject({
        ok: false,
        error: 'invalid',
      })
      expect(
        (await changeStaffRole(t.platform, city.id, orgId, founder, editorId, { role: 'admin' })).ok,
      ).toBe(true)
      expect(
        (await changeStaffRole(t.platform, city.id, orgId, editorId, founder, { role: 'issuer' })).ok,
      ).toBe(true)
      expect(await removeStaffMember(t.platform, city.id, orgId, editorId, editorId)).toMatchObject({
        error: 'last-admin',
      })
      expect((await removeStaffMember(t.platform, city.id, orgId, editorId, founder)).ok).toBe(true)
      expect((await removeStaffMember(t.platform, city.id, orgId, editorId, founder)).ok).toBe(false)
      const actions = (await listOrganizationChanges(t.platform.db, city.id, orgId)).map((c) => c.action)
      expect(actions).toEqual(
        expect.arrayContaining(['staff-invited', 'staff-joined', 'role-changed', 'staff-removed']),
      )
    })
  })
})
