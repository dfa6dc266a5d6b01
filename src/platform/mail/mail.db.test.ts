import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from '../../../test/agent.ts'
import { engines, type TestPlatform, testPlatform } from '../../../test/platform.ts'
import { headerOf, startTestSmtp } from '../../../test/smtp.ts'
import { createVerifiedUser } from '../../modules/accounts/index.ts'
import { firstRow, sql } from '../db/index.ts'

describe.each(engines)('mail on %s', (engine) => {
  describe('without SMTP', () => {
    let t: TestPlatform
    beforeAll(async () => {
      t = await testPlatform(engine)
    })
    afterAll(() => t.close())

    it('keeps mail in the outbox, which only a network admin can read', async () => {
      const id = await t.platform.mail.send({
        to: 'resident@example.org',
        subject: 'Hello <there>',
        text: 'Line one\nLine two',
      })
      await t.platform.jobs.drain()
      const row = await firstRow<{ status: string }>(
        t.platform.db,
        sql`select status from mail_outbox where id = ${id}`,
      )
      expect(row?.status).toBe('held')

      const visitor = new Agent(t.app)
      expect((await visitor.get('/en/admin/outbox')).status).toBe(303)

      await createVerifiedUser(t.platform, {
        email: 'learner@example.org',
        password: 'learner password',
        displayName: 'L',
        language: 'en',
      })
      const learner = new Agent(t.app)
      await learner.submit('/en/account/sign-in', {
        email: 'learner@example.org',
        password: 'learner password',
      })
      expect((await learner.get('/en/admin/outbox')).status).toBe(403)

      await createVerifiedUser(t.platform, {
        email: 'admin@example.org',
        password: 'admin password',
        displayName: 'A',
        language: 'en',
        isNetworkAdmin: true,
      })
      const admin = new Agent(t.app)
      await admin.submit('/en/account/sign-in', { email: 'admin@example.org', password: 'admin password' })
      const page = await admin.get('/en/admin/outbox')
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('Hello &lt;there&gt;')
      expect(html).toContain('kept here (no SMTP)')
      expect(html).toContain('resident@example.org')
    })
  })

  describe('with SMTP', () => {
    it('sends extra headers and an HTML part; a permanent rejection is a bounce, reported and not retried', async () => {
      const smtp = await startTestSmtp({ rejectRecipients: ['gone@example.org'] })
      const t = await testPlatform(engine, { SMTP_URL: smtp.url })
      try {
        const ok = await t.platform.mail.send({
          to: 'here@example.org',
          subject: 'News',
          text: 'Plain https://example.org/x',
          html: '<p>Rich <a href="https://example.org/x">link</a></p>',
          headers: {
            'List-Unsubscribe': '<https://example.org/u/abc>',
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        })
        const gone = await t.platform.mail.send({ to: 'gone@example.org', subject: 'News', text: 'Plain' })
        await t.platform.jobs.drain()
        const mail = await smtp.waitFor('here@example.org')
        expect(headerOf(mail, 'List-Unsubscribe')).toBe('<https://example.org/u/abc>')
        expect(headerOf(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
        expect(mail.text).toContain('Plain https://example.org/x')
        expect(mail.html).toContain('<a href="https://example.org/x">link</a>')
        const outcomes = await t.platform.mail.outcomes([ok, gone, 999_999])
        expect(outcomes.sort((a, b) => a.id - b.id).map((o) => o.status)).toEqual(['sent', 'bounced'])
        expect(outcomes.find((o) => o.id === gone)?.error).toContain('No such mailbox')
        const job = await firstRow<{ status: string; attempts: number }>(
          t.platform.db,
          sql`select status, attempts from jobs where name = 'mail.deliver' and payload->>'outboxId' = ${String(gone)}`,
        )
        expect(job).toEqual({ status: 'done', attempts: 1 })
        expect(smtp.messages.some((m) => m.to.includes('gone@example.org'))).toBe(false)
      } finally {
        await t.close()
        await smtp.close()
      }
    })

    it('delivers through the SMTP server and marks the message sent; retries when the server is down', async () => {
      const smtp = await startTestSmtp()
      const t = await testPlatform(engine, { SMTP_URL: smtp.url, MAIL_FROM: 'City <city@example.org>' })
      try {
        const id = await t.platform.mail.send({
          to: 'a@example.org',
          subject: 'Grüße ✓',
          text: 'Ça marche — مرحبا',
        })
        await t.platform.jobs.drain()
        const mail = await smtp.waitFor('a@example.org')
        expect(mail.subject).toBe('Grüße ✓')
        expect(mail.text).toContain('Ça marche — مرحبا')
        expect(mail.from).toBe('city@example.org')
        const row = await firstRow<{ status: string }>(
          t.platform.db,
          sql`select status from mail_outbox where id = ${id}`,
        )
        expect(row?.status).toBe('sent')
      } finally {
        await t.close()
        await smtp.close()
      }

      const down = await testPlatform(engine, { SMTP_URL: 'smtp://127.0.0.1:9' })
      try {
        const id = await down.platform.mail.send({ to: 'b@example.org', subject: 'S', text: 'T' })
        await down.platform.jobs.drain()
        const row = await firstRow<{ status: string; job: string }>(
          down.platform.db,
          sql`select o.status, j.status as job from mail_outbox o, jobs j where o.id = ${id} and j.name = 'mail.deliver'`,
        )
        expect(row).toEqual({ status: 'failed', job: 'queued' })
      } finally {
        await down.close()
      }
    })
  })
})
