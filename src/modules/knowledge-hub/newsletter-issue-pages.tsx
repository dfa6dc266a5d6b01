import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { AppEnv } from '../../platform/http/env.ts'
import { isLang, LANGUAGE_NAMES, LANGUAGES, translated } from '../../platform/i18n/index.ts'
import type { Platform } from '../../platform/module.ts'
import { Choices, Select, TextArea, TextInput } from '../../platform/ui/controls.tsx'
import { ErrorSummary, Form, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import { list, readValues, text } from './contribution-input.ts'
import {
  canCurate,
  candidateResources,
  issueCounts,
  issueEmailFor,
  parseIssue,
  sendIssue,
} from './newsletter.ts'
import { issueErrors } from './newsletter-pages.tsx'
import * as repo from './newsletter-repository.ts'
import { hubPath } from './paths.ts'

type C = Context<AppEnv>

const k = (c: C, key: string, values?: Record<string, string | number>) =>
  c.var.t(`knowledge-hub.newsletter.issues.${key}`, values)

/** The scopes (city id, or null for the network) the viewer curates from this city's hub. */
async function curatedScopes(c: C, platform: Platform): Promise<(number | null)[]> {
  const city = currentCity(c)
  const viewer = c.var.viewer!
  const scopes: (number | null)[] = []
  if (await canCurate(platform, viewer, city.id)) scopes.push(city.id)
  if (await canCurate(platform, viewer, null)) scopes.push(null)
  return scopes
}

const base = (c: C) => `${hubPath(c.var.lang, currentCity(c).slug)}/newsletter/issues`

function scopeLabel(c: C, cityId: number | null) {
  return k(c, cityId === null ? 'scopeNetwork' : 'scopeCity')
}

/** The curators' list of issues, with a way to start the next one. */
export async function issuesPage(c: C, platform: Platform) {
  const scopes = await curatedScopes(c, platform)
  if (scopes.length === 0) return c.var.renderError(403)
  const issues = await repo.listIssues(platform.db, scopes)
  const { lang } = c.var
  return page(
    c,
    { title: k(c, 'title') },
    <>
      <h1>{k(c, 'title')}</h1>
      <form method="get" action={`${base(c)}/new`}>
        <h2>{k(c, 'start')}</h2>
        <Select
          id="scope"
          label={k(c, 'scope')}
          errors={[]}
          value="city"
          options={scopes.map((s) => ({ value: s === null ? 'network' : 'city', label: scopeLabel(c, s) }))}
        />
        <Select
          id="language"
          label={k(c, 'language')}
          errors={[]}
          value={lang}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        />
        <button type="submit" class="button">
          {k(c, 'compose')}
        </button>
      </form>
      <h2>{k(c, 'list')}</h2>
      {issues.length === 0 ? (
        <p>{k(c, 'none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{k(c, 'subject')}</th>
                <th scope="col">{k(c, 'scope')}</th>
                <th scope="col">{k(c, 'language')}</th>
                <th scope="col">{k(c, 'status')}</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((issue) => (
                <tr>
                  <td>
                    <a href={`${base(c)}/${issue.id}`} dir="auto">
                      {issue.subject}
                    </a>
                  </td>
                  <td>{scopeLabel(c, issue.cityId)}</td>
                  <td>{isLang(issue.language) ? LANGUAGE_NAMES[issue.language] : issue.language}</td>
                  <td>{k(c, `statusName.${issue.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>,
  )
}

/** The scope and language of a new issue from the query or form; undefined when not curated here. */
async function newScope(c: C, platform: Platform, scope: string, language: string) {
  if (!isLang(language)) return undefined
  const cityId = scope === 'network' ? null : scope === 'city' ? currentCity(c).id : undefined
  if (cityId === undefined) return undefined
  return (await curatedScopes(c, platform)).includes(cityId) ? { cityId, language } : undefined
}

async function composeForm(
  c: C,
  platform: Platform,
  target: { cityId: number | null; language: string; issueId?: number },
  values: { subject: string; intro: string; resources: string[] },
  errors: FormError[],
  status?: number,
  after?: Child,
) {
  const { t, formToken, lang } = c.var
  const csrfToken = formToken()
  const candidates = await candidateResources(platform, target.cityId, target.language)
  // A draft keeps its chosen resources even when a newer issue went out meanwhile.
  const chosen = target.issueId
    ? await repo.issueResources(platform.db, target.cityId, { ids: values.resources.map(Number) })
    : []
  const options = [...chosen, ...candidates.filter((r) => !chosen.some((x) => x.id === r.id))]
  const audience = await repo.audienceSize(platform.db, target.cityId, target.language)
  const action = target.issueId ? `${base(c)}/${target.issueId}` : `${base(c)}/new`
  const title = target.issueId ? k(c, 'editTitle') : k(c, 'newTitle')
  return page(
    c,
    { title, status },
    <>
      <ErrorSummary errors={errors} t={t} />
      <p>
        <a href={base(c)}>{k(c, 'back')}</a>
      </p>
      <h1>{title}</h1>
      <p>
        {k(c, 'for', {
          scope: scopeLabel(c, target.cityId),
          language: isLang(target.language) ? LANGUAGE_NAMES[target.language] : target.language,
          count: audience,
        })}
      </p>
      <Form action={action} csrf={csrfToken} novalidate>
        <input type="hidden" name="scope" value={target.cityId === null ? 'network' : 'city'} />
        <input type="hidden" name="language" value={target.language} />
        <TextInput id="subject" label={k(c, 'subject')} errors={errors} value={values.subject} dir="auto" />
        <TextArea
          id="intro"
          label={k(c, 'intro')}
          hint={k(c, 'introHint')}
          errors={errors}
          value={values.intro}
          rows={8}
        />
        {options.length === 0 ? (
          <p id="resources">{k(c, 'noNew')}</p>
        ) : (
          <Choices
            id="resources"
            type="checkbox"
            label={k(c, 'resources')}
            hint={k(c, 'resourcesHint')}
            errors={errors}
            options={options.map((r) => {
              const name = translated(r.title, target.language, [lang])
              return { value: String(r.id), label: name.text, lang: name.lang }
            })}
            checked={values.resources}
          />
        )}
        <button type="submit" class="button">
          {k(c, 'save')}
        </button>
      </Form>
      {after}
    </>,
  )
}

/** A new draft for the scope and language chosen on the list; every new resource is ticked. */
export async function newIssuePage(c: C, platform: Platform) {
  const target = await newScope(c, platform, c.req.query('scope') ?? '', c.req.query('language') ?? '')
  if (!target) return c.var.renderError(403)
  const candidates = await candidateResources(platform, target.cityId, target.language)
  return composeForm(
    c,
    platform,
    target,
    { subject: '', intro: '', resources: candidates.map((r) => String(r.id)) },
    [],
  )
}

function formValues(body: Record<string, string | string[]>) {
  return { subject: text(body, 'subject'), intro: text(body, 'intro'), resources: list(body, 'resources') }
}

export async function newIssuePost(c: C, platform: Platform) {
  const body = readValues(await c.req.parseBody({ all: true }))
  const target = await newScope(c, platform, text(body, 'scope'), text(body, 'language'))
  if (!target) return c.var.renderError(403)
  const values = formValues(body)
  const parsed = await parseIssue(platform, target.cityId, { ...values, resourceIds: values.resources })
  if (!parsed.ok) return composeForm(c, platform, target, values, issueErrors(c, parsed.fields), 422)
  const id = await repo.insertIssue(platform.db, target, c.var.viewer!.id, parsed.value)
  return c.redirect(`${base(c)}/${id}?done=saved`, 303)
}

/** An issue the viewer curates and the URL's city can see; otherwise the status to answer with. */
async function loadIssue(c: C, platform: Platform) {
  const id = Number(c.req.param('id'))
  const issue = Number.isSafeInteger(id) ? await repo.findIssue(platform.db, id) : undefined
  if (!issue || (issue.cityId !== null && issue.cityId !== currentCity(c).id)) return 404 as const
  if (!(await canCurate(platform, c.var.viewer!, issue.cityId))) return 403 as const
  return issue
}

/** A draft: its form, preview and send button. A sent issue: its delivery and bounce counts. */
export async function issuePage(c: C, platform: Platform) {
  const issue = await loadIssue(c, platform)
  if (typeof issue === 'number') return c.var.renderError(issue)
  if (issue.status === 'draft') return draftPage(c, platform, issue)
  const counts = await issueCounts(platform, issue.id)
  return page(
    c,
    { title: issue.subject },
    <>
      <p>
        <a href={base(c)}>{k(c, 'back')}</a>
      </p>
      <h1 dir="auto">{issue.subject}</h1>
      <p role="status">{k(c, `statusName.${issue.status}`)}</p>
      <h2>{k(c, 'counts')}</h2>
      <dl class="facts">
        {(['recipients', 'delivered', 'bounced', 'failed', 'held', 'waiting', 'skipped'] as const).map(
          (key) => (
            <>
              <dt>{k(c, `count.${key}`)}</dt>
              <dd data-count={key}>{counts[key]}</dd>
            </>
          ),
        )}
      </dl>
      <p>
        <a href={`${base(c)}/${issue.id}/preview`}>{k(c, 'preview')}</a>
      </p>
    </>,
  )
}

async function draftPage(c: C, platform: Platform, issue: repo.IssueRow) {
  const values = { subject: issue.subject, intro: issue.intro, resources: issue.resourceIds.map(String) }
  const audience = await repo.audienceSize(platform.db, issue.cityId, issue.language)
  const send = (
    <section aria-labelledby="send-title">
      <h2 id="send-title">{k(c, 'sendTitle')}</h2>
      <p>
        <a href={`${base(c)}/${issue.id}/preview`}>{k(c, 'preview')}</a>
      </p>
      <Form action={`${base(c)}/${issue.id}/send`} csrf={c.var.formToken()}>
        <button type="submit" class="button">
          {k(c, 'send', { count: audience })}
        </button>
      </Form>
    </section>
  )
  return composeForm(c, platform, { ...issue, issueId: issue.id }, values, [], undefined, send)
}

export async function issuePost(c: C, platform: Platform) {
  const issue = await loadIssue(c, platform)
  if (typeof issue === 'number') return c.var.renderError(issue)
  const body = readValues(await c.req.parseBody({ all: true }))
  const values = formValues(body)
  const target = { ...issue, issueId: issue.id }
  if (issue.status !== 'draft') return c.redirect(`${base(c)}/${issue.id}`, 303)
  const parsed = await parseIssue(platform, issue.cityId, { ...values, resourceIds: values.resources })
  if (!parsed.ok) return composeForm(c, platform, target, values, issueErrors(c, parsed.fields), 422)
  await repo.updateDraft(platform.db, issue.id, parsed.value)
  return c.redirect(`${base(c)}/${issue.id}?done=saved`, 303)
}

/** The email exactly as a subscriber of this hub gets it (its HTML part), with a sample unsubscribe link. */
export async function previewPage(c: C, platform: Platform) {
  const issue = await loadIssue(c, platform)
  if (typeof issue === 'number') return c.var.renderError(issue)
  const email = await issueEmailFor(platform, issue, {
    key: 'preview-preview-previe',
    siteCityId: currentCity(c).id,
  })
  if (!email) return c.var.renderError(404)
  return c.html(email.html)
}

export async function sendPost(c: C, platform: Platform) {
  const issue = await loadIssue(c, platform)
  if (typeof issue === 'number') return c.var.renderError(issue)
  await sendIssue(platform, issue.id, c.var.viewer!.id)
  return c.redirect(`${base(c)}/${issue.id}`, 303)
}
