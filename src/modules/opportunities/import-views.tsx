import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { AppEnv } from '../../platform/http/env.ts'
import { translated } from '../../platform/i18n/index.ts'
import { ErrorSummary, type FormError } from '../../platform/ui/forms.tsx'
import { page } from '../../platform/ui/layout.tsx'
import type { OrganizationRow } from '../organizations/index.ts'
import { reasonText } from './import-files.ts'
import type { ImportRow, RejectRow } from './import-repository.ts'

type C = Context<AppEnv>

/** The upload page: the form, the templates and column guide, and recent imports. */
export function uploadView(
  c: C,
  org: OrganizationRow,
  base: string,
  imports: ImportRow[],
  errors: FormError[] = [],
) {
  const { t, lang, formToken } = c.var
  const csrfToken = formToken()
  const name = translated(org.name, lang, [])
  const city = c.var.tenant!
  const error = errors[0]
  return page(
    c,
    { title: t('opportunities.import.upload.title'), status: errors.length > 0 ? 400 : undefined },
    <>
      <ErrorSummary errors={errors} t={t} />
      <p lang={name.lang}>{name.text}</p>
      <h1>{t('opportunities.import.upload.title')}</h1>
      <p>{t('opportunities.import.upload.intro')}</p>
      <ul>
        <li>
          <a href={`${base}/template.csv`} download>
            {t('opportunities.import.upload.templateCsv')}
          </a>
        </li>
        <li>
          <a href={`${base}/template.xlsx`} download>
            {t('opportunities.import.upload.templateXlsx')}
          </a>
        </li>
        <li>
          <a href={`${base}/columns`}>{t('opportunities.import.upload.columns')}</a>
        </li>
      </ul>
      <form method="post" action={base} enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <div class={error ? 'field field-error' : 'field'}>
          <label for="file">{t('opportunities.import.upload.file')}</label>
          <p class="hint" id="file-hint">
            {t('opportunities.import.upload.fileHint')}
          </p>
          {error && (
            <p class="error-message" id="file-error">
              {error.message}
            </p>
          )}
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={error ? 'file-hint file-error' : 'file-hint'}
            aria-invalid={error ? 'true' : undefined}
            required
          />
        </div>
        <button type="submit">{t('opportunities.import.upload.submit')}</button>
      </form>
      {imports.length > 0 && (
        <>
          <h2>{t('opportunities.import.upload.recent')}</h2>
          <ul>
            {imports.map((i) => (
              <li>
                <a href={`/${lang}/${city.slug}/provide/imports/${i.id}`} dir="auto">
                  {i.fileName}
                </a>{' '}
                ({t(`opportunities.import.status.${i.status}`)})
              </li>
            ))}
          </ul>
        </>
      )}
    </>,
  )
}

function Summary(props: { c: C; imp: ImportRow }) {
  const { t } = props.c.var
  const { imp } = props
  const items = [
    ['imported', imp.imported],
    ['updated', imp.updated],
    ['unchanged', imp.unchanged],
    ['rejected', imp.rejected],
  ] as const
  return (
    <dl class="facts">
      {items.map(([key, count]) => (
        <>
          <dt>{t(`opportunities.import.progress.${key}`)}</dt>
          <dd>{count}</dd>
        </>
      ))}
    </dl>
  )
}

/**
 * The progress page: a real progress bar and a Refresh link while the job runs, then the report.
 * With JavaScript the bar, the counts and the report update in place (LIVE_SCRIPT).
 */
