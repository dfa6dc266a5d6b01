import { importJWK, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testCatalogue } from '../../../test/catalogue.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { firstRow, sql } from '../../platform/db/index.ts'
import { createVerifiedUser, grantCityRole } from '../accounts/index.ts'
import { addStaff, type StaffRole } from '../organizations/index.ts'
import { type BadgeActor, changeAchievement, defineAchievement, shareAchievement } from './achievements.ts'
import { awardForAttendance, awardJwt, awardManually, changeAwardStatus, setVisibility } from './awards.ts'
import { claimWithCode, createClaimCode } from './claims.ts'
import { independentVerifier } from './issue/independent-verifier.ts'
import { rotateIssuerKeys } from './issue/issuers.ts'
import { openSecret } from './issue/keys.ts'
import * as repo from './repository.ts'

const achievement = (overrides: Record<string, unknown> = {}) => ({
  type: 'skill',
  name: { en: 'Robot builder', es: 'Constructora de robots' },
  description: { en: 'Built and programmed a line-following robot.' },
  criteria: { en: 'Complete four of the six workshops and demonstrate a working robot.' },
  tags: ['robotics', 'coding'],
  alignments: [
    {
      targetName: 'programming robots',
      targetUrl: 'http://data.europa.eu/esco/skill/0a4b1e7e-3d4b-4c36-9d1e-0d4f6a1b2c3d',
      targetFramework: 'ESCO',
    },
  ],
  level: 'introductory',
  ...overrides,
})

