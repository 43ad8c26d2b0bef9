import type { InvertedIndex } from './inverted-index.js'
import type { RankingParams } from './interface.js'
import type { DocFilter } from './filter.js'
import { Derivations } from './expansion.js'

/**
 * English words that say when something happened or will (answers to "When…?" questions hold one
 * far more often than other turns); "may" and "march" are left out (mostly verbs).
 */
const TIME_WORDS = `yesterday today tonight tomorrow ago last next recent recently lately earlier later soon week weekend
month year morning afternoon evening night monday tuesday wednesday thursday friday saturday sunday january february april
june july august september october november december`.split(/\s+/)
/** Years and days of the month as terms ("2022", "15th"). */
const TIME_NUMBER = /^(?:1[89]\d\d|20\d\d|\d{1,2}(?:st|nd|rd|th))$/

/** BM25 parameters of conversations read as one document (standard values; long documents). */
const SESSION_K1 = 1.2
const SESSION_B = 0.75

/** Candidates kept for conversation-aware rescoring, per hit asked for (at least `MIN_POOL`). */
const POOL_PER_HIT = 3
const MIN_POOL = 100

/** Reusable per-index scratch buffers (one ranker per index: no module-level state). */
export class Ranker {
  private scores = new Float64Array(0)
  private bonus = new Float64Array(0)
  /** 0 unknown, 1 passes the filter, 2 fails it. */
  private seen = new Uint8Array(0)
  private touched: number[] = []
  private best = 0
  /** Per conversation: its BM25 score as one document (see accumulate), and the term being read's frequency in it. */
  private convScores = new Float64Array(0)
  private convTf = new Float64Array(0)
  /** Per conversation: the last term (stamp) that counted it, for df and for tf. */
  private dfStamp = new Uint32Array(0)
  private tfStamp = new Uint32Array(0)
  private stamp = 0
  private convsTouched: number[] = []

  private readonly derivations: Derivations

  constructor (private readonly index: InvertedIndex, private readonly params: RankingParams) {
    this.derivations = new Derivations(index)
  }

  /**
   * Ranks docs for weighted query terms, widened with the words' other forms (irregular
   * inflections, other short endings) and narrower words: BM25 (term at a time, rarest first; a very common
   * term only rescores docs already found once it cannot lift a new doc near the top), a
   * boost for docs whose speaker the query names, pseudo-relevance feedback (a second pass
   * with the best terms of the first pass's top docs), then, over the best candidates,
   * conversation-aware rescoring: a reply inherits a share of the turn before it (more when
   * that turn asked a question), a turn a share of the one after it, turns two away a smaller
   * share (inherited shares are boosted when the turn's speaker is the one the query names),
   * every candidate a share of its conversation's BM25 score as one document (read in the same
   * pass over the postings), and, when the query asks when (`asksWhen`), a boost for turns that
   * hold a time word. Returns up to `limit` [doc, score] pairs, best first.
   */
  rank (query: Map<string, number>, filter: DocFilter, limit: number, boost?: (n: number) => number, asksWhen = false): Array<[number, number]> {
    const ix = this.index
    const p = this.params
    if (p.inflections > 0 || p.derivations > 0) query = this.withFamilies(query)
    if (p.hyponyms > 0) query = this.withHyponyms(query)
    this.ensure(ix.size)
    this.ensureConvs(ix.convNames.length)
    this.best = 0
    const speakers: string[] = []
    for (const t of query.keys()) if (ix.roleTerms.has(t)) speakers.push(t)
    try {
      const order = [...query].map(([t, w]) => [t, speakers.includes(t) ? w * p.speakerText : w] as [string, number])
        .sort((a, b) => (ix.postings.get(a[0])?.df ?? 0) - (ix.postings.get(b[0])?.df ?? 0))
      // MaxScore-style pruning (Turtle & Flood 1995): once the terms still to come could not lift
      // a doc seen by none of the earlier ones into the candidate pool, they only rescore found docs.
      const poolSize = Math.max(limit * POOL_PER_HIT, MIN_POOL)
      const bounds = order.map(([t, w]) => this.upperBound(t, w))
      let remaining = bounds.reduce((a, b) => a + b, 0)
      let restricted = false
      const sessions = p.sessionDoc
      order.forEach(([t, w], i) => {
        if (!restricted && this.touched.length >= poolSize && remaining < this.best && remaining < this.threshold(poolSize)) restricted = true
        this.accumulate(t, w, filter, restricted, sessions > 0)
        remaining -= bounds[i]
      })
      if (boost !== undefined) for (const n of this.touched) this.scores[n] *= boost(n)
      if (speakers.length > 0 && p.speaker > 0) {
        // The first speaker named is usually the question's subject ("What did John tell Tim?").
        for (const n of this.touched) {
          const i = ix.roleIdx[n] < 0 ? -1 : speakers.indexOf(ix.roleOf(n) as string)
          if (i >= 0) this.scores[n] *= 1 + (i === 0 ? p.speaker : p.speaker * p.otherSpeaker)
        }
      }
      if (p.prfWeight > 0 && p.prfDocs > 0 && p.prfTerms > 0) this.feedback(query, filter, speakers, poolSize)
      const pool = this.top(poolSize)
      const rescored = this.conversational(pool, filter, speakers, asksWhen)
      return rescored.slice(0, limit)
    } finally {
      for (const n of this.touched) { this.scores[n] = 0; this.bonus[n] = 0; this.seen[n] = 0 }
      this.touched.length = 0
      for (const c of this.convsTouched) this.convScores[c] = 0
      this.convsTouched.length = 0
    }
  }

