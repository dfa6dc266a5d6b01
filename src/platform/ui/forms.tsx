import type { Child } from 'hono/jsx'
import type { T } from '../i18n/index.ts'

/** A field's error as shown in the summary and beside the field. */
export interface FormError {
  field: string
  message: string
}

/** GOV.UK-style error summary: focus lands here, each error links to its field. */
export function ErrorSummary(props: { errors: FormError[]; t: T }) {
  if (props.errors.length === 0) return null
  return (
    <div
      class="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabindex={-1}
      id="error-summary"
    >
      <h2 id="error-summary-title">{props.t('ui.errorSummaryTitle')}</h2>
      <ul>
        {props.errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}

export interface FieldProps {
  name: string
  label: string
  type?: 'text' | 'email' | 'password' | 'url' | 'color' | 'number'
  value?: string
  hint?: string
  errors?: FormError[]
  autocomplete?: string
  required?: boolean
  dir?: 'ltr' | 'rtl' | 'auto'
}

/** A labelled input with hint and inline error, wired up with aria-describedby. */
export function Field(props: FieldProps) {
  const error = props.errors?.find((e) => e.field === props.name)
  const hintId = props.hint ? `${props.name}-hint` : undefined
  const errorId = error ? `${props.name}-error` : undefined
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error-message" id={errorId}>
          {error.message}
        </p>
      )}
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
        dir={props.dir}
      />
    </div>
  )
}

export function Checkbox(props: { name: string; label: string; checked?: boolean }) {
  return (
    <div class="field checkbox">
      <input id={props.name} name={props.name} type="checkbox" value="on" checked={props.checked} />
      <label for={props.name}>{props.label}</label>
    </div>
  )
}

/** A POST form with the CSRF field already in it. */
export function Form(props: { action: string; csrf: string; children?: Child; novalidate?: boolean }) {
  return (
    <form method="post" action={props.action} novalidate={props.novalidate}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
    </form>
  )
}
