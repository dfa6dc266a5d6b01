import type { TranslatedText } from '../../platform/i18n/index.ts'
import { BUILDING_BLOCKS } from '../opportunities/index.ts'

/** Kinds of resource the hub lists. */
export const RESOURCE_TYPES = [
  'guide',
  'policy',
  'research',
  'conference-report',
  'video',
  'video-tutorial',
  'webinar',
  'webinar-series',
  'website',
  'network',
  'award',
  'case-study',
  'tool',
  'newsletter',
] as const
export type ResourceType = (typeof RESOURCE_TYPES)[number]

/** The six action areas of UNESCO's Guidelines for Building Learning Cities. */
export const ACTION_AREAS = [
  'planning',
  'involvement',
  'celebration',
  'accessibility',
  'monitoring-evaluation',
  'funding',
] as const

/** Themes that cut across action areas and building blocks. */
export const THEMES = [
  'history-of-learning-cities',
  'cities-of-learning',
  'lifewide-learning',
  'covid-19-recovery',
] as const

/** Every topic a resource can carry: action areas, the UNESCO building blocks, then themes. */
export const TOPICS = [...ACTION_AREAS, ...BUILDING_BLOCKS, ...THEMES] as const
export type Topic = (typeof TOPICS)[number]

export const RESOURCE_STATUSES = ['draft', 'submitted', 'published', 'declined'] as const
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number]

export const LINK_STATUSES = ['ok', 'broken', 'unknown'] as const
export type LinkStatus = (typeof LINK_STATUSES)[number]

/**
 * A link of a resource. `self` points at the resource itself; `described-at` points at the page where
 * the resource is described, when no address of its own is known (we never guess one).
 */
export interface ResourceLink {
  url: string
  rel: 'self' | 'described-at'
}

/** What a resource says about itself: what curators edit and contributors send. */
export interface ResourceContent {
  title: TranslatedText
  summary: TranslatedText
  links: ResourceLink[]
  type: ResourceType
  publisher: string
  year: number | null
  languages: string[]
  topics: Topic[]
}
