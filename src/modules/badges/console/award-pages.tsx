/**
 * One achievement as its issuers see it: details, sharing, the manual award form, claim codes and
 * the awards with revoke / suspend / lift behind a confirm step.
 */
import type { FieldError } from '../../../platform/http/problem.ts'
import type { Platform } from '../../../platform/module.ts'
import { zonedToUtc } from '../../../platform/time/index.ts'
import { TextArea, TextInput } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { findOrganizationById, listOrganizations } from '../../organizations/index.ts'
import { mayAward, shareAchievement } from '../achievements.ts'
import { awardManually, changeAwardStatus } from '../awards.ts'
import { createClaimCode } from '../claims.ts'
import * as repo from '../repository.ts'
import { codeStatusText } from './code-pages.tsx'
import {
  achievementOf,
  actorOf,
  type C,
  currentOwner,
  DoneNotice,
  formatWhen,
  maskEmail,
  nameOf,
} from './shared.tsx'

/** Status changes a staff member can ask for, and the award status each leads to. */
export const ACTIONS = { revoke: 'revoked', suspend: 'suspended', reinstate: 'active' } as const
export type Action = keyof typeof ACTIONS

/** The manual award's field errors in the reader's language, each naming the address it is about. */
export function emailErrors(c: C, fields: FieldError[], emails: string[]): FormError[] {
  const { t } = c.var
  const given = [...new Set(emails.map((e) => e.trim()).filter(Boolean))]
  return fields.map((f) => {
    const i = /^\/emails\/(\d+)$/.exec(f.field)?.[1]
    const email = i === undefined ? '' : (given[Number(i)] ?? '').slice(0, 100)
    const kind = /not an email/.test(f.detail)
      ? 'notEmail'
      : /no account/.test(f.detail)
        ? 'noAccount'
        : /yourself/.test(f.detail)
          ? 'self'
          : /already holds/.test(f.detail)
            ? 'holds'
            : /at most/.test(f.detail)
              ? 'tooMany'
              : 'none'
    return { field: 'emails', message: t(`badge-console.award.error.${kind}`, { email }) }
  })
}

interface DetailOptions {
  awardErrors?: FormError[]
  emails?: string
  codeErrors?: FormError[]
  code?: { maxUses: string; expiresAt: string }
  shareErrors?: FormError[]
  status?: number
}

