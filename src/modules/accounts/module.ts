import type { Module } from '../../platform/module.ts'
import { accountPages } from './pages.tsx'
import { accountsPersonalData } from './personal-data.ts'
import { privacyApi } from './privacy-api.ts'
import { privacyPages } from './privacy-pages.tsx'
import { sessionMiddleware } from './session.ts'

/** People: sign-up, email verification, sign-in, sessions, password reset, roles, their data. */
export const accountsModule: Module = {
  name: 'accounts',
  messages: new URL('./messages/', import.meta.url),
  middleware: sessionMiddleware,
  routes(app, platform) {
    accountPages(app, platform)
    privacyPages(app, platform)
    privacyApi(app, platform)
  },
  personalData: accountsPersonalData,
}
