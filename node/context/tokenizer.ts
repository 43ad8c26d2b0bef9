import { stemmerFor } from './_stemmers.js'
import { stopwordsFor } from './stopwords.js'
import type { StemLanguage } from './interface.js'

/** A token and where its surface form lies in the text (UTF-16 offsets). */
export interface TokenSpan {
  term: string
  start: number
  end: number
}

/** Turns text into index terms. One per index; holds its caches (no module-level state). */
export interface Tokenizer {
  /** Terms of a text, in order, without stopwords; the same word always gives the same term. */
  terms (text: string): string[]
  /** Terms with their offsets, for snippets. */
  spans (text: string): TokenSpan[]
  /** Whether a folded word is a stopword. */
  isStopword (word: string): boolean
  /** The term of one word (folded and stemmed), or undefined for a stopword. */
  term (word: string): string | undefined
}

const ASCII_WORDS = /[a-z0-9]+(?:['’][a-z]+)?/g
const LATINISH = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M}\p{Nd}'’]+$/u
const HAN_KANA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
const PICTO = /\p{Extended_Pictographic}/u
const MAX_CACHE = 200_000

/**
 * Unicode-aware tokenizer: NFKC, case folding, diacritic folding (Latin, Greek and Cyrillic
 * only: Japanese voicing marks and Hangul keep theirs), Intl.Segmenter word segmentation
 * (dictionary-based for Chinese and Japanese), Snowball stemming, stopwords; emoji are tokens.
 * Han/Kana words of three or more characters also yield their character bigrams, so a query
 * word that the segmenter split differently still matches.
 */
export function createTokenizer (language: StemLanguage): Tokenizer {
  const stem = stemmerFor(language)
  const stop = stopwordsFor(language)
  const segmenter = new Intl.Segmenter('und', { granularity: 'word' })
  const cache = new Map<string, string | null>()

  function fold (word: string): string {
    let w = word.toLowerCase()
    if (LATINISH.test(w)) w = w.normalize('NFD').replace(/\p{M}/gu, '')
    return w.replace(/['’]s$/, '').replace(/['’]/g, '')
  }

  function term (word: string): string | undefined {
    let t = cache.get(word)
    if (t === undefined) {
      const f = fold(word)
      if (f === '' || stop.has(f)) t = null
      else if (LATINISH.test(f) && f.length > 2 && !/^\d+$/.test(f)) t = stem(f)
      else t = f
      if (cache.size >= MAX_CACHE) cache.clear()
      cache.set(word, t)
    }
    return t ?? undefined
  }

  function spans (text: string): TokenSpan[] {
    const out: TokenSpan[] = []
    const norm = text.normalize('NFKC')
    // Fast path: pure ASCII needs no segmenter (most English text; ~20x faster).
    // NFKC keeps ASCII unchanged, so offsets still point into `text`.
    if (/^[\x00-\x7f]*$/.test(norm)) {
      const lower = norm.toLowerCase()
      for (const m of lower.matchAll(ASCII_WORDS)) {
        const t = term(m[0])
        if (t !== undefined) out.push({ term: t, start: m.index, end: m.index + m[0].length })
      }
      return out
    }
    const sameLength = norm.length === text.length
    for (const s of segmenter.segment(norm)) {
      const seg = s.segment
      const start = sameLength ? s.index : 0
      const end = sameLength ? s.index + seg.length : 0
      if (s.isWordLike === true) {
        const t = term(seg)
        if (t === undefined) continue
        out.push({ term: t, start, end })
        if (seg.length >= 3 && HAN_KANA.test(seg)) {
          const chars = [...seg]
          for (let i = 0; i + 1 < chars.length; i++) out.push({ term: chars[i] + chars[i + 1], start, end })
        }
      } else if (PICTO.test(seg)) {
        out.push({ term: seg.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, ''), start, end })
      }
    }
    return out
  }

  return {
    spans,
    terms: (text) => spans(text).map(s => s.term),
    isStopword: (word) => stop.has(fold(word)),
    term
  }
}
