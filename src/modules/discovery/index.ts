export { dateWindow } from './date-window.ts'
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
export { type FactFilters, listMatches, type Match, PAGE_SIZE } from './matches.ts'
