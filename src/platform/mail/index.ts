import nodemailer, { type Transporter } from 'nodemailer'
import { arrayOf, type Db, firstRow, rows, sql } from '../db/index.ts'
import type { JobHandler } from '../jobs/index.ts'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html?: string
  cityId?: number
  /** Extra headers, e.g. List-Unsubscribe (RFC 8058); they travel with the delivery job. */
  headers?: Record<string, string>
}

/** What became of one outbox message: `bounced` is a permanent SMTP rejection (5xx), never retried. */
export interface MailOutcome {
  id: number
  status: 'queued' | 'sent' | 'held' | 'failed' | 'bounced'
  error: string | null
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
  /** The delivery outcome of these outbox messages (unknown ids are left out). */
  outcomes(ids: readonly number[]): Promise<MailOutcome[]>
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
      await enqueue(DELIVER_JOB, mail.headers ? { outboxId: id, headers: mail.headers } : { outboxId: id })
      return id
    },

    async deliverJob(payload) {
      const { outboxId, headers } = payload as { outboxId: number; headers?: Record<string, string> }
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
          headers,
        })
        await db.execute(
          sql`update mail_outbox set status = 'sent', sent_at = now(), error = null where id = ${outboxId}`,
        )
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        // The server refused the message for good (5xx, e.g. no such mailbox): a bounce, not retried.
        const code = (error as { responseCode?: unknown }).responseCode
        const bounced = typeof code === 'number' && code >= 500 && code < 600
        await db.execute(
          sql`update mail_outbox set status = ${bounced ? 'bounced' : 'failed'}, error = ${message} where id = ${outboxId}`,
        )
        if (!bounced) throw error
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

    async outcomes(ids) {
      if (ids.length === 0) return []
      const list = await rows<{ id: number | string; status: MailOutcome['status']; error: string | null }>(
        db,
        sql`select id, status, error from mail_outbox where id = any(${arrayOf(ids, 'int8')})`,
      )
      return list.map((r) => ({ id: Number(r.id), status: r.status, error: r.error }))
    },

    close() {
      transport?.close()
    },
  }
}
