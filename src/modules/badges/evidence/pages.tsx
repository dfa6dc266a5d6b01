/**
 * Evidence pages: the learner's application form and submissions list, and the issuer's review queue
 * (a provider's under /provide/{org}/badges/evidence, the city's under /admin/badges/evidence). Plain
 * HTML forms with CSRF fields: everything works without JavaScript.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM, type T, translated } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { TextArea } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireSignedIn } from '../../accounts/index.ts'
import { requireCity } from '../../cities/index.ts'
import { findOrganizationById } from '../../organizations/index.ts'
import type { BadgeActor } from '../achievements.ts'
import type { AchievementRow } from '../repository.ts'
import * as badges from '../repository.ts'
import {
  applicableAchievement,
  type EvidenceProblem,
  MAX_LINKS,
  mayReview,
  mayReviewFor,
  reviewSubmission,
  submitEvidence,
  visibleSubmission,
  withdrawSubmission,
} from './evidence.ts'
import { downloadHeaders, MAX_EVIDENCE_FILE_BYTES } from './files.ts'
import * as repo from './repository.ts'

type C = Context<AppEnv>

const CITY = `/${LANG_PARAM}/:city{[a-z0-9-]+}`
export const APPLY_ROUTE = `${CITY}/badges/achievements/:id{[0-9]+}/apply`
export const SUBMISSIONS_ROUTE = `${CITY}/badges/submissions`
const PROVIDER_QUEUE = `${CITY}/provide/:org{[0-9]+}/badges/evidence`
const CITY_QUEUE = `${CITY}/admin/badges/evidence`

const actorOf = (c: C): BadgeActor => ({
  userId: c.var.viewer!.id,
  isNetworkAdmin: c.var.viewer!.isNetworkAdmin,
})
const cityBase = (c: C) => `/${c.var.lang}/${c.var.tenant!.slug}`
const numberParam = (c: C, name: string) => {
  const raw = c.req.param(name) ?? ''
  return raw.length <= 12 ? Number(raw) : 0
}

function problemsToErrors(t: T, problems: EvidenceProblem[]): FormError[] {
  return problems.map((p) => ({
    field: p.field === 'decision' ? 'narrative' : p.field,
    message: t(`badge-evidence.error.${p.code}`, { max: MAX_LINKS }),
  }))
}

function statusText(t: T, s: repo.SubmissionRow) {
  return t(`badge-evidence.status.${s.status}`)
}

function name(c: C, field: Record<string, string> | AchievementRow['name']) {
  return translated(field, c.var.lang, [c.var.tenant!.defaultLanguage])
}

// ——— The learner ———

function applyPage(
  c: C,
  achievement: AchievementRow,
  options: {
    narrative?: string
    links?: string
    errors?: FormError[]
    open?: repo.SubmissionRow
    holds?: boolean
    status?: number
  },
) {
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const errors = options.errors ?? []
  const badge = name(c, achievement.name)
  const title = t('badge-evidence.apply.title', { badge: badge.text })
  const waiting = options.open?.status === 'submitted'
  const returned = options.open?.status === 'returned' ? options.open : undefined
  return page(
    c,
    { title: errors.length ? t('badge-evidence.errorTitle', { title }) : title, status: options.status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{title}</h1>
      <h2>{t('badge-evidence.apply.criteria')}</h2>
      <p dir="auto" lang={badge.lang}>
        {translated(achievement.criteria, badge.lang).text}
      </p>
      {options.holds ? (
        <p>{t('badge-evidence.apply.holds')}</p>
      ) : waiting ? (
        <p>
          {t('badge-evidence.apply.waiting')}{' '}
          <a href={`${cityBase(c)}/badges/submissions`}>{t('badge-evidence.submissions.title')}</a>
        </p>
      ) : (
        <>
          {returned && (
            <section aria-labelledby="feedback-title">
              <h2 id="feedback-title">{t('badge-evidence.apply.feedback')}</h2>
              <p dir="auto">{returned.feedback}</p>
            </section>
          )}
          <p>{t('badge-evidence.apply.intro')}</p>
          <form
            method="post"
            action={`${cityBase(c)}/badges/achievements/${achievement.id}/apply`}
            enctype="multipart/form-data"
          >
            <input type="hidden" name="_csrf" value={csrfToken} />
            <TextArea
              id="narrative"
              label={t('badge-evidence.field.narrative')}
              hint={t('badge-evidence.field.narrative.hint')}
              value={options.narrative ?? returned?.narrative ?? ''}
              rows={8}
              errors={errors}
            />
            <TextArea
              id="links"
              label={t('badge-evidence.field.links')}
              hint={t('badge-evidence.field.links.hint', { max: MAX_LINKS })}
              value={options.links ?? returned?.links.join('\n') ?? ''}
              rows={3}
              dir="ltr"
              errors={errors}
            />
            <FileField t={t} errors={errors} keeps={Boolean(returned?.fileType)} />
            <button type="submit" class="button">
              {returned ? t('badge-evidence.apply.resubmit') : t('badge-evidence.apply.submit')}
            </button>
          </form>
          <p class="hint">{t('badge-evidence.apply.privacy')}</p>
        </>
      )}
    </>,
  )
}

function FileField(props: { t: T; errors: FormError[]; keeps: boolean }) {
  const { t } = props
  const error = props.errors.find((e) => e.field === 'file')
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for="file">{t('badge-evidence.field.file')}</label>
      <p class="hint" id="file-hint">
        {t('badge-evidence.field.file.hint', { size: MAX_EVIDENCE_FILE_BYTES / 1024 / 1024 })}
        {props.keeps && ` ${t('badge-evidence.field.file.keeps')}`}
      </p>
      {error && (
        <p class="error-message" id="file-error">
          {error.message}
        </p>
      )}
      <input
        id="file"
        name="file"
        type="file"
        accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
        aria-describedby={error ? 'file-hint file-error' : 'file-hint'}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  )
}

async function showApply(c: C, platform: Platform) {
  const achievement = await applicableAchievement(platform, c.var.tenant!.id, numberParam(c, 'id'))
  if (!achievement) return c.var.renderError(404)
  const userId = c.var.viewer!.id
  const holds = Boolean(await badges.holdsAchievement(platform.db, achievement.id, userId))
  const open = await repo.findOpenSubmission(platform.db, achievement.id, userId)
  return applyPage(c, achievement, { holds, open })
}

async function apply(c: C, platform: Platform) {
  const cityId = c.var.tenant!.id
  const achievement = await applicableAchievement(platform, cityId, numberParam(c, 'id'))
  if (!achievement) return c.var.renderError(404)
  const body = await c.req.parseBody()
  const narrative = typeof body.narrative === 'string' ? body.narrative : ''
  const links = typeof body.links === 'string' ? body.links : ''
  const file = body.file instanceof File && body.file.size > 0 ? body.file : null
  // Refused before reading it into memory when it is too big.
  const bytes = file && file.size <= MAX_EVIDENCE_FILE_BYTES ? new Uint8Array(await file.arrayBuffer()) : null
  const result = await submitEvidence(
    platform,
    actorOf(c),
    cityId,
    achievement.id,
    { narrative, links: links.split(/\r?\n/) },
    file ? { bytes: bytes ?? new Uint8Array(0), size: file.size } : null,
  )
  if (result.ok) return c.redirect(`${cityBase(c)}/badges/submissions?sent=${result.value.id}`, 303)
  if (result.error === 'not-found') return c.var.renderError(404)
  const open = await repo.findOpenSubmission(platform.db, achievement.id, c.var.viewer!.id)
  return applyPage(c, achievement, {
    narrative,
    links,
    open,
    errors: problemsToErrors(c.var.t, result.problems),
    status: result.error === 'conflict' ? 409 : 422,
  })
}

async function submissionsPage(c: C, platform: Platform) {
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const [list, open] = await Promise.all([
    repo.listOfLearner(platform.db, c.var.tenant!.id, c.var.viewer!.id),
    repo.listOpenForEvidence(platform.db, c.var.tenant!.id, c.var.viewer!.id),
  ])
  const sent = Number(c.req.query('sent') ?? 0)
  const title = t('badge-evidence.submissions.title')
  c.header('cache-control', 'private, no-store')
  return page(
    c,
    { title },
    <>
      <h1>{title}</h1>
      {sent > 0 && list.some((s) => s.id === sent) && (
        <p role="status" class="notice">
          {t('badge-evidence.submissions.sent')}
        </p>
      )}
      {list.length === 0 ? (
        <p>{t('badge-evidence.submissions.none')}</p>
      ) : (
        <ul class="cards">
          {list.map((s) => {
            const badge = name(c, s.achievementName)
            return (
              <li>
                <h2 dir="auto" lang={badge.lang}>
                  {badge.text}
                </h2>
                <p>
                  <strong>{statusText(t, s)}</strong>
                  {' · '}
                  {t('badge-evidence.round', { round: s.round })}
                </p>
                {s.status === 'returned' && s.feedback && (
                  <>
                    <h3>{t('badge-evidence.apply.feedback')}</h3>
                    <p dir="auto">{s.feedback}</p>
                    <p>
                      <a href={`${cityBase(c)}/badges/achievements/${s.achievementId}/apply`}>
                        {t('badge-evidence.submissions.resubmit', { badge: badge.text })}
                      </a>
                    </p>
                  </>
                )}
                {s.status === 'approved' && <p>{t('badge-evidence.submissions.approved')}</p>}
                {s.fileType && (
                  <p>
                    <a href={`${cityBase(c)}/badges/submissions/${s.id}/file`}>
                      {t('badge-evidence.file.download')}
                    </a>
                  </p>
                )}
                {(s.status === 'submitted' || s.status === 'returned') && (
                  <form method="post" action={`${cityBase(c)}/badges/submissions/${s.id}/withdraw`}>
                    <input type="hidden" name="_csrf" value={csrfToken} />
                    <button type="submit" class="button secondary">
                      {t('badge-evidence.submissions.withdraw', { badge: badge.text })}
                    </button>
                  </form>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {open.length > 0 && (
        <section aria-labelledby="open-for-evidence">
          <h2 id="open-for-evidence">{t('badge-evidence.submissions.available')}</h2>
          <ul>
            {open.map((a) => {
              const badge = name(c, a.name)
              return (
                <li>
                  <a href={`${cityBase(c)}/badges/achievements/${a.id}/apply`} dir="auto" lang={badge.lang}>
                    {badge.text}
                  </a>
                </li>
              )
            })}
          </ul>
        </section>
      )}
    </>,
  )
}

async function fileDownload(c: C, platform: Platform) {
  const found = await visibleSubmission(platform, actorOf(c), c.var.tenant!.id, numberParam(c, 'id'))
  if (!found) return c.var.renderError(404)
  const file = await repo.submissionFile(platform.db, found.id)
  if (!file) return c.var.renderError(404)
  return c.body(new Uint8Array(file.file), 200, downloadHeaders(found.id, file.fileType, file.file.length))
}

// ——— The issuer ———

/** Which issuer a queue URL is for: an organization of this city, or the city itself (null). */
const QUEUE_ORG = new WeakMap<Request, { id: number | null; base: string }>()

