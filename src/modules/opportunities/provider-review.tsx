import { translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { ErrorSummary, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { requireCityRole } from '../accounts/index.ts'
import { cityScope, currentCity } from '../cities/index.ts'
import { listOrganizations } from '../organizations/index.ts'
import { transition } from './opportunities.ts'
import { actorOf, type C, DoneNotice, formatWhen, noteOf, requireTenant } from './provider-shared.tsx'
import * as repo from './repository.ts'

/** The queue: submitted opportunities oldest first, each with preview, publish and return-with-note. */
async function queuePage(
  c: C,
  platform: Platform,
  errors: FormError[] = [],
  notes: Record<number, string> = {},
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const k = (key: string, v?: Record<string, string>) => t(`opportunities.provide.review.${key}`, v)
  const submitted = await repo.listByStatus(platform.db, city.id, 'submitted', 200)
  const orgs = new Map((await listOrganizations(platform.db, city.id)).map((o) => [o.id, o]))
  const base = `/${lang}/${city.slug}/admin/review`
  return page(
    c,
    { title: k('title'), status: errors.length > 0 ? 400 : 200 },
    <>
      <ErrorSummary errors={errors} t={t} />
      <DoneNotice c={c} />
      <h1>{k('title')}</h1>
      <p>{k('intro')}</p>
      {submitted.length === 0 ? (
        <p>{k('empty')}</p>
      ) : (
        submitted.map((o) => {
          const title = translated(o.title, lang, [city.defaultLanguage])
          const org = translated(orgs.get(o.organizationId)?.name, lang, [city.defaultLanguage])
          const noteId = `note-${o.id}`
          const error = errors.find((e) => e.field === noteId)
          return (
            <article class="card" aria-labelledby={`review-${o.id}`}>
              <h2 id={`review-${o.id}`} lang={title.lang}>
                {title.text}
              </h2>
              <p>
                {k('by')} <span lang={org.lang}>{org.text}</span> · {formatWhen(c, o.updatedAt)}
              </p>
              <p>
                <a href={`/${lang}/${city.slug}/opportunities/${o.id}`}>
                  {k('preview')}
                  <span class="visually-hidden">: {title.text}</span>
                </a>
              </p>
              <Form action={`${base}/${o.id}`} csrf={csrfToken}>
                <input type="hidden" name="decision" value="publish" />
                <button type="submit" class="button">
                  {k('publish')}
                  <span class="visually-hidden">: {title.text}</span>
                </button>
              </Form>
              <Form action={`${base}/${o.id}`} csrf={csrfToken} novalidate>
                <input type="hidden" name="decision" value="return" />
                <div class={error ? 'field field-error' : 'field'}>
                  <label for={noteId}>{k('note')}</label>
                  <p class="hint" id={`${noteId}-hint`}>
                    {k('noteHint')}
                  </p>
                  {error && (
                    <p class="error-message" id={`${noteId}-error`}>
                      {error.message}
                    </p>
                  )}
                  <textarea
                    id={noteId}
                    name="note"
                    rows={3}
                    cols={50}
                    dir="auto"
                    aria-describedby={error ? `${noteId}-hint ${noteId}-error` : `${noteId}-hint`}
                    aria-invalid={error ? 'true' : undefined}
                  >
                    {notes[o.id] ?? ''}
                  </textarea>
                </div>
                <button type="submit" class="button secondary">
                  {k('return')}
                  <span class="visually-hidden">: {title.text}</span>
                </button>
              </Form>
            </article>
          )
        })
      )}
    </>,
  )
}

/** The coordinator review queue of a city. */
export function reviewRoutes(app: App, platform: Platform, base: string): void {
  app.use(base, cityScope(platform), requireTenant, requireCityRole(platform, 'coordinator'))
  app.use(`${base}/*`, cityScope(platform), requireTenant, requireCityRole(platform, 'coordinator'))
  app.get(base, (c) => queuePage(c, platform))
  app.post(`${base}/:id{[0-9]+}`, async (c) => {
    const body = await c.req.parseBody()
    const id = Number(c.req.param('id'))
    const decision = body.decision
    const note = noteOf(body.note)
    if ((decision !== 'publish' && decision !== 'return') || note === false) return c.var.renderError(400)
    if (decision === 'return' && !note) {
      const errors = [{ field: `note-${id}`, message: c.var.t('opportunities.provide.review.noteRequired') }]
      return queuePage(c, platform, errors)
    }
    const actor = await actorOf(c, platform)
    const result = await transition(platform, actor, id, decision, note)
    if (!result.ok && result.error !== 'not-allowed')
      return c.var.renderError(result.error === 'forbidden' ? 403 : 404)
    const done = !result.ok ? 'notAllowed' : decision === 'return' ? 'returned' : 'published'
    return c.redirect(`/${c.var.lang}/${currentCity(c).slug}/admin/review?done=${done}`, 303)
  })
}
