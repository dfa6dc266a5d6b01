import { describe, expect, it } from 'vitest'
import { filtersOf } from '../../../../test/catalogue.ts'
import '../../../app.ts'
import { type Lang, translator } from '../../../platform/i18n/index.ts'
import { cleanName, describeFilters, madeName, NAME_MAX } from './describe.ts'

const wording = (lang: Lang, districts: Record<string, Record<string, string>> = {}) => ({
  t: translator(lang),
  lang,
  districts: new Map(Object.entries(districts)),
  fallback: 'en',
})

describe('a search in words', () => {
  it('says each filter it sets, in the order of the canonical URL', () => {
    const filters = filtersOf(
      'q=pottery&free=yes&age=9&lang=es,fr&format=online&access=step-free,captions&district=north&when=this-weekend&time=evening&day=sa&sector=library',
    )
    expect(describeFilters(filters, wording('en', { north: { en: 'North Side' } }))).toBe(
      'pottery · for age 9 · Free · in Spanish or French · Online · Captions and Step-free access · in North Side · This weekend · Saturday · Evenings · Library',
    )
  })

  it('is “everything” without filters, and speaks the reader’s language', () => {
    expect(describeFilters(filtersOf(''), wording('en'))).toBe('Everything')
    expect(describeFilters(filtersOf('free=yes&day=mo'), wording('fr'))).toBe('Gratuit · lundi')
    expect(describeFilters(filtersOf('free=yes&when=today'), wording('ar'))).toBe('مجاني · اليوم')
    expect(describeFilters(filtersOf('from=2027-03-06&to=2027-03-08'), wording('zh'))).toContain('2027')
    // A district without a name is shown by its code.
    expect(describeFilters(filtersOf('district=n7'), wording('en'))).toBe('in N7')
  })

  it('makes names of at most NAME_MAX characters and cleans names as typed', () => {
    const long = madeName(filtersOf(`q=${'word '.repeat(40)}`), wording('en'))
    expect([...long]).toHaveLength(NAME_MAX)
    expect(long.endsWith('…')).toBe(true)
    expect(cleanName(' Art\r\n\tclubs \u202Eevil\u2066 ')).toBe('Art clubs evil')
    // Joiners inside words and emoji are kept.
    expect(cleanName('👩‍🔬 science')).toBe('👩‍🔬 science')
  })
})
