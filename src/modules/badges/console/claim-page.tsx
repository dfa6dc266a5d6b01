/**
 * The learner's claim page, /{lang}/{city}/badges/claim: type the code from the event (or scan the
 * QR code, which fills it in with ?code=), get the badge. Sign-in required; plain HTML form.
 */
import { translated } from '../../../platform/i18n/index.ts'
import type { Platform } from '../../../platform/module.ts'
import { TextInput } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import * as repo from '../repository.ts'
import { claimBadge } from './claim.ts'
import { actorOf, type C } from './shared.tsx'

function claimForm(c: C, code: string, errors: FormError[], status?: number) {
  const { t, formToken, lang } = c.var
  const csrfToken = formToken()
  const title = t('badge-console.claim.title')
  return page(
    c,
    { title: errors.length ? t('badge-console.errorTitle', { title }) : title, status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{title}</h1>
      <p>{t('badge-console.claim.intro')}</p>
      <form method="post" action={`/${lang}/${c.var.tenant!.slug}/badges/claim`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <TextInput
          id="code"
          label={t('badge-console.claim.code')}
          hint={t('badge-console.claim.codeHint')}
          value={code}
          dir="ltr"
          autocomplete="off"
          errors={errors}
        />
        <button type="submit" class="button">
          {t('badge-console.claim.submit')}
        </button>
      </form>
    </>,
  )
}

async function claimedPage(c: C, platform: Platform, uuid: string) {
  const { t } = c.var
  const award = await repo.findAwardByUuid(platform.db, uuid.slice(0, 40))
  if (!award || award.recipientUserId !== c.var.viewer!.id) return c.var.renderError(404)
  const a = await repo.findAchievement(platform.db, award.cityId, award.achievementId)
  const name = translated(a?.name, c.var.lang, [c.var.tenant!.defaultLanguage])
  const title = t('badge-console.claim.doneTitle')
  return page(
    c,
    { title },
    <>
      <h1>{title}</h1>
      <p class="notice" role="status">
        {t('badge-console.claim.done')}{' '}
        <strong lang={name.lang} dir="auto">
          {name.text}
        </strong>
      </p>
      {a?.hasImage && <img src={`/achievements/${a.id}/image.png`} alt="" width="120" height="120" />}
      <p>{t('badge-console.claim.private')}</p>
      <ul class="actions">
        <li>
          <a href={`/${c.var.lang}/${c.var.tenant!.slug}/wallet`}>{t('badge-console.claim.wallet')}</a>
        </li>
        <li>
          <a href={`/credentials/${award.uuid}`}>{t('badge-console.claim.download')}</a>
        </li>
        <li>
          <a href={`/${c.var.lang}/${c.var.tenant!.slug}/badges/verify`}>{t('badge-console.claim.verify')}</a>
        </li>
      </ul>
    </>,
  )
}

/** GET: the form (the QR code's ?code= fills it in), or after a claim the badge it gave. */
export function claimPage(c: C, platform: Platform) {
  const claimed = c.req.query('claimed')
  if (claimed) return claimedPage(c, platform, claimed)
  return claimForm(c, (c.req.query('code') ?? '').slice(0, 40), [])
}

/** POST: claims the badge, or shows the form again with what went wrong. */
export async function claim(c: C, platform: Platform) {
  const body = await c.req.parseBody()
  const code = typeof body.code === 'string' ? body.code.slice(0, 100) : ''
  const result = await claimBadge(platform, actorOf(c), c.var.tenant!.id, code)
  if (result.ok)
    return c.redirect(`/${c.var.lang}/${c.var.tenant!.slug}/badges/claim?claimed=${result.award.uuid}`, 303)
  const message = c.var.t(`badge-console.claim.error.${result.problem}`)
  return claimForm(
    c,
    code.slice(0, 40),
    [{ field: 'code', message }],
    result.problem === 'too-many' ? 429 : 422,
  )
}
