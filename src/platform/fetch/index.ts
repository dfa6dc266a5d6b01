/** Safe fetching of outside addresses (SSRF-proof): see fetch.ts for the rules. */
export {
  type AddressClass,
  type AddressPolicy,
  classifyAddress,
  parseAddressPolicy,
  refusedAddress,
} from './address.ts'
export {
  FetchError,
  type FetchErrorCode,
  type FetchedResponse,
  type FetchOptions,
  fetchExternal,
  type ResolvedAddress,
  type Resolver,
} from './fetch.ts'
