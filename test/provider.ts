import { seedAll } from '../src/app.ts'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { type Actor, createOpportunity, listSessions } from '../src/modules/opportunities/index.ts'
import { createOrganization } from '../src/modules/organizations/index.ts'
import { firstRow, sql } from '../src/platform/db/index.ts'
import { opportunityFactory } from './factories.ts'
import type { TestPlatform } from './platform.ts'

/** A provider of the demo city: its ids and an editor (no account) acting for it. */
export interface TestProvider {
  cityId: number
  orgId: number
  editor: Actor
}

/** Seeds the demo city and adds a trusted community provider with an editor. */
export async function chicagoProvider(
  t: TestPlatform,
  org: { slug: string; name: string },
): Promise<TestProvider> {
  await seedAll(t.platform, () => {})
  const cityId = (await findCityBySlug(t.platform.db, 'chicago'))!.id
  return addProvider(t, cityId, org)
}

/** Adds another trusted community provider, with an editor, to a city. */
export async function addProvider(
  t: TestPlatform,
  cityId: number,
  org: { slug: string; name: string },
): Promise<TestProvider> {
  const created = await createOrganization(t.platform, cityId, {
    slug: org.slug,
    name: { en: org.name },
    sector: 'community',
    trusted: true,
  })
  if (!created.ok) throw new Error(`organization: ${created.error}`)
  const editor: Actor = {
    userId: null,
    label: 'Editor',
    cityId,
    timeZone: 'America/Chicago',
    coordinator: false,
    organizations: [{ id: created.value, role: 'editor', trusted: true }],
  }
  return { cityId, orgId: created.value, editor }
}

/** A published weekly series on Saturdays from 2 October 2027, with its sessions' ids in order. */
export async function publishedSeries(
  t: TestPlatform,
  provider: TestProvider,
  options: { capacity: number | null; sessions?: number; title?: Record<string, string> },
): Promise<{ id: number; sessionIds: number[] }> {
  const res = await createOpportunity(
    t.platform,
    provider.editor,
    provider.orgId,
    opportunityFactory({
      capacity: options.capacity,
      schedule: {
        kind: 'series',
        start: '2027-10-02T10:00',
        durationMinutes: 90,
        rrule: `FREQ=WEEKLY;BYDAY=SA;COUNT=${options.sessions ?? 8}`,
      },
      ...(options.title ? { title: options.title } : {}),
    }),
    { publish: true },
  )
  if (!res.ok) throw new Error(JSON.stringify(res))
  const list = await listSessions(t.platform.db, provider.cityId, res.value.id)
  return { id: res.value.id, sessionIds: list.map((s) => s.id) }
}

/** A registration's status as stored: confirmed, waitlisted, offered, cancelled, expired… */
export async function registrationStatus(t: TestPlatform, id: number): Promise<string | undefined> {
  const row = await firstRow<{ status: string }>(
    t.platform.db,
    sql`select status from registrations where id = ${id}`,
  )
  return row?.status
}
