import type { InvertedIndex } from './inverted-index.js'
import type { RankingParams } from './interface.js'
import type { DocFilter } from './filter.js'

/** Reusable per-index scratch buffers (one ranker per index: no module-level state). */
export class Ranker {
  private scores = new Float64Array(0)
  private bonus = new Float64Array(0)
  /** 0 unknown, 1 passes the filter, 2 fails it. */
  private seen = new Uint8Array(0)
  private touched: number[] = []

  constructor (private readonly index: InvertedIndex, private readonly params: RankingParams) {}

  /**
   * Ranks docs for weighted query terms: BM25, then a boost for docs whose speaker the query
   * names, pseudo-relevance feedback (a second pass with the best terms of the first pass's
   * top docs), and neighbour smoothing (a turn inherits a share of the best score of the
   * turns next to it in its conversation: answers often sit one turn after the question).
   * Returns up to `limit` [doc, score] pairs, best first.
   */
  rank (query: Map<string, number>, filter: DocFilter, limit: number): Array<[number, number]> {
    const ix = this.index
    const p = this.params
    this.ensure(ix.size)
    const speakers: string[] = []
    for (const t of query.keys()) if (ix.roleTerms.has(t)) speakers.push(t)
    try {
      for (const [t, w] of query) this.accumulate(t, speakers.includes(t) ? w * p.speakerText : w, filter)
      if (speakers.length > 0 && p.speaker > 0) {
        for (const n of this.touched) if (ix.roles[n] !== undefined && speakers.includes(ix.roles[n] as string)) this.scores[n] *= 1 + p.speaker
      }
      if (p.prfWeight > 0 && p.prfDocs > 0 && p.prfTerms > 0) this.feedback(query, filter, speakers)
      if (p.next > 0 || p.nextQuestion > 0 || p.prev > 0 || p.session > 0) this.smooth(filter)
      return this.top(limit)
    } finally {
      for (const n of this.touched) { this.scores[n] = 0; this.bonus[n] = 0; this.seen[n] = 0 }
      this.touched.length = 0
    }
  }

  private ensure (size: number): void {
    if (this.scores.length >= size) return
    const cap = Math.max(size, this.scores.length * 2, 1024)
    this.scores = new Float64Array(cap)
    this.bonus = new Float64Array(cap)
    this.seen = new Uint8Array(cap)
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

  private accumulate (term: string, weight: number, filter: DocFilter): void {
    const post = this.index.postings.get(term)
    if (post === undefined || post.df <= 0) return
    const idf = this.idf(post.df) * weight
    const { k1, b } = this.params
    const norm = k1 / this.index.avgLength
    const lengths = this.index.lengths
    const docs = post.docs
    const tfs = post.tfs
    const scores = this.scores
    for (let i = 0; i < post.length; i++) {
      const n = docs[i]
      if (!this.passes(n, filter)) continue
      const tf = tfs[i]
      scores[n] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b) + norm * b * lengths[n])
    }
  }

  private feedback (query: Map<string, number>, filter: DocFilter, speakers: string[]): void {
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
    for (const [t, w] of chosen) this.accumulate(t, p.prfWeight * w / max, filter)
  }

  private smooth (filter: DocFilter): void {
    const ix = this.index
    const { next, nextQuestion, prev, session } = this.params
    const scores = this.scores
    const bonus = this.bonus
    const scored = this.touched.filter(n => scores[n] > 0)
    const best = new Map<string, number>()
    for (const n of scored) {
      const s = scores[n]
      const [a, b] = ix.neighbours(n)
      // A reply inherits more from the turn before it when that turn asked a question.
      const fwd = s * (ix.questions[n] === 1 ? nextQuestion : next)
      if (b >= 0 && bonus[b] < fwd && this.passes(b, filter)) bonus[b] = fwd
      const back = s * prev
      if (a >= 0 && bonus[a] < back && this.passes(a, filter)) bonus[a] = back
      const conv = session > 0 ? ix.docs[n]?.conversation : undefined
      if (conv !== undefined && (best.get(conv) ?? 0) < s) best.set(conv, s)
    }
    for (const n of this.touched) {
      if (bonus[n] > 0) scores[n] += bonus[n]
      if (best.size > 0 && scores[n] > 0) {
        const conv = ix.docs[n]?.conversation
        if (conv !== undefined) scores[n] += session * (best.get(conv) ?? 0)
      }
    }
  }

  /** The best `limit` scored docs (a bounded min-heap over the touched docs). */
  private top (limit: number): Array<[number, number]> {
    const scores = this.scores
    const heap: number[] = []
    const less = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b)
    for (const n of this.touched) {
      if (scores[n] <= 0 || this.seen[n] !== 1) continue
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
