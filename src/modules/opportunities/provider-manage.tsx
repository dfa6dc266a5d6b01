import { translated } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { Form } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import type { Status } from './model.ts'
import { cancelSession, type Transition, transition } from './opportunities.ts'
import {
  actorOf,
  type C,
  DoneNotice,
  editsOrganization,
  formatWhen,
  noteOf,
  provideBase,
  publishesDirectly,
} from './provider-shared.tsx'
import * as repo from './repository.ts'

const TRANSITIONS = ['submit', 'publish', 'cancel', 'archive'] as const
/** Where each move may start (the use case enforces the same; this only decides which buttons to show). */
const FROM: Record<(typeof TRANSITIONS)[number], Status[]> = {
  submit: ['draft'],
  publish: ['draft', 'submitted', 'cancelled'],
  cancel: ['published'],
  archive: ['draft', 'submitted', 'published', 'cancelled'],
}

/** A one-button form that moves an opportunity (submit, publish, archive). */
export function TransitionButton(props: {
  c: C
  id: number
  action: Transition
  back: 'dashboard' | 'manage'
}) {
  const { t, formToken } = props.c.var
  const csrfToken = formToken()
  return (
    <Form action={`${provideBase(props.c)}/opportunities/${props.id}/transition`} csrf={csrfToken}>
      <input type="hidden" name="action" value={props.action} />
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" class="link-button">
        {t(`opportunities.provide.manage.do.${props.action}`)}
      </button>
    </Form>
  )
}

/** A form with an optional note, for cancelling the whole opportunity or one session. */
function NoteForm(props: { c: C; action: string; id: string; label: string; button: string }) {
  const { t, formToken } = props.c.var
  const csrfToken = formToken()
  return (
    <Form action={props.action} csrf={csrfToken}>
      <input type="hidden" name="action" value="cancel" />
      <div class="field">
        <label for={props.id}>{props.label}</label>
        <p class="hint" id={`${props.id}-hint`}>
          {t('opportunities.provide.manage.noteHint')}
        </p>
        <textarea
          id={props.id}
          name="note"
          rows={2}
          cols={50}
          dir="auto"
          aria-describedby={`${props.id}-hint`}
        />
      </div>
      <button type="submit" class="button secondary">
        {props.button}
      </button>
    </Form>
  )
}

async function load(c: C, platform: Platform) {
  const row = await repo.findOpportunity(platform.db, currentCity(c).id, Number(c.req.param('id')))
  if (!row) return { status: 404 as const }
  const actor = await actorOf(c, platform)
  if (!editsOrganization(actor, row.organizationId)) return { status: 403 as const }
  return { row, actor }
}

