import { describe, expect, it } from 'vitest'
import { linkProblem, normaliseUrl, parseContribution } from './contribution-input.ts'

describe('contribution input', () => {
  it('normalises links so scheme, www, case of the host, trailing slash, fragment and tracking do not matter', () => {
    const key = normaliseUrl('https://www.example.org/guide/')
    for (const variant of [
      'http://example.org/guide',
      'https://EXAMPLE.org/guide#part-2',
      'https://example.org/guide/?utm_source=x&utm_campaign=y&fbclid=z',
      'https://example.org:443/guide/index.html',
    ])
      expect(normaliseUrl(variant), variant).toBe(key)
    expect(normaliseUrl('https://example.org/guide?b=2&a=1')).toBe(
      normaliseUrl('https://example.org/guide?a=1&b=2'),
    )
    expect(normaliseUrl('https://example.org/guide?id=1')).not.toBe(key)
    expect(normaliseUrl('https://example.org/Guide')).not.toBe(key)
    expect(normaliseUrl('javascript:alert(1)')).toBeUndefined()
  })

  it('accepts only absolute http(s) links', () => {
    expect(linkProblem('https://example.org/a')).toBeUndefined()
    expect(linkProblem('javascript:alert(1)')).toBe('scheme')
    expect(linkProblem('data:text/html,<b>x</b>')).toBe('scheme')
    expect(linkProblem('example.org')).toBe('url')
    expect(linkProblem('https://user:pw@example.org/')).toBe('url')
    expect(linkProblem(`https://example.org/${'a'.repeat(2000)}`)).toBe('long')
  })

  it('keeps only known languages and topics, in a stable order, and the credit name only with consent', () => {
    const parsed = parseContribution({
      textLanguage: 'fr',
      title: ' Villes apprenantes\u0000 ',
      summary: 'Un guide.',
      links: 'https://example.org/a\nhttps://example.org/a\n\nhttps://example.org/b',
      type: 'guide',
      languages: ['es', 'en'],
      topics: ['funding', 'planning'],
      scope: 'network',
      creditName: 'Someone',
    })
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.value.title).toBe('Villes apprenantes')
    expect(parsed.value.links).toEqual(['https://example.org/a', 'https://example.org/b'])
    expect(parsed.value.languages).toEqual(['en', 'es'])
    expect(parsed.value.topics).toEqual(['planning', 'funding'])
    expect(parsed.value.creditName).toBeNull()
    expect(parsed.value.year).toBeNull()
  })
})
