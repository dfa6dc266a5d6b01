/**
 * The public badge checker of each city, /{lang}/{city}/badges/verify: paste a credential or
 * upload a baked badge, get every check as text. Plain HTML forms: it works without JavaScript.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../../../platform/http/env.ts'
import { LANG_PARAM, type T } from '../../../platform/i18n/index.ts'
import type { App, Platform } from '../../../platform/module.ts'
import { TextArea } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { requireCity } from '../../cities/index.ts'
import type { BadgeView, Check, Report } from './report.ts'
import { inputMessage, MAX_INPUT_BYTES, problemMessage, verifyForPlatform } from './service.ts'

export const VERIFY_PAGE_ROUTE = `/${LANG_PARAM}/:city{[a-z0-9-]+}/badges/verify`

type C = Context<AppEnv>

/** The file field of a credential (JSON, VC-JWT, baked PNG or SVG), as the checker and the wallet ask for it. */
export function CredentialFileField(props: { label: string; hint: string; errors: FormError[] }) {
  const fileError = props.errors.find((e) => e.field === 'file')
  return (
    <div class={fileError ? 'field field-error' : 'field'}>
      <label for="file">{props.label}</label>
      <p class="hint" id="file-hint">
        {props.hint}
      </p>
      {fileError && (
        <p class="error-message" id="file-error">
          {fileError.message}
        </p>
      )}
      <input
        id="file"
        name="file"
        type="file"
        accept=".png,.svg,.json,.jwt,.txt,image/png,image/svg+xml,application/json"
        aria-describedby={fileError ? 'file-hint file-error' : 'file-hint'}
        aria-invalid={fileError ? 'true' : undefined}
      />
    </div>
  )
}

function VerifyForm(props: { c: C; text: string; errors: FormError[] }) {
  const { t, lang, formToken } = props.c.var
  const csrfToken = formToken()
  return (
    <form
      method="post"
      action={`/${lang}/${props.c.var.tenant!.slug}/badges/verify`}
      enctype="multipart/form-data"
    >
      <input type="hidden" name="_csrf" value={csrfToken} />
      <TextArea
        id="credential"
        label={t('badge-verify.paste.label')}
        hint={t('badge-verify.paste.hint')}
        value={props.text}
        rows={8}
        dir="ltr"
        errors={props.errors}
      />
      <CredentialFileField
        label={t('badge-verify.file.label')}
        hint={t('badge-verify.file.hint', { size: Math.round(MAX_INPUT_BYTES / 1024) })}
        errors={props.errors}
      />
      <button type="submit" class="button">
        {t('badge-verify.submit')}
      </button>
      <p class="hint">{t('badge-verify.privacy')}</p>
    </form>
  )
}

function CheckItem(props: { t: T; check: Check }) {
  const { t, check } = props
  return (
    <li>
      <strong>
        {t(`badge-verify.outcome.${check.outcome}`)}: {t(`badge-verify.check.${check.id}`)}
      </strong>
      {check.problems.length > 0 && (
        <ul>
          {check.problems.map((p) => (
            <li>{problemMessage(t, p)}</li>
          ))}
        </ul>
      )}
    </li>
  )
}

function BadgeDetails(props: { t: T; badge: BadgeView }) {
  const { t, badge } = props
  const rows: [string, string | undefined][] = [
    ['badge-verify.badge.name', badge.name],
    ['badge-verify.badge.description', badge.description],
    ['badge-verify.badge.criteria', badge.criteria],
    ['badge-verify.badge.issuer', badge.issuerName],
    ['badge-verify.badge.issuerId', badge.issuerId],
    [
      'badge-verify.badge.recipient',
      badge.recipientHashed
        ? t('badge-verify.badge.recipientHashed')
        : (badge.recipient ?? t('badge-verify.badge.recipientNone')),
    ],
    ['badge-verify.badge.validFrom', badge.validFrom],
    ['badge-verify.badge.validUntil', badge.validUntil],
    ['badge-verify.badge.type', badge.credentialType],
  ]
  return (
    <>
      {badge.image && (
        <img src={badge.image} alt={badge.imageCaption ?? badge.name ?? ''} width="160" height="160" />
      )}
      <dl>
        {rows
          .filter(([, v]) => v)
          .map(([key, value]) => (
            <>
              <dt>{t(key)}</dt>
              {/* Text from the credential: its own language and direction, escaped by JSX. */}
              <dd dir="auto">{value}</dd>
            </>
          ))}
        {badge.criteriaUrl && (
          <>
            <dt>{t('badge-verify.badge.criteriaUrl')}</dt>
            <dd dir="ltr">
              <a href={badge.criteriaUrl} rel="nofollow noopener noreferrer">
                {badge.criteriaUrl}
              </a>
            </dd>
          </>
        )}
      </dl>
    </>
  )
}