async function managePage(c: C, platform: Platform) {
  const found = await load(c, platform)
  if (!found.row) return c.var.renderError(found.status)
  const { row, actor } = found
  const { t, lang } = c.var
  const city = currentCity(c)
  const k = (key: string, v?: Record<string, string>) => t(`opportunities.provide.manage.${key}`, v)
  const title = translated(row.title, lang, [city.defaultLanguage])
  const base = `${provideBase(c)}/opportunities/${row.id}`
  const sessions = (await repo.listSessions(platform.db, city.id, row.id, new Date())).slice(0, 100)
  const moves = TRANSITIONS.filter(
    (m) =>
      FROM[m].includes(row.status) &&
      m !== 'cancel' &&
      (m !== 'publish' || publishesDirectly(actor, row.organizationId)),
  )
  return page(
    c,
    { title: k('title', { title: title.text }) },
    <>
      <DoneNotice c={c} />
      <p>
        <a href={provideBase(c)}>{t('opportunities.provide.backToDashboard')}</a>
      </p>
      <h1 dir="auto">{k('title', { title: title.text })}</h1>
      <p>{k('status', { status: t(`opportunities.status.${row.status}`) })}</p>
      <ul>
        <li>
          <a href={`${base}/edit`}>{t('opportunities.provide.dashboard.edit')}</a>
        </li>
        <li>
          <a href={`/${lang}/${city.slug}/opportunities/${row.id}`}>
            {t('opportunities.provide.dashboard.preview')}
          </a>
        </li>
        <li>
          <a href={`${base}/history`}>{t('opportunities.provide.dashboard.history')}</a>
        </li>
      </ul>
      {moves.length > 0 && (
        <>
          <h2>{k('statusHeading')}</h2>
          <ul>
            {moves.map((m) => (
              <li>
                <TransitionButton c={c} id={row.id} action={m} back="manage" />
              </li>
            ))}
          </ul>
        </>
      )}
      {row.status === 'published' && (
        <>
          <h2>{k('cancelHeading')}</h2>
          <NoteForm
            c={c}
            action={`${base}/transition`}
            id="cancel-note"
            label={k('cancelNote')}
            button={k('do.cancel')}
          />
        </>
      )}
      {sessions.length > 0 && (
        <>
          <h2>{k('sessionsHeading')}</h2>
          <ul>
            {sessions.map((s) => (
              <li>
                {s.cancelled ? (
                  <del>
                    {formatWhen(c, s.startsAt)} ({t('opportunities.detail.cancelled')})
                  </del>
                ) : (
                  <details>
                    <summary>{k('cancelSession', { when: formatWhen(c, s.startsAt) })}</summary>
                    <NoteForm
                      c={c}
                      action={`${base}/sessions/${s.id}/cancel`}
                      id={`session-note-${s.id}`}
                      label={k('cancelNote')}
                      button={k('cancelSessionButton')}
                    />
                  </details>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </>,
  )
}

/** Change history: who changed what, and when. */
async function historyPage(c: C, platform: Platform) {
  const found = await load(c, platform)
  if (!found.row) return c.var.renderError(found.status)
  const { row } = found
  const { t, lang } = c.var
  const city = currentCity(c)
  const title = translated(row.title, lang, [city.defaultLanguage])
  const changes = await repo.listChanges(platform.db, city.id, row.id)
  const k = (key: string, v?: Record<string, string>) => t(`opportunities.provide.history.${key}`, v)
  const known = (prefix: string, key: string) => {
    try {
      return t(`opportunities.provide.${prefix}.${key}`)
    } catch {
      return key
    }
  }
  return page(
    c,
    { title: k('title', { title: title.text }) },
    <>
      <p>
        <a href={`${provideBase(c)}/opportunities/${row.id}`}>{k('back')}</a>
      </p>
      <h1 dir="auto">{k('title', { title: title.text })}</h1>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{k('when')}</th>
              <th scope="col">{k('who')}</th>
              <th scope="col">{k('what')}</th>
              <th scope="col">{k('fields')}</th>
              <th scope="col">{k('note')}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((ch) => (
              <tr>
                <td>{formatWhen(c, ch.createdAt)}</td>
                <td dir="auto">{ch.actorLabel}</td>
                <td>{known('action', ch.action)}</td>
                <td>
                  {Object.keys(ch.diff)
                    .map((f) => known('changed', f))
                    .join(', ')}
                </td>
                <td dir="auto">{ch.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  )
}

/** The page to manage one opportunity: status changes, cancelling sessions, and its history. */
export function manageRoutes(app: App, platform: Platform, base: string): void {
  app.get(`${base}/opportunities/:id{[0-9]+}`, (c) => managePage(c, platform))
  app.get(`${base}/opportunities/:id{[0-9]+}/history`, (c) => historyPage(c, platform))

  app.post(`${base}/opportunities/:id{[0-9]+}/transition`, async (c) => {
    const body = await c.req.parseBody()
    const action = String(body.action ?? '')
    const note = noteOf(body.note)
    if (!(TRANSITIONS as readonly string[]).includes(action) || note === false) return c.var.renderError(400)
    const id = Number(c.req.param('id'))
    const result = await transition(platform, await actorOf(c, platform), id, action as Transition, note)
    if (!result.ok && result.error !== 'not-allowed')
      return c.var.renderError(result.error === 'forbidden' ? 403 : 404)
    const done = result.ok ? result.value : 'notAllowed'
    const back = body.back === 'dashboard' ? provideBase(c) : `${provideBase(c)}/opportunities/${id}`
    return c.redirect(`${back}?done=${done}`, 303)
  })

  app.post(`${base}/opportunities/:id{[0-9]+}/sessions/:session{[0-9]+}/cancel`, async (c) => {
    const body = await c.req.parseBody()
    const note = noteOf(body.note)
    if (note === false) return c.var.renderError(400)
    const id = Number(c.req.param('id'))
    const actor = await actorOf(c, platform)
    const result = await cancelSession(platform, actor, id, Number(c.req.param('session')), note)
    if (!result.ok) return c.var.renderError(result.error === 'forbidden' ? 403 : 404)
    return c.redirect(`${provideBase(c)}/opportunities/${id}?done=session`, 303)
  })
}
