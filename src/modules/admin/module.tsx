import { LANG_PARAM } from '../../platform/i18n/index.ts'
import type { Module } from '../../platform/module.ts'
import { page } from '../../platform/ui/layout.tsx'
import { requireNetworkAdmin } from '../accounts/index.ts'
import { adminNav, cityAdminPages } from './city-admin.tsx'

/**
 * Operator pages: the mail outbox (where mail waits when no SMTP server is configured), and each
 * city's admin area, which links its coordinators to every coordinator page.
 */
export const adminModule: Module = {
  name: 'admin',
  messages: new URL('./messages/', import.meta.url),
  middleware: adminNav,
  routes(app, platform) {
    cityAdminPages(app, platform)
    app.get(`/${LANG_PARAM}/admin/outbox`, requireNetworkAdmin, async (c) => {
      const { t, lang } = c.var
      const mails = await platform.mail.recent(100)
      const when = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })
      return page(
        c,
        { title: t('admin.outbox.title') },
        <>
          <h1>{t('admin.outbox.title')}</h1>
          <p>{platform.config.smtpUrl ? t('admin.outbox.introSmtp') : t('admin.outbox.introNoSmtp')}</p>
          {mails.length === 0 ? (
            <p>{t('admin.outbox.empty')}</p>
          ) : (
            mails.map((m) => (
              <article class="card" aria-labelledby={`mail-${m.id}`}>
                <h2 id={`mail-${m.id}`}>{m.subject}</h2>
                <p>
                  {t('admin.outbox.to')} <span dir="ltr">{m.to}</span> · {when.format(new Date(m.createdAt))}{' '}
                  · {t(`admin.outbox.status.${m.status}`)}
                  {m.error ? ` (${m.error})` : ''}
                </p>
                <pre dir="auto">{m.text}</pre>
              </article>
            ))
          )}
        </>,
      )
    })
  },
}
