import type { AddressParts } from './repository.ts'

/**
 * schema.org PostalAddress of a place: its parts where it has them (street, locality, region, postal
 * code, country), else its one-line address as the street. Parts left unknown are left out.
 */
export function postalAddress(v: { address: string } & Partial<AddressParts>): Record<string, unknown> {
  if (!v.address1) return { '@type': 'PostalAddress', streetAddress: v.address }
  const parts: [string, string | null | undefined][] = [
    ['streetAddress', v.address2 ? `${v.address1}, ${v.address2}` : v.address1],
    ['addressLocality', v.locality],
    ['addressRegion', v.region],
    ['postalCode', v.postalCode],
    ['addressCountry', v.country],
  ]
  return { '@type': 'PostalAddress', ...Object.fromEntries(parts.filter(([, x]) => x)) }
}
