/** A growable posting list: doc numbers (ascending as added) and term frequencies. */
export class Postings {
  docs: Int32Array
  tfs: Uint16Array
  length = 0
  /** Live docs holding the term (postings of removed docs stay until compaction). */
  df = 0

  constructor (capacity = 4) {
    this.docs = new Int32Array(capacity)
    this.tfs = new Uint16Array(capacity)
  }

  /** A posting list over existing arrays (views into a loaded snapshot; copied on first growth). */
  static of (docs: Int32Array, tfs: Uint16Array, length: number, df: number): Postings {
    const p = new Postings(0)
    p.docs = docs
    p.tfs = tfs
    p.length = length
    p.df = df
    return p
  }

  push (doc: number, tf: number): void {
    if (this.length === this.docs.length) {
      const cap = this.docs.length
      const docs = new Int32Array(cap < 4 ? 4 : cap < 4096 ? cap * 2 : Math.ceil(cap * 1.5))
      docs.set(this.docs)
      this.docs = docs
      const tfs = new Uint16Array(docs.length)
      tfs.set(this.tfs)
      this.tfs = tfs
    }
    this.docs[this.length] = doc
    this.tfs[this.length] = Math.min(tf, 65535)
    this.length++
    this.df++
  }

  /** Drops the postings of dead docs. */
  compact (alive: Uint8Array): void {
    let j = 0
    for (let i = 0; i < this.length; i++) {
      if (alive[this.docs[i]] === 1) {
        this.docs[j] = this.docs[i]
        this.tfs[j] = this.tfs[i]
        j++
      }
    }
    this.length = j
  }
}
