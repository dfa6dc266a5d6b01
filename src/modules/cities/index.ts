export { postalAddress } from './address.ts'
export type { DistrictArea } from './cities.ts'
export {
  createCity,
  DEFAULT_THEME,
  districtAreas,
  districtLocator,
  saveTheme,
  validateCity,
} from './cities.ts'
export { citiesModule } from './module.ts'
export type {
  AddressParts,
  CityRow,
  DistrictRow,
  VenueChoice,
  VenuePlace,
  VenueWithAddress,
} from './repository.ts'
export {
  findCityById,
  findCityBySlug,
  findVenue,
  findVenues,
  listCities,
  listDistrictNames,
  listDistricts,
  listVenuePlaces,
  listVenues,
  searchVenues,
} from './repository.ts'
export { cityScope, currentCity, requireCity } from './scope.ts'
