import type { App, Platform } from '../../../platform/module.ts'

export function consoleApi(_app: App, _platform: Platform): void {}
