import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { Db } from '../../platform/db/index.ts'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { FormError } from '../../platform/ui/forms.tsx'
import { searchVenues, type VenueChoice } from '../cities/index.ts'
import { organizationVenueIds } from '../organizations/index.ts'
import { type FormValues, text } from './form-values.ts'

/** The buttons of the venue search: both re-render the form with every value kept, saving nothing. */
export const VENUE_INTENTS = new Set(['find-venue', 'all-venues'])

/** The form's values after a venue search button: "Show all venues" empties the search. */
export function afterVenueSearch(values: FormValues, intent: string): FormValues {
  return intent === 'all-venues' ? { ...values, venueQuery: '' } : values
}

/** What the venue picker shows: the city's venues (narrowed by the search) and the provider's own. */
export interface VenuePickerData {
  query: string
  venues: VenueChoice[]
  ownIds: number[]
}

/** The search as typed, within bounds: at most 100 characters and 8 words. */
function searchWords(values: FormValues) {
  const words = text(values, 'venueQuery').trim().slice(0, 100).split(/\s+/).filter(Boolean).slice(0, 8)
  return { query: words.join(' '), words }
}

/** Loads the picker for a form: the chosen venue stays in the list even when the search leaves it out. */
export async function loadVenuePicker(
  db: Db,
  cityId: number,
  organizationId: number,
  values: FormValues,
): Promise<VenuePickerData> {
  const { query, words } = searchWords(values)
  const chosen = Number(text(values, 'venueId'))
  const keep = Number.isSafeInteger(chosen) && chosen > 0 ? [chosen] : []
  const venues = await searchVenues(db, cityId, { words, keep })
  const ownIds = await organizationVenueIds(db, cityId, organizationId)
  return { query, venues, ownIds }
}

export interface VenueOptionGroup {
  /** The district's name; absent for the provider's own venues and for venues outside any district. */
  label: string
  labelLang?: string
  kind: 'own' | 'district' | 'elsewhere'
  options: { value: string; label: string; lang: string }[]
}

/**
 * The provider's own venues first, then the others grouped by district (by name in the reader's
 * language), then venues outside any district; venues by name within each group.
 */
export function venueGroups(
  venues: readonly VenueChoice[],
  ownIds: readonly number[],
  lang: string,
  defaultLanguage: string,
  labels: { own: string; elsewhere: string },
): VenueOptionGroup[] {
  const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true })
  const own = new Set(ownIds)
  const option = (v: VenueChoice) => {
    const name = translated(v.name, lang, [defaultLanguage])
    return { value: String(v.id), label: `${name.text} · ${v.address}`, lang: name.lang }
  }
  const byLabel = (a: { label: string }, b: { label: string }) => collator.compare(a.label, b.label)
  const districts = new Map<number, VenueOptionGroup>()
  const groups: Record<'own' | 'elsewhere', VenueOptionGroup> = {
    own: { label: labels.own, kind: 'own', options: [] },
    elsewhere: { label: labels.elsewhere, kind: 'elsewhere', options: [] },
  }
  for (const v of venues) {
    let group: VenueOptionGroup | undefined
    if (own.has(v.id)) group = groups.own
    else if (v.districtId === null || v.district === null) group = groups.elsewhere
    else {
      group = districts.get(v.districtId)
      if (!group) {
        const name = translated(v.district, lang, [defaultLanguage])
        group = { label: name.text, labelLang: name.lang, kind: 'district', options: [] }
        districts.set(v.districtId, group)
      }
    }
    group.options.push(option(v))
  }
  const all = [groups.own, ...[...districts.values()].sort(byLabel), groups.elsewhere]
  for (const g of all) g.options.sort(byLabel)
  return all.filter((g) => g.options.length > 0)
}

interface PickerProps {
  c: Context<AppEnv>
  /** The form's address: the search buttons post to it and come back to the list. */
  action: string
  values: FormValues
  errors: FormError[]
  picker: VenuePickerData
  defaultLanguage: string
}

/**
 * The venue field: a search box whose button re-renders the form with the list narrowed (no
 * JavaScript needed, nothing typed is lost), and a select with the provider's venues first, then
 * every district as an <optgroup>. With JavaScript the list also narrows as one types.
 */
