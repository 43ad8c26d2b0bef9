import { describe, expect, it } from 'vitest'
import { createTokenizer } from '../../../node/context/index.js'

describe('tokenizer', () => {
  const tok = createTokenizer('english')

  it('folds case, width and diacritics, and stems English', () => {
    expect(tok.terms('Running RUNS ｒｕｎｎｅｒ')).toEqual(['run', 'run', 'runner'])
    expect(tok.terms('Café crème')).toEqual(tok.terms('cafe CREME'))
  })

  it('drops stopwords and possessive endings', () => {
    expect(tok.terms("The dog's bowl is in the kitchen")).toEqual(['dog', 'bowl', 'kitchen'])
  })

  it('segments Chinese into words and adds bigrams of long words', () => {
    const terms = tok.terms('我喜欢喝咖啡')
    expect(terms).toContain('咖啡')
    expect(terms).toContain('喜欢')
    expect(tok.terms('中华人民共和国')).toEqual(expect.arrayContaining(['共和国', '共和', '和国']))
  })

  it('keeps Japanese voicing marks (no diacritic folding outside Latin, Greek, Cyrillic)', () => {
    expect(tok.terms('ガラス')).not.toEqual(tok.terms('カラス'))
  })

  it('keeps emoji as tokens, without skin-tone or variation selectors', () => {
    expect(tok.terms('party 🎉 👍🏽 ❤️')).toEqual(['parti', '🎉', '👍', '❤'])
  })

  it('stems Spanish with the Spanish stemmer', () => {
    const es = createTokenizer('spanish')
    expect(es.terms('cocinaba cocinar')).toEqual([es.term('cocinar'), es.term('cocinar')])
    expect(es.terms('de la casa')).toEqual([es.term('casa')])
  })

  it('gives spans that point at the words in the text', () => {
    const text = 'Hello wonderful world'
    for (const s of tok.spans(text)) expect(text.slice(s.start, s.end).toLowerCase()).toMatch(/^(hello|wonderful|world)$/)
  })
})