/** Guard: issuers and admins of the organization in the URL (or the city's coordinators). */
function requireReviewer(platform: Platform, kind: 'provider' | 'city'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = actorOf(c as C)
    const cityId = c.var.tenant!.id
    const base = cityBase(c as C)
    if (kind === 'city') {
      if (!(await mayReviewFor(platform, actor, cityId, null))) return c.var.renderError(403)
      QUEUE_ORG.set(c.req.raw, { id: null, base: `${base}/admin/badges/evidence` })
      return next()
    }
    const org = await findOrganizationById(platform.db, cityId, numberParam(c as C, 'org'))
    if (!org) return c.var.renderError(404)
    if (!(await mayReviewFor(platform, actor, cityId, org.id))) return c.var.renderError(403)
    QUEUE_ORG.set(c.req.raw, { id: org.id, base: `${base}/provide/${org.id}/badges/evidence` })
    await next()
  }
}

async function queuePage(c: C, platform: Platform) {
  const { t } = c.var
  const queue = QUEUE_ORG.get(c.req.raw)!
  const waiting = await repo.listQueue(platform.db, c.var.tenant!.id, queue.id, 'submitted')
  const title = t('badge-evidence.queue.title')
  c.header('cache-control', 'private, no-store')
  return page(
    c,
    { title },
    <>
      <h1>{title}</h1>
      <p>{t('badge-evidence.queue.intro')}</p>
      {waiting.length === 0 ? (
        <p>{t('badge-evidence.queue.none')}</p>
      ) : (
        <table>
          <caption>{t('badge-evidence.queue.caption', { count: waiting.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('badge-evidence.queue.badge')}</th>
              <th scope="col">{t('badge-evidence.queue.learner')}</th>
              <th scope="col">{t('badge-evidence.queue.round')}</th>
              <th scope="col">{t('badge-evidence.queue.review')}</th>
            </tr>
          </thead>
          <tbody>
            {waiting.map((s) => {
              const badge = name(c, s.achievementName)
              return (
                <tr>
                  <td dir="auto" lang={badge.lang}>
                    {badge.text}
                  </td>
                  <td dir="auto">{s.learnerName}</td>
                  <td>{s.round}</td>
                  <td>
                    <a href={`${queue.base}/${s.id}`}>
                      {t('badge-evidence.queue.open', { learner: s.learnerName })}
                    </a>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </>,
  )
}

async function reviewPage(
  c: C,
  platform: Platform,
  options: { feedback?: string; errors?: FormError[]; status?: number } = {},
) {
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const queue = QUEUE_ORG.get(c.req.raw)!
  const s = await repo.findSubmission(platform.db, c.var.tenant!.id, numberParam(c, 'id'))
  if (!s || s.organizationId !== queue.id || !(await mayReview(platform, actorOf(c), s)))
    return c.var.renderError(404)
  const achievement = (await badges.findAchievement(platform.db, s.cityId, s.achievementId))!
  const badge = name(c, achievement.name)
  const errors = options.errors ?? []
  const title = t('badge-evidence.review.title', { badge: badge.text })
  c.header('cache-control', 'private, no-store')
  return page(
    c,
    { title: errors.length ? t('badge-evidence.errorTitle', { title }) : title, status: options.status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{title}</h1>
      <p>
        <a href={queue.base}>{t('badge-evidence.queue.back')}</a>
      </p>
      <p>
        <strong>{statusText(t, s)}</strong> · {t('badge-evidence.round', { round: s.round })}
      </p>
      <h2>{t('badge-evidence.apply.criteria')}</h2>
      <p dir="auto" lang={badge.lang}>
        {translated(achievement.criteria, badge.lang).text}
      </p>
      <h2>{t('badge-evidence.field.narrative')}</h2>
      <p dir="auto" class="prewrap">
        {s.narrative}
      </p>
      {s.links.length > 0 && (
        <>
          <h2>{t('badge-evidence.field.links')}</h2>
          <ul>
            {s.links.map((l) => (
              <li dir="ltr">
                <a href={l} rel="nofollow noopener noreferrer">
                  {l}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {s.fileType && (
        <p>
          <a href={`${queue.base}/${s.id}/file`}>{t('badge-evidence.file.download')}</a> (
          {t('badge-evidence.file.kind', { kind: s.fileType.split('/')[1]!.toUpperCase() })})
        </p>
      )}
      {s.status === 'submitted' && (
        <>
          <h2>{t('badge-evidence.review.decide')}</h2>
          <form method="post" action={`${queue.base}/${s.id}/approve`}>
            <input type="hidden" name="_csrf" value={csrfToken} />
            <p>{t('badge-evidence.review.approveHint')}</p>
            <button type="submit" class="button">
              {t('badge-evidence.review.approve')}
            </button>
          </form>
          <form method="post" action={`${queue.base}/${s.id}/return`}>
            <input type="hidden" name="_csrf" value={csrfToken} />
            <TextArea
              id="feedback"
              label={t('badge-evidence.field.feedback')}
              hint={t('badge-evidence.field.feedback.hint')}
              value={options.feedback ?? ''}
              rows={4}
              errors={errors}
            />
            <button type="submit" class="button secondary">
              {t('badge-evidence.review.return')}
            </button>
          </form>
        </>
      )}
    </>,
  )
}

async function decide(c: C, platform: Platform, decision: 'approve' | 'return') {
  const queue = QUEUE_ORG.get(c.req.raw)!
  const id = numberParam(c, 'id')
  const found = await repo.findSubmission(platform.db, c.var.tenant!.id, id)
  if (!found || found.organizationId !== queue.id) return c.var.renderError(404)
  const body = await c.req.parseBody()
  const feedback = typeof body.feedback === 'string' ? body.feedback : ''
  const result = await reviewSubmission(
    platform,
    actorOf(c),
    c.var.tenant!.id,
    id,
    decision === 'approve' ? { decision } : { decision, feedback },
  )
  if (result.ok) return c.redirect(`${queue.base}?decided=${id}`, 303)
  if (result.error === 'forbidden' || result.error === 'not-found') return c.var.renderError(404)
  return reviewPage(c, platform, {
    feedback,
    errors: result.problems.map((p) => ({
      field: 'feedback',
      message: c.var.t(`badge-evidence.error.${p.code}`),
    })),
    status: result.error === 'conflict' ? 409 : 422,
  })
}

export function evidencePages(app: App, platform: Platform): void {
  const signedIn = [requireCity(platform), requireSignedIn] as const
  app.use(APPLY_ROUTE, ...signedIn)
  app.get(APPLY_ROUTE, (c) => showApply(c, platform))
  app.post(APPLY_ROUTE, (c) => apply(c, platform))

  app.use(`${SUBMISSIONS_ROUTE}/*`, ...signedIn)
  app.get(SUBMISSIONS_ROUTE, (c) => submissionsPage(c, platform))
  app.post(`${SUBMISSIONS_ROUTE}/:id{[0-9]+}/withdraw`, async (c) => {
    const result = await withdrawSubmission(platform, actorOf(c), c.var.tenant!.id, numberParam(c, 'id'))
    if (!result.ok && result.error === 'not-found') return c.var.renderError(404)
    return c.redirect(`${cityBase(c)}/badges/submissions`, 303)
  })
  app.get(`${SUBMISSIONS_ROUTE}/:id{[0-9]+}/file`, (c) => fileDownload(c, platform))

  for (const [route, kind] of [
    [PROVIDER_QUEUE, 'provider'],
    [CITY_QUEUE, 'city'],
  ] as const) {
    app.use(`${route}/*`, ...signedIn, requireReviewer(platform, kind))
    app.get(route, (c) => queuePage(c, platform))
    app.get(`${route}/:id{[0-9]+}`, (c) => reviewPage(c, platform))
    app.post(`${route}/:id{[0-9]+}/approve`, (c) => decide(c, platform, 'approve'))
    app.post(`${route}/:id{[0-9]+}/return`, (c) => decide(c, platform, 'return'))
    app.get(`${route}/:id{[0-9]+}/file`, (c) => fileDownload(c, platform))
  }
}
