import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInPerson } from '../../../test/people.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { type Db, firstRow, sql } from '../../platform/db/index.ts'
import { createCity } from '../cities/index.ts'
import { createOrganization, listOrganizationChanges, listStaff } from './index.ts'

const LAST_ADMIN = 'A provider needs at least one administrator: make someone else an administrator first'

type Move = 'demote' | 'remove'

/**
 * Two admins act on each other at the same moment. On PostgreSQL the two requests run on two
 * connections of the pool; a third connection holds both admins' staff rows locked until both
 * requests are waiting inside their transactions, so they really overlap (with the old single
 * UPDATE and its counting subquery, both would count two admins and both succeed). PGlite has one
 * connection, so there the two transactions are queued on it.
 */
describe.each(engines)('last-admin protection under concurrency on %s', (engine) => {
  let t: TestPlatform
  let cityId: number
  let ip = 1
  let orgs = 0

  beforeAll(async () => {
    t = await testPlatform(engine)
    const city = await createCity(t.platform, {
      slug: 'riverside',
      name: { en: 'Riverside' },
      defaultLanguage: 'en',
      languages: ['en'],
      timeZone: 'America/Chicago',
    })
    if (!city.ok) throw new Error(city.error)
    cityId = city.value
  })
  afterAll(() => t.close())

  /** Waits until `n` backends of this database wait for a lock. */
  async function lockWaiters(n: number) {
    for (let i = 0; i < 500; i++) {
      const row = await firstRow<{ n: number }>(
        t.platform.db,
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
      )
      if ((row?.n ?? 0) >= n) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error(`${n} requests never waited for a lock`)
  }

  /** Runs `fire` while another transaction holds the organization's admin rows locked (PostgreSQL). */
  async function overlapping<T>(organizationId: number, fire: () => Promise<T>): Promise<T> {
    if (engine !== 'postgres') return fire()
    let fired: Promise<T> | undefined
    await t.platform.db.transaction(async (tx) => {
      await (tx as unknown as Db).execute(
        sql`select id from organization_staff where organization_id = ${organizationId} and role = 'admin'
            order by id for update`,
      )
      fired = fire()
      // Keep the rows locked until both requests are inside their transactions, waiting.
      await lockWaiters(2)
    })
    return fired!
  }

  const path = (move: Move, slug: string, userId: number) =>
    `/en/riverside/providers/${slug}/staff/${userId}/${move === 'demote' ? 'role' : 'remove'}`

  it.each([
    ['demote each other', 'demote', 'demote'],
    ['remove each other', 'remove', 'remove'],
    ['demote and remove each other', 'demote', 'remove'],
  ] as [string, Move, Move][])(
    'two admins who %s at once leave exactly one admin',
    async (_, moveA, moveB) => {
      const slug = `makers-${++orgs}`
      const org = await createOrganization(t.platform, cityId, {
        slug,
        name: { en: `Makers ${orgs}` },
        sector: 'community',
        trusted: true,
      })
      if (!org.ok) throw new Error(org.error)
      const staff = { cityId, organizationId: org.value, role: 'admin' as const }
      const ada = await signedInPerson(t, { staff, ip: `192.0.2.${ip++}` })
      const bea = await signedInPerson(t, { staff, ip: `192.0.2.${ip++}` })
      for (const person of [ada, bea]) {
        expect((await person.agent.get(`/en/riverside/providers/${slug}/staff`)).status).toBe(200)
      }

      const responses = await overlapping(org.value, () =>
        Promise.all([
          ada.agent.post(path(moveA, slug, bea.userId), moveA === 'demote' ? { role: 'editor' } : {}),
          bea.agent.post(path(moveB, slug, ada.userId), moveB === 'demote' ? { role: 'editor' } : {}),
        ]),
      )

      const admins = await listStaff(t.platform.db, cityId, org.value, 'admin')
      expect(admins).toHaveLength(1)
      const winner = admins[0]!.userId === ada.userId ? 0 : 1
      const [won, lost] = [responses[winner]!, responses[1 - winner]!]
      expect(won.status).toBe(303)
      expect(won.headers.get('location')).toMatch(/\/staff\?done=(changed|removed)$/)
      // The other admin sees the staff page again, with the reason in the summary and beside the row.
      expect(lost.status).toBe(400)
      const html = await lost.text()
      const loserTarget = winner === 0 ? ada.userId : bea.userId
      expect(html).toContain(`<a href="#role-${loserTarget}">${LAST_ADMIN}</a>`)
      expect(html).toContain(`id="role-${loserTarget}-error">${LAST_ADMIN}</span>`)
      expect(html).toMatch(new RegExp(`id="role-${loserTarget}"[^>]*aria-invalid="true"`))
      // Only the change that happened is in the audit trail.
      const changes = await listOrganizationChanges(t.platform.db, cityId, org.value)
      expect(changes.filter((c) => ['role-changed', 'staff-removed'].includes(c.action))).toHaveLength(1)
    },
  )
})
