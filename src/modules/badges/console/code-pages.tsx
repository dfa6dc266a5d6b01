/**
 * A claim code as its issuer hands it out: the code, the claim address, its QR code, and a
 * print-friendly poster for an event.
 */
import type { Platform } from '../../../platform/module.ts'
import { page } from '../../../platform/ui/layout.tsx'
import { mayAward } from '../achievements.ts'
import { claimQrSvg, withdrawClaimCode } from '../claims.ts'
import * as repo from '../repository.ts'
import {
  achievementOf,
  actorOf,
  type C,
  claimUrl,
  currentOwner,
  DoneNotice,
  formatWhen,
  nameOf,
} from './shared.tsx'

/** Hides the site's header and footer and the page's links when printed. */
function printStyle(c: C) {
  return (
    <style nonce={c.var.secureHeadersNonce}>
      {
        '@media print{.site-header,.site-footer,.skip-link,.no-print{display:none}.poster img{width:12cm;height:12cm}}'
      }
    </style>
  )
}

/** The URL's code, if it is this owner's code of this achievement (and, unless told, the viewer may award). */
async function codeOf(c: C, platform: Platform, checkAward = true) {
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a || (checkAward && !(await mayAward(platform, actorOf(c), a, owner.organizationId)))) return undefined
  const raw = c.req.param('code') ?? ''
  if (raw.length > 12) return undefined
  const code = (await repo.listClaimCodes(platform.db, c.var.tenant!.id, a.id)).find(
    (k) => k.id === Number(raw) && k.organizationId === owner.organizationId,
  )
  return code ? { a, code } : undefined
}

/** "Withdrawn {when} by {name}": what the list and the code page say of a withdrawn code. */
export function withdrawnText(c: C, code: repo.ListedClaimCode): string {
  return c.var.t('badge-console.code.withdrawnOn', {
    when: formatWhen(c, code.revokedAt),
    name: code.revokedByName ?? c.var.t('badge-console.code.someone'),
  })
}

/** Whether a code can still be claimed, and if not why: withdrawn (when, by whom), used up or expired. */
export function codeStatusText(c: C, code: repo.ListedClaimCode): string {
  const { t } = c.var
  if (code.revoked) return withdrawnText(c, code)
  if (code.uses >= code.maxUses) return t('badge-console.code.usedUp')
  if (code.expiresAt && new Date(code.expiresAt).getTime() <= Date.now())
    return t('badge-console.code.expired')
  return t('badge-console.code.live')
}

/** GET …/codes/{code}/withdraw: asks first (a plain form, so it works without JavaScript). */
export async function withdrawPage(c: C, platform: Platform) {
  const { t, formToken } = c.var
  const csrfToken = formToken()
  const found = await codeOf(c, platform)
  if (!found) return c.var.renderError(404)
  const { a, code } = found
  const owner = currentOwner(c)
  const back = `${owner.base}/${a.id}/codes/${code.id}`
  if (code.revoked) return c.redirect(back, 303)
  const title = t('badge-console.code.withdrawTitle', { code: code.code })
  return page(
    c,
    { title },
    <>
      <h1 dir="auto">{title}</h1>
      <p>{t('badge-console.code.withdrawExplain')}</p>
      <p>{t('badge-console.code.uses', { uses: code.uses, max: code.maxUses })}</p>
      <form method="post" action={`${back}/withdraw`}>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button type="submit" class="button">
          {t('badge-console.code.withdrawConfirm')}
        </button>{' '}
        <a href={back}>{t('badge-console.cancel')}</a>
      </form>
    </>,
  )
}

/** POST …/codes/{code}/withdraw: the use case checks who may; a code withdrawn already just shows. */
export async function withdraw(c: C, platform: Platform) {
  const found = await codeOf(c, platform, false)
  if (!found) return c.var.renderError(404)
  const owner = currentOwner(c)
  const result = await withdrawClaimCode(platform, actorOf(c), c.var.tenant!.id, found.code.id)
  const back = `${owner.base}/${found.a.id}/codes/${found.code.id}`
  if (result.ok) return c.redirect(`${back}?done=withdrawn`, 303)
  if (result.error === 'conflict') return c.redirect(back, 303)
  return c.var.renderError(result.error === 'forbidden' ? 403 : 404)
}

