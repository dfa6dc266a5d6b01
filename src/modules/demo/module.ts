import { randomBytes } from 'node:crypto'
import type { Module } from '../../platform/module.ts'
import { createVerifiedUser, grantCityRole } from '../accounts/index.ts'
import { findCityBySlug } from '../cities/index.ts'
import { addStaff, createOrganization, findOrganization } from '../organizations/index.ts'
import { seedDemoCatalogue } from './catalogue.ts'
import { seedDemoOpportunities } from './opportunities.ts'

export const DEMO_COORDINATOR = 'coordinator@demo.learncity.localhost'
export const DEMO_PROVIDER = 'provider@demo.learncity.localhost'

/**
 * Demo people for the Chicago demo city: a city coordinator and the admin of an invented provider.
 * Their random passwords are printed once, at first start; production never runs this seed.
 */
export const demoModule: Module = {
  name: 'demo',
  async seed(platform, { say }) {
    const city = await findCityBySlug(platform.db, 'chicago')
    if (!city) return
    let org = await findOrganization(platform.db, city.id, 'demo-learning-collective')
    if (!org) {
      const created = await createOrganization(platform, city.id, {
        slug: 'demo-learning-collective',
        name: { en: 'Demo Learning Collective (demo)', es: 'Colectivo de Aprendizaje Demo (demo)' },
        description: { en: 'An invented community provider for trying LearnCity. Not a real organisation.' },
        sector: 'community',
        trusted: true,
        isDemo: true,
      })
      if (!created.ok) throw new Error(`demo organization: ${created.error}`)
      org = await findOrganization(platform.db, city.id, 'demo-learning-collective')
    }
    const opportunities = await seedDemoOpportunities(platform, city.id, org!.id)
    say(`Demo opportunities of the demo provider: ${opportunities} (invented, at real library branches).`)
    if (platform.config.demoSize === 'full') {
      say('Seeding the demo catalogue (invented providers and opportunities; takes a minute)…')
      const full = await seedDemoCatalogue(platform, city.id, { say })
      say(
        `Demo catalogue: ${full.providers} providers, ${full.opportunities} opportunities (all labelled demo).`,
      )
    }
    const coordinatorPassword = randomBytes(9).toString('base64url')
    const providerPassword = randomBytes(9).toString('base64url')
    const coordinator = await createVerifiedUser(platform, {
      email: DEMO_COORDINATOR,
      password: coordinatorPassword,
      displayName: 'Demo Coordinator',
      language: 'en',
    })
    await grantCityRole(platform.db, city.id, coordinator, 'coordinator')
    const provider = await createVerifiedUser(platform, {
      email: DEMO_PROVIDER,
      password: providerPassword,
      displayName: 'Demo Provider',
      language: 'en',
    })
    await addStaff(platform, city.id, org!.id, provider, 'admin')
    say('Demo accounts (shown once; not created in production):')
    say(`  city coordinator  ${DEMO_COORDINATOR}  password: ${coordinatorPassword}`)
    say(`  provider admin    ${DEMO_PROVIDER}  password: ${providerPassword}`)
  },
}
