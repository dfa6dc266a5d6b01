import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM, LANGUAGE_NAMES, LANGUAGES, translated } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { Select, TextInput } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireCityRole } from '../../accounts/index.ts'
import { currentCity, listVenues, requireCity } from '../../cities/index.ts'
import { BUILDING_BLOCKS } from '../../opportunities/index.ts'
import { listOrganizations } from '../../organizations/index.ts'
import { FEED_KINDS } from '../schema-harvest.ts'
import { editFeed, removeFeed } from './feed-admin.ts'
import { CALENDAR_BYTES, importCalendar, registerFeed } from './feeds.ts'
import { HARVEST_FEED_JOB } from './jobs.ts'
import * as repo from './repository.ts'

type C = Context<AppEnv>
type Values = Record<string, string>

const FIELDS = [
  'organizationId',
  'kind',
  'name',
  'url',
  'language',
  'buildingBlock',
  'price',
  'currency',
  'venueId',
  'intervalMinutes',
  'file',
]

/** Field errors of a use case, in the reader's language (one message per field), linked by id. */
function formErrors(c: C, fields: { field: string }[], prefix: string): FormError[] {
  const seen = new Set<string>()
  return fields.flatMap((f) => {
    const name = f.field.replace(/^\//, '').split('/')[0]!
    if (!FIELDS.includes(name) || seen.has(name)) return []
    seen.add(name)
    return [{ field: `${prefix}${name}`, message: c.var.t(`harvest.errors.${name}`) }]
  })
}

const text = (v: unknown, max = 2000) => (typeof v === 'string' ? v.slice(0, max) : '')

async function choices(c: C, platform: Platform) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const orgs = await listOrganizations(platform.db, city.id)
  const venues = await listVenues(platform.db, city.id)
  const name = (v: Record<string, string | undefined>) => translated(v, lang, [city.defaultLanguage]).text
  return {
    providers: [
      { value: '', label: t('harvest.form.choose') },
      ...orgs.map((o) => ({ value: String(o.id), label: name(o.name) })),
    ],
    venues: [
      { value: '', label: t('harvest.form.noVenue') },
      ...venues.map((v) => ({ value: String(v.id), label: name(v.name) })),
    ],
    blocks: [
      { value: '', label: t('harvest.form.choose') },
      ...BUILDING_BLOCKS.map((b) => ({ value: b, label: t(`opportunities.block.${b}`) })),
    ],
    languages: LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
    kinds: FEED_KINDS.map((k) => ({ value: k, label: t(`harvest.kinds.${k}`) })),
    providerName: new Map(orgs.map((o) => [o.id, name(o.name)])),
  }
}

function CommonFields(props: {
  p: string
  v: Values
  errors: FormError[]
  o: Awaited<ReturnType<typeof choices>>
  c: C
}) {
  const { t } = props.c.var
  const { p, v, errors, o } = props
  return (
    <>
      <Select
        id={`${p}organizationId`}
        label={t('harvest.form.provider')}
        value={v.organizationId ?? ''}
        options={o.providers}
        errors={errors}
      />
      <TextInput id={`${p}name`} label={t('harvest.form.name')} value={v.name ?? ''} errors={errors} />
      <Select
        id={`${p}language`}
        label={t('harvest.form.language')}
        hint={t('harvest.form.languageHint')}
        value={v.language ?? 'en'}
        options={o.languages}
        errors={errors}
      />
      <Select
        id={`${p}buildingBlock`}
        label={t('harvest.form.buildingBlock')}
        value={v.buildingBlock ?? ''}
        options={o.blocks}
        errors={errors}
      />
      <Select
        id={`${p}venueId`}
        label={t('harvest.form.venue')}
        hint={t('harvest.form.venueHint')}
        value={v.venueId ?? ''}
        options={o.venues}
        errors={errors}
      />
      <TextInput
        id={`${p}price`}
        label={t('harvest.form.price')}
        hint={t('harvest.form.priceHint')}
        value={v.price ?? ''}
        inputmode="decimal"
        dir="ltr"
        errors={errors}
      />
      <TextInput
        id={`${p}currency`}
        label={t('harvest.form.currency')}
        value={v.currency ?? 'USD'}
        dir="ltr"
        errors={errors}
      />
    </>
  )
}

