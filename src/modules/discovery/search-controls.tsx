import type { Facet } from './scope.ts'

/** The values a parameter carries as typed (repeated or comma-separated), to refill the form. */
export function given(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

export interface Option {
  value: string
  label: string
  lang?: string
}

/** A list filter as checkboxes, each with how many results picking it would show. */
export function CheckboxFilter(props: {
  name: Facet | 'time' | 'day'
  legend: string
  options: Option[]
  selected: string[]
  counts?: Map<string, number>
  open?: boolean
}) {
  const { name, selected, counts } = props
  if (props.options.length === 0) return null
  const isOpen = props.open || selected.length > 0
  return (
    <details class="filter" open={isOpen}>
      <summary>{props.legend}</summary>
      <fieldset id={`filter-${name}`}>
        <legend class="visually-hidden">{props.legend}</legend>
        {props.options.map((o) => {
          const id = `${name}-${o.value}`
          const n = counts?.get(o.value) ?? 0
          return (
            <div class="field checkbox">
              <input
                id={id}
                name={name}
                type="checkbox"
                value={o.value}
                checked={selected.includes(o.value)}
              />
              <label for={id}>
                <span lang={o.lang}>{o.label}</span>
                {counts && (
                  <span class="count" data-count={id}>
                    {' '}
                    ({n})
                  </span>
                )}
              </label>
            </div>
          )
        })}
      </fieldset>
    </details>
  )
}

/** The options of a list: its fixed values, or those with results (and the ones picked) for open lists. */
export function optionsOf(values: readonly string[], label: (v: string) => string): Option[] {
  return values.map((value) => ({ value, label: label(value) }))
}
