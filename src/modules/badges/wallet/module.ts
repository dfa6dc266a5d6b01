import type { Module } from '../../../platform/module.ts'
import { walletApi } from './api.ts'
import { walletPages } from './pages.tsx'
import { badgeImageRoutes } from './routes.ts'

/**
 * The learner's wallet (earned and imported badges, import, ZIP), the public page of an issued
 * badge with its Open Graph picture, and the baked PNG/SVG downloads.
 */
export const badgeWalletModule: Module = {
  name: 'badge-wallet',
  messages: new URL('./messages/', import.meta.url),
  nav: [{ path: 'wallet', labelKey: 'badge-wallet.nav', audience: 'signed-in', order: 81 }],
  routes: (app, platform) => {
    badgeImageRoutes(app, platform)
    walletApi(app, platform)
    walletPages(app, platform)
  },
}
