/** The results region of the search page: cards, pages, the feeds of the view and saving it. */
import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { type TranslatedText, translated } from '../../platform/i18n/index.ts'
import { Form } from '../../platform/ui/forms.tsx'
import { currentCity } from '../cities/index.ts'
import { type Filters, filtersQuery } from './filters.ts'
import { PAGE_SIZE } from './matches.ts'
import type { Result, SearchAnswer } from './search.ts'

type C = Context<AppEnv>

function ResultCard(props: { c: C; result: Result; timeZone: string; fallback: string }) {
  const { c, result: r } = props
  const { t, lang } = c.var
  const city = currentCity(c)
  const title = translated(r.facts.title, lang, [props.fallback])
  const provider = translated(r.facts.organizationName, lang, [props.fallback])
  const when = new Intl.DateTimeFormat(lang, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: props.timeZone,
  })
  const price =
    r.facts.free || r.facts.price === null
      ? t('discovery.results.free')
      : new Intl.NumberFormat(lang, { style: 'currency', currency: r.facts.currency }).format(
          Number(r.facts.price),
        )
  const km = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 })
  return (
    <li class="card result">
      <h3>
        <a href={`/${lang}/${city.slug}/opportunities/${r.id}`} lang={title.lang} dir="auto">
          {title.text}
        </a>
      </h3>
      {title.lang !== lang && (
        <p class="language-label">
          {t('discovery.results.otherLanguage', {
            language: new Intl.DisplayNames([lang], { type: 'language' }).of(title.lang) ?? title.lang,
          })}
        </p>
      )}
      <p class="result-provider">
        <span lang={provider.lang}>{t('discovery.results.provider', { name: provider.text })}</span>
        {' · '}
        {t(`opportunities.block.${r.facts.buildingBlock}`)}
      </p>
      <dl class="result-facts">
        <div>
          <dt>{t('discovery.results.when')}</dt>
          <dd>
            {r.nextStart ? (
              <time datetime={r.nextStart.toISOString()}>{when.format(r.nextStart)}</time>
            ) : (
              t('discovery.results.noSession')
            )}
          </dd>
        </div>
        {r.distanceKm !== null && (
          <div>
            <dt>{t('discovery.results.distance')}</dt>
            <dd>{t('discovery.results.km', { km: km.format(r.distanceKm) })}</dd>
          </div>
        )}
        <div>
          <dt>{t('discovery.results.cost')}</dt>
          <dd>{price}</dd>
        </div>
        {r.seatsLeft !== null && (
          <div>
            <dt>{t('discovery.results.places')}</dt>
            <dd>{t('discovery.results.seatsLeft', { count: Math.max(0, r.seatsLeft) })}</dd>
          </div>
        )}
      </dl>
    </li>
  )
}

function Pagination(props: { c: C; filters: Filters; total: number; base: string }) {
  const { t } = props.c.var
  const pages = Math.max(1, Math.ceil(props.total / PAGE_SIZE))
  const current = props.filters.page
  if (pages <= 1 && current === 1) return null
  const href = (p: number) => {
    const query = filtersQuery({ ...props.filters, page: p })
    return query ? `${props.base}?${query}` : props.base
  }
  return (
    <nav aria-label={t('discovery.pages.label')} class="pagination">
      {current > 1 && (
        <a href={href(Math.min(current - 1, pages))} rel="prev" data-page>
          {t('discovery.pages.previous')}
        </a>
      )}
      <span>{t('discovery.pages.of', { page: current, pages })}</span>
      {current < pages && (
        <a href={href(current + 1)} rel="next" data-page>
          {t('discovery.pages.next')}
        </a>
      )}
    </nav>
  )
}

/** The results region: what the island swaps in when filters change. */
export function Results(props: {
  c: C
  filters: Filters
  answer: SearchAnswer
  featured: { opportunityId: number; title: TranslatedText }[]
}) {
  const { c, filters, answer } = props
  const { t, lang } = c.var
  const city = currentCity(c)
  const base = `/${lang}/${city.slug}/opportunities`
  const query = filtersQuery(filters, { page: false })
  const withQuery = (path: string) => (query ? `${path}?${query}` : path)
  return (
    <>
      {props.featured.length > 0 && (
        <section aria-labelledby="featured-heading" class="featured">
          <h2 id="featured-heading">{t('discovery.featured.title', { city: c.var.brand.name })}</h2>
          <ul>
            {props.featured.map((f) => {
              const title = translated(f.title, lang, [city.defaultLanguage])
              return (
                <li>
                  <a href={`${base}/${f.opportunityId}`} lang={title.lang} dir="auto">
                    {title.text}
                  </a>
                </li>
              )
            })}
          </ul>
        </section>
      )}
      <h2 id="results-heading" tabindex={-1}>
        <span id="results-count">
          {answer.more
            ? t('discovery.results.countMore', { count: answer.total })
            : t('discovery.results.count', { count: answer.total })}
        </span>
      </h2>
      {answer.more && <p id="narrower">{t('discovery.results.narrower', { count: answer.total })}</p>}
      {answer.corrected && filters.q && (
        <p class="notice" id="corrected">
          {t('discovery.results.corrected', { original: filters.q, words: answer.corrected })}
        </p>
      )}
      {answer.results.length === 0 ? (
        <p>{t('discovery.results.empty')}</p>
      ) : (
        <ul class="cards results">
          {answer.results.map((r) => (
            <ResultCard c={c} result={r} timeZone={city.timeZone} fallback={city.defaultLanguage} />
          ))}
        </ul>
      )}
      <Pagination c={c} filters={filters} total={answer.total} base={base} />
      <p>
        <a href={withQuery(`${base}/map`)}>{t('discovery.views.map')}</a>
      </p>
      <section aria-labelledby="follow-heading" class="follow">
        <h2 id="follow-heading">{t('discovery.follow.title')}</h2>
        <ul>
          <li>
            <a href={withQuery(`${base}/calendar.ics`)}>{t('discovery.follow.calendar')}</a>
          </li>
          <li>
            <a href={withQuery(`${base}/feed.rss`)} type="application/rss+xml">
              {t('discovery.follow.rss')}
            </a>
          </li>
          <li>
            <a href={withQuery(`${base}/feed.atom`)} type="application/atom+xml">
              {t('discovery.follow.atom')}
            </a>
          </li>
        </ul>
        <h3>{t('discovery.save.title')}</h3>
        <p class="hint">{t('discovery.save.hint')}</p>
        <Form action={`/${lang}/${city.slug}/saved-searches`} csrf={c.var.formToken()}>
          <input type="hidden" name="query" value={query} />
          <div class="field">
            <label for="save-name">{t('discovery.save.name')}</label>
            <input id="save-name" name="name" type="text" maxlength={100} dir="auto" />
          </div>
          <div class="field">
            <label for="save-frequency">{t('discovery.save.frequency')}</label>
            <select id="save-frequency" name="frequency">
              <option value="daily">{t('discovery.save.daily')}</option>
              <option value="weekly" selected>
                {t('discovery.save.weekly')}
              </option>
            </select>
          </div>
          <button type="submit" class="button secondary">
            {t('discovery.save.submit')}
          </button>
        </Form>
      </section>
    </>
  )
}
