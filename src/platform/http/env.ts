import type { Lang, T } from '../i18n/index.ts'

/** Who is signed in, as every page and route sees it. */
export interface Viewer {
  id: number
  email: string
  displayName: string
  emailVerified: boolean
  isNetworkAdmin: boolean
  sessionId: number
}

/** The look of the current site (a city or the network). */
export interface Brand {
  name: string
  nameLang: string
  homeHref: string
  logoUrl?: string
  colors: { primary: string; primaryText: string; background: string; text: string }
}

/** The tenant (city) a request is about; every tenant-owned query filters on its id. */
export interface Tenant {
  id: number
  slug: string
  defaultLanguage: string
  languages: string[]
  timeZone: string
}

export interface AppEnv {
  Variables: {
    requestId: string
    secureHeadersNonce?: string
    lang: Lang
    t: T
    /**
     * The CSRF token for a form's hidden `_csrf` field (csrf.ts): made, with its cookie, on the
     * first call of a request, the same on every later one.
     */
    formToken: () => string
    /** The token once formToken has made it (undefined while no page of the request asked). */
    formTokenMade?: string
    viewer: Viewer | undefined
    brand: Brand
    /** Renders the shared error page for a status (404, 403 …) in the reader's language. */
    renderError: (status: 400 | 403 | 404 | 429 | 500, kind?: string) => Response | Promise<Response>
    /** Set by tenant routes: the city in the URL. */
    tenant?: Tenant
    /** The city navigation the modules declare (src/app.ts collects it). */
    cityNav: { path: string; labelKey: string; audience?: 'everyone' | 'signed-in' }[]
  }
}
