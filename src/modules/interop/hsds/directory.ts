/** What every HSDS mapping needs to know about the city and this install. */
export interface Directory {
  cityId: number
  citySlug: string
  origin: string
  /** The city's default language: HSDS text fields hold one language. */
  lang: string
  timeZone: string
  /** The city's name in its default language: the `city` of an address written in one line. */
  cityName: string
}