  /**
   * Adds the index's terms for narrower words of each query term at a lower weight (WordNet
   * hyponyms: "What instruments…" also finds "clarinet", "Which cities…" finds "Chicago").
   */
  private withHyponyms (query: Map<string, number>): Map<string, number> {
    const ix = this.index
    let out: Map<string, number> | undefined
    for (const [t, w] of query) {
      for (const u of ix.tokenizer.narrower?.(t) ?? []) {
        if (query.has(u) || (ix.postings.get(u)?.df ?? 0) <= 0) continue
        out ??= new Map(query)
        const x = w * this.params.hyponyms
        if ((out.get(u) ?? 0) < x) out.set(u, x)
      }
    }
    return out ?? query
  }

  /**
   * Adds the index's terms for the other forms of each query word that stemming leaves apart:
   * irregular inflections and informal forms ("What did Ana buy?" also finds "bought", "family"
   * finds "fam") at `inflections` times the
   * term's weight, and words with a short other ending ("writer" for "write", "competition" for
   * "compete") at `derivations` times. An added term never weighs more than the query's own
   * word (its weight is scaled down when it is rarer), and speakers' names are left alone.
   */
  private withFamilies (query: Map<string, number>): Map<string, number> {
    const ix = this.index
    const { inflections, derivations } = this.params
    let out: Map<string, number> | undefined
    for (const [t, w] of query) {
      if (ix.roleTerms.has(t)) continue
      const idf = this.idf(ix.postings.get(t)?.df ?? 0)
      const add = (u: string, share: number): void => {
        if (query.has(u) || ix.roleTerms.has(u)) return
        const df = ix.postings.get(u)?.df ?? 0
        if (df <= 0) return
        const x = w * share * Math.min(1, idf / this.idf(df))
        out ??= new Map(query)
        if ((out.get(u) ?? 0) < x) out.set(u, x)
      }
      if (inflections > 0) for (const u of ix.tokenizer.inflections?.(t) ?? []) add(u, inflections)
      if (derivations > 0) for (const u of this.derivations.of(t)) add(u, derivations)
    }
    return out ?? query
  }

  private ensure (size: number): void {
    if (this.scores.length >= size) return
    const cap = Math.max(size, this.scores.length * 2, 1024)
    this.scores = new Float64Array(cap)
    this.bonus = new Float64Array(cap)
    this.seen = new Uint8Array(cap)
  }

