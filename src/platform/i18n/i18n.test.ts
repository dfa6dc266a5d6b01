import { IntlMessageFormat } from 'intl-messageformat'
import { describe, expect, it } from 'vitest'
import { modules } from '../../app.ts'
import { catalogue, direction, isLang, LANGUAGES, negotiate, translated, translator } from './index.ts'

type Ast = ReturnType<IntlMessageFormat['getAst']>

/** Element types that name an argument: argument, number, date, time, select, plural. */
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6])

/** The argument names a message uses, walking into select/plural options and tag children. */
function argumentNames(ast: Ast, names = new Set<string>()): Set<string> {
  for (const element of ast) {
    const el = element as {
      type: number
      value?: unknown
      options?: Record<string, { value: Ast }>
      children?: Ast
    }
    if (ARGUMENT_TYPES.has(el.type) && typeof el.value === 'string') names.add(el.value)
    if (el.options) for (const option of Object.values(el.options)) argumentNames(option.value, names)
    if (el.children) argumentNames(el.children, names)
  }
  return names
}

const sorted = (values: Iterable<string>) => [...values].sort()

describe('message catalogues', () => {
  it('are registered for every module with messages', () => {
    expect(modules.length).toBeGreaterThan(0)
    expect(Object.keys(catalogue('en')).length).toBeGreaterThan(0)
    for (const lang of LANGUAGES) expect(isLang(lang)).toBe(true)
    expect(isLang('de')).toBe(false)
  })

  const english = catalogue('en')

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the keys of English', (lang) => {
    const own = catalogue(lang)
    const missing = Object.keys(english).filter((k) => !(k in own))
    const extra = Object.keys(own).filter((k) => !(k in english))
    expect({ missing, extra }, `catalogue "${lang}"`).toEqual({ missing: [], extra: [] })
  })

  it.each([...LANGUAGES])('%s messages parse and use the same arguments as English', (lang) => {
    const problems: string[] = []
    for (const [key, message] of Object.entries(catalogue(lang))) {
      let names: Set<string>
      try {
        names = argumentNames(new IntlMessageFormat(message, lang).getAst())
      } catch (error) {
        problems.push(`${key}: does not parse (${(error as Error).message})`)
        continue
      }
      const source = english[key]
      if (source === undefined) continue
      const expected = sorted(argumentNames(new IntlMessageFormat(source, 'en').getAst()))
      const actual = sorted(names)
      if (expected.join() !== actual.join()) {
        problems.push(`${key}: uses {${actual.join(', ')}}, English uses {${expected.join(', ')}}`)
      }
    }
    expect(problems, `catalogue "${lang}"`).toEqual([])
  })

  it('translates Arabic and marks it right-to-left', () => {
    expect(translator('ar')('ui.skipToContent')).not.toBe(translator('en')('ui.skipToContent'))
    expect(direction('ar')).toBe('rtl')
    for (const lang of LANGUAGES.filter((l) => l !== 'ar')) expect(direction(lang)).toBe('ltr')
  })

  it('formats plural messages', () => {
    const en = translator('en')
    expect(en('cities.districts.intro', { count: 1, population: '5' })).toContain('1 district')
    expect(en('cities.districts.intro', { count: 77, population: '5' })).toContain('77 districts')
    const ru = translator('ru')
    const two = ru('cities.districts.intro', { count: 2, population: '5' })
    const five = ru('cities.districts.intro', { count: 5, population: '5' })
    expect(two).not.toBe(five)
  })
})

describe('translated', () => {
  it('uses the reader’s language, then fallbacks, then English, then any language', () => {
    expect(translated({ es: 'Hola', en: 'Hello' }, 'es')).toEqual({ text: 'Hola', lang: 'es' })
    expect(translated({ en: 'Hello' }, 'fr')).toEqual({ text: 'Hello', lang: 'en' })
    expect(translated({ ru: 'Привет' }, 'fr', ['es'])).toEqual({ text: 'Привет', lang: 'ru' })
    expect(translated({ fr: 'Salut', es: 'Hola' }, 'ar', ['es'])).toEqual({ text: 'Hola', lang: 'es' })
    expect(translated(null, 'en').text).toBe('')
  })
})

describe('negotiate', () => {
  it('picks the best supported language from Accept-Language', () => {
    expect(negotiate('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr')
    expect(negotiate('de-DE,de;q=0.9')).toBeUndefined()
    expect(negotiate('de;q=1, zh-Hans-CN;q=0.8')).toBe('zh')
    expect(negotiate(undefined)).toBeUndefined()
  })
})
