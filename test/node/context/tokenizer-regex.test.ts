import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createTokenizer, regexSegmentable } from '../../../node/context/tokenizer.js'

// The regex path must give exactly the tokens (and offsets) of Intl.Segmenter on text without
// dictionary scripts: compare both on generated Latin/Greek/Cyrillic/Arabic/Hebrew/emoji text.
const POOL = [
  ...'abcxyzABCXYZ', 'é', 'ü', 'ñ', 'ß', 'ø', 'Ł', 'ª', 'ʼ', '\u0301', '\u0308',
  'α', 'β', 'Ω', 'ά', 'ς', 'д', 'ж', 'Я', 'ё', 'і',
  'ب', 'ت', 'ا', 'ل', 'م', '\u064E', '\u0651', '٠', '٣', '٩', '\u060C', '\u066C', '\u066B', '؟',
  'א', 'ב', 'ש', 'ת', '\u05B8', '\u05BC', '\u05F3', '\u05F4', '\u05BE',
  'Ա', 'բ', '\u055A', 'ა', 'ბ',
  ...'0123456789', ...'0123456789',
  ' ', ' ', ' ', ' ', '\n', '\t', '\u00A0', ...'.,;:\'"-_!?()/&%#*', '’', '‘', '“', '—', '·', '…', '\u2027', '\u203F', '\u2044',
  '😀', '👍', '🎉', '❤', '©', '™', '\u{1F3FD}', '\uFE0F', '\u200D', '\u20E3', '🇫', '🇷', '\u00AD', '\u200C', '\u200E'
]

const text = fc.array(fc.constantFrom(...POOL), { minLength: 0, maxLength: 60 }).map(cs => cs.join('') + ' é')

describe('tokenizer regex path', () => {
  const fast = createTokenizer('english')
  const slow = createTokenizer('english', { regexPath: false })

  it('gives the same spans as Intl.Segmenter on generated non-dictionary text', () => {
    let eligible = 0
    let runs = 0
    fc.assert(fc.property(text, (t) => {
      runs++
      if (regexSegmentable(t.normalize('NFKC'))) eligible++
      expect(fast.spans(t)).toEqual(slow.spans(t))
    }), { seed: 20261121, numRuns: 3000 })
    // Most generated texts really take the regex path (the check above is not vacuous).
    expect(eligible / runs).toBeGreaterThan(0.8)
  })

  it('agrees on real sentences in several scripts', () => {
    for (const t of [
      'Café crème, 3.14 € and 1,000 naïve señors — e.g. U.S.A.',
      'Привет, мир! Ёлка в 12:30.',
      'Καλημέρα κόσμε, τι κάνεις;',
      'مرحبا بالعالم، ١٢٣ كتاب',
      'שָׁלוֹם עוֹלָם, צה"ל ו־ג\'',
      'party 🎉 👍🏽 ❤️ 👨‍👩‍👧 🇫🇷 1️⃣ — done’s'
    ]) {
      expect(regexSegmentable(t.normalize('NFKC'))).toBe(true)
      expect(fast.spans(t)).toEqual(slow.spans(t))
    }
  })

  it('leaves dictionary scripts to the segmenter', () => {
    for (const t of ['我喜欢喝咖啡', 'カタカナ and café', 'ภาษาไทย', 'ພາສາລາວ', 'ខ្មែរ', 'မြန်မာ', 'བོད་']) {
      expect(regexSegmentable(t.normalize('NFKC'))).toBe(false)
    }
    expect(fast.terms('我喜欢喝咖啡 café')).toEqual(slow.terms('我喜欢喝咖啡 café'))
  })
})
