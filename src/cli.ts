import { parseArgs } from 'node:util'
import { createApp, seedAll, startPlatform } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createVerifiedUser, grantCityRole } from './modules/accounts/index.ts'
import { ArchiveError, exportVerificationArchive } from './modules/badges/index.ts'
import { createCity, findCityBySlug } from './modules/cities/index.ts'
import { seedHubLibrary } from './modules/knowledge-hub/index.ts'
import { isLang, LANGUAGES, type Lang, translator } from './platform/i18n/index.ts'

const HELP = `LearnCity operator commands: npm run cli -- <command> [options]

  migrate                         apply pending database migrations
  seed                            load the demo city (Chicago) and demo accounts (idempotent)
  seed-hub                        add the knowledge hub's network-wide starting library (idempotent,
                                  keeps curators' edits; safe in production)
  create-city --slug S --name N [--language en] [--languages en,es] [--time-zone Area/City]
                                  add a city; --name may be repeated as lang:Name (e.g. --name es:Chicago)
  create-admin --email E [--password P] [--name N] [--city S --role coordinator]
                                  create a verified network admin (or a city coordinator with --city);
                                  without --password a random one is printed
  export-verification-archive --out DIR [--city S] [--force]
                                  write a static folder (issuer DID documents, status lists, keys,
                                  achievements, public badges) that verifies our badges wherever it
                                  is hosted; refuses a non-empty DIR unless --force

The database is the one the app uses: DATABASE_URL, else PGlite under DATA_DIR (./data).`

function fail(message: string): never {
  console.error(`error: ${message}\n\n${HELP}`)
  process.exit(2)
}

export async function runCli(argv: string[], out: (line: string) => void = console.log): Promise<void> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help') {
    out(HELP)
    return
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      slug: { type: 'string' },
      name: { type: 'string', multiple: true },
      language: { type: 'string' },
      languages: { type: 'string' },
      'time-zone': { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      city: { type: 'string' },
      role: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
    },
    strict: true,
  })
  if (
    !['migrate', 'seed', 'seed-hub', 'create-city', 'create-admin', 'export-verification-archive'].includes(
      command,
    )
  )
    fail(`unknown command "${command}"`)

  if (command === 'export-verification-archive' && !values.out) fail('--out DIR is required')
  const config = loadConfig()
  const started = await startPlatform(config)
  const { platform } = started
  try {
    if (command === 'migrate') {
      out(`migrations applied (${platform.dbKind})`)
    } else if (command === 'seed') {
      await seedAll(platform, out)
      out('seeded the demo city')
    } else if (command === 'seed-hub') {
      const added = await seedHubLibrary(platform)
      out(`knowledge hub: added ${added} network-wide resources`)
    } else if (command === 'create-city') {
      const language = values.language ?? 'en'
      const name: Record<string, string> = {}
      for (const entry of values.name ?? []) {
        const m = /^([a-z]{2}):(.+)$/.exec(entry)
        if (m?.[1] && m[2]) name[m[1]] = m[2]
        else name[language] = entry
      }
      const result = await createCity(platform, {
        slug: values.slug ?? '',
        name,
        defaultLanguage: language,
        languages: values.languages ? values.languages.split(',').map((l) => l.trim()) : [...LANGUAGES],
        timeZone: values['time-zone'] ?? 'UTC',
      })
      if (!result.ok) {
        const t = translator('en')
        fail(
          `could not create the city:\n${result.fields.map((f) => `  --${f.field}: ${t(`cities.${f.key}`)}`).join('\n')}`,
        )
      }
      out(`created city ${values.slug} (id ${result.value})`)
    } else if (command === 'create-admin') {
      if (!values.email) fail('--email is required')
      const password = values.password ?? (await import('node:crypto')).randomBytes(12).toString('base64url')
      if (password.length < 10) fail('--password must be at least 10 characters')
      const language = (isLang(values.language) ? values.language : 'en') as Lang
      let cityId: number | undefined
      if (values.city) {
        const city = await findCityBySlug(platform.db, values.city)
        if (!city) fail(`no city "${values.city}"`)
        if (values.role && values.role !== 'coordinator') fail('--role must be coordinator')
        cityId = city.id
      }
      const userId = await createVerifiedUser(platform, {
        email: values.email,
        password,
        displayName: values.name?.[0] ?? values.email.split('@')[0] ?? 'Admin',
        language,
        isNetworkAdmin: cityId === undefined,
      })
      if (cityId !== undefined) await grantCityRole(platform.db, cityId, userId, 'coordinator')
      out(`${cityId === undefined ? 'network admin' : `coordinator of ${values.city}`}: ${values.email}`)
      if (!values.password) out(`password: ${password}`)
    } else if (command === 'export-verification-archive') {
      const app = createApp(platform)
      try {
        const done = await exportVerificationArchive(platform, (path) => app.request(path), {
          out: values.out!,
          city: values.city,
          force: values.force,
        })
        out(
          `verification archive in ${done.out}: ${done.issuers} issuers, ${done.achievements} achievements, ${done.credentials} public badges (${done.files} files); host it at ${config.publicUrl}`,
        )
      } catch (error) {
        if (error instanceof ArchiveError) fail(error.message)
        throw error
      }
    }
  } finally {
    await started.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await runCli(process.argv.slice(2))
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(78)
    }
    throw error
  }
}