/** GET …/{id}/codes/{code}, and with `print` the poster alone. */
export async function codePage(c: C, platform: Platform, print: boolean) {
  const { t } = c.var
  const found = await codeOf(c, platform)
  if (!found) return c.var.renderError(404)
  const { a, code } = found
  const owner = currentOwner(c)
  const url = claimUrl(platform, c, code.code)
  if (code.revoked) return withdrawnCodePage(c, a, code)
  const svg = await claimQrSvg(url)
  const name = nameOf(c, a)
  const title = print
    ? t('badge-console.code.posterTitle', { name: name.text })
    : t('badge-console.code.pageTitle')
  const qr = (
    <img
      src={`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`}
      alt={t('badge-console.code.qrAlt', { code: code.code })}
      width="240"
      height="240"
    />
  )
  return page(
    c,
    { title, head: printStyle(c) },
    <>
      {!print && <DoneNotice c={c} />}
      <h1 dir="auto">{title}</h1>
      <div class="poster">
        {print && <p>{t('badge-console.code.posterHow')}</p>}
        {qr}
        <p>
          {t('badge-console.code.theCode')}{' '}
          <strong dir="ltr">
            <code>{code.code}</code>
          </strong>
        </p>
        <p>
          {t('badge-console.code.theUrl')} <span dir="ltr">{url}</span>
        </p>
      </div>
      {!print && (
        <>
          <dl class="facts">
            <dt>{t('badge-console.code.badge')}</dt>
            <dd lang={name.lang} dir="auto">
              {name.text}
            </dd>
            <dt>{t('badge-console.code.colUses')}</dt>
            <dd>{t('badge-console.code.uses', { uses: code.uses, max: code.maxUses })}</dd>
            <dt>{t('badge-console.code.colExpires')}</dt>
            <dd>{code.expiresAt ? formatWhen(c, code.expiresAt) : t('badge-console.code.never')}</dd>
            <dt>{t('badge-console.code.colStatus')}</dt>
            <dd>{codeStatusText(c, code)}</dd>
          </dl>
          <ul class="actions no-print">
            <li>
              <a href={`${owner.base}/${a.id}/codes/${code.id}/print`}>{t('badge-console.code.print')}</a>
            </li>
            <li>
              <a href={`${owner.base}/${a.id}/codes/${code.id}/withdraw`}>
                {t('badge-console.code.withdraw')}
              </a>
            </li>
            <li>
              <a href={`${owner.base}/${a.id}`}>{t('badge-console.code.back')}</a>
            </li>
          </ul>
        </>
      )}
      {print && (
        <p class="no-print">
          <a href={`${owner.base}/${a.id}/codes/${code.id}`}>{t('badge-console.code.back')}</a>
        </p>
      )}
    </>,
  )
}

/** A withdrawn code's page (and print view): no QR code or poster to hand out, only what happened. */
function withdrawnCodePage(c: C, a: repo.AchievementRow, code: repo.ListedClaimCode) {
  const { t } = c.var
  const owner = currentOwner(c)
  const name = nameOf(c, a)
  const title = t('badge-console.code.pageTitle')
  return page(
    c,
    { title },
    <>
      <DoneNotice c={c} />
      <h1>{title}</h1>
      <p class="notice">
        {t('badge-console.code.withdrawnNotice', {
          when: formatWhen(c, code.revokedAt),
          name: code.revokedByName ?? t('badge-console.code.someone'),
        })}
      </p>
      <dl class="facts">
        <dt>{t('badge-console.code.theCode')}</dt>
        <dd dir="ltr">
          <code>{code.code}</code>
        </dd>
        <dt>{t('badge-console.code.badge')}</dt>
        <dd lang={name.lang} dir="auto">
          {name.text}
        </dd>
        <dt>{t('badge-console.code.colUses')}</dt>
        <dd>{t('badge-console.code.uses', { uses: code.uses, max: code.maxUses })}</dd>
        <dt>{t('badge-console.code.colStatus')}</dt>
        <dd>{withdrawnText(c, code)}</dd>
      </dl>
      <p>
        <a href={`${owner.base}/${a.id}`}>{t('badge-console.code.back')}</a>
      </p>
    </>,
  )
}
