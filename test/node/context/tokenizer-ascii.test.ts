import { describe, expect, it } from 'vitest'
import { createTokenizer } from '../../../node/context/tokenizer.js'
import { prng as rng } from '../../_helpers.js'

// `terms` scans pure ASCII by character codes; it must give exactly the terms of `spans`.

describe('tokenizer terms (ASCII scan)', () => {
  it('gives the terms of spans on random ASCII text (seed 5)', () => {
    const r = rng(5)
    const alphabet = "abcXYZ019 ''-.,:_\n\t?!\"'sS"
    const words = ['running', "don't", "it's", 'The', 'CAT', "o'clock", '2023', 'x1y2', "rock'n'roll", 'cafe', "'quoted'", 'ABC123def']
    for (const language of ['english', 'french', 'none'] as const) {
      const tk = createTokenizer(language)
      for (let k = 0; k < 2_000; k++) {
        let text = ''
        const len = Math.floor(r() * 60)
        for (let i = 0; i < len; i++) text += r() < 0.2 ? ` ${words[Math.floor(r() * words.length)]} ` : alphabet[Math.floor(r() * alphabet.length)]
        expect(tk.terms(text), JSON.stringify(text)).toEqual(tk.spans(text).map(s => s.term))
      }
    }
  })

  it('leaves other text to spans', () => {
    const tk = createTokenizer('english')
    for (const text of ['Café crème', 'naïve résumé’s', '咖啡店', 'rock’n’roll 🎉', 'ﬁle']) expect(tk.terms(text)).toEqual(tk.spans(text).map(s => s.term))
  })
})
