import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { isLang, LANGUAGE_NAMES, type T } from '../../platform/i18n/index.ts'
import { ErrorSummary, Field, Form, type FormError } from '../../platform/ui/forms.tsx'
import type { FieldIssue } from './profile.ts'
import type { OrganizationRow } from './repository.ts'
import { SECTORS } from './schema.ts'

type C = Context<AppEnv>

/** Use-case field issues as form errors in the reader's language. */
export function formErrors(t: T, fields: FieldIssue[]): FormError[] {
  return fields.map((f) => ({ field: f.field, message: t(`organizations.${f.key}`) }))
}

/** The form values of a saved profile, keyed as the form names its fields. */
export function profileValues(org: OrganizationRow): Record<string, string> {
  const values: Record<string, string> = {
    sector: org.sector,
    website: org.website ?? '',
    logoUrl: org.logoUrl ?? '',
    contactEmail: org.contactEmail ?? '',
    contactPhone: org.contactPhone ?? '',
  }
  for (const [lang, text] of Object.entries(org.name)) values[`name_${lang}`] = text ?? ''
  for (const [lang, text] of Object.entries(org.description)) values[`description_${lang}`] = text ?? ''
  return values
}

/** String values of a posted form (files and repeated fields are ignored). */
export function formValues(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
  )
}

function describedBy(name: string, hint: boolean, error: boolean) {
  return [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined
}

/** A labelled textarea with hint and inline error (the Field pattern). */
export function TextArea(props: {
  name: string
  label: string
  value?: string
  hint?: string
  errors: FormError[]
}) {
  const error = props.errors.find((e) => e.field === props.name)
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={`${props.name}-error`}>
          {error.message}
        </p>
      )}
      <textarea
        id={props.name}
        name={props.name}
        rows={5}
        dir="auto"
        aria-describedby={describedBy(props.name, Boolean(props.hint), Boolean(error))}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  )
}

/** A labelled select with inline error (the Field pattern). */
export function Select(props: {
  name: string
  label: string
  value?: string
  options: { value: string; label: string }[]
  errors: FormError[]
}) {
  const error = props.errors.find((e) => e.field === props.name)
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {error && (
        <p class="error-message" id={`${props.name}-error`}>
          {error.message}
        </p>
      )}
      <select
        id={props.name}
        name={props.name}
        aria-describedby={describedBy(props.name, false, Boolean(error))}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The provider profile form shared by registration and editing. */
export function ProfileForm(props: {
  c: C
  action: string
  languages: string[]
  values: Record<string, string>
  errors: FormError[]
  submit: string
}) {
  const { t, formToken } = props.c.var
  const csrfToken = formToken()
  const { values, errors } = props
  const languages = props.languages.filter(isLang)
  return (
    <>
      <ErrorSummary errors={errors} t={t} />
      <Form action={props.action} csrf={csrfToken} novalidate>
        {languages.map((l) => (
          <Field
            name={`name_${l}`}
            label={t('organizations.form.name', { language: LANGUAGE_NAMES[l] })}
            hint={l === languages[0] ? t('organizations.form.nameHint') : undefined}
            value={values[`name_${l}`] ?? ''}
            errors={errors}
            dir="auto"
          />
        ))}
        {languages.map((l) => (
          <TextArea
            name={`description_${l}`}
            label={t('organizations.form.description', { language: LANGUAGE_NAMES[l] })}
            value={values[`description_${l}`] ?? ''}
            errors={errors}
          />
        ))}
        <Select
          name="sector"
          label={t('organizations.form.sector')}
          value={values.sector ?? ''}
          options={[
            { value: '', label: t('organizations.form.chooseSector') },
            ...SECTORS.map((s) => ({ value: s, label: t(`organizations.sector.${s}`) })),
          ]}
          errors={errors}
        />
        <Field
          name="website"
          type="url"
          label={t('organizations.form.website')}
          hint={t('organizations.form.websiteHint')}
          value={values.website ?? ''}
          errors={errors}
          dir="ltr"
        />
        <Field
          name="logoUrl"
          label={t('organizations.form.logoUrl')}
          hint={t('organizations.form.logoUrlHint')}
          value={values.logoUrl ?? ''}
          errors={errors}
          dir="ltr"
        />
        <Field
          name="contactEmail"
          type="email"
          label={t('organizations.form.contactEmail')}
          value={values.contactEmail ?? ''}
          errors={errors}
          autocomplete="email"
          dir="ltr"
        />
        <Field
          name="contactPhone"
          label={t('organizations.form.contactPhone')}
          value={values.contactPhone ?? ''}
          errors={errors}
          autocomplete="tel"
          dir="ltr"
        />
        <button type="submit" class="button">
          {props.submit}
        </button>
      </Form>
    </>
  )
}

/** Links between an organization's management pages. */
export function manageNav(c: C, slug: string) {
  const { t, lang } = c.var
  const base = `/${lang}/${c.var.tenant!.slug}/providers/${slug}`
  return [
    { href: base, label: t('organizations.nav.profile') },
    { href: `${base}/edit`, label: t('organizations.nav.edit') },
    { href: `${base}/staff`, label: t('organizations.nav.staff') },
    { href: `${base}/api-keys`, label: t('organizations.nav.apiKeys') },
  ]
}
