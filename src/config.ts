import { z } from 'zod'

/** Where each setting is documented, so an error can say how to fix it. */
const DOCS = 'README.md#configuration'

/** An https map tile URL template such as https://tile.example.org/{z}/{x}/{y}.png. */
function isTileTemplate(value: string): boolean {
  if (!['{z}', '{x}', '{y}'].every((p) => value.includes(p))) return false
  if (/[\s"'<>\\]/.test(value)) return false
  try {
    const url = new URL(value.replace(/\{[zxy]\}/g, '0'))
    return url.protocol === 'https:' && url.username === '' && url.password === '' && !/[{}]/.test(url.href)
  } catch {
    return false
  }
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).default('LearnCity <no-reply@learncity.localhost>'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JOBS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
    TRUST_PROXY: z.enum(['true', 'false']).default('false'),
    DEMO_SIZE: z.enum(['small', 'full']).default('full'),
    BULK_MAIL_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    MAP_TILE_URL: z
      .string()
      .max(500)
      .refine(
        isTileTemplate,
        'must be an https:// URL template with {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png',
      )
      .optional(),
    MAP_TILE_ATTRIBUTION: z.string().max(200).optional(),
    FETCH_ALLOW_ADDRESSES: z
      .string()
      .regex(
        /^\s*(none|loopback|private)(\s*,\s*(loopback|private))*\s*$/i,
        'must be none, loopback, private or loopback,private',
      )
      .default('none'),
    BADGES_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    BADGES_DID_HOST: z
      .string()
      .regex(
        /^[a-z0-9.-]+(%3A[0-9]{1,5})?$/,
        'must be a host name such as learn.example.org (port as %3A8443)',
      )
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'is required in production: set it to a random string, e.g. `openssl rand -hex 32`',
      })
    }
    if (env.NODE_ENV === 'production' && !env.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'is required in production: the https address people use, e.g. https://learn.example.org',
      })
    }
  })

export type Env = z.infer<typeof schema>

export interface Config {
  env: Env['NODE_ENV']
  port: number
  host: string
  publicUrl: string
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string }
  sessionSecret: string
  smtpUrl: string | undefined
  mailFrom: string
  logLevel: Env['LOG_LEVEL']
  jobsPollMs: number
  seedDemo: boolean
  /** Cookies get the Secure flag when the site is served over https. */
  secureCookies: boolean
  /** Behind a reverse proxy: take the client address from X-Forwarded-For's last hop. */
  trustProxy: boolean
  /** How much invented demo data to seed: `full` for a convincing demo, `small` for fast tests. */
  demoSize: 'small' | 'full'
  /** Bulk mail (newsletter issues) handed to the mailer per minute, at most. */
  bulkMailPerMinute: number
  /** Map tiles drawn under the districts ({z}/{x}/{y} template); none requested when unset. */
  mapTileUrl?: string
  /** The credit the tile server asks for, shown under the map. */
  mapTileAttribution?: string
  /** Non-public addresses the outside-URL fetcher may reach (feeds, did:web): none unless the operator says. */
  fetch: { allowLoopback: boolean; allowPrivate: boolean }
  /** Open Badges: the secret that encrypts issuer keys, and the did:web host of issuer DIDs. */
  badges: { keySecret: string; didHost: string }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `LearnCity cannot start: fix these settings (see ${DOCS}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    this.name = 'ConfigError'
  }
}

/** Reads and validates the environment once; throws ConfigError with one fix-it line per bad setting. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = schema.safeParse(cleaned)
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.') || 'environment'} ${i.message.replace(/^Invalid input: /, '')}`,
      ),
    )
  }
  const env = parsed.data
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '')
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: env.DATA_DIR },
    // Development falls back to a fixed secret so sessions survive restarts; production refuses above.
    sessionSecret: env.SESSION_SECRET ?? 'development-only-secret-change-me-please-0000',
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    logLevel: env.LOG_LEVEL,
    jobsPollMs: env.JOBS_POLL_MS,
    seedDemo: env.SEED_DEMO === 'auto' && env.NODE_ENV !== 'production',
    secureCookies: publicUrl.startsWith('https://'),
    trustProxy: env.TRUST_PROXY === 'true',
    demoSize: env.DEMO_SIZE,
    bulkMailPerMinute: env.BULK_MAIL_PER_MINUTE,
    mapTileUrl: env.MAP_TILE_URL,
    mapTileAttribution: env.MAP_TILE_ATTRIBUTION,
    fetch: {
      allowLoopback: /loopback/i.test(env.FETCH_ALLOW_ADDRESSES),
      allowPrivate: /private/i.test(env.FETCH_ALLOW_ADDRESSES),
    },
    badges: {
      // Without its own secret, issuer keys are encrypted with one derived from SESSION_SECRET.
      keySecret:
        env.BADGES_KEY_SECRET ??
        `badges:${env.SESSION_SECRET ?? 'development-only-secret-change-me-please-0000'}`,
      didHost: env.BADGES_DID_HOST ?? new URL(publicUrl).host.replace(':', '%3A'),
    },
  }
}
