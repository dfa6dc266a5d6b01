import { translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ErrorSummary, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity, findVenue } from '../cities/index.ts'
import { findOrganizationById } from '../organizations/index.ts'
import { formErrors } from './form-errors.ts'
import { blankValues, type FormValues, fromRow, readForm, text, toRawInput } from './form-values.ts'
import { scheduleInput } from './model.ts'
import {
  createOpportunity,
  parseOpportunity,
  sessionsFor,
  transition,
  updateOpportunity,
} from './opportunities.ts'
import { OpportunityForm } from './provider-form.tsx'
import { OpportunityPreview } from './provider-preview.tsx'
import { actorOf, type C, editsOrganization, provideBase } from './provider-shared.tsx'
import { afterVenueSearch, loadVenuePicker, VENUE_INTENTS } from './provider-venues.tsx'
import * as repo from './repository.ts'

/** The city's languages, its default first: the form asks for that one first. */
function cityLanguages(city: { defaultLanguage: string; languages: string[] }): string[] {
  return [city.defaultLanguage, ...city.languages.filter((l) => l !== city.defaultLanguage)]
}

interface Editing {
  organizationId: number
  /** The opportunity being edited; absent for a new one. */
  opportunity?: repo.OpportunityRow
}

/** Renders the form page, with the preview above the form when there is one. */
async function formPage(
  c: C,
  platform: Platform,
  editing: Editing,
  values: FormValues,
  errors: FormError[],
  preview?: unknown,
) {
  const { t, lang } = c.var
  const city = currentCity(c)
  const org = await findOrganizationById(platform.db, city.id, editing.organizationId)
  const orgName = translated(org?.name, lang, [city.defaultLanguage]).text
  const title = editing.opportunity
    ? t('opportunities.provide.form.editTitle', {
        title: translated(editing.opportunity.title, lang, [city.defaultLanguage]).text,
      })
    : t('opportunities.provide.form.newTitle', { organization: orgName })
  const action = editing.opportunity
    ? `${provideBase(c)}/opportunities/${editing.opportunity.id}/edit`
    : `${provideBase(c)}/${editing.organizationId}/new`
  const venues = await loadVenuePicker(platform.db, city.id, editing.organizationId, values)
  return page(
    c,
    { title, status: errors.length > 0 ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      <p>
        <a href={provideBase(c)}>{t('opportunities.provide.backToDashboard')}</a>
      </p>
      <h1 dir="auto">{title}</h1>
      <p>{t('opportunities.provide.form.intro')}</p>
      {preview}
      <OpportunityForm
        c={c}
        action={action}
        values={values}
        errors={errors}
        languages={cityLanguages(city)}
        venues={venues}
        defaultLanguage={city.defaultLanguage}
      />
    </>,
  )
}

/** Validates without saving and renders the opportunity as residents will see it, above the form. */
async function previewOf(c: C, platform: Platform, organizationId: number, values: FormValues) {
  const city = currentCity(c)
  const parsed = parseOpportunity(toRawInput(values, cityLanguages(city)))
  if (!parsed.ok) return parsed
  const input = parsed.value
  let venueAddress: string | null = null
  if (input.venueId !== null) {
    const venue = await findVenue(platform.db, city.id, input.venueId)
    if (!venue) return { ok: false as const, fields: [{ field: '/venueId', detail: 'No such venue' }] }
    venueAddress = venue.address
  }
  const sessions = sessionsFor(input.schedule, city.timeZone)
  if (!sessions.ok) return sessions
  const org = await findOrganizationById(platform.db, city.id, organizationId)
  return {
    ok: true as const,
    value: (
      <OpportunityPreview
        c={c}
        input={input}
        sessions={sessions.value}
        organizationName={translated(org?.name, c.var.lang, [city.defaultLanguage])}
        venueAddress={venueAddress}
        timeZone={city.timeZone}
        defaultLanguage={city.defaultLanguage}
      />
    ),
  }
}

type Problems = { field: string; detail: string }[] | undefined

/**
 * The form's errors in the reader's language. The schedule's rule is read only once the whole input
 * parses, so when other fields fail it is checked here too: the provider sees every problem at once.
 */
function errorsOf(c: C, values: FormValues, fields: Problems) {
  const city = currentCity(c)
  const languages = cityLanguages(city)
  let all = fields ?? []
  if (!all.some((f) => f.field.startsWith('/schedule'))) {
    const schedule = scheduleInput.safeParse(toRawInput(values, languages).schedule)
    const sessions = schedule.success ? sessionsFor(schedule.data, city.timeZone) : undefined
    if (sessions && !sessions.ok) all = [...all, ...sessions.fields]
  }
  return formErrors(all, values, languages, c.var.t, c.var.lang)
}

async function posted(c: C) {
  const values = readForm(await c.req.parseBody({ all: true }))
  const intent = text(values, 'intent')
  delete values.intent
  return { values, intent }
}

/** After "Save and publish" on an existing opportunity: publish when allowed, else submit for review. */
async function publishOrSubmit(c: C, platform: Platform, row: repo.OpportunityRow): Promise<string> {
  const actor = await actorOf(c, platform)
  const published = await transition(platform, actor, row.id, 'publish')
  if (published.ok) return published.value
  if (row.status === 'submitted') return 'submitted'
  const submitted = await transition(platform, actor, row.id, 'submit')
  return submitted.ok ? submitted.value : 'notAllowed'
}

/** The publishing form: new and edit, with a preview that saves nothing. */
export function editorRoutes(app: App, platform: Platform, base: string): void {
  app.get(`${base}/:org{[0-9]+}/new`, async (c) => {
    const city = currentCity(c)
    const organizationId = Number(c.req.param('org'))
    const org = await findOrganizationById(platform.db, city.id, organizationId)
    if (!org) return c.var.renderError(404)
    if (!editsOrganization(await actorOf(c, platform), organizationId)) return c.var.renderError(403)
    return formPage(c, platform, { organizationId }, blankValues(city.defaultLanguage), [])
  })

  app.post(`${base}/:org{[0-9]+}/new`, async (c) => {
    const city = currentCity(c)
    const organizationId = Number(c.req.param('org'))
    const org = await findOrganizationById(platform.db, city.id, organizationId)
    if (!org) return c.var.renderError(404)
    const actor = await actorOf(c, platform)
    if (!editsOrganization(actor, organizationId)) return c.var.renderError(403)
    const { values, intent } = await posted(c)
    const editing = { organizationId }
    if (VENUE_INTENTS.has(intent)) return formPage(c, platform, editing, afterVenueSearch(values, intent), [])
    if (intent === 'preview') {
      const preview = await previewOf(c, platform, organizationId, values)
      if (!preview.ok) return formPage(c, platform, editing, values, errorsOf(c, values, preview.fields))
      return formPage(c, platform, editing, values, [], preview.value)
    }
    const raw = toRawInput(values, cityLanguages(city))
    const created = await createOpportunity(platform, actor, organizationId, raw, {
      publish: intent === 'publish',
    })
    if (created.ok) return c.redirect(`${provideBase(c)}?done=${created.value.status}`, 303)
    if (created.error === 'forbidden') return c.var.renderError(403)
    return formPage(c, platform, editing, values, errorsOf(c, values, created.fields))
  })

  async function loadEditable(c: C) {
    const row = await repo.findOpportunity(platform.db, currentCity(c).id, Number(c.req.param('id')))
    if (!row) return { status: 404 as const }
    if (!editsOrganization(await actorOf(c, platform), row.organizationId)) return { status: 403 as const }
    return { row }
  }

  app.get(`${base}/opportunities/:id{[0-9]+}/edit`, async (c) => {
    const found = await loadEditable(c)
    if (!found.row) return c.var.renderError(found.status)
    const editing = { organizationId: found.row.organizationId, opportunity: found.row }
    return formPage(c, platform, editing, fromRow(found.row), [])
  })

  app.post(`${base}/opportunities/:id{[0-9]+}/edit`, async (c) => {
    const found = await loadEditable(c)
    if (!found.row) return c.var.renderError(found.status)
    const { row } = found
    const editing = { organizationId: row.organizationId, opportunity: row }
    const { values, intent } = await posted(c)
    if (VENUE_INTENTS.has(intent)) return formPage(c, platform, editing, afterVenueSearch(values, intent), [])
    if (intent === 'preview') {
      const preview = await previewOf(c, platform, row.organizationId, values)
      if (!preview.ok) return formPage(c, platform, editing, values, errorsOf(c, values, preview.fields))
      return formPage(c, platform, editing, values, [], preview.value)
    }
    const actor = await actorOf(c, platform)
    const updated = await updateOpportunity(
      platform,
      actor,
      row.id,
      toRawInput(values, cityLanguages(currentCity(c))),
    )
    if (!updated.ok) {
      if (updated.error === 'forbidden') return c.var.renderError(403)
      if (updated.error === 'not-found') return c.var.renderError(404)
      return formPage(c, platform, editing, values, errorsOf(c, values, updated.fields))
    }
    const wantsPublish = intent === 'publish' && row.status !== 'published'
    const done = wantsPublish ? await publishOrSubmit(c, platform, row) : 'saved'
    return c.redirect(`${provideBase(c)}?done=${done}`, 303)
  })
}
