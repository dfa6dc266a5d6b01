import type { Module } from '../../../platform/module.ts'
import { webhooksApi } from './api.ts'
import { deliverMessage, pruneLog } from './deliver.ts'
import { webhooksPages } from './pages.tsx'
import { attendanceEvent, scanChanges, WEBHOOK_DELIVER_JOB } from './scan.ts'

/** Reads the change log and queues messages (every 30 s; also right after a subscription's test). */
export const WEBHOOK_SCAN_JOB = 'interop.webhook-scan'
/** Drops delivery log lines older than 30 days. */
export const WEBHOOK_PRUNE_JOB = 'interop.webhook-prune'

/** Webhooks: signed change events for organizations and integrators (docs/webhooks.md). */
export const webhooksModule: Module = {
  name: 'webhooks',
  messages: new URL('./messages/', import.meta.url),
  jobs: (platform) => ({
    [WEBHOOK_SCAN_JOB]: () => scanChanges(platform.db, platform.config.publicUrl),
    [WEBHOOK_PRUNE_JOB]: async () => {
      await pruneLog(platform.db)
    },
    [WEBHOOK_DELIVER_JOB]: async (payload) => {
      const messageId = Number((payload as { messageId?: unknown } | null)?.messageId)
      if (Number.isSafeInteger(messageId)) await deliverMessage(platform, messageId)
    },
  }),
  recurring: { [WEBHOOK_SCAN_JOB]: 30_000, [WEBHOOK_PRUNE_JOB]: 24 * 3600_000 },
  subscribe(platform) {
    platform.events.on('registration.attended', (payload) => attendanceEvent(platform.db, payload))
  },
  routes(app, platform) {
    webhooksApi(app, platform)
    webhooksPages(app, platform)
  },
}
