import { stemmerFor } from './_stemmers.js'
import { stopwordsFor } from './stopwords.js'
import type { StemLanguage } from './interface.js'
import { englishHyponyms } from './expansion.js'
import { ENGLISH_INFORMAL, ENGLISH_IRREGULAR } from './_inflections.js'

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
  /**
   * Terms of narrower words (hyponyms: "instrument" → "violin", "clarinet"…), for query
   * expansion; English only (WordNet), empty otherwise.
   */
  narrower? (term: string): readonly string[]
  /**
   * Terms of the other forms of the same word where stemming cannot join them: irregular
   * inflections ("buy" → "bought", "children" → "child") and informal or clipped forms ("fam" →
   * "family", "tourney" → "tournament"), for query expansion; English only, empty otherwise.
   */
  inflections? (term: string): readonly string[]
}

function isAsciiLower (c: number): boolean { return c >= 0x61 && c <= 0x7a }
function isAsciiAlnum (c: number): boolean { return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) }

/** Whether the regex path segments this (NFKC) text, instead of Intl.Segmenter. */
export function regexSegmentable (norm: string): boolean {
  // Latin text with general punctuation (the common case) needs only the cheap range test.
  if (LATIN_PUNCT.test(norm)) return !MID_EXTEND.test(norm)
  return REGEX_SAFE.test(norm) && !REGEX_UNSAFE.test(norm)
}

export interface TokenizerOptions {
  /**
   * Segment text in scripts without dictionary segmentation by a UAX #29 regex instead of
   * Intl.Segmenter (same words, much faster). Default true; false is for tests.
   */
  regexPath?: boolean
}