export function progressView(c: C, imp: ImportRow, rejects: RejectRow[], uploadHref: string) {
  const { t, secureHeadersNonce } = c.var
  const path = c.req.path
  const active = imp.status === 'queued' || imp.status === 'running'
  const total = imp.totalRows ?? 0
  // No timed refresh (<meta http-equiv="refresh">): reloading under a screen reader every few seconds
  // fails WCAG 2.2.1 (Timing Adjustable), so people reload with the Refresh link when they choose to.
  return page(
    c,
    { title: t('opportunities.import.progress.title') },
    <>
      <h1>{t('opportunities.import.progress.title')}</h1>
      <p dir="auto">{imp.fileName}</p>
      <p role="status" id="import-status">
        {t(`opportunities.import.status.${imp.status}`)}
      </p>
      {active && (
        <p id="import-not-live" data-live-text={t('opportunities.import.progress.live')}>
          {t('opportunities.import.progress.notLive')}{' '}
          <a href={path}>{t('opportunities.import.progress.refresh')}</a>
        </p>
      )}
      <div id="import-live" data-active={active ? 'true' : 'false'}>
        {imp.status !== 'failed' && (
          <p>
            <label for="import-progress">{t('opportunities.import.progress.label')}</label>{' '}
            {imp.totalRows === null ? (
              <progress id="import-progress" />
            ) : (
              <progress id="import-progress" value={imp.processedRows} max={Math.max(total, 1)}>
                {imp.processedRows} / {total}
              </progress>
            )}{' '}
            {t('opportunities.import.progress.rows', { processed: imp.processedRows, total })}
          </p>
        )}
        {imp.status === 'failed' && (
          <div class="error-summary" role="alert">
            <p>{t(imp.error ?? 'opportunities.import.error.crashed')}</p>
            {imp.errorDetail && <p dir="ltr">{imp.errorDetail}</p>}
          </div>
        )}
        {(imp.status === 'done' || imp.processedRows > 0) && <Summary c={c} imp={imp} />}
        {rejects.length > 0 && (
          <>
            <h2>{t('opportunities.import.progress.badRows')}</h2>
            <p>
              <a href={`${path}/rejected.csv`} download>
                {t('opportunities.import.progress.download')}
              </a>
            </p>
            <table>
              <caption>
                {t('opportunities.import.progress.badRowsCaption', {
                  shown: rejects.length,
                  total: imp.rejected,
                })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('opportunities.import.csv.line')}</th>
                  <th scope="col">{t('opportunities.import.progress.externalId')}</th>
                  <th scope="col">{t('opportunities.import.csv.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {rejects.map((r) => (
                  <tr>
                    <td>{r.line}</td>
                    <td dir="auto">{r.externalId ?? ''}</td>
                    <td>
                      <ul>
                        {r.errors.map((e) => (
                          <li>{reasonText(t, e)}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
      <p>
        <a href={uploadHref}>{t('opportunities.import.progress.again')}</a>
      </p>
      {active && <script nonce={secureHeadersNonce}>{raw(LIVE_SCRIPT)}</script>}
    </>,
  )
}

/**
 * Keeps a running import's page up to date without reloading it: every two seconds it fetches the
 * page, swaps in the new bar, counts and report, and changes the status line (role="status", so a
 * screen reader hears "Importing", then "Finished") only when the status changes. The bar itself is
 * not announced at every step. It stops when the import has ended, and then takes away the Refresh
 * line; until then that line says the page updates by itself. Focus is never moved.
 */
const LIVE_SCRIPT = `(() => {
  const live = document.getElementById('import-live')
  const status = document.getElementById('import-status')
  const note = document.getElementById('import-not-live')
  if (!live || !status || live.dataset.active !== 'true') return
  if (note && note.dataset.liveText) note.textContent = note.dataset.liveText
  const tick = async () => {
    try {
      const res = await fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      if (res.ok) {
        const next = new DOMParser().parseFromString(await res.text(), 'text/html')
        const nextLive = next.getElementById('import-live')
        const nextStatus = next.getElementById('import-status')
        if (nextLive) {
          live.innerHTML = nextLive.innerHTML
          live.dataset.active = nextLive.dataset.active || 'false'
        }
        if (nextStatus && nextStatus.textContent !== status.textContent) status.textContent = nextStatus.textContent
        if (live.dataset.active !== 'true') {
          if (note) note.remove()
          return
        }
      }
    } catch {}
    setTimeout(tick, 2000)
  }
  setTimeout(tick, 2000)
})()`