function ReportView(props: { t: T; report: Report; level: 2 | 3 }) {
  const { t, report } = props
  const H = props.level === 2 ? 'h2' : 'h3'
  return (
    <section aria-labelledby={props.level === 2 ? 'verdict' : undefined}>
      <H id={props.level === 2 ? 'verdict' : undefined}>{t(`badge-verify.verdict.${report.verdict}`)}</H>
      <p>{t(`badge-verify.verdict.${report.verdict}.explain`)}</p>
      <p>
        {t(`badge-verify.format.${report.format}`)}
        {report.baked && ` · ${t(`badge-verify.baked.${report.baked}`)}`}
      </p>
      <ul>
        {report.checks.map((check) => (
          <CheckItem t={t} check={check} />
        ))}
      </ul>
      <BadgeDetails t={t} badge={report.badge} />
      {report.nested.length > 0 && (
        <>
          <H>{t('badge-verify.nested', { count: report.nested.length })}</H>
          {report.nested.map((n) => (
            <ReportView t={t} report={n} level={3} />
          ))}
        </>
      )}
    </section>
  )
}

function verifyPage(
  c: C,
  options: { text?: string; errors?: FormError[]; report?: Report; status?: number },
) {
  const { t } = c.var
  const errors = options.errors ?? []
  const title = options.report ? t('badge-verify.resultTitle') : t('badge-verify.title')
  return page(
    c,
    { title: errors.length ? t('badge-verify.errorTitle', { title }) : title, status: options.status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{title}</h1>
      {options.report ? (
        <ReportView t={t} report={options.report} level={2} />
      ) : (
        <p>{t('badge-verify.intro')}</p>
      )}
      {options.report && <h2>{t('badge-verify.again')}</h2>}
      <VerifyForm c={c} text={options.text ?? ''} errors={errors} />
    </>,
  )
}

async function submit(c: C, platform: Platform) {
  const { t, lang } = c.var
  const body = await c.req.parseBody()
  const file = body.file
  const text = typeof body.credential === 'string' ? body.credential : ''
  const hasFile = file instanceof File && file.size > 0
  if (!hasFile && text.trim() === '')
    return verifyPage(c, {
      text,
      errors: [{ field: 'credential', message: t('badge-verify.error.noInput') }],
      status: 400,
    })
  if ((hasFile && file.size > MAX_INPUT_BYTES) || text.length > MAX_INPUT_BYTES)
    return verifyPage(c, {
      text: '',
      errors: [
        {
          field: hasFile ? 'file' : 'credential',
          message: t('badge-verify.error.tooLarge', { size: Math.round(MAX_INPUT_BYTES / 1024) }),
        },
      ],
      status: 413,
    })
  const input = hasFile ? new Uint8Array(await file.arrayBuffer()) : text
  const result = await verifyForPlatform(platform, input, lang)
  // The pasted text is shown again so nothing typed is lost; an uploaded file cannot be.
  if (!result.ok)
    return verifyPage(c, {
      text,
      errors: [{ field: hasFile ? 'file' : 'credential', message: inputMessage(t, result.problem) }],
      status: 422,
    })
  c.header('cache-control', 'no-store')
  return verifyPage(c, { text, report: result.report })
}

export function verifyPages(app: App, platform: Platform): void {
  app.use(VERIFY_PAGE_ROUTE, requireCity(platform))
  app.get(VERIFY_PAGE_ROUTE, (c) => verifyPage(c, {}))
  app.post(VERIFY_PAGE_ROUTE, (c) => submit(c, platform))
}
