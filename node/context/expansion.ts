import { HYPONYMS } from './_hyponyms.js'

/** Where each term's line starts in `HYPONYMS` (built on first use). */
let starts: Map<string, number> | undefined
/** Lines split lately (bounded). */
const split = new Map<string, readonly string[]>()
const MAX_SPLIT = 4096

/**
 * The terms of English nouns below a term in WordNet (instrument → violin, clarinet…; city →
 * chicago, seattle…), stemmed like the English tokenizer's terms; empty when none. The lexicon is
 * one read-only string shared by the process (~1.5 MB); the first lookup indexes its lines (a few ms).
 */
export function englishHyponyms (term: string): readonly string[] {
  if (starts === undefined) {
    const m = new Map<string, number>()
    let at = 0
    while (at < HYPONYMS.length) {
      const sp = HYPONYMS.indexOf(' ', at)
      const nl = HYPONYMS.indexOf('\n', at)
      const end = nl === -1 ? HYPONYMS.length : nl
      if (sp > at && sp < end) m.set(HYPONYMS.slice(at, sp), sp + 1)
      at = end + 1
    }
    starts = m
  }
  let out = split.get(term)
  if (out !== undefined) return out
  const s = starts.get(term)
  if (s === undefined) return []
  const nl = HYPONYMS.indexOf('\n', s)
  out = Object.freeze(HYPONYMS.slice(s, nl === -1 ? HYPONYMS.length : nl).split(' '))
  if (split.size >= MAX_SPLIT) split.clear()
  split.set(term, out)
  return out
}

/** Whether an English query asks when something happened or for how long ("When did…", "How long…", "What year…", "How many months…"). */
export function asksWhen (query: string): boolean {
  return /^\W*(?:when|how long|since when|what (?:year|month|date|day|time)|which (?:year|month|day)|how many (?:days|weeks|months|years))\b/i.test(query)
}
