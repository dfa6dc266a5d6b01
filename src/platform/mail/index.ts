import nodemailer, { type Transporter } from 'nodemailer'
import { type Db, firstRow, rows, sql } from '../db/index.ts'
import type { JobHandler } from '../jobs/index.ts'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html?: string
  cityId?: number
}

export interface OutboxEntry {
  id: number
  to: string
  subject: string
  text: string
  status: string
  error: string | null
  createdAt: string
}

export interface Mailer {
  /** Records the message in the outbox and queues its delivery; returns the outbox id. */
  send(mail: OutgoingMail): Promise<number>
  /** Job handler: delivers one outbox message by SMTP, or holds it when no SMTP is configured. */
  deliverJob: JobHandler
  /** The newest outbox entries, for the admin page. */
  recent(limit?: number): Promise<OutboxEntry[]>
  close(): void
}

export const DELIVER_JOB = 'mail.deliver'

export function createMailer(
  db: Db,
  enqueue: (name: string, payload: unknown) => Promise<number>,
  options: { smtpUrl: string | undefined; from: string },
): Mailer {
  const transport: Transporter | undefined = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : undefined

  return {
    async send(mail) {
      const row = await firstRow<{ id: number | string }>(
        db,
        sql`insert into mail_outbox (city_id, to_address, subject, body_text, body_html)
            values (${mail.cityId ?? null}, ${mail.to}, ${mail.subject}, ${mail.text}, ${mail.html ?? null})
            returning id`,
      )
      const id = Number(row!.id)
      await enqueue(DELIVER_JOB, { outboxId: id })
      return id
    },

    async deliverJob(payload) {
      const { outboxId } = payload as { outboxId: number }
      const mail = await firstRow<{
        to_address: string
        subject: string
        body_text: string
        body_html: string | null
        status: string
      }>(
        db,
        sql`select to_address, subject, body_text, body_html, status from mail_outbox where id = ${outboxId}`,
      )
      if (!mail || mail.status === 'sent') return
      if (!transport) {
        await db.execute(sql`update mail_outbox set status = 'held' where id = ${outboxId}`)
        return
      }
      try {
        await transport.sendMail({
          from: options.from,
          to: mail.to_address,
          subject: mail.subject,
          text: mail.body_text,
          html: mail.body_html ?? undefined,
        })
        await db.execute(
          sql`update mail_outbox set status = 'sent', sent_at = now(), error = null where id = ${outboxId}`,
        )
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        await db.execute(
          sql`update mail_outbox set status = 'failed', error = ${message} where id = ${outboxId}`,
        )
        throw error
      }
    },

    async recent(limit = 100) {
      const list = await rows<{
        id: number | string
        to_address: string
        subject: string
        body_text: string
        status: string
        error: string | null
        created_at: string | Date
      }>(
        db,
        sql`select id, to_address, subject, body_text, status, error, created_at from mail_outbox
            order by id desc limit ${limit}`,
      )
      return list.map((r) => ({
        id: Number(r.id),
        to: r.to_address,
        subject: r.subject,
        text: r.body_text,
        status: r.status,
        error: r.error,
        createdAt: new Date(r.created_at).toISOString(),
      }))
    },

    close() {
      transport?.close()
    },
  }
}
