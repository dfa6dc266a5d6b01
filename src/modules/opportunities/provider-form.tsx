import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { Choices, TextArea, TextInput, Toggle } from '../../platform/ui/controls.tsx'
import { Form, type FormError } from '../../platform/ui/forms.tsx'
import { type FormValues, list, text, WEEKDAYS } from './form-values.ts'
import { ACCESSIBILITY, AUDIENCE_GROUPS, BUILDING_BLOCKS, FORMATS } from './model.ts'
import { VenuePicker, type VenuePickerData } from './provider-venues.tsx'

interface FormProps {
  c: Context<AppEnv>
  action: string
  values: FormValues
  errors: FormError[]
  /** The city's languages: one title, description… field each. */
  languages: readonly string[]
  /** The venues to choose from: the provider's own first, then by district, narrowed by the search. */
  venues: VenuePickerData
  defaultLanguage: string
}

/** Weekday names in the reader's language, Monday first (2024-01-01 was a Monday). */
function weekdayNames(lang: string): string[] {
  const format = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' })
  return WEEKDAYS.map((_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))))
}

/** The publishing form: every field of an opportunity, with values kept and errors beside each field. */
export function OpportunityForm(props: FormProps) {
  const { t, lang, formToken } = props.c.var
  const csrfToken = formToken()
  const { values, errors } = props
  const k = (key: string, v?: Record<string, string>) => t(`opportunities.provide.${key}`, v)
  const names = new Intl.DisplayNames([lang], { type: 'language' })
  const perLanguage = (field: string, multiline: boolean, rows = 4) =>
    props.languages.map((l) => {
      const common = {
        id: `${field}-${l}`,
        label: k(`field.${field}In`, { language: names.of(l) ?? l }),
        hint: l === props.languages[0] ? k(`hint.${field}`) : undefined,
        errors,
        value: text(values, `${field}-${l}`),
        lang: l,
        dir: 'auto' as const,
      }
      return multiline ? <TextArea {...common} rows={rows} /> : <TextInput {...common} />
    })
  const input = (id: string, extra: Partial<Parameters<typeof TextInput>[0]> = {}) => (
    <TextInput id={id} label={k(`field.${id}`)} errors={errors} value={text(values, id)} {...extra} />
  )
  const advancedOpen =
    ['rrule', 'rdates', 'exdates'].some((f) => text(values, f).trim() !== '') ||
    errors.some((e) => ['rrule', 'rdates', 'exdates'].includes(e.field))
  const days = weekdayNames(lang)
  return (
    <Form action={props.action} csrf={csrfToken} novalidate>
      <h2>{k('section.about')}</h2>
      {perLanguage('title', false)}
      {perLanguage('description', true, 8)}
      {perLanguage('outcomes', true)}
      <Choices
        id="buildingBlock"
        type="radio"
        label={k('field.buildingBlock')}
        hint={k('hint.buildingBlock')}
        errors={errors}
        options={BUILDING_BLOCKS.map((b) => ({ value: b, label: t(`opportunities.block.${b}`) }))}
        checked={[text(values, 'buildingBlock')]}
      />
      {input('topics', { hint: k('hint.topics'), dir: 'auto' })}
      {input('externalId', { hint: k('hint.externalId'), dir: 'ltr' })}
      <h2>{k('section.who')}</h2>
      {input('ageMin', { hint: k('hint.ages'), type: 'number', inputmode: 'numeric' })}
      {input('ageMax', { type: 'number', inputmode: 'numeric' })}
      <Choices
        id="groups"
        type="checkbox"
        label={k('field.groups')}
        hint={k('hint.groups')}
        errors={errors}
        options={AUDIENCE_GROUPS.map((g) => ({ value: g, label: k(`group.${g}`) }))}
        checked={list(values, 'groups')}
      />
      {input('languages', { hint: k('hint.languages'), dir: 'ltr' })}
      <h2>{k('section.where')}</h2>
      <Choices
        id="format"
        type="radio"
        label={k('field.format')}
        errors={errors}
        options={FORMATS.map((f) => ({ value: f, label: k(`format.${f}`) }))}
        checked={[text(values, 'format')]}
      />
      <VenuePicker
        c={props.c}
        action={props.action}
        values={values}
        errors={errors}
        picker={props.venues}
        defaultLanguage={props.defaultLanguage}
      />
      {input('address', { hint: k('hint.address'), dir: 'auto', autocomplete: 'street-address' })}
      {input('lat', { hint: k('hint.latLon'), inputmode: 'decimal', dir: 'ltr' })}
      {input('lon', { inputmode: 'decimal', dir: 'ltr' })}
      {input('joinUrl', { hint: k('hint.joinUrl'), type: 'url', dir: 'ltr' })}
      <h2>{k('section.when')}</h2>
      <Choices
        id="scheduleKind"
        type="radio"
        label={k('field.scheduleKind')}
        errors={errors}
        options={['once', 'series', 'self-paced'].map((v) => ({ value: v, label: k(`kind.${v}`) }))}
        checked={[text(values, 'scheduleKind')]}
      />
      {input('start', { hint: k('hint.start'), type: 'datetime-local', dir: 'ltr' })}
      {input('durationMinutes', { hint: k('hint.durationMinutes'), type: 'number', inputmode: 'numeric' })}
      <h3>{k('section.repeat')}</h3>
      <p class="hint">{k('hint.repeat')}</p>
      <Choices
        id="frequency"
        type="radio"
        label={k('field.frequency')}
        errors={errors}
        options={['weekly', 'monthly', 'none'].map((v) => ({ value: v, label: k(`frequency.${v}`) }))}
        checked={[text(values, 'frequency')]}
      />
      <Choices
        id="weekdays"
        type="checkbox"
        label={k('field.weekdays')}
        hint={k('hint.weekdays')}
        errors={errors}
        options={WEEKDAYS.map((d, i) => ({ value: d, label: days[i]! }))}
        checked={list(values, 'weekdays')}
      />
      {input('count', { hint: k('hint.count'), type: 'number', inputmode: 'numeric' })}
      {input('until', { hint: k('hint.until'), type: 'date', dir: 'ltr' })}
      <details open={advancedOpen}>
        <summary>{k('section.advanced')}</summary>
        <TextArea
          id="rrule"
          label={k('field.rrule')}
          hint={k('hint.rrule')}
          errors={errors}
          value={text(values, 'rrule')}
          rows={2}
          dir="ltr"
        />
        <TextArea
          id="rdates"
          label={k('field.rdates')}
          hint={k('hint.rdates')}
          errors={errors}
          value={text(values, 'rdates')}
          dir="ltr"
        />
        <TextArea
          id="exdates"
          label={k('field.exdates')}
          hint={k('hint.exdates')}
          errors={errors}
          value={text(values, 'exdates')}
          dir="ltr"
        />
      </details>
      <h2>{k('section.cost')}</h2>
      <Toggle id="free" label={k('field.free')} checked={text(values, 'free') === 'on'} errors={errors} />
      {input('price', { hint: k('hint.price'), inputmode: 'decimal', dir: 'ltr' })}
      {input('currency', { hint: k('hint.currency'), dir: 'ltr' })}
      {input('concessions', { hint: k('hint.concessions'), dir: 'auto' })}
      <Toggle
        id="financialHelp"
        label={k('field.financialHelp')}
        checked={text(values, 'financialHelp') === 'on'}
        errors={errors}
      />
      <h2>{k('section.access')}</h2>
      <Choices
        id="accessibility"
        type="checkbox"
        label={k('field.accessibility')}
        hint={k('hint.accessibility')}
        errors={errors}
        options={ACCESSIBILITY.map((a) => ({ value: a, label: t(`opportunities.access.${a}`) }))}
        checked={list(values, 'accessibility')}
      />
      <TextArea
        id="accessibilityNote"
        label={k('field.accessibilityNote')}
        errors={errors}
        value={text(values, 'accessibilityNote')}
        dir="auto"
      />
      {input('capacity', { hint: k('hint.capacity'), type: 'number', inputmode: 'numeric' })}
      <h2>{k('section.picture')}</h2>
      {input('imageUrl', { hint: k('hint.imageUrl'), dir: 'ltr' })}
      {perLanguage('imageAlt', false)}
      <h2>{k('section.contact')}</h2>
      {input('contactEmail', { type: 'email', dir: 'ltr', autocomplete: 'email' })}
      {input('contactPhone', { type: 'tel', dir: 'ltr', autocomplete: 'tel' })}
      <p class="hint">{k('hint.buttons')}</p>
      <button type="submit" name="intent" value="preview" class="button secondary">
        {k('button.preview')}
      </button>{' '}
      <button type="submit" name="intent" value="draft" class="button secondary">
        {k('button.draft')}
      </button>{' '}
      <button type="submit" name="intent" value="publish" class="button">
        {k('button.publish')}
      </button>
    </Form>
  )
}
