import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { TextArea } from '../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import { contributionErrors, ResourceFields } from './contribution-form.tsx'
import { type ContributionValues, readValues, text } from './contribution-input.ts'
import { canReview, type Decision, reviewContribution, reviewsIn } from './contributions.ts'
import type { ContributionRow } from './contributions-repository.ts'
import * as repo from './contributions-repository.ts'
import { hubPath } from './paths.ts'

type C = Context<AppEnv>

/** The review queue: contributions of this city (its coordinators) and of the network (network admins). */
export async function queuePage(c: C, platform: Platform) {
  const { t, lang, viewer } = c.var
  const city = currentCity(c)
  const scopes = await reviewsIn(platform, viewer!, city.id)
  if (!scopes.city && !scopes.network) return c.var.renderError(403)
  const waiting = await repo.listSubmitted(platform.db, city.id, scopes)
  const done = c.req.query('done')
  const k = (key: string, v?: Record<string, string | number>) => t(`knowledge-hub.review.${key}`, v)
  return page(
    c,
    { title: k('title') },
    <>
      {done && ['published', 'edited', 'declined'].includes(done) && (
        <p class="notice" role="status">
          {k(`done.${done}`)}
        </p>
      )}
      <h1>{k('title')}</h1>
      <p>{k('intro')}</p>
      <h2>{k('waiting', { count: waiting.length })}</h2>
      {waiting.length === 0 ? (
        <p>{k('empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{k('resource')}</th>
                <th scope="col">{k('scope')}</th>
                <th scope="col">{k('sent')}</th>
              </tr>
            </thead>
            <tbody>
              {waiting.map((r) => {
                const title = translated(r.title, lang, [city.defaultLanguage])
                return (
                  <tr>
                    <td>
                      <a href={`${hubPath(lang, city.slug)}/review/${r.id}`} lang={title.lang} dir="auto">
                        {title.text}
                      </a>
                    </td>
                    <td>{k(r.cityId === null ? 'scopeNetwork' : 'scopeCity')}</td>
                    <td>
                      {new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: city.timeZone }).format(
                        new Date(r.createdAt),
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </>,
  )
}

/** The form values of a stored contribution, in the language it was written in. */
function valuesOf(r: ContributionRow): ContributionValues {
  const textLanguage = Object.keys(r.title)[0] ?? 'en'
  return {
    textLanguage,
    title: r.title[textLanguage] ?? '',
    summary: r.summary[textLanguage] ?? '',
    links: r.links.map((l) => l.url).join('\n'),
    type: r.type,
    publisher: r.publisher,
    year: r.year === null ? '' : String(r.year),
    languages: r.languages,
    topics: r.topics,
  }
}

async function loadForReview(
  c: C,
  platform: Platform,
): Promise<{ ok: true; resource: ContributionRow } | { ok: false; status: 403 | 404 }> {
  const city = currentCity(c)
  const id = Number(c.req.param('id'))
  const resource = Number.isSafeInteger(id) ? await repo.findContribution(platform.db, id) : undefined
  if (!resource || (resource.cityId !== null && resource.cityId !== city.id))
    return { ok: false, status: 404 }
  if (!(await canReview(platform, c.var.viewer!, resource.cityId))) return { ok: false, status: 403 }
  return { ok: true, resource }
}

function renderReview(
  c: C,
  resource: ContributionRow,
  values: ContributionValues,
  errors: FormError[],
  status?: number,
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const city = currentCity(c)
  const k = (key: string, v?: Record<string, string | number>) => t(`knowledge-hub.review.${key}`, v)
  const action = `${hubPath(lang, city.slug)}/review/${resource.id}`
  const title = translated(resource.title, lang)
  return page(
    c,
    { title: k('one', { title: title.text }), status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <p>
        <a href={`${hubPath(lang, city.slug)}/review`}>{k('back')}</a>
      </p>
      <h1>
        {k('heading')}:{' '}
        <span lang={title.lang} dir="auto">
          {title.text}
        </span>
      </h1>
      {resource.status !== 'submitted' ? (
        <p class="notice" role="status">
          {k('already')}
        </p>
      ) : (
        <>
          <dl class="facts">
            <dt>{k('scope')}</dt>
            <dd>{k(resource.cityId === null ? 'scopeNetwork' : 'scopeCity')}</dd>
            <dt>{k('credit')}</dt>
            <dd dir="auto">
              {resource.creditConsent ? k('creditYes', { name: resource.creditName ?? '' }) : k('creditNo')}
            </dd>
            <dt>{k('links')}</dt>
            <dd>
              <ul>
                {resource.links.map((l) => (
                  <li>
                    <a href={l.url} rel="noopener noreferrer nofollow" dir="ltr">
                      {l.url}
                    </a>
                  </li>
                ))}
              </ul>
            </dd>
          </dl>
          <h2>{k('publishTitle')}</h2>
          <p class="hint">{k('publishHint')}</p>
          <Form action={action} csrf={csrfToken} novalidate>
            <ResourceFields t={t} values={values} errors={errors} />
            <TextArea
              id="note"
              label={k('note')}
              hint={k('noteHint')}
              errors={errors}
              value={text(values, 'note')}
            />
            <button type="submit" name="action" value="publish" class="button">
              {k('publish')}
            </button>{' '}
            <button type="submit" name="action" value="edit-publish" class="button secondary">
              {k('editPublish')}
            </button>
          </Form>
          <h2>{k('declineTitle')}</h2>
          <Form action={action} csrf={csrfToken} novalidate>
            <TextArea
              id="reason"
              label={k('reason')}
              hint={k('reasonHint')}
              errors={errors}
              value={text(values, 'reason')}
            />
            <button type="submit" name="action" value="decline" class="button secondary">
              {k('decline')}
            </button>
          </Form>
        </>
      )}
    </>,
  )
}

/** One contribution with the curator's three choices. */
export async function reviewPage(c: C, platform: Platform) {
  const loaded = await loadForReview(c, platform)
  if (!loaded.ok) return c.var.renderError(loaded.status)
  return renderReview(c, loaded.resource, valuesOf(loaded.resource), [])
}

/** Applies a curator's decision; the submitter is emailed and the curator returns to the queue. */
export async function reviewPost(c: C, platform: Platform) {
  const city = currentCity(c)
  const { lang, t } = c.var
  const loaded = await loadForReview(c, platform)
  if (!loaded.ok) return c.var.renderError(loaded.status)
  const values = readValues(await c.req.parseBody({ all: true }))
  const action = text(values, 'action')
  const decision: Decision | undefined =
    action === 'publish'
      ? { action, note: text(values, 'note') }
      : action === 'edit-publish'
        ? { action, values, note: text(values, 'note') }
        : action === 'decline'
          ? { action, reason: text(values, 'reason') }
          : undefined
  if (!decision) return c.var.renderError(400)
  const result = await reviewContribution(platform, c.var.viewer!, city, loaded.resource.id, decision)
  if (result.ok) return c.redirect(`${hubPath(lang, city.slug)}/review?done=${result.value}`, 303)
  if (result.error === 'invalid') {
    const shown =
      action === 'decline' ? { ...valuesOf(loaded.resource), reason: text(values, 'reason') } : values
    return renderReview(c, loaded.resource, shown, contributionErrors(result.fields, t), 422)
  }
  if (result.error === 'not-waiting') {
    const fresh = await repo.findContribution(platform.db, loaded.resource.id)
    return renderReview(c, fresh ?? loaded.resource, values, [], 409)
  }
  return c.var.renderError(result.error === 'forbidden' ? 403 : 404)
}
