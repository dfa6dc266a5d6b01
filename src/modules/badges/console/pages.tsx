import type { App, Platform } from '../../../platform/module.ts'

export function consolePages(_app: App, _platform: Platform): void {}
