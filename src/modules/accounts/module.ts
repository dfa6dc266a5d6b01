import type { Module } from '../../platform/module.ts'
import { accountPages } from './pages.tsx'
import { sessionMiddleware } from './session.ts'

/** People: sign-up, email verification, sign-in, sessions, password reset, roles. */
export const accountsModule: Module = {
  name: 'accounts',
  messages: new URL('./messages/', import.meta.url),
  middleware: sessionMiddleware,
  routes: accountPages,
}