export function VenuePicker(props: PickerProps) {
  const { t, lang, secureHeadersNonce } = props.c.var
  const k = (key: string, v?: Record<string, string | number>) => t(`opportunities.provide.${key}`, v)
  const { picker, errors } = props
  const groups = venueGroups(picker.venues, picker.ownIds, lang, props.defaultLanguage, {
    own: k('venue.own'),
    elsewhere: k('venue.elsewhere'),
  })
  const matched = picker.venues.filter((v) => v.matched).length
  const status = picker.query
    ? k('venue.matches', { count: matched, query: picker.query })
    : k('venue.all', { count: matched })
  const value = text(props.values, 'venueId')
  const error = errors.find((e) => e.field === 'venueId')
  const back = `${props.action}#venueId-status`
  return (
    <div class="venue-picker">
      <div class="field">
        <label for="venueQuery">{k('field.venueQuery')}</label>
        <p class="hint" id="venueQuery-hint">
          {k('hint.venueQuery')}
        </p>
        <input
          id="venueQuery"
          name="venueQuery"
          type="search"
          value={picker.query}
          dir="auto"
          autocomplete="off"
          enterkeyhint="search"
          aria-describedby="venueQuery-hint"
          aria-controls="venueId"
        />{' '}
        <button type="submit" name="intent" value="find-venue" formaction={back} class="button secondary">
          {k('venue.find')}
        </button>
        {picker.query && (
          <>
            {' '}
            <button type="submit" name="intent" value="all-venues" formaction={back} class="button secondary">
              {k('venue.showAll')}
            </button>
          </>
        )}
      </div>
      <div class={error ? 'field field-error' : 'field'}>
        <label for="venueId">{k('field.venueId')}</label>
        <p class="hint" id="venueId-hint">
          {k('hint.venueId')} {k('hint.venueGroups')}
        </p>
        {error && (
          <p class="error-message" id="venueId-error">
            {error.message}
          </p>
        )}
        <p class="hint" id="venueId-status" role="status" data-shown={k('venue.shown', { count: '#' })}>
          {status}
        </p>
        <select
          id="venueId"
          name="venueId"
          aria-describedby={['venueId-hint', error ? 'venueId-error' : '', 'venueId-status']
            .filter(Boolean)
            .join(' ')}
          aria-invalid={error ? 'true' : undefined}
        >
          <option value="" selected={value === ''}>
            {k('venue.none')}
          </option>
          {groups.map((g) => (
            <optgroup
              label={g.label}
              lang={g.labelLang === lang ? undefined : g.labelLang}
              data-kind={g.kind}
            >
              {g.options.map((o) => (
                <option
                  value={o.value}
                  lang={o.lang === lang ? undefined : o.lang}
                  selected={o.value === value}
                >
                  {o.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <script nonce={secureHeadersNonce}>{raw(FILTER_SCRIPT)}</script>
    </div>
  )
}

/**
 * Filter-as-you-type for the venue list, for browsers with JavaScript. Options that do not contain
 * every typed word are taken out of the list (hidden options are not honoured by every browser) and
 * put back in their place when they match again; the chosen option is never taken out, so the
 * choice cannot change behind the person's back. The number of venues shown is announced through
 * the status line (role="status") once typing pauses. Enter filters instead of posting the form.
 */
const FILTER_SCRIPT = `(() => {
  const input = document.getElementById('venueQuery')
  const select = document.getElementById('venueId')
  const status = document.getElementById('venueId-status')
  if (!input || !select || !status) return
  const lang = document.documentElement.lang
  const fold = (s) => s.toLocaleLowerCase(lang).normalize('NFD').replace(/\\p{M}/gu, '')
  const items = [...select.children].map((node) => ({
    node,
    options: node.tagName === 'OPTGROUP' ? [...node.children] : [],
    // A district's name finds its venues; the labels of the other groups are not searched.
    text: node.dataset.kind === 'district' ? fold(node.label) : '',
  }))
  const haystack = new Map()
  for (const item of items) for (const o of item.options) haystack.set(o, fold(o.textContent) + ' ' + item.text)
  const number = new Intl.NumberFormat(lang)
  const template = status.dataset.shown || ''
  /** Puts the kept nodes of a parent back in their original order, removes the others. */
  const place = (parent, nodes, kept) => {
    let cursor = null
    for (const node of nodes) {
      if (kept.has(node)) {
        const ref = cursor ? cursor.nextSibling : parent.firstChild
        if (node !== ref) parent.insertBefore(node, ref)
        cursor = node
      } else if (node.parentNode === parent) node.remove()
    }
  }
  let timer = 0
  let last = fold(input.value).trim()
  const apply = (announce) => {
    const words = fold(input.value).split(/\\s+/).filter(Boolean)
    const keptItems = new Set()
    let shown = 0
    for (const item of items) {
      if (item.options.length === 0) {
        keptItems.add(item.node)
        continue
      }
      const matching = new Set(item.options.filter((o) => words.every((w) => haystack.get(o).includes(w))))
      const kept = new Set(item.options.filter((o) => o.selected || matching.has(o)))
      place(item.node, item.options, kept)
      // Like the server's count: the chosen venue stays in the list but counts only when it matches.
      shown += matching.size
      if (kept.size > 0) keptItems.add(item.node)
    }
    place(select, items.map((item) => item.node), keptItems)
    clearTimeout(timer)
    if (announce) status.textContent = template.replace('#', number.format(shown))
    else timer = setTimeout(() => { status.textContent = template.replace('#', number.format(shown)) }, 600)
  }
  input.addEventListener('input', () => {
    const now = fold(input.value).trim()
    if (now === last) return
    last = now
    apply(false)
  })
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing) return
    event.preventDefault()
    apply(true)
  })
})()
`
