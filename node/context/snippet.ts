import type { Tokenizer } from './tokenizer.js'

/**
 * A passage of `text` around the sentences that hold the most query terms, snapped to
 * sentence boundaries (Intl.Segmenter, sentence granularity) and about `maxChars` long.
 * A single sentence longer than that is cut at a word boundary and marked with "…".
 */
export function makeSnippet (text: string, queryTerms: ReadonlySet<string>, tokenizer: Tokenizer, segmenter: Intl.Segmenter, maxChars: number): string {
  if (text.length <= maxChars) return text.trim()
  const sentences = [...segmenter.segment(text)].map(s => ({ start: s.index, text: s.segment }))
  const scores = sentences.map(s => {
    const seen = new Set<string>()
    for (const t of tokenizer.terms(s.text)) if (queryTerms.has(t)) seen.add(t)
    return seen.size
  })
  let best = 0
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i
  let lo = best
  let hi = best
  let len = sentences[best].text.length
  // Grow towards the side whose next sentence matches more, while it fits.
  for (;;) {
    const left = lo > 0 ? sentences[lo - 1] : undefined
    const right = hi + 1 < sentences.length ? sentences[hi + 1] : undefined
    const pickRight = right !== undefined && (left === undefined || scores[hi + 1] >= scores[lo - 1])
    const next = pickRight ? right : left
    if (next === undefined || len + next.text.length > maxChars) break
    len += next.text.length
    if (pickRight) hi++; else lo--
  }
  let out = sentences.slice(lo, hi + 1).map(s => s.text).join('').trim()
  if (out.length > maxChars) {
    const cut = out.slice(0, maxChars)
    const space = cut.lastIndexOf(' ')
    out = (space > maxChars / 2 ? cut.slice(0, space) : cut) + '…'
  }
  return out
}