const ASCII_WORDS = /[a-z0-9]+(?:['’][a-z]+)?/g
const LATINISH = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M}\p{Nd}'’]+$/u
const HAN_KANA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
const PICTO = /\p{Extended_Pictographic}/u
const MAX_CACHE = 200_000
const NONE: readonly string[] = []

// Word boundaries of UAX #29 (what Intl.Segmenter applies outside dictionary scripts), as a regex.
// Extend and Format characters cling to the character before them (WB4).
const EXT_CHAR = '[\\p{M}\\u00AD\\u200C-\\u200F\\u2060\\uFEFF\\u{1F3FB}-\\u{1F3FF}]'
const EXT = `${EXT_CHAR}*`
/** ALetter (letters and a few symbols UAX #29 counts as letters). */
const LETTER = '[\\p{L}\\p{Nl}\\u02C2-\\u02C5\\u02D2-\\u02D7\\u02DE\\u02DF\\u02E5-\\u02EB\\u02ED\\u02EF-\\u02FF\\u055A-\\u055C\\u055E\\u058A\\u05F3]'
const HEBREW = '[\\u05D0-\\u05EA\\u05EF-\\u05F2\\uFB1D\\uFB1F-\\uFB28\\uFB2A-\\uFB4F]'
/** Numeric (decimal digits and the Arabic decimal separator). */
const DIGIT = '[\\p{Nd}\\u066B]'
const A = `(?:${LETTER}${EXT})`
const N = `(?:${DIGIT}${EXT})`
const X = `(?:\\p{Pc}${EXT})`
/** MidLetter, MidNumLet and the apostrophe: join letters (WB6/7). */
const MID_LETTER = `[:\\u00B7\\u0387\\u055F\\u05F4\\u2027\\uFE13\\uFE55\\uFF1A.\\u2018\\u2019\\u2024\\uFE52\\uFF07\\uFF0E']`
/** MidNum, MidNumLet and the apostrophe: join digits (WB11/12). */
const MID_NUM = `[,;\\u037E\\u0589\\u060C\\u060D\\u066C\\u07F8\\u2044\\uFE10\\uFE14\\uFE50\\uFE54\\uFF0C\\uFF1B.\\u2018\\u2019\\u2024\\uFE52\\uFF07\\uFF0E']`
const CONT = `(?:${X}|${A}|${N}|(?<=${LETTER}${EXT})${MID_LETTER}${EXT}(?=${LETTER})|(?<=${DIGIT}${EXT})${MID_NUM}${EXT}(?=${DIGIT})` +
  `|(?<=${HEBREW}${EXT})"${EXT}(?=${HEBREW}))`
/** A Hebrew letter keeps a trailing apostrophe (WB7a); nothing else follows it in the word. */
const HEBREW_QUOTE = `(?:(?<=${HEBREW}${EXT})')`
const EMOJI = `\\p{Extended_Pictographic}(?:\\u200D\\p{Extended_Pictographic}|${EXT_CHAR})*`
/** Words (group 1) and emoji sequences (group 2). */
const UNICODE_WORDS = new RegExp(`((?:${X}*(?:${A}|${N})${CONT}*${HEBREW_QUOTE}?|${X}{2,}))|(${EMOJI})`, 'gu')
/**
 * Text the regex segments exactly as Intl.Segmenter does: scripts without dictionary
 * segmentation (no Han, Kana, Thai, Lao, Khmer, Myanmar, Tibetan…), and no format characters
 * or joiner placements whose rules the regex leaves out.
 */
const REGEX_SAFE = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Georgian}\p{Script=Common}\p{Script=Inherited}]*$/u
const LATIN_PUNCT = /^[\x00-\u024F\u2000-\u200A\u2010-\u2027\u2030-\u205E]*$/
/** An extending mark after a joiner or `_` (ICU's word status differs there). */
const MID_EXTEND = /[\p{Pc}:\u00B7\u2027.\u2018\u2019\u2024',;\u2044"][\p{M}\u00AD\u200C-\u200F\u2060\uFEFF\u{1F3FB}-\u{1F3FF}]/u
const REGEX_UNSAFE = /[\u3000-\u30FF\uFF70\u2E80-\u2FFF\u0600-\u0605\u06DD\u070F\u08E2\u180E\u200B\u202A-\u202E\u2061-\u206F\uFFF9-\uFFFB\u{110BD}\u{E0000}-\u{E007F}]|[\p{Pc}:\u00B7\u0387\u055F\u05F4\u2027.\u2018\u2019\u2024',;\u037E\u0589\u060C\u060D\u066C\u07F8\u2044"][\p{M}\u00AD\u200C-\u200F\u2060\uFEFF\u{1F3FB}-\u{1F3FF}]|(?=\u200D\p{Extended_Pictographic})(?<!\p{Extended_Pictographic}[\p{M}\u{1F3FB}-\u{1F3FF}\u200C\u200E\u200F\u2060\uFEFF\u00AD]*)\u200D/u

/**
 * Unicode-aware tokenizer: NFKC, case folding, diacritic folding (Latin, Greek and Cyrillic
 * only: Japanese voicing marks and Hangul keep theirs), Intl.Segmenter word segmentation
 * (dictionary-based for Chinese and Japanese), Snowball stemming, stopwords; emoji are tokens.
 * Han/Kana words of three or more characters also yield their character bigrams, so a query
 * word that the segmenter split differently still matches.
 */
export function createTokenizer (language: StemLanguage, options: TokenizerOptions = {}): Tokenizer {
  const regexPath = options.regexPath ?? true
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

  function push (out: TokenSpan[], seg: string, start: number, end: number, word: boolean): void {
    if (word) {
      const t = term(seg)
      if (t === undefined) return
      out.push({ term: t, start, end })
      if (seg.length >= 3 && HAN_KANA.test(seg)) {
        const chars = [...seg]
        for (let i = 0; i + 1 < chars.length; i++) out.push({ term: chars[i] + chars[i + 1], start, end })
      }
    } else if (PICTO.test(seg)) {
      out.push({ term: seg.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, ''), start, end })
    }
  }

  /** Intl.Segmenter words (dictionary-based for Chinese, Japanese, Thai…): any text. */
  function segmented (norm: string, sameLength: boolean): TokenSpan[] {
    const out: TokenSpan[] = []
    for (const s of segmenter.segment(norm)) {
      const seg = s.segment
      push(out, seg, sameLength ? s.index : 0, sameLength ? s.index + seg.length : 0, s.isWordLike === true)
    }
    return out
  }

  /** The same words by a UAX #29 regex: only for text that `REGEX_SAFE` accepts (~10x faster). */
  function matched (norm: string, sameLength: boolean): TokenSpan[] {
    const out: TokenSpan[] = []
    for (const m of norm.matchAll(UNICODE_WORDS)) {
      const seg = m[0]
      push(out, seg, sameLength ? m.index : 0, sameLength ? m.index + seg.length : 0, m[1] !== undefined)
    }
    return out
  }

  function spans (text: string): TokenSpan[] {
    const norm = text.normalize('NFKC')
    // Fast path: pure ASCII needs no segmenter (most English text; ~20x faster).
    // NFKC keeps ASCII unchanged, so offsets still point into `text`.
    if (/^[\x00-\x7f]*$/.test(norm)) {
      const out: TokenSpan[] = []
      const lower = norm.toLowerCase()
      for (const m of lower.matchAll(ASCII_WORDS)) {
        const t = term(m[0])
        if (t !== undefined) out.push({ term: t, start: m.index, end: m.index + m[0].length })
      }
      return out
    }
    const sameLength = norm.length === text.length
    return regexPath && regexSegmentable(norm) ? matched(norm, sameLength) : segmented(norm, sameLength)
  }

  /**
   * Terms of a text (the words of `spans`, without their offsets). Pure ASCII is scanned by
   * character codes for the words ASCII_WORDS matches: no match or span object per word (the
   * index tokenizes every message it stores, and those objects were most of an import's garbage).
   */
  function terms (text: string): string[] {
    const norm = text.normalize('NFKC')
    if (!/^[\x00-\x7f]*$/.test(norm)) return spans(text).map(s => s.term)
    const lower = norm.toLowerCase()
    const out: string[] = []
    const n = lower.length
    let i = 0
    while (i < n) {
      if (!isAsciiAlnum(lower.charCodeAt(i))) { i++; continue }
      let j = i + 1
      while (j < n && isAsciiAlnum(lower.charCodeAt(j))) j++
      // ['’][a-z]+ (only the ASCII apostrophe can occur here)
      if (j + 1 < n && lower.charCodeAt(j) === 0x27 && isAsciiLower(lower.charCodeAt(j + 1))) {
        j += 2
        while (j < n && isAsciiLower(lower.charCodeAt(j))) j++
      }
      const t = term(lower.slice(i, j))
      if (t !== undefined) out.push(t)
      i = j
    }
    return out
  }

  let families: Map<string, readonly string[]> | undefined
  /** The other terms of a term's family in `ENGLISH_IRREGULAR` and `ENGLISH_INFORMAL` (stemmed here, on first use). */
  function inflections (t: string): readonly string[] {
    if (language !== 'english') return NONE
    if (families === undefined) {
      families = new Map()
      for (const line of `${ENGLISH_IRREGULAR}\n${ENGLISH_INFORMAL}`.split('\n')) {
        const terms = [...new Set(line.split(' ').map(w => term(w)).filter((x): x is string => x !== undefined))]
        for (const x of terms) families.set(x, [...(families.get(x) ?? []), ...terms.filter(y => y !== x)])
      }
    }
    return families.get(t) ?? NONE
  }

  return {
    spans,
    terms,
    isStopword: (word) => stop.has(fold(word)),
    narrower: (t) => language === 'english' ? englishHyponyms(t) : NONE,
    inflections,
    term
  }
}
