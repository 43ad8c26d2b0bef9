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

/** Shortest term whose family is looked up (shorter ones share beginnings by chance: "art", "car"). */
const MIN_ROOT = 5
/** Most letters a family member adds to or drops from a term. */
const MAX_ENDING = 2
/** Longest term filed (longer ones are mostly run-together words or ids). */
const MAX_FILED = 24
/** Alphabetic words, where an ending is a suffix (not CJK, whose words are short and unstemmed). */
const ALPHABETIC = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]+$/u

/** What `Derivations` reads of an index: its term dictionary (append-only between rebuilds). */
export interface TermDictionary {
  readonly termNames: readonly string[]
  readonly termIds: ReadonlyMap<string, number>
}

/**
 * Terms of an index that differ from a term by a short ending only, after stemming: the family
 * a suffix stemmer leaves apart ("write" / "writer", "compet" / "competit", "injur" / "injuri",
 * "creat" / "creativ"). For query expansion at a lower weight. Each term of the dictionary is
 * filed once, under its beginning without its last `MAX_ENDING` letters, as the dictionary grows.
 */
export class Derivations {
  private names: readonly string[] | undefined
  private seen = 0
  /** Beginning → the term or terms filed under it. */
  private filed = new Map<string, string | string[]>()

  constructor (private readonly dict: TermDictionary) {}

  /** The index's terms of `term`'s family (not `term` itself); empty for short or non-alphabetic terms. */
  of (term: string): string[] {
    this.update()
    const out: string[] = []
    if (term.length < MIN_ROOT || term.length > MAX_FILED || !ALPHABETIC.test(term)) return out
    // Longer: a term one or two letters longer is filed under `term` or `term` less its last letter.
    const keys = term.length > MIN_ROOT ? [term, term.slice(0, -1)] : [term]
    for (const k of keys) {
      const f = this.filed.get(k)
      for (const u of f === undefined ? [] : typeof f === 'string' ? [f] : f) {
        if (u !== term && u.length > term.length && u.length - term.length <= MAX_ENDING && u.startsWith(term)) out.push(u)
      }
    }
    // Shorter: its beginnings that are terms themselves.
    for (let k = Math.max(MIN_ROOT, term.length - MAX_ENDING); k < term.length; k++) {
      const u = term.slice(0, k)
      if (this.dict.termIds.has(u)) out.push(u)
    }
    return out
  }

  private update (): void {
    const names = this.dict.termNames
    if (names !== this.names || names.length < this.seen) { this.names = names; this.seen = 0; this.filed.clear() }
    for (; this.seen < names.length; this.seen++) {
      const u = names[this.seen]
      if (u.length <= MIN_ROOT || u.length > MAX_FILED || !ALPHABETIC.test(u)) continue
      const k = u.slice(0, Math.max(MIN_ROOT, u.length - MAX_ENDING))
      const f = this.filed.get(k)
      if (f === undefined) this.filed.set(k, u)
      else if (typeof f === 'string') this.filed.set(k, [f, u])
      else f.push(u)
    }
  }
}
