/**
 * The learner's wallet (/{lang}/{city}/wallet) and the public page of an issued badge
 * (/{lang}/{city}/badges/{uuid}). Plain HTML forms with CSRF fields: everything works without
 * JavaScript. Texts from credentials are escaped by JSX and shown in their own direction.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM, type T, translated } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { TextArea } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireSignedIn } from '../../accounts/index.ts'
import { currentCity, findCityById, requireCity } from '../../cities/index.ts'
import { setVisibility } from '../awards.ts'
import * as awards from '../repository.ts'
import { CredentialFileField } from '../verify/pages.tsx'
import type { Report } from '../verify/report.ts'
import { inputMessage, MAX_INPUT_BYTES, problemMessage } from '../verify/service.ts'
import * as repo from './repository.ts'
import { UUID_PATTERN } from './routes.ts'
import {
  awardName,
  deleteImport,
  type ImportFailure,
  importCredential,
  importFromUrl,
  MAX_IMPORTS,
  reverifyImport,
  walletZip,
} from './wallet.ts'

type C = Context<AppEnv>

export const WALLET_ROUTE = `/${LANG_PARAM}/:city{[a-z0-9-]+}/wallet`
export const BADGE_PAGE_ROUTE = `/${LANG_PARAM}/:city{[a-z0-9-]+}/badges/:uuid{${UUID_PATTERN}}`

const k = (c: C, key: string, values?: Record<string, string | number>) =>
  c.var.t(`badge-wallet.${key}`, values)

/** What a badge's status means now: revoked and suspended from the award row, expired from its date. */
export function liveStatus(
  award: awards.AwardRow,
  now = new Date(),
): 'active' | 'revoked' | 'suspended' | 'expired' {
  if (award.status !== 'active') return award.status
  if (award.validUntil && new Date(award.validUntil) < now) return 'expired'
  return 'active'
}

function dateText(c: C, iso: string | null, timeZone: string) {
  if (!iso) return undefined
  return new Intl.DateTimeFormat(c.var.lang, { dateStyle: 'long', timeZone }).format(new Date(iso))
}

function StatusLabel(props: { c: C; status: ReturnType<typeof liveStatus> }) {
  return (
    <strong class={`badge-status badge-status-${props.status}`}>
      {k(props.c, `status.${props.status}`)}
    </strong>
  )
}

/** Download links of an issued credential (JSON, PNG, SVG, VC-JWT). */
function Downloads(props: { c: C; uuid: string; label: string }) {
  const base = `/credentials/${props.uuid}`
  const links: [string, string][] = [
    [base, 'download.json'],
    [`${base}/badge.png`, 'download.png'],
    [`${base}/badge.svg`, 'download.svg'],
    [`${base}/jwt`, 'download.jwt'],
  ]
  return (
    <ul class="inline-list" aria-label={props.label}>
      {links.map(([href, key]) => (
        <li>
          <a href={href} download>
            {k(props.c, key)}
          </a>
        </li>
      ))}
    </ul>
  )
}

