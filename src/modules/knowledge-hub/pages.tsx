import type { Context } from 'hono'
import type { AppEnv } from '../../platform/http/env.ts'
import { LANGUAGES } from '../../platform/i18n/index.ts'
import type { App, Platform } from '../../platform/module.ts'
import { parseSearch } from '../../platform/search/index.ts'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import { curatesHere, HubActions } from './hub-actions.tsx'
import { HUB_ROUTE } from './hub-route.ts'
import { RESOURCE_TYPES, type ResourceType, TOPICS, type Topic } from './model.ts'
import { hubPath } from './paths.ts'
import * as repo from './repository.ts'
import { resourcePage } from './resource-page.tsx'
import { languageName, ResourceCard } from './views.tsx'

type C = Context<AppEnv>

export const PAGE_SIZE = 20

/** Browse filters as read from the query string; unknown values are reported, not used. */
export function readFilters(query: (name: string) => string | undefined) {
  const ignored: string[] = []
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const value = query(name)?.trim()
    if (!value) return undefined
    if ((allowed as readonly string[]).includes(value)) return value as T
    ignored.push(name)
    return undefined
  }
  const topic = pick<Topic>('topic', TOPICS)
  const type = pick<ResourceType>('type', RESOURCE_TYPES)
  const language = pick('language', [...LANGUAGES, 'unknown'])
  const q = query('q') ?? ''
  const pageText = query('page')
  const pageNumber = pageText && /^[1-9][0-9]{0,5}$/.test(pageText) ? Number(pageText) : 1
  if (pageText && pageNumber === 1 && pageText !== '1') ignored.push('page')
  return { topic, type, language, q: q.slice(0, 200), page: pageNumber, ignored }
}

/** A link to the browse page with these filters (the stable, shareable address of a view). */
export function browseHref(base: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v))
  const s = search.toString()
  return s ? `${base}?${s}` : base
}

/** A filter list; each option says how many resources picking it would show (with the other filters). */
function Select(props: {
  c: C
  name: string
  label: string
  any: string
  value?: string
  options: [string, string][]
  counts: Map<string, number>
}) {
  const { t } = props.c.var
  return (
    <div class="field">
      <label for={`hub-${props.name}`}>{props.label}</label>
      <select id={`hub-${props.name}`} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map(([value, label]) => (
          <option value={value} selected={props.value === value}>
            {t('knowledge-hub.browse.option', { label, count: props.counts.get(value) ?? 0 })}
          </option>
        ))}
      </select>
    </div>
  )
}

