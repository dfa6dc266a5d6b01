export { createCity, DEFAULT_THEME, districtLocator, saveTheme, validateCity } from './cities.ts'
export { citiesModule } from './module.ts'
export type { CityRow, DistrictRow } from './repository.ts'
export {
  findCityById,
  findCityBySlug,
  findVenue,
  listCities,
  listDistricts,
  listVenues,
} from './repository.ts'
export { cityScope, currentCity } from './scope.ts'
