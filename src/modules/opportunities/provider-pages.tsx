import type { App, Platform } from '../../platform/module.ts'

/** Provider dashboard, publishing form with preview, and the coordinator review queue. */
export function providerPages(_app: App, _platform: Platform): void {}
