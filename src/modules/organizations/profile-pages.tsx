import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { ErrorSummary, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity, listVenues } from '../cities/index.ts'
import { cityContext, currentOrganization } from './access.ts'
import { addVenue, editProfile, registerOrganization, removeVenue } from './organizations.ts'
import * as repo from './repository.ts'
import { formErrors, formValues, manageNav, ProfileForm, profileValues, Select } from './views.tsx'

type C = Context<AppEnv>

/** The registration form for a new provider. */
export function registerPage(c: C, values: Record<string, string> = {}, errors: FormError[] = []) {
  const { t, lang } = c.var
  const city = currentCity(c)
  return page(
    c,
    { title: t('organizations.register.title'), status: errors.length ? 400 : 200 },
    <>
      <h1>{t('organizations.register.title')}</h1>
      <p>{t('organizations.register.intro')}</p>
      <ProfileForm
        c={c}
        action={`/${lang}/${city.slug}/providers/new`}
        languages={city.languages}
        values={values}
        errors={errors}
        submit={t('organizations.register.submit')}
      />
    </>,
  )
}

/** Registers the provider and shows its (pending) page to its new admin. */
export async function registerSubmit(c: C, platform: Platform) {
  const body = await c.req.parseBody()
  const result = await registerOrganization(platform, cityContext(c), c.var.viewer!.id, body)
  if (!result.ok) return registerPage(c, formValues(body), formErrors(c.var.t, result.fields))
  return c.redirect(`/${c.var.lang}/${c.var.tenant!.slug}/providers/${result.value.slug}?registered=1`, 303)
}

/** The profile editor with the venues the provider uses. */
export async function editPage(
  c: C,
  platform: Platform,
  values?: Record<string, string>,
  errors: FormError[] = [],
  venueErrors: FormError[] = [],
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const org = currentOrganization(c)
  const base = `/${lang}/${city.slug}/providers/${org.slug}`
  const chosen = await repo.venueIdsOf(platform.db, city.id, org.id)
  const venues = await listVenues(platform.db, city.id)
  const label = (v: (typeof venues)[number]) =>
    `${translated(v.name, lang, [city.defaultLanguage]).text} (${v.address})`
  const title = t('organizations.edit.title')
  return page(
    c,
    { title, nav: manageNav(c, org.slug), status: errors.length || venueErrors.length ? 400 : 200 },
    <>
      {c.req.query('saved') === '1' && (
        <p class="notice" role="status">
          {t('organizations.edit.saved')}
        </p>
      )}
      <h1>{title}</h1>
      <ProfileForm
        c={c}
        action={`${base}/edit`}
        languages={city.languages}
        values={values ?? profileValues(org)}
        errors={errors}
        submit={t('organizations.edit.submit')}
      />
      <h2>{t('organizations.venues.title')}</h2>
      <p>{t('organizations.venues.intro')}</p>
      {chosen.length === 0 ? (
        <p>{t('organizations.venues.none')}</p>
      ) : (
        <ul>
          {venues
            .filter((v) => chosen.includes(v.id))
            .map((v) => (
              <li>
                <span dir="auto">{label(v)}</span>{' '}
                <form method="post" action={`${base}/venues/${v.id}/remove`} class="inline-form">
                  <input type="hidden" name="_csrf" value={csrfToken} />
                  <button type="submit" class="link-button">
                    {t('organizations.venues.remove', { venue: label(v) })}
                  </button>
                </form>
              </li>
            ))}
        </ul>
      )}
      <ErrorSummary errors={venueErrors} t={t} />
      <Form action={`${base}/venues`} csrf={csrfToken}>
        <Select
          name="venue"
          label={t('organizations.venues.add')}
          options={venues
            .filter((v) => !chosen.includes(v.id))
            .map((v) => ({ value: String(v.id), label: label(v) }))}
          errors={venueErrors}
        />
        <button type="submit" class="button secondary">
          {t('organizations.venues.addButton')}
        </button>
      </Form>
    </>,
  )
}

/** Saves the profile or shows the form again with every problem. */
export async function editSubmit(c: C, platform: Platform) {
  const body = await c.req.parseBody()
  const org = currentOrganization(c)
  const result = await editProfile(platform, cityContext(c), org.id, c.var.viewer!.id, body)
  if (!result.ok) return editPage(c, platform, formValues(body), formErrors(c.var.t, result.fields))
  return c.redirect(`/${c.var.lang}/${c.var.tenant!.slug}/providers/${org.slug}/edit?saved=1`, 303)
}

/** Adds a venue of this city to the profile. */
export async function addVenueSubmit(c: C, platform: Platform) {
  const body = await c.req.parseBody()
  const org = currentOrganization(c)
  const venueId = Number(typeof body.venue === 'string' ? body.venue : Number.NaN)
  const result = Number.isSafeInteger(venueId)
    ? await addVenue(platform, c.var.tenant!.id, org.id, c.var.viewer!.id, venueId)
    : { ok: false as const, fields: [{ field: 'venue', key: 'errors.venue' }] }
  if (!result.ok) return editPage(c, platform, undefined, [], formErrors(c.var.t, result.fields))
  return c.redirect(`/${c.var.lang}/${c.var.tenant!.slug}/providers/${org.slug}/edit?saved=1`, 303)
}

/** Takes a venue off the profile. */
export async function removeVenueSubmit(c: C, platform: Platform) {
  const org = currentOrganization(c)
  await removeVenue(platform, c.var.tenant!.id, org.id, c.var.viewer!.id, Number(c.req.param('venue')))
  return c.redirect(`/${c.var.lang}/${c.var.tenant!.slug}/providers/${org.slug}/edit?saved=1`, 303)
}