  private ensureConvs (size: number): void {
    if (this.convScores.length >= size) return
    const cap = Math.max(size, this.convScores.length * 2, 64)
    this.convScores = new Float64Array(cap)
    this.convTf = new Float64Array(cap)
    this.dfStamp = new Uint32Array(cap)
    this.tfStamp = new Uint32Array(cap)
  }

  private idf (df: number): number {
    const n = this.index.live
    return Math.log(1 + (n - df + 0.5) / (df + 0.5))
  }

  private passes (n: number, filter: DocFilter): boolean {
    const s = this.seen[n]
    if (s === 1) return true
    if (s === 2) return false
    const ok = this.index.alive[n] === 1 && (filter === undefined || filter(n))
    this.seen[n] = ok ? 1 : 2
    this.touched.push(n)
    return ok
  }

  /** The most a term can add to one doc's score. */
  private upperBound (term: string, weight: number): number {
    const post = this.index.postings.get(term)
    return post === undefined || post.df <= 0 ? 0 : this.idf(post.df) * weight * (this.params.k1 + 1)
  }

  /** The score of the `k`-th best doc so far (0 when fewer). */
  private threshold (k: number): number {
    const t = this.top(k)
    return t.length < k ? 0 : t[t.length - 1][1]
  }

  /**
   * Adds a term's BM25 share to the docs holding it. With `sessions` (and a full pass over its
   * postings), also to each conversation as one document (its turns' text together): the term's
   * frequency in the conversation's passing docs, its length, and the share of all conversations
   * holding the term. (A common term read only for docs already found adds nothing to conversations.)
   */
  private accumulate (term: string, weight: number, filter: DocFilter, restricted = false, sessions = false): void {
    const post = this.index.postings.get(term)
    if (post === undefined || post.df <= 0 || weight <= 0) return
    const idf = this.idf(post.df) * weight
    const { k1, b } = this.params
    const norm = k1 / this.index.avgLength
    const lengths = this.index.lengths
    const docs = post.docs
    const tfs = post.tfs
    const scores = this.scores
    const seen = this.seen
    // Tail term: walk the docs found so far (binary search in the posting list) instead of the list.
    if (restricted && this.touched.length * 16 < post.length) {
      const found = this.touched.slice()
      for (const n of found) {
        if (seen[n] !== 1) continue
        let lo = 0
        let hi = post.length - 1
        while (lo <= hi) {
          const mid = (lo + hi) >> 1
          const d = docs[mid]
          if (d === n) { const tf = tfs[mid]; scores[n] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b) + norm * b * lengths[n]); break }
          if (d < n) lo = mid + 1; else hi = mid - 1
        }
      }
      return
    }
    let best = this.best
    if (!restricted && sessions) {
      const ix = this.index
      const convs = ix.convs
      const alive = ix.alive
      if (this.stamp >= 0xffffffff) { this.stamp = 0; this.dfStamp.fill(0); this.tfStamp.fill(0) }
      const stamp = ++this.stamp
      const { dfStamp, tfStamp, convTf } = this
      const found: number[] = []
      let df = 0
      for (let i = 0; i < post.length; i++) {
        const n = docs[i]
        const c = convs[n]
        if (c >= 0 && dfStamp[c] !== stamp && alive[n] === 1) { dfStamp[c] = stamp; df++ }
        if (seen[n] === 2 || (seen[n] === 0 && !this.passes(n, filter))) continue
        const tf = tfs[i]
        const s = scores[n] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b) + norm * b * lengths[n])
        if (s > best) best = s
        if (c >= 0) {
          if (tfStamp[c] !== stamp) { tfStamp[c] = stamp; convTf[c] = 0; found.push(c) }
          convTf[c] += tf
        }
      }
      const nc = Math.max(ix.liveConvs, df)
      const cidf = Math.log(1 + (nc - df + 0.5) / (df + 0.5)) * weight
      const cnorm = SESSION_K1 * SESSION_B / (ix.convTotalLength / Math.max(1, ix.liveConvs))
      for (const c of found) {
        const tf = convTf[c]
        if (this.convScores[c] === 0) this.convsTouched.push(c)
        this.convScores[c] += cidf * tf * (SESSION_K1 + 1) / (tf + SESSION_K1 * (1 - SESSION_B) + cnorm * ix.convLengths[c])
      }
      this.best = best
      return
    }
    for (let i = 0; i < post.length; i++) {
      const n = docs[i]
      if (seen[n] === 2 || (seen[n] === 0 && (restricted || !this.passes(n, filter)))) continue
      const tf = tfs[i]
      const s = scores[n] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b) + norm * b * lengths[n])
      if (s > best) best = s
    }
    this.best = best
  }

  private feedback (query: Map<string, number>, filter: DocFilter, speakers: string[], poolSize: number): void {
    const ix = this.index
    const p = this.params
    const best = this.top(p.prfDocs)
    if (best.length === 0) return
    const top = best[0][1]
    const weights = new Map<string, number>()
    for (const [n, s] of best) {
      const dt = ix.terms[n]
      if (dt === undefined) continue
      const share = s / top
      for (let i = 0; i < dt.terms.length; i++) {
        const t = dt.terms[i]
        if (query.has(t) || speakers.includes(t)) continue
        const post = ix.postings.get(t)
        if (post === undefined || post.df < 2) continue
        const w = share * (dt.tfs[i] / dt.length) * this.idf(post.df)
        weights.set(t, (weights.get(t) ?? 0) + w)
      }
    }
    const chosen = [...weights].sort((a, b) => b[1] - a[1]).slice(0, p.prfTerms)
    if (chosen.length === 0) return
    const max = chosen[0][1]
    const expansion = chosen.map(([t, w]) => [t, p.prfWeight * w / max] as [string, number])
    let remaining = expansion.reduce((a, [t, w]) => a + this.upperBound(t, w), 0)
    const theta = this.touched.length >= poolSize && remaining < this.best ? this.threshold(poolSize) : 0
    for (const [t, w] of expansion) {
      this.accumulate(t, w, filter, remaining < theta)
      remaining -= this.upperBound(t, w)
    }
  }

  /** Rescores a candidate pool with its conversations (replies, previous turns, sessions, time words). */
  private conversational (pool: Array<[number, number]>, filter: DocFilter, speakers: string[] = [], asksWhen = false): Array<[number, number]> {
    const ix = this.index
    const { next, nextQuestion, prev, session, twoAway } = this.params
    const sessionDoc = this.params.sessionDoc
    if (next <= 0 && nextQuestion <= 0 && prev <= 0 && session <= 0 && twoAway <= 0 && sessionDoc <= 0) return pool
    const scores = this.scores
    const bonus = this.bonus
    const bestConv = new Map<number, number>()
    const members = new Set<number>()
    for (const [n, s] of pool) {
      members.add(n)
      const [a, b] = ix.neighbours(n)
      const fwd = s * (ix.questions[n] === 1 ? nextQuestion : next)
      if (b >= 0 && bonus[b] < fwd && this.passes(b, filter)) { bonus[b] = fwd; members.add(b) }
      const back = s * prev
      if (a >= 0 && bonus[a] < back && this.passes(a, filter)) { bonus[a] = back; members.add(a) }
      if (twoAway > 0) {
        // Answers often come two turns later ("Can you share the recipe?" "Sure!" "I'll make it…").
        const far = s * twoAway
        const aa = a >= 0 ? ix.neighbours(a)[0] : -1
        const bb = b >= 0 ? ix.neighbours(b)[1] : -1
        if (aa >= 0 && bonus[aa] < far && this.passes(aa, filter)) { bonus[aa] = far; members.add(aa) }
        if (bb >= 0 && bonus[bb] < far && this.passes(bb, filter)) { bonus[bb] = far; members.add(bb) }
      }
      const c = ix.convs[n]
      if (c >= 0 && (bestConv.get(c) ?? 0) < s) bestConv.set(c, s)
    }
    const out: Array<[number, number]> = []
    // Conversations as documents: each turn gets a share of the top turn's score, as its
    // conversation's score is to the best conversation's.
    let bestConvScore = 0
    for (const c of this.convsTouched) if (this.convScores[c] > bestConvScore) bestConvScore = this.convScores[c]
    const convShare = bestConvScore > 0 && pool.length > 0 ? sessionDoc * pool[0][1] / bestConvScore : 0
    const when = asksWhen ? this.params.when : 0
    const { speakerInherited, otherSpeaker, unnamedInherited } = this.params
    for (const n of members) {
      let inherited = bonus[n]
      // What a turn inherits from its neighbours counts more when its speaker is the one the query
      // names, and less when the query names speakers but not its own.
      if (speakers.length > 0 && inherited > 0) {
        const i = ix.roleIdx[n] < 0 ? -1 : speakers.indexOf(ix.roleOf(n) as string)
        if (i >= 0) inherited *= 1 + (i === 0 ? speakerInherited : speakerInherited * otherSpeaker)
        else if (ix.roleIdx[n] >= 0) inherited *= unnamedInherited
      }
      let s = scores[n] + inherited
      const c = ix.convs[n]
      if (session > 0 && c >= 0 && scores[n] > 0) s += session * (bestConv.get(c) ?? 0)
      if (convShare > 0 && c >= 0) s += convShare * this.convScores[c]
      if (when > 0 && this.dated(n)) s *= 1 + when
      out.push([n, s])
    }
    return out.sort((a, b) => b[1] - a[1] || a[0] - b[0])
  }

  /** Per term id: 0 not yet read, 1 a time word, 2 not. */
  private timeTerms = new Uint8Array(0)

  /** Whether doc n says when something happens (a time word: "yesterday", "last week", "2022", "the 15th"). */
  private dated (n: number): boolean {
    const ix = this.index
    if (this.timeTerms.length < ix.termNames.length) {
      const t = new Uint8Array(Math.max(ix.termNames.length, this.timeTerms.length * 2, 1024))
      t.set(this.timeTerms)
      this.timeTerms = t
    }
    let found = false
    ix.forEachTerm(n, id => {
      if (found) return
      let f = this.timeTerms[id]
      if (f === 0) { f = this.timeWords().has(ix.termNames[id]) || TIME_NUMBER.test(ix.termNames[id]) ? 1 : 2; this.timeTerms[id] = f }
      if (f === 1) found = true
    })
    return found
  }

  private times?: Set<string>

  /** The index's terms of TIME_WORDS. */
  private timeWords (): Set<string> {
    if (this.times === undefined) {
      this.times = new Set()
      for (const w of TIME_WORDS) { const t = this.index.tokenizer.term(w); if (t !== undefined) this.times.add(t) }
    }
    return this.times
  }

  /** The best `limit` scored docs (a bounded min-heap over the touched docs). */
  private top (limit: number): Array<[number, number]> {
    const scores = this.scores
    const seen = this.seen
    const heap: number[] = []
    const less = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b)
    for (const n of this.touched) {
      if (scores[n] <= 0 || seen[n] !== 1) continue
      if (heap.length < limit) {
        heap.push(n)
        let i = heap.length - 1
        while (i > 0) { const j = (i - 1) >> 1; if (!less(heap[i], heap[j])) break; [heap[i], heap[j]] = [heap[j], heap[i]]; i = j }
      } else if (less(heap[0], n)) {
        heap[0] = n
        let i = 0
        for (;;) {
          const l = 2 * i + 1; const r = l + 1; let m = i
          if (l < heap.length && less(heap[l], heap[m])) m = l
          if (r < heap.length && less(heap[r], heap[m])) m = r
          if (m === i) break
          ;[heap[i], heap[m]] = [heap[m], heap[i]]; i = m
        }
      }
    }
    return heap.sort((a, b) => (less(a, b) ? 1 : less(b, a) ? -1 : 0)).map(n => [n, scores[n]])
  }
}
