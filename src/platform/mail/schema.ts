import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { createdAt, id, ref } from '../db/columns.ts'

/** Every message the platform sends; without SMTP it stays here for an admin to read. */
export const outbox = pgTable(
  'mail_outbox',
  {
    id: id(),
    cityId: ref('city_id'),
    to: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('body_text').notNull(),
    html: text('body_html'),
    status: text('status')
      .$type<'queued' | 'sent' | 'held' | 'failed' | 'bounced'>()
      .notNull()
      .default('queued'),
    error: text('error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('mail_outbox_created_idx').on(t.createdAt)],
)
