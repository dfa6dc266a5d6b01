import { describe, expect, it } from 'vitest'
import { MAX_QUERY_LENGTH, parseSearch } from './index.ts'

describe('parseSearch', () => {
  it('returns null for empty or blank input', () => {
    expect(parseSearch('')).toBeNull()
    expect(parseSearch('   \t\n')).toBeNull()
    expect(parseSearch(undefined)).toBeNull()
  })

  it('collapses whitespace, removes control characters and bounds the length', () => {
    expect(parseSearch('  learning\u0000  cities\n')?.text).toBe('learning cities')
    expect(parseSearch('a'.repeat(1000))?.text.length).toBe(MAX_QUERY_LENGTH)
  })

  it('segments Chinese into words and leaves spaced scripts alone', () => {
    expect(parseSearch('学习城市')?.segments).toEqual(['学习', '城市'])
    expect(parseSearch('learning cities')?.segments).toEqual([])
    expect(parseSearch('مدن التعلم')?.segments).toEqual([])
  })
})
