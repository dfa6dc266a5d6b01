/**
 * The one taxonomy this directory publishes: the learning city's building blocks, which every
 * opportunity has exactly one of. Terms and taxonomy are the same for every page, in the city's
 * default language.
 */
import { isLang, translator } from '../../../platform/i18n/index.ts'
import { BUILDING_BLOCKS } from '../../opportunities/index.ts'
import type { Directory } from './directory.ts'
import { hsdsId } from './ids.ts'

type Json = Record<string, unknown>

const t = (d: Directory) => translator(isLang(d.lang) ? d.lang : 'en')

export const taxonomyId = (d: Directory) => hsdsId(d.cityId, 'taxonomy', 1)
export const termId = (d: Directory, block: string) =>
  hsdsId(d.cityId, 'taxonomyTerm', BUILDING_BLOCKS.indexOf(block as (typeof BUILDING_BLOCKS)[number]) + 1)

/** The building block a term's UUID stands for, if it is one of this city's. */
export function blockOf(d: Directory, uuid: string): string | undefined {
  return BUILDING_BLOCKS.find((b) => termId(d, b) === uuid)
}

export function taxonomy(d: Directory): Json {
  return {
    id: taxonomyId(d),
    name: t(d)('hsds.taxonomy.name'),
    description: t(d)('hsds.taxonomy.description'),
    uri: `${d.origin}/${d.lang}/${d.citySlug}/opportunities`,
  }
}

export function term(d: Directory, block: string): Json {
  const name = t(d)(`opportunities.block.${block}`)
  return {
    id: termId(d, block),
    code: block,
    name,
    description: t(d)('hsds.taxonomy.term', { name }),
    taxonomy_id: taxonomyId(d),
    language: d.lang,
  }
}

export const terms = (d: Directory) => BUILDING_BLOCKS.map((b) => term(d, b))

/** A service's building block as an HSDS attribute linking it to its term. */
export function attributeOf(d: Directory, serviceRowId: number, block: string): Json {
  return {
    id: hsdsId(d.cityId, 'attribute', serviceRowId),
    link_id: hsdsId(d.cityId, 'service', serviceRowId),
    link_type: 'building_block',
    link_entity: 'service',
    taxonomy_term_id: termId(d, block),
    taxonomy_term: term(d, block),
  }
}
