/** The hub of a city, `/{lang}/{city}/hub`: every contribution and newsletter page lives under it. */
export function hubPath(lang: string, citySlug: string): string {
  return `/${lang}/${citySlug}/hub`
}

/** The public page of a resource. */
export function resourcePath(lang: string, citySlug: string, id: number): string {
  return `${hubPath(lang, citySlug)}/resources/${id}`
}
