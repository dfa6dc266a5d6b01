import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { createVerifiedUser, findUserByEmail } from '../src/modules/accounts/index.ts'
import { defineAchievement } from '../src/modules/badges/index.ts'
import { findCityBySlug } from '../src/modules/cities/index.ts'
import { findOrganization } from '../src/modules/organizations/index.ts'
import { type Account, describeJourneys, expectAccessible, signIn } from './server.ts'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

describeJourneys('evidence for a badge, reviewed by its provider', (journey) => {
  let achievementId: number
  let orgId: number
  const learner: Account = { email: 'evidence-learner@example.org', password: 'correct horse battery staple' }

  beforeAll(async () => {
    const { platform } = journey.server.t
    const city = (await findCityBySlug(platform.db, 'chicago'))!
    orgId = (await findOrganization(platform.db, city.id, 'demo-learning-collective'))!.id
    const provider = (await findUserByEmail(platform.db, journey.server.provider.email))!
    const made = await defineAchievement(
      platform,
      { userId: provider.id, isNetworkAdmin: false },
      city.id,
      orgId,
      {
        type: 'skill',
        name: { en: 'Community reporter' },
        description: { en: 'Wrote a story about the neighbourhood.' },
        criteria: { en: 'Publish one story about your neighbourhood and link to it.' },
        acceptsEvidence: true,
      },
    )
    if (!made.ok) throw new Error(JSON.stringify(made))
    achievementId = made.value
    await createVerifiedUser(platform, {
      email: learner.email,
      password: learner.password,
      displayName: 'Rosa Learner',
      language: 'en',
    })
  })

  it('without JavaScript: submit, returned with feedback, resubmit, approved; the learner sees the badge', async () => {
    const base = journey.server.baseUrl
    const learnerContext = await journey.browser.newContext({ javaScriptEnabled: false })
    const providerContext = await journey.browser.newContext({ javaScriptEnabled: false })
    try {
      const l = await learnerContext.newPage()
      const p = await providerContext.newPage()
      l.setDefaultTimeout(20_000)
      p.setDefaultTimeout(20_000)
      const apply = `/en/chicago/badges/achievements/${achievementId}/apply`
      const queue = `/en/chicago/provide/${orgId}/badges/evidence`
      await signIn(l, base, learner, apply)
      expect(await l.locator('h1').textContent()).toBe('Apply for the badge “Community reporter”')
      await expectAccessible(journey.browser, l)

      // A link that is not a web address: the error summary links to the field.
      await l.getByLabel('What you did').fill('I wrote about the new community garden.')
      await l.getByLabel('Links to your work (optional)').fill('javascript:alert(1)')
      await l.getByRole('button', { name: 'Send my evidence' }).click()
      expect(await l.locator('.error-summary a[href="#links"]').textContent()).toBe(
        'Each link must be a web address starting with https:// or http://.',
      )
      await expectAccessible(journey.browser, l)

      await l.getByLabel('Links to your work (optional)').fill('https://news.example.org/garden')
      await l
        .getByLabel('A file (optional)')
        .setInputFiles({ name: 'story.pdf', mimeType: 'application/pdf', buffer: PDF })
      await Promise.all([
        l.waitForURL(/\/en\/chicago\/badges\/submissions\?sent=\d+$/),
        l.getByRole('button', { name: 'Send my evidence' }).click(),
      ])
      expect(await l.getByText('Your evidence was sent. The issuer will review it.').count()).toBe(1)
      expect(await l.getByText('Waiting for review').count()).toBe(1)
      await expectAccessible(journey.browser, l)

      // The provider finds it in the queue and returns it; feedback is required.
      await signIn(p, base, journey.server.provider, queue)
      expect(await p.locator('h1').textContent()).toBe('Evidence to review')
      await expectAccessible(journey.browser, p)
      await p.getByRole('link', { name: 'Review the evidence of Rosa Learner' }).click()
      expect(await p.locator('h1').textContent()).toBe('Review evidence for “Community reporter”')
      expect(await p.getByText('I wrote about the new community garden.').count()).toBe(1)
      await expectAccessible(journey.browser, p)
      await p.getByRole('button', { name: 'Return with feedback' }).click()
      expect(await p.locator('.error-summary a[href="#feedback"]').textContent()).toBe(
        'Write feedback so the learner knows what to improve.',
      )
      await expectAccessible(journey.browser, p)
      await p.getByLabel('Feedback for the learner').fill('Please add a photo of the garden.')
      await Promise.all([
        p.waitForURL(/\/badges\/evidence\?decided=\d+$/),
        p.getByRole('button', { name: 'Return with feedback' }).click(),
      ])
      expect(await p.getByText('No evidence is waiting for review.').count()).toBe(1)
      await expectAccessible(journey.browser, p)

      // The learner sees the feedback, and the mail says so too.
      await l.goto(`${base}/en/chicago/badges/submissions`)
      expect(await l.getByText('Returned with feedback').count()).toBe(1)
      expect(await l.getByText('Please add a photo of the garden.').count()).toBe(1)
      await expectAccessible(journey.browser, l)
      const mail = await journey.server.smtp.waitFor(learner.email, 10_000, (m) =>
        m.subject.includes('needs more'),
      )
      expect(mail.text).toContain('Please add a photo of the garden.')

      await l.getByRole('link', { name: 'Improve and send again: Community reporter' }).click()
      expect(await l.getByText('Feedback from the issuer').count()).toBe(1)
      await expectAccessible(journey.browser, l)
      await l.getByLabel('What you did').fill('I wrote about the new community garden; a photo is linked.')
      await l
        .getByLabel('Links to your work (optional)')
        .fill('https://news.example.org/garden\nhttps://photos.example.org/garden.jpg')
      await Promise.all([
        l.waitForURL(/\/badges\/submissions\?sent=\d+$/),
        l.getByRole('button', { name: 'Send my evidence again' }).click(),
      ])
      expect(await l.getByText('Round 2').count()).toBe(1)

      // Approved: the badge is issued with the evidence in it.
      await p.goto(`${base}${queue}`)
      await p.getByRole('link', { name: 'Review the evidence of Rosa Learner' }).click()
      await Promise.all([
        p.waitForURL(/\/badges\/evidence\?decided=\d+$/),
        p.getByRole('button', { name: 'Approve and award the badge' }).click(),
      ])
      await l.goto(`${base}/en/chicago/badges/submissions`)
      expect(await l.getByText('Approved: badge awarded').count()).toBe(1)
      await expectAccessible(journey.browser, l)
      await l.goto(`${base}/en/chicago/wallet`)
      expect(await l.getByText('Community reporter').count()).toBeGreaterThan(0)
    } finally {
      await learnerContext.close()
      await providerContext.close()
    }
  }, 300_000)

  it('with JavaScript on, in Arabic, the application form reads right to left and is accessible', async () => {
    const page: Page = await journey.browser.newPage()
    try {
      await signIn(page, journey.server.baseUrl, learner)
      await page.goto(`${journey.server.baseUrl}/ar/chicago/badges/submissions`)
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await page.locator('h1').textContent()).toBe('أدلّتي للشارات')
      await expectAccessible(journey.browser, page)
    } finally {
      await page.close()
    }
  })
})
