import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { ErrorSummary, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { clientIp } from '../accounts/index.ts'
import { currentCity } from '../cities/index.ts'
import { ContributionForm, contributionErrors } from './contribution-form.tsx'
import { type ContributionValues, readValues, text } from './contribution-input.ts'
import { type Duplicate, submitContribution } from './contributions.ts'
import { hubPath, resourcePath } from './paths.ts'

type C = Context<AppEnv>

/** The trap field is never shown (robots reading the HTML still see and fill it). */
export function trapStyle(c: C) {
  return <style nonce={c.var.secureHeadersNonce}>{'.hub-trap{display:none}'}</style>
}

function renderSubmit(
  c: C,
  values: ContributionValues,
  errors: FormError[],
  extra: { duplicates?: Duplicate[]; alert?: string; status?: number } = {},
) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const k = (key: string, v?: Record<string, string | number>) => t(`knowledge-hub.contribute.${key}`, v)
  const duplicates = extra.duplicates ?? []
  return page(
    c,
    {
      title: errors.length ? k('errorTitle', { title: k('title') }) : k('title'),
      status: extra.status,
      head: trapStyle(c),
    },
    <>
      <ErrorSummary errors={errors} t={t} />
      {extra.alert && (
        <div class="error-summary" role="alert">
          <p>{extra.alert}</p>
        </div>
      )}
      <h1>{k('title')}</h1>
      <p>{k('intro')}</p>
      {duplicates.length > 0 && (
        <section class="notice" aria-labelledby="duplicates-title" role="status">
          <h2 id="duplicates-title">{k('duplicates.title', { count: duplicates.length })}</h2>
          <ul>
            {duplicates.map((d) => (
              <li>
                {d.status === 'published' ? (
                  <a href={resourcePath(lang, city.slug, d.id)} lang={d.title.lang} dir="auto">
                    {d.title.text}
                  </a>
                ) : (
                  <span lang={d.title.lang} dir="auto">
                    {d.title.text}
                  </span>
                )}{' '}
                — {k(d.reason === 'url' ? 'duplicates.url' : 'duplicates.sameTitle')}
                {d.status === 'submitted' && ` (${k('duplicates.waiting')})`}
              </li>
            ))}
          </ul>
          <p>{k('duplicates.choose')}</p>
          <p>
            <a href={hubPath(lang, city.slug)}>{k('duplicates.stop')}</a>
          </p>
        </section>
      )}
      <ContributionForm
        c={c}
        action={`${hubPath(lang, city.slug)}/submit`}
        values={values}
        errors={errors}
        confirming={duplicates.map((d) => d.id)}
      />
    </>,
  )
}

/** The contribution form. */
export function submitPage(c: C) {
  return renderSubmit(c, { textLanguage: c.var.lang, scope: 'city' }, [])
}

/** Sends a contribution: errors, possible duplicates or a rate limit re-render the form with everything kept. */
export async function submitPost(c: C, platform: Platform) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const values = readValues(await c.req.parseBody({ all: true }))
  const confirmed = text(values, 'confirmed')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
  const result = await submitContribution(
    platform,
    {
      city,
      userId: c.var.viewer!.id,
      ip: clientIp(c, platform),
      lang,
    },
    values,
    confirmed,
  )
  if (result.ok) return c.redirect(`${hubPath(lang, city.slug)}/submit/thanks`, 303)
  if (result.error === 'invalid')
    return renderSubmit(c, values, contributionErrors(result.fields, t), { status: 422 })
  if (result.error === 'duplicates') return renderSubmit(c, values, [], { duplicates: result.duplicates })
  c.header('retry-after', String(result.retryAfter))
  return renderSubmit(c, values, [], {
    status: 429,
    alert: t('knowledge-hub.contribute.rateLimited', { minutes: Math.ceil(result.retryAfter / 60) }),
  })
}

/** After sending: what happens next. */
export function thanksPage(c: C) {
  const { t, lang } = c.var
  const city = currentCity(c)
  return page(
    c,
    { title: t('knowledge-hub.contribute.thanks.title') },
    <>
      <h1>{t('knowledge-hub.contribute.thanks.title')}</h1>
      <p>{t('knowledge-hub.contribute.thanks.body')}</p>
      <p>
        <a href={`${hubPath(lang, city.slug)}/submit`}>{t('knowledge-hub.contribute.thanks.another')}</a>
      </p>
      <p>
        <a href={hubPath(lang, city.slug)}>{t('knowledge-hub.contribute.thanks.back')}</a>
      </p>
    </>,
  )
}
