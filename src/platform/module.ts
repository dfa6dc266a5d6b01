import type { OpenAPIHono } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Db } from './db/index.ts'
import type { EventBus } from './events.ts'
import type { AppEnv } from './http/env.ts'
import type { JobHandler, JobQueue } from './jobs/index.ts'
import type { Mailer } from './mail/index.ts'
import type { PersonalDataPart } from './personal-data.ts'

/** What the platform hands every module: technology only, no domain. */
export interface Platform {
  config: Config
  db: Db
  dbKind: 'pglite' | 'postgres'
  log: Logger
  jobs: JobQueue
  mail: Mailer
  events: EventBus
}

export type App = OpenAPIHono<AppEnv>

export interface SeedOptions {
  /** Print demo credentials and similar notes for the operator. */
  say: (line: string) => void
}

/** A link in a city's navigation: a path under /{lang}/{city}/ and the message key of its label. */
export interface NavEntry {
  path: string
  labelKey: string
  /** Shown to everyone, or only to people who are signed in. */
  audience?: 'everyone' | 'signed-in'
  /** Position in the navigation, smallest first (default 50). */
  order?: number
}

/** A module's manifest: everything it adds to the system, listed in src/app.ts. */
export interface Module {
  name: string
  /** Folder of messages/<lang>.json, registered under the module's name. */
  messages?: URL
  /** Middleware that runs before every route (e.g. who is signed in). */
  middleware?: (platform: Platform) => MiddlewareHandler<AppEnv>
  routes?: (app: App, platform: Platform) => void
  jobs?: (platform: Platform) => Record<string, JobHandler>
  /** Jobs (by name, handled in `jobs`) that run again every so many milliseconds. */
  recurring?: Record<string, number>
  /** Subscribes to other modules' domain events. */
  subscribe?: (platform: Platform) => void
  /** Links this module adds to every city page's navigation, in module order. */
  nav?: NavEntry[]
  /**
   * Paths whose POSTs carry no CSRF token because a secret token in the URL authorises them
   * (RFC 8058 one-click unsubscribe: mail providers post without cookies). Anchor each pattern.
   */
  csrfExempt?: RegExp[]
  /** Fills an empty database with this module's demo data; called in module order. */
  seed?: (platform: Platform, options: SeedOptions) => Promise<void>
  /**
   * The part of a person's data this module holds, as registered with registerPersonalData
   * (platform/personal-data.ts): exported by "Download my data", erased by "Delete my account".
   */
  personalData?: PersonalDataPart
}