/** Every check of a verification, each with its result and reasons. */
function Checks(props: { t: T; c: C; report: Report }) {
  const { t, report } = props
  return (
    <ul>
      {report.checks.map((check) => (
        <li>
          {t(`badge-verify.outcome.${check.outcome}`)}: {t(`badge-verify.check.${check.id}`)}
          {check.problems.length > 0 && (
            <ul>
              {check.problems.map((p) => (
                <li>{problemMessage(t, p)}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  )
}

// ---------------------------------------------------------------------------------------------
// The public badge page

async function badgePage(c: C, platform: Platform) {
  const { lang, viewer, formToken } = c.var
  const csrfToken = formToken()
  const uuid = c.req.param('uuid') ?? ''
  const award = uuid.length === 36 ? await awards.findAwardByUuid(platform.db, uuid) : undefined
  const mine = award !== undefined && viewer?.id === award.recipientUserId
  if (!award || (award.visibility !== 'public' && !mine)) return c.var.renderError(404)
  const city = currentCity(c)
  if (award.cityId !== city.id) {
    const home = await findCityById(platform.db, award.cityId)
    if (!home) return c.var.renderError(404)
    return c.redirect(`/${lang}/${home.slug}/badges/${award.uuid}`, 301)
  }
  const achievement = await awards.findAchievement(platform.db, award.cityId, award.achievementId)
  const credential = award.credential as {
    issuer?: { name?: string; url?: string }
    credentialSubject?: {
      achievement?: { name?: string; description?: string; criteria?: { narrative?: string } }
    }
  }
  const claimed = credential.credentialSubject?.achievement
  const name = achievement
    ? translated(achievement.name, lang, [city.defaultLanguage])
    : { text: claimed?.name ?? '', lang }
  const description = achievement
    ? translated(achievement.description, name.lang).text
    : (claimed?.description ?? '')
  const criteria = achievement
    ? translated(achievement.criteria, name.lang).text
    : (claimed?.criteria?.narrative ?? '')
  const issuerName = credential.issuer?.name ?? ''
  const status = liveStatus(award)
  const publicUrl = platform.config.publicUrl
  const pageUrl = `${publicUrl}/${lang}/${city.slug}/badges/${award.uuid}`
  const ogUrl = `${publicUrl}/credentials/${award.uuid}/og.png`
  const title = name.text || awardName(award)
  const summary = k(c, 'page.summary', { badge: title, issuer: issuerName })
  const share: [string, string][] = [
    [
      'share.email',
      `mailto:?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(`${summary}\n${pageUrl}`)}`,
    ],
    ['share.linkedin', `https://www.linkedin.com/sharing/share-offsite/?url=${encodeURIComponent(pageUrl)}`],
    [
      'share.mastodon',
      `https://mastodonshare.com/?text=${encodeURIComponent(summary)}&url=${encodeURIComponent(pageUrl)}`,
    ],
    [
      'share.x',
      `https://twitter.com/intent/tweet?text=${encodeURIComponent(summary)}&url=${encodeURIComponent(pageUrl)}`,
    ],
    ['share.facebook', `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(pageUrl)}`],
  ]
  const head = (
    <>
      {/* Shareable by link, but not listed by search engines: learners include minors. */}
      <meta name="robots" content="noindex" />
      <meta property="og:type" content="website" />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={summary} />
      <meta property="og:url" content={pageUrl} />
      <meta property="og:image" content={ogUrl} />
      <meta property="og:image:type" content="image/png" />
      <meta property="og:image:width" content="1200" />
      <meta property="og:image:height" content="630" />
      <meta property="og:image:alt" content={title} />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={summary} />
      <meta name="twitter:image" content={ogUrl} />
    </>
  )
  const issued = dateText(c, award.issuedAt, city.timeZone)
  const expires = dateText(c, award.validUntil, city.timeZone)
  if (award.visibility !== 'public') c.header('cache-control', 'private, no-store')
  return page(
    c,
    { title, head },
    <article class="badge-page">
      {award.visibility !== 'public' && (
        <p class="notice">
          {k(c, 'page.privateNotice')} <a href={`/${lang}/${city.slug}/wallet`}>{k(c, 'page.toWallet')}</a>
        </p>
      )}
      <h1 lang={name.lang} dir="auto">
        {title}
      </h1>
      <p class={`badge-status-line badge-status-${status}`} role="status">
        <StatusLabel c={c} status={status} /> {k(c, `status.${status}.explain`)}
      </p>
      <img
        src={`/credentials/${award.uuid}/badge.png`}
        alt={k(c, 'page.imageAlt', { badge: title })}
        width="200"
        height="200"
      />
      <dl class="facts">
        {description && (
          <>
            <dt>{k(c, 'page.description')}</dt>
            <dd lang={name.lang} dir="auto">
              {description}
            </dd>
          </>
        )}
        {criteria && (
          <>
            <dt>{k(c, 'page.criteria')}</dt>
            <dd lang={name.lang} dir="auto">
              {criteria}
            </dd>
          </>
        )}
        <dt>{k(c, 'page.issuer')}</dt>
        <dd dir="auto">{issuerName}</dd>
        <dt>{k(c, 'page.issued')}</dt>
        <dd>{issued}</dd>
        <dt>{k(c, 'page.expires')}</dt>
        <dd>{expires ?? k(c, 'page.noExpiry')}</dd>
      </dl>
      <h2>{k(c, 'page.verifyTitle')}</h2>
      <p>{k(c, 'page.verifyIntro')}</p>
      {/* The checker takes the credential itself: the button sends it there, nothing is stored. */}
      <form method="post" action={`/${lang}/${city.slug}/badges/verify`}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="credential" value={JSON.stringify(award.credential)} />
        <button type="submit" class="button">
          {k(c, 'page.verify')}
        </button>
      </form>
      <h2 id="downloads">{k(c, 'page.downloads')}</h2>
      <Downloads c={c} uuid={award.uuid} label={k(c, 'page.downloads')} />
      <h2 id="share">{k(c, 'page.share')}</h2>
      {award.visibility === 'public' ? (
        <>
          <p>
            {k(c, 'page.link')}{' '}
            <a href={pageUrl} dir="ltr">
              {pageUrl}
            </a>
          </p>
          <ul class="inline-list" aria-labelledby="share">
            {share.map(([key, href]) => (
              <li>
                <a href={href} rel="noopener noreferrer nofollow">
                  {k(c, key)}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{k(c, 'page.shareWhenPublic')}</p>
      )}
    </article>,
  )
}

// ---------------------------------------------------------------------------------------------
// The wallet

interface WalletView {
  errors?: FormError[]
  /** The verification of an import that was refused (shown with every check). */
  refused?: Report
  text?: string
  url?: string
  status?: number
}

function failureMessage(c: C, failure: ImportFailure): string {
  switch (failure.error) {
    case 'unreadable':
      return inputMessage(c.var.t, failure.problem)
    case 'invalid':
      return k(c, 'import.error.invalid')
    case 'too-large':
      return k(c, 'import.error.tooLarge', { size: Math.round(MAX_INPUT_BYTES / 1024) })
    case 'limit':
      return k(c, 'import.error.limit', { max: MAX_IMPORTS })
    case 'url-invalid':
      return k(c, 'import.error.url')
    case 'fetch':
      return k(c, 'import.error.fetch', { code: failure.code })
  }
}

function ImportForm(props: { c: C; view: WalletView }) {
  const { c, view } = props
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const errors = view.errors ?? []
  const urlError = errors.find((e) => e.field === 'url')
  return (
    <form method="post" action={`${base(c)}/import`} enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <CredentialFileField
        label={k(c, 'import.file')}
        hint={k(c, 'import.fileHint', { size: Math.round(MAX_INPUT_BYTES / 1024) })}
        errors={errors}
      />
      <TextArea
        id="credential"
        label={k(c, 'import.paste')}
        hint={k(c, 'import.pasteHint')}
        value={view.text ?? ''}
        rows={5}
        dir="ltr"
        errors={errors}
      />
      <div class={urlError ? 'field field-error' : 'field'}>
        <label for="url">{k(c, 'import.url')}</label>
        <p class="hint" id="url-hint">
          {k(c, 'import.urlHint')}
        </p>
        {urlError && (
          <p class="error-message" id="url-error">
            {urlError.message}
          </p>
        )}
        <input
          id="url"
          name="url"
          type="url"
          dir="ltr"
          value={view.url ?? ''}
          aria-describedby={urlError ? 'url-hint url-error' : 'url-hint'}
          aria-invalid={urlError ? 'true' : undefined}
        />
      </div>
      <button type="submit" class="button">
        {k(c, 'import.submit')}
      </button>
      <p class="hint">{t('badge-wallet.import.privacy')}</p>
    </form>
  )
}

const base = (c: C) => `/${c.var.lang}/${c.var.tenant!.slug}/wallet`

async function walletPage(c: C, platform: Platform, view: WalletView = {}) {
  const { t, lang, viewer, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const earned = await awards.listAwardsOfRecipient(platform.db, viewer!.id)
  const imported = await repo.listImports(platform.db, viewer!.id)
  const slugs = new Map<number, string>()
  for (const award of earned)
    if (!slugs.has(award.cityId))
      slugs.set(award.cityId, (await findCityById(platform.db, award.cityId))?.slug ?? city.slug)
  const notices: string[] = []
  const q = (name: string) => c.req.query(name)
  if (q('imported')) notices.push(k(c, q('duplicate') ? 'notice.duplicate' : 'notice.imported'))
  if (q('visibility') === 'public' || q('visibility') === 'private')
    notices.push(k(c, `notice.${q('visibility')}`))
  if (q('reverified')) notices.push(k(c, 'notice.reverified'))
  if (q('deleted')) notices.push(k(c, 'notice.deleted'))
  const highlight = Number(q('imported') ?? q('reverified') ?? 0)
  const errors = view.errors ?? []
  const title = k(c, 'title')
  c.header('cache-control', 'private, no-store')
  return page(
    c,
    { title: errors.length ? t('badge-verify.errorTitle', { title }) : title, status: view.status },
    <>
      <ErrorSummary errors={errors} t={t} />
      {notices.length > 0 && (
        <p class="notice" role="status">
          {notices.join(' ')}
        </p>
      )}
      <h1>{title}</h1>
      <p>{k(c, 'intro')}</p>
      <ul class="actions">
        <li>
          <a href={`/${c.var.lang}/${c.var.tenant!.slug}/badges/claim`}>{k(c, 'more.claim')}</a>
        </li>
        <li>
          <a href={`/${c.var.lang}/${c.var.tenant!.slug}/badges/submissions`}>{k(c, 'more.evidence')}</a>
        </li>
      </ul>
      {view.refused && (
        <section aria-labelledby="refused">
          <h2 id="refused">{k(c, 'import.refused')}</h2>
          <p>{k(c, 'import.refusedExplain')}</p>
          {view.refused.badge.name && <p dir="auto">{view.refused.badge.name}</p>}
          <Checks t={t} c={c} report={view.refused} />
        </section>
      )}
      <h2 id="earned">{k(c, 'earned.title')}</h2>
      {earned.length === 0 ? (
        <p>{k(c, 'earned.empty')}</p>
      ) : (
        <ul class="cards" aria-labelledby="earned">
          {earned.map((award) => {
            const status = liveStatus(award)
            const id = `award-${award.uuid}`
            const name = awardName(award)
            const other = award.visibility === 'public' ? 'private' : 'public'
            return (
              <li class="card">
                <h3 id={id} dir="auto">
                  {name}
                </h3>
                <dl class="facts">
                  <dt>{k(c, 'card.status')}</dt>
                  <dd>
                    <StatusLabel c={c} status={status} />
                  </dd>
                  <dt>{k(c, 'card.visibility')}</dt>
                  <dd>{k(c, `visibility.${award.visibility}`)}</dd>
                  <dt>{k(c, 'card.issued')}</dt>
                  <dd>{dateText(c, award.issuedAt, city.timeZone)}</dd>
                </dl>
                <Form action={`${base(c)}/visibility`} csrf={csrfToken}>
                  <input type="hidden" name="uuid" value={award.uuid} />
                  <input type="hidden" name="visibility" value={other} />
                  <button type="submit" class="button secondary" aria-describedby={id}>
                    {k(c, `visibility.make.${other}`)}
                  </button>
                </Form>
                <p>
                  <a href={`/${lang}/${slugs.get(award.cityId)}/badges/${award.uuid}`} aria-describedby={id}>
                    {k(c, award.visibility === 'public' ? 'card.page' : 'card.preview')}
                  </a>
                </p>
                <Downloads c={c} uuid={award.uuid} label={k(c, 'card.downloads', { badge: name })} />
              </li>
            )
          })}
        </ul>
      )}
      <h2 id="imported">{k(c, 'imported.title')}</h2>
      <p>{k(c, 'imported.intro')}</p>
      {imported.length === 0 ? (
        <p>{k(c, 'imported.empty')}</p>
      ) : (
        <ul class="cards" aria-labelledby="imported">
          {imported.map((row) => {
            const id = `import-${row.id}`
            const report = row.report as unknown as Report
            return (
              <li class="card" id={`card-${id}`}>
                <h3 id={id} dir="auto">
                  {row.name ?? k(c, 'imported.unnamed')}
                </h3>
                <dl class="facts">
                  <dt>{k(c, 'card.issuer')}</dt>
                  <dd dir="auto">{row.issuerName ?? k(c, 'imported.unknownIssuer')}</dd>
                  <dt>{k(c, 'card.status')}</dt>
                  <dd>
                    <strong>{t(`badge-verify.verdict.${row.verdict}`)}</strong>
                  </dd>
                  <dt>{k(c, 'card.verifiedAt')}</dt>
                  <dd>{dateText(c, row.verifiedAt, city.timeZone)}</dd>
                </dl>
                {row.verdict === 'unconfirmed' && <p class="notice">{k(c, 'imported.unconfirmed')}</p>}
                <details open={row.id === highlight || undefined}>
                  <summary>{k(c, 'imported.checks')}</summary>
                  <Checks t={t} c={c} report={report} />
                </details>
                <ul class="inline-list" aria-label={k(c, 'card.downloads', { badge: row.name ?? '' })}>
                  <li>
                    <a href={`${base(c)}/imports/${row.id}/credential`} download>
                      {k(c, row.format === 'vc-jwt' ? 'download.jwt' : 'download.json')}
                    </a>
                  </li>
                  {row.hasImage && row.baked && (
                    <li>
                      <a href={`${base(c)}/imports/${row.id}/image`} download>
                        {k(c, `download.${row.baked}`)}
                      </a>
                    </li>
                  )}
                </ul>
                <Form action={`${base(c)}/imports/${row.id}/verify`} csrf={csrfToken}>
                  <button type="submit" class="button secondary" aria-describedby={id}>
                    {k(c, 'imported.reverify')}
                  </button>
                </Form>
                <Form action={`${base(c)}/imports/${row.id}/delete`} csrf={csrfToken}>
                  <button type="submit" class="button secondary" aria-describedby={id}>
                    {k(c, 'imported.delete')}
                  </button>
                </Form>
              </li>
            )
          })}
        </ul>
      )}
      <h2 id="add">{k(c, 'import.title')}</h2>
      <p>{k(c, 'import.intro')}</p>
      <ImportForm c={c} view={view} />
      <h2>{k(c, 'zip.title')}</h2>
      <p>
        <a href={`${base(c)}/badges.zip`} download>
          {k(c, 'zip.link')}
        </a>
      </p>
    </>,
  )
}

async function importPost(c: C, platform: Platform) {
  const { lang, viewer } = c.var
  let body: Record<string, string | File>
  try {
    body = await c.req.parseBody()
  } catch {
    return walletPage(c, platform, {
      errors: [{ field: 'file', message: k(c, 'import.error.none') }],
      status: 400,
    })
  }
  const file = body.file
  const text = typeof body.credential === 'string' ? body.credential : ''
  const url = typeof body.url === 'string' ? body.url.trim() : ''
  const hasFile = file instanceof File && file.size > 0
  const field = hasFile ? 'file' : text.trim() ? 'credential' : url ? 'url' : undefined
  if (!field)
    return walletPage(c, platform, {
      errors: [{ field: 'file', message: k(c, 'import.error.none') }],
      status: 400,
    })
  if ((hasFile && file.size > MAX_INPUT_BYTES) || text.length > MAX_INPUT_BYTES)
    return walletPage(c, platform, {
      errors: [
        { field, message: k(c, 'import.error.tooLarge', { size: Math.round(MAX_INPUT_BYTES / 1024) }) },
      ],
      status: 413,
    })
  const result = hasFile
    ? await importCredential(
        platform,
        viewer!.id,
        { data: new Uint8Array(await file.arrayBuffer()), source: 'file' },
        lang,
      )
    : field === 'credential'
      ? await importCredential(platform, viewer!.id, { data: text, source: 'paste' }, lang)
      : await importFromUrl(platform, viewer!.id, url, lang)
  if (result.ok)
    return c.redirect(
      `${base(c)}?imported=${result.row.id}${result.duplicate ? '&duplicate=1' : ''}#card-import-${result.row.id}`,
      303,
    )
  return walletPage(c, platform, {
    errors: [{ field, message: failureMessage(c, result) }],
    refused: result.error === 'invalid' ? result.report : undefined,
    text: field === 'credential' ? text : '',
    url: field === 'url' ? url : '',
    status: result.error === 'too-large' ? 413 : 422,
  })
}

export function walletPages(app: App, platform: Platform): void {
  app.use(WALLET_ROUTE, requireCity(platform))
  app.use(`${WALLET_ROUTE}/*`, requireCity(platform))
  app.use(BADGE_PAGE_ROUTE, requireCity(platform))
  app.get(BADGE_PAGE_ROUTE, (c) => badgePage(c, platform))

  const id = (c: C) => {
    const raw = c.req.param('id') ?? ''
    return raw.length <= 12 ? Number(raw) : 0
  }
  const one = `${WALLET_ROUTE}/imports/:id{[0-9]+}`
  app.get(WALLET_ROUTE, requireSignedIn, (c) => walletPage(c, platform))
  app.post(`${WALLET_ROUTE}/import`, requireSignedIn, (c) => importPost(c, platform))
  app.post(`${WALLET_ROUTE}/visibility`, requireSignedIn, async (c) => {
    const body = await c.req.parseBody()
    const uuid = typeof body.uuid === 'string' ? body.uuid : ''
    const visibility = body.visibility === 'public' ? 'public' : 'private'
    const result =
      uuid.length === 36 ? await setVisibility(platform, c.var.viewer!.id, uuid, visibility) : undefined
    if (!result?.ok) return c.var.renderError(404)
    return c.redirect(`${base(c)}?visibility=${visibility}`, 303)
  })
  app.post(`${one}/verify`, requireSignedIn, async (c) => {
    const done = await reverifyImport(platform, c.var.viewer!.id, id(c), c.var.lang)
    if (!done) return c.var.renderError(404)
    return c.redirect(`${base(c)}?reverified=${done.row.id}#card-import-${done.row.id}`, 303)
  })
  app.post(`${one}/delete`, requireSignedIn, async (c) => {
    if (!(await deleteImport(platform, c.var.viewer!.id, id(c)))) return c.var.renderError(404)
    return c.redirect(`${base(c)}?deleted=1`, 303)
  })
  app.get(`${one}/credential`, requireSignedIn, async (c) => {
    const row = await repo.findImport(platform.db, c.var.viewer!.id, id(c))
    if (!row) return c.var.renderError(404)
    const jwt = row.format === 'vc-jwt'
    return c.body(row.credential, 200, {
      'content-type': jwt ? 'application/vc+jwt' : 'application/vc+ld+json; charset=utf-8',
      'content-disposition': `attachment; filename="imported-${row.id}.${jwt ? 'jwt' : 'json'}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    })
  })
  app.get(`${one}/image`, requireSignedIn, async (c) => {
    const row = await repo.findImport(platform.db, c.var.viewer!.id, id(c))
    const image = row?.baked ? await repo.importImage(platform.db, c.var.viewer!.id, row.id) : undefined
    if (!row?.baked || !image) return c.var.renderError(404)
    // Someone else's SVG: a download only, never rendered on our origin.
    return c.body(new Uint8Array(image), 200, {
      'content-type': row.baked === 'png' ? 'image/png' : 'image/svg+xml',
      'content-disposition': `attachment; filename="imported-${row.id}.${row.baked}"`,
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    })
  })
  app.get(`${WALLET_ROUTE}/badges.zip`, requireSignedIn, async (c) => {
    const zip = await walletZip(platform, c.var.viewer!.id)
    return c.body(new Uint8Array(zip), 200, {
      'content-type': 'application/zip',
      'content-disposition': 'attachment; filename="my-badges.zip"',
      'cache-control': 'private, no-store',
    })
  })
}