async function browsePage(c: C, platform: Platform) {
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const base = hubPath(lang, city.slug)
  const f = readFilters((name) => c.req.query(name))
  const query = parseSearch(f.q)
  const result = await repo.browseResources(
    platform.db,
    city.id,
    { topic: f.topic, type: f.type, language: f.language, query: query ?? undefined },
    { limit: PAGE_SIZE, offset: (f.page - 1) * PAGE_SIZE },
  )
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE))
  const partCounts = await repo.countParts(
    platform.db,
    city.id,
    result.items.map((r) => r.id),
  )
  const current = { q: f.q.trim() || undefined, topic: f.topic, type: f.type, language: f.language }
  const filtered = Object.values(current).some((v) => v !== undefined)
  return page(
    c,
    {
      title: t('knowledge-hub.browse.title'),
      head: (
        <>
          <link
            rel="alternate"
            type="application/rss+xml"
            title={t('knowledge-hub.feed.rss')}
            href={`${base}/feed.rss`}
          />
          <link
            rel="alternate"
            type="application/atom+xml"
            title={t('knowledge-hub.feed.atom')}
            href={`${base}/feed.atom`}
          />
        </>
      ),
    },
    <>
      <h1>{t('knowledge-hub.browse.title')}</h1>
      <p class="lead">{t('knowledge-hub.browse.intro', { city: brand.name })}</p>
      <p>
        <a href={`${base}/what-is-a-learning-city`}>{t('knowledge-hub.explainer.title')}</a>
      </p>
      <HubActions c={c} curator={await curatesHere(c, platform)} />
      {f.ignored.length > 0 && (
        <p class="notice" role="status">
          {t('knowledge-hub.browse.ignored')}
        </p>
      )}
      <search aria-label={t('knowledge-hub.browse.searchLabel')}>
        <form method="get" action={base}>
          <div class="field">
            <label for="hub-q">{t('knowledge-hub.browse.search')}</label>
            <p class="hint" id="hub-q-hint">
              {t('knowledge-hub.browse.searchHint')}
            </p>
            <input id="hub-q" name="q" type="search" value={f.q} aria-describedby="hub-q-hint" dir="auto" />
          </div>
          <Select
            c={c}
            name="topic"
            counts={result.facets.topic}
            label={t('knowledge-hub.browse.topic')}
            any={t('knowledge-hub.browse.any')}
            value={f.topic}
            options={TOPICS.map((x) => [x, t(`knowledge-hub.topic.${x}`)])}
          />
          <Select
            c={c}
            name="type"
            counts={result.facets.type}
            label={t('knowledge-hub.browse.type')}
            any={t('knowledge-hub.browse.any')}
            value={f.type}
            options={RESOURCE_TYPES.map((x) => [x, t(`knowledge-hub.type.${x}`)])}
          />
          <Select
            c={c}
            name="language"
            counts={result.facets.language}
            label={t('knowledge-hub.browse.language')}
            any={t('knowledge-hub.browse.any')}
            value={f.language}
            options={[
              ...LANGUAGES.map((l): [string, string] => [l, languageName(lang, l)]),
              ['unknown', t('knowledge-hub.language.unknown')],
            ]}
          />
          <button type="submit" class="button">
            {t('knowledge-hub.browse.apply')}
          </button>
          {filtered && (
            <p>
              <a href={base}>{t('knowledge-hub.browse.clear')}</a>
            </p>
          )}
        </form>
      </search>
      <h2 id="results" aria-live="polite">
        {t('knowledge-hub.browse.count', { count: result.total })}
      </h2>
      {result.mode === 'fuzzy' && result.total > 0 && (
        <p class="notice" role="status">
          {t('knowledge-hub.browse.fuzzy', { query: query?.text ?? '' })}
        </p>
      )}
      {result.total === 0 ? (
        <p>{t('knowledge-hub.browse.empty')}</p>
      ) : (
        <ul class="cards">
          {result.items.map((r) => (
            <ResourceCard c={c} resource={r} parts={partCounts.get(r.id)} />
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav aria-label={t('knowledge-hub.browse.pagination')}>
          <p>{t('knowledge-hub.browse.page', { page: f.page, pages })}</p>
          <ul class="inline-list">
            {f.page > 1 && (
              <li>
                <a href={browseHref(base, { ...current, page: f.page - 1 })} rel="prev">
                  {t('knowledge-hub.browse.previous')}
                </a>
              </li>
            )}
            {f.page < pages && (
              <li>
                <a href={browseHref(base, { ...current, page: f.page + 1 })} rel="next">
                  {t('knowledge-hub.browse.next')}
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
      <h2>{t('knowledge-hub.feed.follow')}</h2>
      <ul>
        <li>
          <a href={`${base}/feed.rss`}>{t('knowledge-hub.feed.rss')}</a>
        </li>
        <li>
          <a href={`${base}/feed.atom`}>{t('knowledge-hub.feed.atom')}</a>
        </li>
      </ul>
    </>,
  )
}

/** The hub's browse page and resource pages. */
export function hubPages(app: App, platform: Platform): void {
  app.get(HUB_ROUTE, (c) => browsePage(c, platform))
  app.get(`${HUB_ROUTE}/resources/:id{[0-9]{1,15}}`, (c) => resourcePage(c, platform))
}