async function feedsPage(
  c: C,
  platform: Platform,
  state: { values?: Values; errors?: FormError[]; notice?: string } = {},
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  if (!state.notice && c.req.query('removed')) state.notice = t('harvest.remove.done')
  const city = currentCity(c)
  const base = `/${lang}/${city.slug}/admin/feeds`
  const feeds = await repo.listFeeds(platform.db, city.id)
  const o = await choices(c, platform)
  const errors = state.errors ?? []
  const v = state.values ?? {}
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  const title = t('harvest.title')
  return page(
    c,
    { title: errors.length ? t('harvest.errorTitle', { title }) : title, status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      {state.notice && (
        <p class="notice" role="status">
          {state.notice}
        </p>
      )}
      <h1>{title}</h1>
      <p>{t('harvest.intro')}</p>
      <h2>{t('harvest.list.title')}</h2>
      {feeds.length === 0 ? (
        <p>{t('harvest.list.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('harvest.list.name')}</th>
              <th scope="col">{t('harvest.form.provider')}</th>
              <th scope="col">{t('harvest.form.kind')}</th>
              <th scope="col">{t('harvest.list.status')}</th>
              <th scope="col">{t('harvest.list.lastRun')}</th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <tr>
                <td>
                  <a href={`${base}/${f.id}`}>{f.name}</a>
                </td>
                <td>{o.providerName.get(f.organizationId) ?? ''}</td>
                <td>{t(`harvest.kinds.${f.kind}`)}</td>
                <td>{f.lastError ? t('harvest.list.failing') : t(`harvest.status.${f.status}`)}</td>
                <td>{f.lastRunAt ? when.format(f.lastRunAt) : t('harvest.list.never')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="register">{t('harvest.register.title')}</h2>
      <p>{t('harvest.register.intro')}</p>
      <Form action={base} csrf={csrfToken} novalidate>
        <Select
          id="kind"
          label={t('harvest.form.kind')}
          value={v.kind ?? 'rpde'}
          options={o.kinds}
          errors={errors}
        />
        <TextInput
          id="url"
          type="url"
          label={t('harvest.form.url')}
          hint={t('harvest.form.urlHint')}
          value={v.url ?? ''}
          dir="ltr"
          errors={errors}
        />
        <CommonFields p="" v={v} errors={errors} o={o} c={c} />
        <TextInput
          id="intervalMinutes"
          type="number"
          label={t('harvest.form.interval')}
          value={v.intervalMinutes ?? '60'}
          inputmode="numeric"
          dir="ltr"
          errors={errors}
        />
        <button type="submit" class="button">
          {t('harvest.register.submit')}
        </button>
      </Form>
      <h2 id="import">{t('harvest.import.title')}</h2>
      <p>{t('harvest.import.intro')}</p>
      <form method="post" action={`${base}/import`} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <div class={errors.some((e) => e.field === 'ics-file') ? 'field field-error' : 'field'}>
          <label for="ics-file">{t('harvest.import.file')}</label>
          <p class="hint" id="ics-file-hint">
            {t('harvest.import.fileHint', { mb: CALENDAR_BYTES / 1_000_000 })}
          </p>
          {errors
            .filter((e) => e.field === 'ics-file')
            .map((e) => (
              <p class="error-message" id="ics-file-error">
                {e.message}
              </p>
            ))}
          <input
            id="ics-file"
            name="file"
            type="file"
            accept=".ics,text/calendar"
            aria-describedby="ics-file-hint"
          />
        </div>
        <TextInput
          id="ics-url"
          type="url"
          label={t('harvest.import.url')}
          value={v['ics-url'] ?? ''}
          dir="ltr"
          errors={errors}
        />
        <CommonFields p="ics-" v={v} errors={errors} o={o} c={c} />
        <button type="submit" class="button">
          {t('harvest.import.submit')}
        </button>
      </form>
    </>,
  )
}

async function feedPage(c: C, platform: Platform, feed: repo.FeedRow) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const base = `/${lang}/${city.slug}/admin/feeds/${feed.id}`
  const runs = await repo.listRuns(platform.db, city.id, feed.id)
  const log = await repo.listLog(platform.db, city.id, feed.id)
  const counts = await repo.countRecords(platform.db, feed.id)
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: city.timeZone,
  })
  const notice = c.req.query('queued')
    ? t('harvest.feed.queued')
    : c.req.query('changed') || c.req.query('saved')
      ? t('harvest.feed.changed')
      : null
  const columns = ['items', 'imported', 'updated', 'unchanged', 'deleted', 'rejected', 'warnings'] as const
  return page(
    c,
    { title: feed.name },
    <>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>
        <a href={`/${lang}/${city.slug}/admin/feeds`}>{t('harvest.feed.back')}</a>
      </p>
      <h1>{feed.name}</h1>
      <dl>
        <dt>{t('harvest.form.kind')}</dt>
        <dd>{t(`harvest.kinds.${feed.kind}`)}</dd>
        <dt>{t('harvest.form.url')}</dt>
        <dd dir="ltr">{feed.url}</dd>
        <dt>{t('harvest.list.status')}</dt>
        <dd>{t(`harvest.status.${feed.status}`)}</dd>
        <dt>{t('harvest.feed.records')}</dt>
        <dd>{t('harvest.feed.recordCounts', counts)}</dd>
        {feed.lastError && (
          <>
            <dt>{t('harvest.feed.lastError')}</dt>
            <dd dir="ltr">{feed.lastError}</dd>
          </>
        )}
      </dl>
      {!feed.url.startsWith('file:') && (
        <>
          <Form action={`${base}/harvest`} csrf={csrfToken}>
            <button type="submit" class="button">
              {t('harvest.feed.harvestNow')}
            </button>
          </Form>
          <Form action={`${base}/status`} csrf={csrfToken}>
            <input type="hidden" name="status" value={feed.status === 'active' ? 'paused' : 'active'} />
            <button type="submit" class="button secondary">
              {feed.status === 'active' ? t('harvest.feed.pause') : t('harvest.feed.resume')}
            </button>
          </Form>
        </>
      )}
      <p>
        <a href={`${base}/edit`}>{t('harvest.edit.link')}</a>
      </p>
      <p>
        <a href={`${base}/remove`}>{t('harvest.remove.link')}</a>
      </p>
      <h2>{t('harvest.feed.runs')}</h2>
      {runs.length === 0 ? (
        <p>{t('harvest.feed.noRuns')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('harvest.feed.started')}</th>
              {columns.map((k) => (
                <th scope="col">{t(`harvest.feed.${k}`)}</th>
              ))}
              <th scope="col">{t('harvest.list.status')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr>
                <td>{when.format(r.startedAt)}</td>
                {columns.map((k) => (
                  <td>{r[k]}</td>
                ))}
                <td>
                  {t(`harvest.runStatus.${r.status}`)}
                  {r.error && <span dir="ltr"> ({r.error})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('harvest.feed.log')}</h2>
      {log.length === 0 ? (
        <p>{t('harvest.feed.noLog')}</p>
      ) : (
        <ul>
          {log.map((l) => (
            <li>
              <strong>{t(`harvest.outcome.${l.outcome}`)}</strong>{' '}
              <span dir="auto">{l.title || l.itemId}</span> <span dir="ltr">({l.itemId})</span>
              <ul>
                {l.reasons.map((r) => (
                  <li dir="ltr">{r}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </>,
  )
}

/** The values of a feed's settings, as its edit form shows them. */
function valuesOf(feed: repo.FeedRow): Values {
  return {
    name: feed.name,
    url: feed.url.startsWith('file:') ? '' : feed.url,
    language: feed.language,
    buildingBlock: feed.buildingBlock,
    venueId: feed.venueId === null ? '' : String(feed.venueId),
    price: feed.price ?? '',
    currency: feed.currency,
    intervalMinutes: String(feed.intervalMinutes),
  }
}

/** A feed's settings: everything but its provider and kind, which stay (shown, not editable). */
async function editPage(
  c: C,
  platform: Platform,
  feed: repo.FeedRow,
  state: { values?: Values; errors?: FormError[] } = {},
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const base = `/${lang}/${city.slug}/admin/feeds/${feed.id}`
  const o = await choices(c, platform)
  const errors = state.errors ?? []
  const v = state.values ?? valuesOf(feed)
  const title = t('harvest.edit.title', { name: feed.name })
  const fromFile = feed.url.startsWith('file:')
  return page(
    c,
    { title: errors.length ? t('harvest.errorTitle', { title }) : title, status: errors.length ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      <p>
        <a href={base}>{t('harvest.edit.back')}</a>
      </p>
      <h1>{title}</h1>
      <dl>
        <dt>{t('harvest.form.provider')}</dt>
        <dd>{o.providerName.get(feed.organizationId) ?? ''}</dd>
        <dt>{t('harvest.form.kind')}</dt>
        <dd>{t(`harvest.kinds.${feed.kind}`)}</dd>
      </dl>
      <p>{t('harvest.edit.intro')}</p>
      <Form action={`${base}/edit`} csrf={csrfToken} novalidate>
        {!fromFile && (
          <TextInput
            id="url"
            type="url"
            label={t('harvest.form.url')}
            hint={t('harvest.edit.urlHint')}
            value={v.url ?? ''}
            dir="ltr"
            errors={errors}
          />
        )}
        <TextInput id="name" label={t('harvest.form.name')} value={v.name ?? ''} errors={errors} />
        <Select
          id="language"
          label={t('harvest.form.language')}
          hint={t('harvest.form.languageHint')}
          value={v.language ?? 'en'}
          options={o.languages}
          errors={errors}
        />
        <Select
          id="buildingBlock"
          label={t('harvest.form.buildingBlock')}
          value={v.buildingBlock ?? ''}
          options={o.blocks}
          errors={errors}
        />
        <Select
          id="venueId"
          label={t('harvest.form.venue')}
          hint={t('harvest.form.venueHint')}
          value={v.venueId ?? ''}
          options={o.venues}
          errors={errors}
        />
        <TextInput
          id="price"
          label={t('harvest.form.price')}
          hint={t('harvest.form.priceHint')}
          value={v.price ?? ''}
          inputmode="decimal"
          dir="ltr"
          errors={errors}
        />
        <TextInput
          id="currency"
          label={t('harvest.form.currency')}
          value={v.currency ?? 'USD'}
          dir="ltr"
          errors={errors}
        />
        {!fromFile && (
          <TextInput
            id="intervalMinutes"
            type="number"
            label={t('harvest.form.interval')}
            value={v.intervalMinutes ?? '60'}
            inputmode="numeric"
            dir="ltr"
            errors={errors}
          />
        )}
        <button type="submit" class="button">
          {t('harvest.edit.submit')}
        </button>
      </Form>
    </>,
  )
}

/** Asks before removing a feed, and says what stays. */
async function removePage(c: C, feed: repo.FeedRow, busy = false) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const base = `/${lang}/${city.slug}/admin/feeds/${feed.id}`
  const title = t('harvest.remove.title', { name: feed.name })
  return page(
    c,
    { title, status: busy ? 409 : 200 },
    <>
      {busy && (
        <p class="notice" role="alert">
          {t('harvest.remove.busy')}
        </p>
      )}
      <p>
        <a href={base}>{t('harvest.edit.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('harvest.remove.intro')}</p>
      <Form action={`${base}/remove`} csrf={csrfToken}>
        <button type="submit" class="button">
          {t('harvest.remove.submit')}
        </button>
      </Form>
    </>,
  )
}

/** The city's admin pages for outside feeds: list, register, one-off .ics import, each feed's log. */
export function harvestPages(app: App, platform: Platform): void {
  const base = `/${LANG_PARAM}/:city{[a-z0-9-]+}/admin/feeds`
  const coordinator = requireCityRole(platform, 'coordinator')
  app.use(base, requireCity(platform), coordinator)
  app.use(`${base}/*`, requireCity(platform), coordinator)
  app.get(base, (c) => feedsPage(c, platform))
  app.post(base, async (c) => {
    const city = currentCity(c)
    const body = await c.req.parseBody()
    const values = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, text(v)]))
    const result = await registerFeed(platform, city.id, c.var.viewer!.id, values)
    if (!result.ok) return feedsPage(c, platform, { values, errors: formErrors(c, result.fields, '') })
    await platform.jobs.enqueue(HARVEST_FEED_JOB, { feedId: result.value.id })
    return c.redirect(`/${c.var.lang}/${city.slug}/admin/feeds/${result.value.id}?queued=1`, 303)
  })
  app.post(`${base}/import`, async (c) => {
    const city = currentCity(c)
    const body = await c.req.parseBody()
    const values: Values = {}
    for (const [k, v] of Object.entries(body))
      if (typeof v === 'string') values[k.startsWith('ics-') ? k : k] = text(v)
    const input = Object.fromEntries(
      Object.entries(values)
        .filter(([k]) => k.startsWith('ics-'))
        .map(([k, v]) => [k.slice(4), v]),
    )
    const upload = body.file instanceof File && body.file.size > 0 ? body.file : null
    const file = upload ? { name: upload.name, bytes: new Uint8Array(await upload.arrayBuffer()) } : null
    const result = await importCalendar(platform, city.id, c.var.viewer!.id, input, file)
    if (!result.ok) return feedsPage(c, platform, { values, errors: formErrors(c, result.fields, 'ics-') })
    return c.redirect(`/${c.var.lang}/${city.slug}/admin/feeds/${result.value.feed.id}`, 303)
  })
  app.get(`${base}/:feed{[0-9]{1,12}}`, async (c) => {
    const feed = await repo.findFeed(platform.db, currentCity(c).id, Number(c.req.param('feed')))
    if (!feed) return c.notFound()
    return feedPage(c, platform, feed)
  })
  app.post(`${base}/:feed{[0-9]{1,12}}/harvest`, async (c) => {
    const city = currentCity(c)
    const feed = await repo.findFeed(platform.db, city.id, Number(c.req.param('feed')))
    if (!feed || feed.url.startsWith('file:')) return c.notFound()
    await platform.jobs.enqueue(HARVEST_FEED_JOB, { feedId: feed.id })
    return c.redirect(`/${c.var.lang}/${city.slug}/admin/feeds/${feed.id}?queued=1`, 303)
  })
  app.get(`${base}/:feed{[0-9]{1,12}}/edit`, async (c) => {
    const feed = await repo.findFeed(platform.db, currentCity(c).id, Number(c.req.param('feed')))
    if (!feed) return c.notFound()
    return editPage(c, platform, feed)
  })
  app.post(`${base}/:feed{[0-9]{1,12}}/edit`, async (c) => {
    const city = currentCity(c)
    const feed = await repo.findFeed(platform.db, city.id, Number(c.req.param('feed')))
    if (!feed) return c.notFound()
    const body = await c.req.parseBody()
    const values = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, text(v)]))
    const result = await editFeed(platform, city.id, feed, values)
    if (!result.ok) return editPage(c, platform, feed, { values, errors: formErrors(c, result.fields, '') })
    return c.redirect(`/${c.var.lang}/${city.slug}/admin/feeds/${feed.id}?saved=1`, 303)
  })
  app.get(`${base}/:feed{[0-9]{1,12}}/remove`, async (c) => {
    const feed = await repo.findFeed(platform.db, currentCity(c).id, Number(c.req.param('feed')))
    if (!feed) return c.notFound()
    return removePage(c, feed)
  })
  app.post(`${base}/:feed{[0-9]{1,12}}/remove`, async (c) => {
    const city = currentCity(c)
    const feed = await repo.findFeed(platform.db, city.id, Number(c.req.param('feed')))
    if (!feed) return c.notFound()
    const result = await removeFeed(platform, city.id, feed.id)
    if (!result.ok) return result.error === 'busy' ? removePage(c, feed, true) : c.notFound()
    return c.redirect(`/${c.var.lang}/${city.slug}/admin/feeds?removed=1`, 303)
  })
  app.post(`${base}/:feed{[0-9]{1,12}}/status`, async (c) => {
    const city = currentCity(c)
    const feed = await repo.findFeed(platform.db, city.id, Number(c.req.param('feed')))
    if (!feed || feed.url.startsWith('file:')) return c.notFound()
    const body = await c.req.parseBody()
    await repo.updateFeed(platform.db, city.id, feed.id, {
      status: body.status === 'paused' ? 'paused' : 'active',
      nextRunAt: new Date(),
    })
    return c.redirect(`/${c.var.lang}/${city.slug}/admin/feeds/${feed.id}?changed=1`, 303)
  })
}
