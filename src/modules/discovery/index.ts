export { dateWindow } from './date-window.ts'
export { type FacetCounts, facetCounts } from './facets.ts'
export {
  DEFAULT_RADIUS_KM,
  type FilterProblem,
  type Filters,
  filtersQuery,
  parseFilters,
  SORTS,
  TIME_OF_DAY_HOURS,
  TIMES_OF_DAY,
  WEEKDAYS,
  WHEN,
} from './filters.ts'
export { discoveryMapModule } from './map/module.ts'
export { listMatches, type Match, type MatchPage, PAGE_SIZE } from './matches.ts'
export { discoveryModule, REFRESH_WORDS_JOB } from './module.ts'
export { whatNextModule } from './next/module.ts'
export { savedSearchesModule } from './saved/module.ts'
export { FACETS, type Facet } from './scope.ts'
export { correctQuery, refreshWords } from './words.ts'
