import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { AppEnv } from '../../platform/http/env.ts'
import type { Platform } from '../../platform/module.ts'
import { jsonLdScript } from '../../platform/ui/json-ld.ts'
import { page } from '../../platform/ui/layout.tsx'
import { currentCity } from '../cities/index.ts'
import type { ResourceType } from './model.ts'
import { hubPath, resourcePath } from './paths.ts'
import type { ResourceRow } from './repository.ts'
import * as repo from './repository.ts'
import { LinkList, languageName, languagesText, resourceText, safeHref } from './views.tsx'

type C = Context<AppEnv>

/** The schema.org type each kind of resource is published as. */
const SCHEMA_TYPES: Record<ResourceType, string> = {
  guide: 'CreativeWork',
  policy: 'CreativeWork',
  research: 'Report',
  'conference-report': 'Report',
  video: 'VideoObject',
  'video-tutorial': 'VideoObject',
  webinar: 'Event',
  'webinar-series': 'EventSeries',
  website: 'WebSite',
  network: 'Organization',
  award: 'CreativeWork',
  'case-study': 'CreativeWork',
  tool: 'CreativeWork',
  newsletter: 'CreativeWork',
}

interface Related {
  name: string
  url: string
}

/** schema.org JSON-LD for a resource page, with its series (isPartOf) or parts (hasPart). */
export function resourceJsonLd(input: {
  resource: ResourceRow
  title: string
  summary: string
  url: string
  topics: string[]
  parent?: Related
  parts: Related[]
}): Record<string, unknown> {
  const r = input.resource
  const type = SCHEMA_TYPES[r.type]
  const own = r.links.filter((l) => l.rel === 'self' && safeHref(l.url)).map((l) => l.url)
  const event = type === 'Event' || type === 'EventSeries'
  return {
    '@context': 'https://schema.org',
    '@type': type,
    '@id': input.url,
    name: input.title,
    ...(input.summary ? { description: input.summary } : {}),
    url: own[0] ?? input.url,
    mainEntityOfPage: input.url,
    ...(own.length > 1 ? { sameAs: own.slice(1) } : {}),
    ...(r.publisher
      ? {
          [type === 'Organization' ? 'parentOrganization' : event ? 'organizer' : 'publisher']: {
            '@type': 'Organization',
            name: r.publisher,
          },
        }
      : {}),
    ...(r.year !== null && !event && type !== 'Organization' ? { datePublished: String(r.year) } : {}),
    ...(r.languages.length > 0 && type !== 'Organization' ? { inLanguage: r.languages } : {}),
    ...(event ? { eventAttendanceMode: 'https://schema.org/OnlineEventAttendanceMode' } : {}),
    ...(input.topics.length > 0 ? { keywords: input.topics.join(', ') } : {}),
    ...(input.parent
      ? { [event ? 'superEvent' : 'isPartOf']: { '@id': input.parent.url, name: input.parent.name } }
      : {}),
    ...(input.parts.length > 0
      ? { [event ? 'subEvent' : 'hasPart']: input.parts.map((p) => ({ '@id': p.url, name: p.name })) }
      : {}),
  }
}

/** The page of one resource: summary, facts, links, its series or its parts. */
export async function resourcePage(c: C, platform: Platform) {
  const { t, lang, brand } = c.var
  const city = currentCity(c)
  const resource = await repo.findResource(platform.db, city.id, Number(c.req.param('id')))
  if (!resource) return c.var.renderError(404)
  const parent = resource.parentId
    ? await repo.findResource(platform.db, city.id, resource.parentId)
    : undefined
  const parts = await repo.listParts(platform.db, city.id, resource.id)
  const { title, summary } = resourceText(c, resource)
  const abs = (id: number) => `${platform.config.publicUrl}${resourcePath(lang, city.slug, id)}`
  const related = (r: ResourceRow) => ({ row: r, text: resourceText(c, r).title })
  const parentText = parent ? related(parent) : undefined
  const partTexts = parts.map(related)
  const topics = resource.topics.map((x) => t(`knowledge-hub.topic.${x}`))
  const jsonLd = resourceJsonLd({
    resource,
    title: title.text,
    summary: summary.text,
    url: abs(resource.id),
    topics,
    parent: parentText ? { name: parentText.text.text, url: abs(parentText.row.id) } : undefined,
    parts: partTexts.map((p) => ({ name: p.text.text, url: abs(p.row.id) })),
  })
  const base = hubPath(lang, city.slug)
  return page(
    c,
    { title: title.text },
    <>
      <script type="application/ld+json">{raw(jsonLdScript(jsonLd))}</script>
      <p>
        <a href={base}>{t('knowledge-hub.resource.back')}</a>
      </p>
      <p class="hint">{t(`knowledge-hub.type.${resource.type}`)}</p>
      <h1 lang={title.lang} dir="auto">
        {title.text}
      </h1>
      {title.lang !== lang && (
        <p class="hint">
          {t('knowledge-hub.resource.otherLanguage', { language: languageName(lang, title.lang) })}
        </p>
      )}
      {parentText && (
        <p>
          {t('knowledge-hub.resource.partOf')}{' '}
          <a href={resourcePath(lang, city.slug, parentText.row.id)} lang={parentText.text.lang} dir="auto">
            {parentText.text.text}
          </a>
          {resource.position !== null && ` (${t('knowledge-hub.resource.partN', { n: resource.position })})`}
        </p>
      )}
      {summary.text && (
        <p class="lead" lang={summary.lang} dir="auto">
          {summary.text}
        </p>
      )}
      {resource.linkStatus === 'broken' && (
        <p class="notice" role="status">
          {t('knowledge-hub.resource.linkBroken')}
        </p>
      )}
      <dl class="facts">
        <dt>{t('knowledge-hub.resource.publisher')}</dt>
        <dd dir="auto">{resource.publisher || t('knowledge-hub.resource.unknown')}</dd>
        <dt>{t('knowledge-hub.resource.year')}</dt>
        <dd>{resource.year ?? t('knowledge-hub.resource.unknown')}</dd>
        <dt>{t('knowledge-hub.resource.languages')}</dt>
        <dd>{languagesText(c, resource.languages)}</dd>
        <dt>{t('knowledge-hub.resource.topics')}</dt>
        <dd>
          {resource.topics.length === 0 ? (
            t('knowledge-hub.resource.unknown')
          ) : (
            <ul>
              {resource.topics.map((x) => (
                <li>
                  <a href={`${base}?topic=${x}`}>{t(`knowledge-hub.topic.${x}`)}</a>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('knowledge-hub.resource.scope')}</dt>
        <dd>
          {resource.cityId === null
            ? t('knowledge-hub.resource.scopeNetwork')
            : t('knowledge-hub.resource.scopeCity', { city: brand.name })}
        </dd>
        {resource.creditConsent && resource.creditName && (
          <>
            <dt>{t('knowledge-hub.resource.credit')}</dt>
            <dd dir="auto">{resource.creditName}</dd>
          </>
        )}
      </dl>
      <LinkList c={c} links={resource.links} />
      {partTexts.length > 0 && (
        <>
          <h2>{t('knowledge-hub.resource.parts')}</h2>
          <ol>
            {partTexts.map((p) => (
              <li>
                <a href={resourcePath(lang, city.slug, p.row.id)} lang={p.text.lang} dir="auto">
                  {p.text.text}
                </a>
              </li>
            ))}
          </ol>
        </>
      )}
    </>,
  )
}
