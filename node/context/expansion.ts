import { readWordnet, DEFAULT_WORDNET, type WordnetOptions } from './_wordnet.js'

/** Prefix of expansion terms: a separate field of the index, searched at a lower weight. */
export const EXPANSION_PREFIX = '~'

/** Whether an index term is an expansion term. */
export const isExpansion = (t: string): boolean => t.charCodeAt(0) === 126

/**
 * Term → expansion terms (stemmed like the index, prefixed with `~`), from WordNet's
 * hypernyms: "violin" → "~instrument", "poodle" → "~dog", "~animal". Built once, lazily.
 */
export type Expansions = ReadonlyMap<string, readonly string[]>

const built = new Map<string, Expansions>()

/** The expansion map for a tokenizer's `term` function (cached per key: language + options). */
export function expansionsFor (key: string, term: (word: string) => string | undefined, opts: WordnetOptions = DEFAULT_WORDNET): Expansions {
  const cacheKey = `${key}:${JSON.stringify(opts)}`
  let m = built.get(cacheKey)
  if (m !== undefined) return m
  const acc = new Map<string, Set<string>>()
  for (const [word, rel] of readWordnet(opts)) {
    const t = term(word)
    if (t === undefined) continue
    let set = acc.get(t)
    for (const r of rel) {
      const u = term(r)
      if (u === undefined || u === t) continue
      set ??= new Set()
      set.add(EXPANSION_PREFIX + u)
    }
    if (set !== undefined) acc.set(t, set)
  }
  m = new Map([...acc].map(([t, s]) => [t, [...s]]))
  built.set(cacheKey, m)
  return m
}
