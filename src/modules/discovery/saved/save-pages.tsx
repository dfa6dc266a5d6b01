/** Saving a search: the search page's form posts here; guests sign in and come back to a filled-in form. */
import type { Platform } from '../../../platform/module.ts'
import { Choices, TextInput } from '../../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../../platform/ui/forms.tsx'
import { page } from '../../../platform/ui/layout.tsx'
import { currentCity } from '../../cities/index.ts'
import { DIGEST_FREQUENCIES } from '../schema.ts'
import { describeFilters } from './describe.ts'
import { base, type C, errorsOf, fields, k, searchUrl } from './page-parts.ts'
import { findByQuery } from './repository.ts'
import { readQuery, saveSearch, wordingFor } from './saved-searches.ts'

/** The form that saves a search: after signing in, or again when the first try had a problem. */
export async function saveForm(
  c: C,
  platform: Platform,
  values: { query: string; name: string; frequency: string },
  errors: FormError[],
  status?: number,
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const read = readQuery(values.query)
  const words = read.ok
    ? describeFilters(read.filters, await wordingFor(platform.db, city, lang, read.filters))
    : undefined
  const saved =
    read.ok && c.var.viewer
      ? await findByQuery(platform.db, city.id, c.var.viewer.id, read.canonical)
      : undefined
  return page(
    c,
    { title: k(c, 'save.title'), status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <h1>{k(c, 'save.title')}</h1>
      <p id="query">
        {words ? (
          <>
            {k(c, 'save.search')} <strong dir="auto">{words}</strong>{' '}
            <a href={searchUrl(c, read.ok ? read.canonical : '')}>{k(c, 'save.see')}</a>
          </>
        ) : (
          <a href={searchUrl(c, '')}>{k(c, 'save.backToSearch')}</a>
        )}
      </p>
      {saved && (
        <p class="notice">{k(c, 'save.already', { name: saved.name, frequency: saved.frequency })}</p>
      )}
      {read.ok && (
        <Form action={`${base(c)}/saved-searches`} csrf={csrfToken}>
          <input type="hidden" name="query" value={read.canonical} />
          <TextInput
            id="name"
            label={k(c, 'save.name')}
            hint={k(c, 'save.nameHint')}
            errors={errors}
            value={values.name}
            dir="auto"
          />
          <Choices
            id="frequency"
            type="radio"
            label={k(c, 'save.frequency')}
            errors={errors}
            options={DIGEST_FREQUENCIES.map((f) => ({ value: f, label: k(c, `frequency.${f}`) }))}
            checked={[values.frequency === 'daily' ? 'daily' : 'weekly']}
          />
          <button type="submit" class="button">
            {k(c, 'save.submit')}
          </button>
        </Form>
      )}
    </>,
  )
}

/** Saves the search page's "Save this search" form; without an account, signs in first and comes back. */
export async function savePost(c: C, platform: Platform) {
  const field = await fields(c)
  const values = { query: field('query'), name: field('name'), frequency: field('frequency') }
  if (!c.var.viewer) {
    const next = `${base(c)}/saved-searches/new?${new URLSearchParams(values)}`
    return c.redirect(`/${c.var.lang}/account/sign-in?next=${encodeURIComponent(next)}`, 303)
  }
  const result = await saveSearch(platform.db, currentCity(c), {
    userId: c.var.viewer.id,
    language: c.var.lang,
    ...values,
  })
  if (!result.ok) return saveForm(c, platform, values, errorsOf(c, result.problems), 422)
  return c.redirect(`${base(c)}/saved-searches?${result.created ? 'saved' : 'updated'}=${result.id}`, 303)
}