describe.each(engines)('issuing Open Badges on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let makers: number
  let library: number
  let opportunity: number
  let n = 0
  const verifier = () => independentVerifier(async (path) => t.app.request(path))

  async function person(options: { staff?: [number, StaffRole]; coordinator?: boolean } = {}) {
    const email = `p${n++}-${engine}@example.org`
    const userId = await createVerifiedUser(t.platform, {
      email,
      password: 'correct horse battery staple',
      displayName: 'P',
      language: 'en',
    })
    if (options.staff) await addStaff(t.platform, cityId, options.staff[0], userId, options.staff[1])
    if (options.coordinator) await grantCityRole(t.platform.db, cityId, userId, 'coordinator')
    return { actor: { userId, isNetworkAdmin: false } as BadgeActor, email }
  }

  beforeAll(async () => {
    t = await testPlatform(engine)
    const catalogue = await testCatalogue(t, 'badgeton')
    cityId = catalogue.city.id
    makers = await catalogue.provider('makers', 'community', 'Makers Lab')
    library = await catalogue.provider('library', 'library', 'Badgeton Library')
    await catalogue.add('robotics', makers, {})
    opportunity = catalogue.ids.robotics!
  })
  afterAll(() => t?.close())

  async function defined(overrides: Record<string, unknown> = {}, org: number | null = makers) {
    const editor = await person(org === null ? { coordinator: true } : { staff: [org, 'editor'] })
    const made = await defineAchievement(t.platform, editor.actor, cityId, org, achievement(overrides))
    if (!made.ok) throw new Error(JSON.stringify(made))
    return made.value
  }

  it('signs an OpenBadgeCredential that an independent Digital Bazaar verifier accepts, and rejects once tampered', async () => {
    const id = await defined()
    const issuer = await person({ staff: [makers, 'issuer'] })
    const learner = await person()
    const result = await awardManually(t.platform, issuer.actor, cityId, id, makers, [learner.email])
    if (!result.ok) throw new Error(JSON.stringify(result))
    // biome-ignore lint/suspicious/noExplicitAny: the assertions read nested credential fields
    const credential = result.value[0]!.credential as Record<string, any>
    expect(credential['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ])
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential'])
    expect(credential.issuer.id).toBe('did:web:localhost%3A3000:issuers:badgeton:makers')
    expect(credential.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' })
    // The email is not in the badge: a salted hash of it is.
    expect(JSON.stringify(credential)).not.toContain(learner.email)
    expect(credential.credentialSubject.identifier[0].identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/)
    expect(credential.credentialSubject.achievement.alignment[0].targetFramework).toBe('ESCO')

    expect(await verifier().verify(credential)).toEqual({ verified: true, statuses: [], errors: [] })
    const tampered = structuredClone(credential)
    tampered.credentialSubject.achievement.name = 'Robot master'
    expect((await verifier().verify(tampered)).verified).toBe(false)
    const otherHash = structuredClone(credential)
    otherHash.credentialSubject.identifier[0].salt = 'another salt'
    expect((await verifier().verify(otherHash)).verified).toBe(false)
  })

  it('shows revocation and suspension in the served Bitstring Status Lists', async () => {
    const id = await defined({ name: { en: 'Status' } })
    const issuer = await person({ staff: [makers, 'issuer'] })
    const [a, b] = [await person(), await person()]
    const result = await awardManually(t.platform, issuer.actor, cityId, id, makers, [a.email, b.email])
    if (!result.ok) throw new Error(JSON.stringify(result))
    const [first, second] = result.value
    expect((await verifier().verify(first!.credential)).statuses).toEqual([])

    expect(
      (await changeAwardStatus(t.platform, issuer.actor, cityId, first!.id, 'revoked', 'issued in error')).ok,
    ).toBe(true)
    expect(
      (await changeAwardStatus(t.platform, issuer.actor, cityId, second!.id, 'suspended', null)).ok,
    ).toBe(true)
    expect(await verifier().verify(first!.credential)).toMatchObject({
      verified: true,
      statuses: ['revocation'],
    })
    expect(await verifier().verify(second!.credential)).toMatchObject({
      verified: true,
      statuses: ['suspension'],
    })

    expect((await changeAwardStatus(t.platform, issuer.actor, cityId, second!.id, 'active', null)).ok).toBe(
      true,
    )
    expect((await verifier().verify(second!.credential)).statuses).toEqual([])
    // Revoked is for good.
    const again = await changeAwardStatus(t.platform, issuer.actor, cityId, first!.id, 'active', null)
    expect(again).toMatchObject({ ok: false, error: 'conflict' })
    // A learner, or another provider's issuer, cannot change a status.
    const otherIssuer = await person({ staff: [library, 'issuer'] })
    expect(await changeAwardStatus(t.platform, a.actor, cityId, second!.id, 'revoked', null)).toMatchObject({
      error: 'forbidden',
    })
    expect(
      await changeAwardStatus(t.platform, otherIssuer.actor, cityId, second!.id, 'revoked', null),
    ).toMatchObject({
      error: 'forbidden',
    })
  })

  it('expires credentials of an achievement with a validity period', async () => {
    const id = await defined({ name: { en: 'First aid' }, validDays: 365 })
    const issuer = await person({ staff: [makers, 'admin'] })
    const learner = await person()
    const result = await awardManually(t.platform, issuer.actor, cityId, id, makers, [learner.email])
    if (!result.ok) throw new Error(JSON.stringify(result))
    const credential = result.value[0]!.credential as { validFrom: string; validUntil: string }
    expect(new Date(credential.validUntil).getTime() - new Date(credential.validFrom).getTime()).toBe(
      365 * 86_400_000,
    )
    expect((await verifier().verify(credential, new Date(Date.now() + 364 * 86_400_000))).verified).toBe(true)
    const late = await verifier().verify(credential, new Date(Date.now() + 366 * 86_400_000))
    expect(late.verified).toBe(false)
    expect(late.errors.join(' ')).toMatch(/expired|validUntil/i)
  })

  it('rotates keys without invalidating earlier credentials', async () => {
    const id = await defined({ name: { en: 'Rotation' } })
    const issuer = await person({ staff: [makers, 'issuer'] })
    const [a, b] = [await person(), await person()]
    const before = await awardManually(t.platform, issuer.actor, cityId, id, makers, [a.email])
    if (!before.ok) throw new Error('award')
    const issuerRow = (await repo.findIssuerByPath(t.platform.db, 'issuers:badgeton:makers'))!
    await rotateIssuerKeys(t.platform, issuerRow)
    const after = await awardManually(t.platform, issuer.actor, cityId, id, makers, [b.email])
    if (!after.ok) throw new Error('award')
    const oldProof = (before.value[0]!.credential as { proof: { verificationMethod: string } }).proof
    const newProof = (after.value[0]!.credential as { proof: { verificationMethod: string } }).proof
    expect(newProof.verificationMethod).not.toBe(oldProof.verificationMethod)
    const did = (await (await t.app.request('/issuers/badgeton/makers/did.json')).json()) as {
      assertionMethod: string[]
    }
    expect(did.assertionMethod).toEqual(
      expect.arrayContaining([oldProof.verificationMethod, newProof.verificationMethod]),
    )
    expect((await verifier().verify(before.value[0]!.credential)).verified).toBe(true)
    expect((await verifier().verify(after.value[0]!.credential)).verified).toBe(true)
  })

  it('keeps issuer secret keys encrypted under the configured secret', async () => {
    const row = await firstRow<{ secret: string; pub: string }>(
      t.platform.db,
      sql`select secret_key_encrypted as secret, public_key_multibase as pub from badge_issuer_keys
          where kind = 'Ed25519' limit 1`,
    )
    expect(row!.secret).toMatch(/^v1\./)
    expect(openSecret(t.platform.config.badges.keySecret, row!.secret)).toMatch(/^z/)
    expect(() => openSecret('another secret that is long enough to be one', row!.secret)).toThrow()
  })

  it('offers the VC-JWT form (RS256), verifiable with the JWK its kid names', async () => {
    const id = await defined({ name: { en: 'JWT' } })
    const issuer = await person({ staff: [makers, 'issuer'] })
    const learner = await person()
    const result = await awardManually(t.platform, issuer.actor, cityId, id, makers, [learner.email])
    if (!result.ok) throw new Error('award')
    const jwt = await awardJwt(t.platform, result.value[0]!)
    const [header] = jwt.split('.')
    const { kid, alg } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as {
      kid: string
      alg: string
    }
    expect(alg).toBe('RS256')
    const jwk = await (await t.app.request(new URL(kid).pathname)).json()
    const { payload } = await jwtVerify(jwt, await importJWK(jwk, 'RS256'), { algorithms: ['RS256'] })
    expect(payload.iss).toBe('did:web:localhost%3A3000:issuers:badgeton:makers')
    expect(payload.jti).toBe(result.value[0]!.credential.id)
  })

  it('lets only issuers of an organization that owns or shares the achievement award it, never to themselves', async () => {
    const id = await defined({ name: { en: 'Permissions' } })
    const learner = await person()
    const editor = await person({ staff: [makers, 'editor'] })
    const libraryIssuer = await person({ staff: [library, 'issuer'] })
    const makersIssuer = await person({ staff: [makers, 'issuer'] })
    expect(await awardManually(t.platform, learner.actor, cityId, id, makers, [learner.email])).toMatchObject(
      { error: 'forbidden' },
    )
    expect(await awardManually(t.platform, editor.actor, cityId, id, makers, [learner.email])).toMatchObject({
      error: 'forbidden',
    })
    expect(
      await awardManually(t.platform, libraryIssuer.actor, cityId, id, library, [learner.email]),
    ).toMatchObject({
      error: 'forbidden',
    })
    // Acting for another organization than one's own is refused too.
    expect(
      await awardManually(t.platform, libraryIssuer.actor, cityId, id, makers, [learner.email]),
    ).toMatchObject({
      error: 'forbidden',
    })
    const self = await awardManually(t.platform, makersIssuer.actor, cityId, id, makers, [makersIssuer.email])
    expect(self).toMatchObject({
      ok: false,
      error: 'invalid',
      fields: [{ field: '/emails/0', detail: 'you cannot award yourself' }],
    })
    const unknown = await awardManually(t.platform, makersIssuer.actor, cityId, id, makers, [
      'nobody@example.org',
      'not an email',
    ])
    expect(unknown).toMatchObject({ ok: false, error: 'invalid' })
    expect(!unknown.ok && unknown.fields.map((f) => f.field)).toEqual(['/emails/0', '/emails/1'])

    // Shared with the library: its issuers may award it, under the library's own issuer DID.
    const owner = await person({ staff: [makers, 'admin'] })
    expect((await shareAchievement(t.platform, owner.actor, cityId, id, 'library')).ok).toBe(true)
    const shared = await awardManually(t.platform, libraryIssuer.actor, cityId, id, library, [learner.email])
    if (!shared.ok) throw new Error(JSON.stringify(shared))
    expect((shared.value[0]!.credential as { issuer: { id: string } }).issuer.id).toBe(
      'did:web:localhost%3A3000:issuers:badgeton:library',
    )
    expect((await verifier().verify(shared.value[0]!.credential)).verified).toBe(true)
    // Once is enough: the same person cannot get it twice.
    expect(
      await awardManually(t.platform, makersIssuer.actor, cityId, id, makers, [learner.email]),
    ).toMatchObject({
      error: 'invalid',
    })
  })

  it('lets only members define achievements, and only the city define city badges', async () => {
    const outsider = await person()
    const librarian = await person({ staff: [library, 'editor'] })
    const coordinator = await person({ coordinator: true })
    expect(await defineAchievement(t.platform, outsider.actor, cityId, makers, achievement())).toMatchObject({
      error: 'forbidden',
    })
    expect(await defineAchievement(t.platform, librarian.actor, cityId, makers, achievement())).toMatchObject(
      { error: 'forbidden' },
    )
    expect(
      await defineAchievement(t.platform, coordinator.actor, cityId, makers, achievement()),
    ).toMatchObject({
      error: 'forbidden',
    })
    expect(
      await defineAchievement(t.platform, librarian.actor, cityId, library, achievement({ type: 'city' })),
    ).toMatchObject({
      error: 'invalid',
      fields: [{ field: '/type' }],
    })
    const city = await defineAchievement(
      t.platform,
      coordinator.actor,
      cityId,
      null,
      achievement({ type: 'city', name: { en: 'Learning festival' } }),
    )
    expect(city.ok).toBe(true)
    expect(
      await defineAchievement(t.platform, librarian.actor, cityId, null, achievement({ type: 'city' })),
    ).toMatchObject({
      error: 'forbidden',
    })
    // The city's own badges are issued under the city's DID by its coordinators.
    const learner = await person()
    const awarded = await awardManually(
      t.platform,
      coordinator.actor,
      cityId,
      city.ok ? city.value : 0,
      null,
      [learner.email],
    )
    if (!awarded.ok) throw new Error(JSON.stringify(awarded))
    expect((awarded.value[0]!.credential as { issuer: { id: string } }).issuer.id).toBe(
      'did:web:localhost%3A3000:issuers:badgeton',
    )
    expect((await verifier().verify(awarded.value[0]!.credential)).verified).toBe(true)
  })

  it('lists every wrong field of an achievement at once', async () => {
    const editor = await person({ staff: [makers, 'editor'] })
    const result = await defineAchievement(t.platform, editor.actor, cityId, makers, {
      type: 'trophy',
      name: { en: '', xx: 'Hack' },
      description: { en: 'x'.repeat(2001) },
      alignments: [{ targetName: 'ok', targetUrl: 'javascript:alert(1)' }],
      level: 'expert',
      validDays: 0,
    })
    expect(result.ok).toBe(false)
    const fields = !result.ok ? result.fields.map((f) => f.field) : []
    for (const field of [
      '/type',
      '/name',
      '/description/en',
      '/criteria',
      '/alignments/0/targetUrl',
      '/level',
      '/validDays',
    ])
      expect(fields).toContain(field)
    const notPng = await defineAchievement(
      t.platform,
      editor.actor,
      cityId,
      makers,
      achievement(),
      Buffer.from('<svg onload=alert(1)>'),
    )
    expect(notPng).toMatchObject({ ok: false, fields: [{ field: '/image', detail: 'must be a PNG image' }] })
    const huge = await defineAchievement(
      t.platform,
      editor.actor,
      cityId,
      makers,
      achievement(),
      new Uint8Array(300 * 1024),
    )
    expect(huge).toMatchObject({ ok: false, fields: [{ field: '/image', detail: 'must be at most 256 KB' }] })
    const otherOpportunity = await defineAchievement(
      t.platform,
      (await person({ staff: [library, 'editor'] })).actor,
      cityId,
      library,
      achievement({ opportunityIds: [opportunity] }),
    )
    expect(otherOpportunity).toMatchObject({ ok: false, fields: [{ field: '/opportunityIds/0' }] })
  })

  it('awards automatically on attendance, once per person', async () => {
    const id = await defined({
      type: 'participation',
      name: { en: 'Came to robotics' },
      opportunityIds: [opportunity],
    })
    const [a, b] = [await person(), await person()]
    const event = {
      cityId,
      opportunityId: opportunity,
      sessionId: 1,
      userIds: [a.actor.userId, b.actor.userId],
    }
    await t.platform.events.emit('registration.attended', event)
    const held = await repo.listAwardsOfAchievement(t.platform.db, cityId, id)
    expect(held.map((h) => h.recipientUserId).sort()).toEqual([a.actor.userId, b.actor.userId].sort())
    expect(held.every((h) => h.path === 'attendance')).toBe(true)
    expect(await awardForAttendance(t.platform, { ...event, sessionId: 2 })).toBe(0)
    expect((await verifier().verify(held[0]!.credential)).verified).toBe(true)
  })

  it('awards with limited-use claim codes, once per person, never to who made the code', async () => {
    const id = await defined({ name: { en: 'Festival' } })
    const issuer = await person({ staff: [makers, 'issuer'] })
    const learner = await person()
    expect(
      await createClaimCode(t.platform, learner.actor, cityId, id, makers, { maxUses: 2, expiresAt: null }),
    ).toMatchObject({
      error: 'forbidden',
    })
    expect(
      await createClaimCode(t.platform, issuer.actor, cityId, id, makers, {
        maxUses: 0,
        expiresAt: new Date(0),
      }),
    ).toMatchObject({
      error: 'invalid',
      fields: [{ field: '/maxUses' }, { field: '/expiresAt' }],
    })
    const code = await createClaimCode(t.platform, issuer.actor, cityId, id, makers, {
      maxUses: 2,
      expiresAt: null,
    })
    if (!code.ok) throw new Error('code')
    expect(code.value.code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/)
    const typed = code.value.code.toLowerCase().replace('-', ' ')
    const claimed = await claimWithCode(t.platform, learner.actor, cityId, typed)
    if (!claimed.ok) throw new Error(JSON.stringify(claimed))
    expect(claimed.value.path).toBe('claim-code')
    expect((await verifier().verify(claimed.value.credential)).verified).toBe(true)
    expect(await claimWithCode(t.platform, learner.actor, cityId, code.value.code)).toMatchObject({
      fields: [{ detail: 'you hold this badge already' }],
    })
    expect(await claimWithCode(t.platform, issuer.actor, cityId, code.value.code)).toMatchObject({
      fields: [{ detail: 'you cannot claim a code you made' }],
    })
    expect((await claimWithCode(t.platform, (await person()).actor, cityId, code.value.code)).ok).toBe(true)
    expect(await claimWithCode(t.platform, (await person()).actor, cityId, code.value.code)).toMatchObject({
      fields: [{ detail: 'this code is used up, expired or withdrawn' }],
    })
    expect(await claimWithCode(t.platform, (await person()).actor, cityId, 'AAAAA-AAAAA')).toMatchObject({
      fields: [{ detail: 'no such claim code' }],
    })
  })

  it('keeps a badge private until its learner makes it public', async () => {
    const id = await defined({ name: { en: 'Visibility' } })
    const issuer = await person({ staff: [makers, 'issuer'] })
    const learner = await person()
    const result = await awardManually(t.platform, issuer.actor, cityId, id, makers, [learner.email])
    if (!result.ok) throw new Error('award')
    const award = result.value[0]!
    expect(award.visibility).toBe('private')
    expect((await t.app.request(`/credentials/${award.uuid}`)).status).toBe(404)
    expect(await setVisibility(t.platform, issuer.actor.userId, award.uuid, 'public')).toMatchObject({
      error: 'not-found',
    })
    expect((await setVisibility(t.platform, learner.actor.userId, award.uuid, 'public')).ok).toBe(true)
    const res = await t.app.request(`/credentials/${award.uuid}`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { id: string }).id).toBe(award.credential.id)
  })

  it('changes an achievement for later credentials only', async () => {
    const id = await defined({ name: { en: 'Before' } })
    const editor = await person({ staff: [makers, 'editor'] })
    const changed = await changeAchievement(
      t.platform,
      editor.actor,
      cityId,
      id,
      achievement({ name: { en: 'After' } }),
    )
    expect(changed.ok).toBe(true)
    const json = (await (await t.app.request(`/achievements/${id}`)).json()) as { name: string }
    expect(json.name).toBe('After')
  })
})
