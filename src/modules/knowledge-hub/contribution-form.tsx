import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANGUAGE_NAMES, LANGUAGES, type T } from '../../platform/i18n/index.ts'
import { Choices, Select, TextArea, TextInput, Toggle } from '../../platform/ui/controls.tsx'
import { Form, type FormError } from '../../platform/ui/forms.tsx'
import { type ContributionValues, type FieldIssue, list, text } from './contribution-input.ts'
import { HONEYPOT_FIELD } from './contributions.ts'
import { RESOURCE_TYPES, TOPICS } from './model.ts'

/** Field ids in form order, so the error summary reads top to bottom. */
const ORDER = [
  'textLanguage',
  'title',
  'summary',
  'links',
  'type',
  'publisher',
  'year',
  'languages',
  'topics',
  'scope',
  'creditName',
  'reason',
]

/** One message per field problem, in the reader's language and in the order of the form. */
export function contributionErrors(fields: FieldIssue[], t: T): FormError[] {
  return [...fields]
    .sort((a, b) => ORDER.indexOf(a.field) - ORDER.indexOf(b.field))
    .map((f) => ({ field: f.field, message: t(`knowledge-hub.contribute.errors.${f.key}`) }))
}

/** The resource fields, shared by the contribution form and the curator's edit form. */
export function ResourceFields(props: { t: T; values: ContributionValues; errors: FormError[] }) {
  const { t, values, errors } = props
  const k = (key: string) => t(`knowledge-hub.contribute.${key}`)
  return (
    <>
      <Select
        id="textLanguage"
        label={k('field.textLanguage')}
        hint={k('hint.textLanguage')}
        errors={errors}
        value={text(values, 'textLanguage')}
        options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      />
      <TextInput
        id="title"
        label={k('field.title')}
        errors={errors}
        value={text(values, 'title')}
        dir="auto"
      />
      <TextArea
        id="summary"
        label={k('field.summary')}
        hint={k('hint.summary')}
        errors={errors}
        value={text(values, 'summary')}
        rows={6}
      />
      <TextArea
        id="links"
        label={k('field.links')}
        hint={k('hint.links')}
        errors={errors}
        value={text(values, 'links')}
        rows={3}
        dir="ltr"
      />
      <Select
        id="type"
        label={k('field.type')}
        errors={errors}
        value={text(values, 'type')}
        options={[
          { value: '', label: k('field.typeChoose') },
          ...RESOURCE_TYPES.map((r) => ({ value: r, label: t(`knowledge-hub.type.${r}`) })),
        ]}
      />
      <TextInput
        id="publisher"
        label={k('field.publisher')}
        errors={errors}
        value={text(values, 'publisher')}
        dir="auto"
      />
      <TextInput
        id="year"
        label={k('field.year')}
        hint={k('hint.year')}
        errors={errors}
        value={text(values, 'year')}
        inputmode="numeric"
        dir="ltr"
      />
      <Choices
        id="languages"
        type="checkbox"
        label={k('field.languages')}
        hint={k('hint.languages')}
        errors={errors}
        options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l], lang: l }))}
        checked={list(values, 'languages')}
      />
      <Choices
        id="topics"
        type="checkbox"
        label={k('field.topics')}
        errors={errors}
        options={TOPICS.map((topic) => ({ value: topic, label: t(`knowledge-hub.topic.${topic}`) }))}
        checked={list(values, 'topics')}
      />
    </>
  )
}

/** The contribution form: resource fields, scope, credit, and the trap field robots fill in. */
export function ContributionForm(props: {
  c: Context<AppEnv>
  action: string
  values: ContributionValues
  errors: FormError[]
  /** Ids of the possible duplicates shown: the button now confirms sending anyway. */
  confirming: number[]
}) {
  const { t, formToken } = props.c.var
  const csrfToken = formToken()
  const { values, errors } = props
  const k = (key: string) => t(`knowledge-hub.contribute.${key}`)
  return (
    <Form action={props.action} csrf={csrfToken} novalidate>
      <ResourceFields t={t} values={values} errors={errors} />
      <Choices
        id="scope"
        type="radio"
        label={k('field.scope')}
        hint={k('hint.scope')}
        errors={errors}
        options={[
          { value: 'city', label: k('scope.city') },
          { value: 'network', label: k('scope.network') },
        ]}
        checked={[text(values, 'scope') || 'city']}
      />
      <h2>{k('section.credit')}</h2>
      <Toggle
        id="creditConsent"
        label={k('field.creditConsent')}
        checked={text(values, 'creditConsent') === 'on'}
        errors={errors}
      />
      <TextInput
        id="creditName"
        label={k('field.creditName')}
        hint={k('hint.creditName')}
        errors={errors}
        value={text(values, 'creditName')}
        autocomplete="name"
        dir="auto"
      />
      <div class="hub-trap" aria-hidden="true">
        <label for={HONEYPOT_FIELD}>{k('field.trap')}</label>
        <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabindex={-1} autocomplete="off" />
      </div>
      <p class="hint">{k('hint.review')}</p>
      {props.confirming.length > 0 && (
        <input type="hidden" name="confirmed" value={props.confirming.join(',')} />
      )}
      <button type="submit" class="button">
        {props.confirming.length > 0 ? k('submitAnyway') : k('submit')}
      </button>
    </Form>
  )
}