/** GET …/{id}: the achievement, its awards by this owner, and what the viewer may do with it. */
export async function detailPage(c: C, platform: Platform, options: DetailOptions = {}) {
  const { t, formToken, lang } = c.var
  const csrfToken = formToken()
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a) return c.var.renderError(404)
  const actor = actorOf(c)
  const cityId = c.var.tenant!.id
  const owns = a.organizationId === owner.organizationId
  const awards = await mayAward(platform, actor, a, owner.organizationId)
  // ownerScope let in only who may define the owner's badges; the owner's own ones may be shared.
  const mayShare = owns && owner.organizationId !== null
  const list = awards
    ? (await repo.listAwardsWithRecipients(platform.db, cityId, a.id)).filter(
        (w) => w.organizationId === owner.organizationId,
      )
    : []
  const codes = awards
    ? (await repo.listClaimCodes(platform.db, cityId, a.id)).filter(
        (k) => k.organizationId === owner.organizationId,
      )
    : []
  const others = mayShare
    ? (await listOrganizations(platform.db, cityId)).filter(
        (o) =>
          o.id !== owner.organizationId &&
          !a.sharedWith.includes(o.id) &&
          (o.status === 'approved' || o.status === 'trusted'),
      )
    : []
  const sharedNames = await Promise.all(
    a.sharedWith.map((id) => findOrganizationById(platform.db, cityId, id)),
  )
  const name = nameOf(c, a)
  const errors = [
    ...(options.awardErrors ?? []),
    ...(options.codeErrors ?? []),
    ...(options.shareErrors ?? []),
  ]
  const title = name.text
  const base = `${owner.base}/${a.id}`
  return page(
    c,
    { title: errors.length ? t('badge-console.errorTitle', { title }) : title, status: options.status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <DoneNotice c={c} />
      <h1 lang={name.lang} dir="auto">
        {name.text}
      </h1>
      {a.hasImage && <img src={`/achievements/${a.id}/image.png`} alt="" width="120" height="120" />}
      <dl class="facts">
        <dt>{t('badge-console.detail.type')}</dt>
        <dd>{t(`badge-console.type.${a.type}`)}</dd>
        <dt>{t('badge-console.detail.level')}</dt>
        <dd>{t(`badge-console.level.${a.level ?? 'none'}`)}</dd>
        <dt>{t('badge-console.detail.validity')}</dt>
        <dd>
          {a.validDays
            ? t('badge-console.detail.validDays', { days: a.validDays })
            : t('badge-console.detail.noExpiry')}
        </dd>
        {sharedNames.length > 0 && (
          <>
            <dt>{t('badge-console.detail.sharedWith')}</dt>
            <dd dir="auto">
              {sharedNames
                .filter((o) => o !== undefined)
                .map((o) => o.name[lang] ?? Object.values(o.name)[0] ?? o.slug)
                .join(', ')}
            </dd>
          </>
        )}
      </dl>
      <ul class="actions">
        {owns && (
          <li>
            <a href={`${base}/edit`}>{t('badge-console.detail.edit')}</a>
          </li>
        )}
        {owns && (
          <li>
            <a href={`${base}/archive`}>{t('badge-console.detail.archive')}</a>
          </li>
        )}
        <li>
          <a href={`/achievements/${a.id}`}>{t('badge-console.detail.json')}</a>
        </li>
        <li>
          <a href={owner.base}>{t('badge-console.detail.back')}</a>
        </li>
      </ul>

      {!awards && <p>{t('badge-console.detail.noAward')}</p>}
      {awards && (
        <>
          <h2 id="award-heading">{t('badge-console.award.title')}</h2>
          <form method="post" action={`${base}/awards`} aria-labelledby="award-heading">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <TextArea
              id="emails"
              label={t('badge-console.award.emails')}
              hint={t('badge-console.award.emailsHint')}
              value={options.emails ?? ''}
              rows={5}
              dir="ltr"
              errors={options.awardErrors ?? []}
            />
            <button type="submit" class="button">
              {t('badge-console.award.submit')}
            </button>
          </form>

          <h2 id="code-heading">{t('badge-console.code.title')}</h2>
          <p>{t('badge-console.code.explain')}</p>
          <form method="post" action={`${base}/codes`} aria-labelledby="code-heading">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <TextInput
              id="maxUses"
              label={t('badge-console.code.maxUses')}
              hint={t('badge-console.code.maxUsesHint')}
              value={options.code?.maxUses ?? '1'}
              inputmode="numeric"
              errors={options.codeErrors ?? []}
            />
            <TextInput
              id="expiresAt"
              label={t('badge-console.code.expiresAt')}
              hint={t('badge-console.code.expiresAtHint')}
              type="datetime-local"
              value={options.code?.expiresAt ?? ''}
              errors={options.codeErrors ?? []}
            />
            <button type="submit" class="button">
              {t('badge-console.code.submit')}
            </button>
          </form>
          {codes.length > 0 && (
            <div class="table-wrap">
              <table>
                <caption>{t('badge-console.code.listCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('badge-console.code.colCode')}</th>
                    <th scope="col">{t('badge-console.code.colUses')}</th>
                    <th scope="col">{t('badge-console.code.colExpires')}</th>
                    <th scope="col">{t('badge-console.code.colStatus')}</th>
                  </tr>
                </thead>
                <tbody>
                  {codes.map((k) => (
                    <tr>
                      <th scope="row">
                        <a href={`${base}/codes/${k.id}`} dir="ltr">
                          <code>{k.code}</code>
                        </a>
                      </th>
                      <td>{t('badge-console.code.uses', { uses: k.uses, max: k.maxUses })}</td>
                      <td>{k.expiresAt ? formatWhen(c, k.expiresAt) : t('badge-console.code.never')}</td>
                      <td>{codeStatusText(c, k)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h2>{t('badge-console.awards.title')}</h2>
          {list.length === 0 ? (
            <p>{t('badge-console.awards.empty')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">{t('badge-console.awards.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('badge-console.awards.colRecipient')}</th>
                    <th scope="col">{t('badge-console.awards.colStatus')}</th>
                    <th scope="col">{t('badge-console.awards.colIssued')}</th>
                    <th scope="col">{t('badge-console.awards.colPath')}</th>
                    <th scope="col">{t('badge-console.awards.colActions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((w) => (
                    <tr>
                      <th scope="row">
                        {w.recipientEmail === null ? (
                          t('badge-console.awards.deletedAccount')
                        ) : (
                          <>
                            <span dir="auto">{w.recipientName}</span>{' '}
                            <span dir="ltr">({maskEmail(w.recipientEmail)})</span>
                          </>
                        )}
                      </th>
                      <td>{t(`badge-console.status.${w.status}`)}</td>
                      <td>{formatWhen(c, w.issuedAt)}</td>
                      <td>{t(`badge-console.path.${w.path}`)}</td>
                      <td>
                        <ul class="actions">
                          {w.status === 'active' && (
                            <>
                              <li>
                                <a href={`${base}/awards/${w.id}/suspend`}>
                                  {t('badge-console.action.suspend')}
                                </a>
                              </li>
                              <li>
                                <a href={`${base}/awards/${w.id}/revoke`}>
                                  {t('badge-console.action.revoke')}
                                </a>
                              </li>
                            </>
                          )}
                          {w.status === 'suspended' && (
                            <>
                              <li>
                                <a href={`${base}/awards/${w.id}/reinstate`}>
                                  {t('badge-console.action.reinstate')}
                                </a>
                              </li>
                              <li>
                                <a href={`${base}/awards/${w.id}/revoke`}>
                                  {t('badge-console.action.revoke')}
                                </a>
                              </li>
                            </>
                          )}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}

      {mayShare && others.length > 0 && (
        <>
          <h2 id="share-heading">{t('badge-console.share.title')}</h2>
          <p>{t('badge-console.share.explain')}</p>
          <form method="post" action={`${base}/share`} aria-labelledby="share-heading">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <div class={options.shareErrors?.length ? 'field field-error' : 'field'}>
              <label for="organization">{t('badge-console.share.organization')}</label>
              {options.shareErrors?.[0] && (
                <p class="error-message" id="organization-error">
                  {options.shareErrors[0].message}
                </p>
              )}
              <select
                id="organization"
                name="organization"
                aria-describedby={options.shareErrors?.length ? 'organization-error' : undefined}
              >
                {others.map((o) => (
                  <option value={o.slug}>{o.name[lang] ?? Object.values(o.name)[0] ?? o.slug}</option>
                ))}
              </select>
            </div>
            <button type="submit" class="button secondary">
              {t('badge-console.share.submit')}
            </button>
          </form>
        </>
      )}
    </>,
  )
}

/** POST …/{id}/awards: every address is checked before anything is issued (the use case does it). */
export async function award(c: C, platform: Platform) {
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a) return c.var.renderError(404)
  const body = await c.req.parseBody()
  const text = typeof body.emails === 'string' ? body.emails.slice(0, 50_000) : ''
  const emails = text.split(/[\n,;]+/)
  const result = await awardManually(
    platform,
    actorOf(c),
    c.var.tenant!.id,
    a.id,
    owner.organizationId,
    emails,
  )
  if (result.ok) return c.redirect(`${owner.base}/${a.id}?done=awarded`, 303)
  if (result.error === 'forbidden') return c.var.renderError(403)
  if (result.error === 'not-found') return c.var.renderError(404)
  return detailPage(c, platform, {
    awardErrors: emailErrors(c, result.fields, emails),
    emails: text,
    status: 422,
  })
}

/** POST …/{id}/codes: a one-time or limited-use code, optionally until a time in the city's zone. */
export async function createCode(c: C, platform: Platform) {
  const { t } = c.var
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a) return c.var.renderError(404)
  const body = await c.req.parseBody()
  const maxUses = typeof body.maxUses === 'string' ? body.maxUses.trim().slice(0, 20) : ''
  const expiresAt = typeof body.expiresAt === 'string' ? body.expiresAt.trim().slice(0, 30) : ''
  const errors: FormError[] = []
  let expiry: Date | null = null
  if (expiresAt) {
    try {
      expiry = zonedToUtc(expiresAt, c.var.tenant!.timeZone)
    } catch {
      errors.push({ field: 'expiresAt', message: t('badge-console.code.error.expiresAt') })
    }
  }
  const uses = /^\d{1,6}$/.test(maxUses) ? Number(maxUses) : Number.NaN
  if (errors.length === 0) {
    const result = await createClaimCode(platform, actorOf(c), c.var.tenant!.id, a.id, owner.organizationId, {
      maxUses: uses,
      expiresAt: expiry,
    })
    if (result.ok) return c.redirect(`${owner.base}/${a.id}/codes/${result.value.id}?done=code`, 303)
    if (result.error === 'forbidden') return c.var.renderError(403)
    if (result.error === 'not-found') return c.var.renderError(404)
    for (const f of result.fields)
      errors.push({ field: f.field.slice(1), message: t(`badge-console.code.error.${f.field.slice(1)}`) })
  } else if (!Number.isInteger(uses) || uses < 1 || uses > 10_000) {
    errors.unshift({ field: 'maxUses', message: t('badge-console.code.error.maxUses') })
  }
  return detailPage(c, platform, { codeErrors: errors, code: { maxUses, expiresAt }, status: 422 })
}

/** POST …/{id}/share */
export async function share(c: C, platform: Platform) {
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a) return c.var.renderError(404)
  const body = await c.req.parseBody()
  const slug = typeof body.organization === 'string' ? body.organization.slice(0, 80) : ''
  const result = await shareAchievement(platform, actorOf(c), c.var.tenant!.id, a.id, slug)
  if (result.ok) return c.redirect(`${owner.base}/${a.id}?done=shared`, 303)
  if (result.error === 'forbidden') return c.var.renderError(403)
  if (result.error === 'not-found') return c.var.renderError(404)
  return detailPage(c, platform, {
    shareErrors: [{ field: 'organization', message: c.var.t('badge-console.share.error') }],
    status: 422,
  })
}

/** The award of the URL if it is this achievement's and this owner's. */
async function awardOf(c: C, platform: Platform, a: repo.AchievementRow) {
  const raw = c.req.param('award') ?? ''
  const w = raw.length <= 12 ? await repo.findAward(platform.db, c.var.tenant!.id, Number(raw)) : undefined
  return w && w.achievementId === a.id && w.organizationId === currentOwner(c).organizationId ? w : undefined
}

/** GET …/{id}/awards/{award}/{action}: asks before revoking, suspending or lifting a suspension. */
export async function statusPage(c: C, platform: Platform, errors: FormError[] = [], reason = '') {
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  const w = a ? await awardOf(c, platform, a) : undefined
  if (!a || !w) return c.var.renderError(404)
  if (!(await mayAward(platform, actorOf(c), a, owner.organizationId))) return c.var.renderError(403)
  const action = c.req.param('action') as Action
  const title = t(`badge-console.action.${action}.title`, { name: nameOf(c, a).text })
  return page(
    c,
    {
      title: errors.length ? t('badge-console.errorTitle', { title }) : title,
      status: errors.length ? 409 : undefined,
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1 dir="auto">{title}</h1>
      <p>{t(`badge-console.action.${action}.explain`)}</p>
      <form method="post" action={`${owner.base}/${a.id}/awards/${w.id}/${action}`}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        {action !== 'reinstate' && (
          <TextArea
            id="reason"
            label={t('badge-console.action.reason')}
            value={reason}
            rows={3}
            errors={errors}
          />
        )}
        <button type="submit" class="button">
          {t(`badge-console.action.${action}.confirm`)}
        </button>{' '}
        <a href={`${owner.base}/${a.id}`}>{t('badge-console.cancel')}</a>
      </form>
    </>,
  )
}

/** POST …/{id}/awards/{award}/{action} */
export async function changeStatus(c: C, platform: Platform) {
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  const w = a ? await awardOf(c, platform, a) : undefined
  if (!a || !w) return c.var.renderError(404)
  const body = await c.req.parseBody()
  const reason = typeof body.reason === 'string' ? body.reason.trim().slice(0, 500) : ''
  const action = c.req.param('action') as Action
  const result = await changeAwardStatus(
    platform,
    actorOf(c),
    c.var.tenant!.id,
    w.id,
    ACTIONS[action],
    reason || null,
  )
  if (result.ok) return c.redirect(`${owner.base}/${a.id}?done=status`, 303)
  if (result.error === 'forbidden') return c.var.renderError(403)
  if (result.error === 'not-found') return c.var.renderError(404)
  return statusPage(
    c,
    platform,
    [
      {
        field: 'reason',
        message: c.var.t('badge-console.action.error', {
          status: c.var.t(`badge-console.status.${w.status}`),
        }),
      },
    ],
    reason,
  )
}
