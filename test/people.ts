import { createVerifiedUser, grantCityRole } from '../src/modules/accounts/index.ts'
import { addStaff, type StaffRole } from '../src/modules/organizations/index.ts'
import { Agent } from './agent.ts'
import type { TestPlatform } from './platform.ts'

let counter = 0
export const TEST_PASSWORD = 'correct horse battery staple'

/**
 * A verified person, signed in through the real sign-in form, optionally a coordinator of a city
 * or staff of an organization.
 */
export async function signedInPerson(
  t: TestPlatform,
  options: {
    coordinatorOf?: number
    staff?: { cityId: number; organizationId: number; role: StaffRole }
    isNetworkAdmin?: boolean
    ip?: string
  } = {},
): Promise<{ agent: Agent; userId: number; email: string }> {
  const email = `person${Date.now()}-${counter++}@example.org`
  const userId = await createVerifiedUser(t.platform, {
    email,
    password: TEST_PASSWORD,
    displayName: 'Test person',
    language: 'en',
    isNetworkAdmin: options.isNetworkAdmin,
  })
  if (options.coordinatorOf !== undefined)
    await grantCityRole(t.platform.db, options.coordinatorOf, userId, 'coordinator')
  if (options.staff)
    await addStaff(t.platform, options.staff.cityId, options.staff.organizationId, userId, options.staff.role)
  const agent = new Agent(t.app, options.ip)
  const res = await agent.submit('/en/account/sign-in', { email, password: TEST_PASSWORD })
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`)
  return { agent, userId, email }
}
