/**
 * Form controls with a label, a hint and an inline error, wired for the error summary (each control's
 * id is the field's, and describedby points at the hint and the error). Plain HTML: no script needed.
 */
import type { FormError } from './forms.tsx'

interface Common {
  id: string
  label: string
  hint?: string
  errors: FormError[]
}

function described(id: string, hint: string | undefined, error: FormError | undefined) {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
}

function HintAndError(props: { id: string; hint?: string; error?: FormError }) {
  return (
    <>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error-message" id={`${props.id}-error`}>
          {props.error.message}
        </p>
      )}
    </>
  )
}

/** A labelled one-line input with hint and inline error. */
export function TextInput(
  props: Common & {
    value: string
    type?: 'text' | 'email' | 'url' | 'number' | 'date' | 'datetime-local' | 'tel'
    lang?: string
    dir?: 'ltr' | 'auto'
    inputmode?: 'numeric' | 'decimal'
    autocomplete?: string
  },
) {
  const error = props.errors.find((e) => e.field === props.id)
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <HintAndError id={props.id} hint={props.hint} error={error} />
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        lang={props.lang}
        dir={props.dir}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete}
        step={props.type === 'number' ? 'any' : undefined}
        aria-describedby={described(props.id, props.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  )
}

/** A labelled multi-line input with hint and inline error. */
export function TextArea(
  props: Common & { value: string; rows?: number; lang?: string; dir?: 'ltr' | 'auto' },
) {
  const error = props.errors.find((e) => e.field === props.id)
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <HintAndError id={props.id} hint={props.hint} error={error} />
      <textarea
        id={props.id}
        name={props.id}
        rows={props.rows ?? 4}
        cols={50}
        lang={props.lang}
        dir={props.dir ?? 'auto'}
        aria-describedby={described(props.id, props.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.value}
      </textarea>
    </div>
  )
}

/** A select list with hint and inline error. */
export function Select(props: Common & { value: string; options: { value: string; label: string }[] }) {
  const error = props.errors.find((e) => e.field === props.id)
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      <HintAndError id={props.id} hint={props.hint} error={error} />
      <select
        id={props.id}
        name={props.id}
        aria-describedby={described(props.id, props.hint, error)}
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

/**
 * Radios or checkboxes in a fieldset whose legend is the question; the first control carries the
 * group's id, so the error summary can link to it.
 */
export function Choices(
  props: Common & {
    type: 'radio' | 'checkbox'
    options: { value: string; label: string; lang?: string }[]
    checked: string[]
  },
) {
  const error = props.errors.find((e) => e.field === props.id)
  return (
    <fieldset
      class={error ? 'field-group field-error' : 'field-group'}
      aria-describedby={described(props.id, props.hint, error)}
    >
      <legend>{props.label}</legend>
      <HintAndError id={props.id} hint={props.hint} error={error} />
      {props.options.map((o, i) => {
        const id = i === 0 ? props.id : `${props.id}-${o.value}`
        return (
          <div class="checkbox">
            <input
              id={id}
              name={props.id}
              type={props.type}
              value={o.value}
              checked={props.checked.includes(o.value)}
            />
            <label for={id} lang={o.lang}>
              {o.label}
            </label>
          </div>
        )
      })}
    </fieldset>
  )
}

/** A single yes/no checkbox with its label (value "on"). */
export function Toggle(props: { id: string; label: string; checked: boolean; errors: FormError[] }) {
  const error = props.errors.find((e) => e.field === props.id)
  return (
    <div class={error ? 'field-group field-error' : 'field-group'}>
      {error && (
        <p class="error-message" id={`${props.id}-error`}>
          {error.message}
        </p>
      )}
      <div class="checkbox">
        <input
          id={props.id}
          name={props.id}
          type="checkbox"
          value="on"
          checked={props.checked}
          aria-describedby={error ? `${props.id}-error` : undefined}
        />
        <label for={props.id}>{props.label}</label>
      </div>
    </div>
  )
}
