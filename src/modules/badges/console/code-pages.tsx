/**
 * A claim code as its issuer hands it out: the code, the claim address, its QR code, and a
 * print-friendly poster for an event.
 */
import type { Platform } from '../../../platform/module.ts'
import { page } from '../../../platform/ui/layout.tsx'
import { mayAward } from '../achievements.ts'
import { claimQrSvg } from '../claims.ts'
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

async function codeOf(c: C, platform: Platform) {
  const owner = currentOwner(c)
  const a = await achievementOf(c, platform)
  if (!a || !(await mayAward(platform, actorOf(c), a, owner.organizationId))) return undefined
  const raw = c.req.param('code') ?? ''
  if (raw.length > 12) return undefined
  const code = (await repo.listClaimCodes(platform.db, c.var.tenant!.id, a.id)).find(
    (k) => k.id === Number(raw) && k.organizationId === owner.organizationId,
  )
  return code ? { a, code } : undefined
}

/** GET …/{id}/codes/{code}, and with `print` the poster alone. */
export async function codePage(c: C, platform: Platform, print: boolean) {
  const { t } = c.var
  const found = await codeOf(c, platform)
  if (!found) return c.var.renderError(404)
  const { a, code } = found
  const owner = currentOwner(c)
  const url = claimUrl(platform, c, code.code)
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
          </dl>
          <ul class="actions no-print">
            <li>
              <a href={`${owner.base}/${a.id}/codes/${code.id}/print`}>{t('badge-console.code.print')}</a>
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
