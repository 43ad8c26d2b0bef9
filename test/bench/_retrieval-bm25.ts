// A plain BM25 baseline (Robertson/Sparck Jones, k1 = 1.2, b = 0.75): lower-cased alphanumeric
// tokens, no stemming, no stopwords, no extras. The yardstick the LoCoMo README quotes.
export class PlainBm25 {
  private readonly postings = new Map<string, Array<[number, number]>>()
  private readonly lengths: number[] = []
  readonly ids: string[] = []
  private total = 0

  static tokens (text: string): string[] {
    return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  }

  add (id: string, text: string): void {
    const n = this.ids.length
    this.ids.push(id)
    const tf = new Map<string, number>()
    const toks = PlainBm25.tokens(text)
    for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1)
    for (const [t, f] of tf) {
      let p = this.postings.get(t)
      if (p === undefined) { p = []; this.postings.set(t, p) }
      p.push([n, f])
    }
    this.lengths.push(toks.length)
    this.total += toks.length
  }

  /** The top `k` ids among docs that `allow` accepts (all when not given). */
  search (query: string, k: number, allow?: (id: string) => boolean): string[] {
    const N = this.ids.length
    const avg = this.total / Math.max(1, N)
    const scores = new Map<number, number>()
    for (const t of new Set(PlainBm25.tokens(query))) {
      const p = this.postings.get(t)
      if (p === undefined) continue
      const idf = Math.log(1 + (N - p.length + 0.5) / (p.length + 0.5))
      for (const [n, f] of p) if (allow === undefined || allow(this.ids[n])) scores.set(n, (scores.get(n) ?? 0) + idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * this.lengths[n] / avg)))
    }
    return [...scores].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n]) => this.ids[n])
  }
}
