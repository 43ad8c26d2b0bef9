/**
 * Decoded posting lists, one at a time: the ranker reads a list's `docs` and `tfs` as arrays, so
 * a list is decoded into these buffers when it is read (one decoder per index, reused by every
 * list; the last list decoded stays cached until it changes).
 */
export class PostingsDecoder {
  docs = new Int32Array(1024)
  tfs = new Uint16Array(1024)
  private owner?: Postings
  private version = -1

  /** Decodes `p` (unless it is the list decoded last and unchanged). */
  decode (p: Postings): void {
    if (this.owner === p && this.version === p.version) return
    if (p.length > this.docs.length) {
      const cap = Math.max(p.length, Math.ceil(this.docs.length * 1.5))
      this.docs = new Int32Array(cap)
      this.tfs = new Uint16Array(cap)
    }
    const docs = this.docs
    const tfs = this.tfs
    let i = 0
    let doc = -1
    const full = p.full
    const last = full === undefined ? 0 : full.length
    for (let k = 0; k <= last; k++) {
      const b = k < last ? (full as Uint8Array[])[k] : p.bytes
      const end = k < last ? b.length : p.used
      let o = 0
      while (o < end) {
        let x = b[o++]
        let v = x & 0x7f
        for (let shift = 7; x >= 0x80; shift += 7) { x = b[o++]; v += (x & 0x7f) * 2 ** shift }
        doc += v
        x = b[o++]
        let tf = x & 0x7f
        if (x >= 0x80) { x = b[o++]; tf += (x & 0x7f) << 7; if (x >= 0x80) { x = b[o++]; tf += x << 14 } }
        docs[i] = doc
        tfs[i++] = tf
      }
    }
    this.owner = p
    this.version = p.version
  }
}

/** The first page of a list grows by copying up to this size; then pages are added, never copied. */
const FIRST_PAGE = 1 << 10
/** Added pages double in size up to this one. */
const MAX_PAGE = 1 << 16

/**
 * A posting list: doc numbers (ascending as added) and term frequencies, kept as varint pairs
 * (the gap from the previous doc number, then the frequency): about 2 bytes a posting where an
 * Int32Array and a Uint16Array took 6. The pairs fill `bytes` (the page being written); once it
 * holds FIRST_PAGE bytes, a full page moves to `full` and a new one starts, so a long list never
 * copies itself and leaves no old copy behind for the garbage collector (a pair never straddles
 * two pages). `docs` and `tfs` decode the list into the index's decoder and return its arrays
 * (valid for the first `length` entries until another list is read).
 */
export class Postings {
  /** The page being written. */
  bytes: Uint8Array
  /** Bytes used in `bytes`. */
  used = 0
  /** Earlier pages, each cut to its used bytes (absent while the list has one page). */
  full?: Uint8Array[]
  /** Bytes in `full`. */
  private fullSize = 0
  length = 0
  /** Live docs holding the term (postings of removed docs stay until compaction). */
  df = 0
  /** Bumped on every change (the decoder's cache key). */
  version = 0
  /** The last doc number pushed (-1: none). */
  private last = -1

  constructor (private readonly decoder: PostingsDecoder, capacity = 8) {
    this.bytes = new Uint8Array(capacity)
  }

  /** Coded bytes in all (what a snapshot stores). */
  get size (): number { return this.fullSize + this.used }

  /** A posting list holding these docs and tfs (as loaded from a snapshot). */
  static of (decoder: PostingsDecoder, docs: Int32Array, tfs: Uint16Array, length: number, df: number): Postings {
    const p = new Postings(decoder)
    for (let i = 0; i < length; i++) p.push(docs[i], tfs[i])
    p.df = df
    return p
  }

  /**
   * A posting list over coded bytes as `bytes` keeps them (a view into a loaded snapshot, never
   * written: growth starts a page). Reads them once for the last doc number; throws when they
   * are malformed.
   */
  static ofBytes (decoder: PostingsDecoder, bytes: Uint8Array, length: number, df: number): Postings {
    const p = new Postings(decoder, 0)
    let o = 0
    let doc = -1
    for (let i = 0; i < length; i++) {
      for (let k = 0; k < 2; k++) {
        let v = 0
        let x
        let shift = 0
        do {
          if (o >= bytes.length) throw new Error('snapshot posting list is truncated')
          x = bytes[o++]; v += (x & 0x7f) * 2 ** shift; shift += 7
        } while (x >= 0x80)
        if (k === 0) doc += v
      }
    }
    if (o !== bytes.length) throw new Error('snapshot posting list has trailing bytes')
    p.bytes = bytes
    p.used = bytes.length
    p.length = length
    p.df = df
    p.last = doc
    return p
  }

  /** Doc numbers (decoded; the first `length` entries). */
  get docs (): Int32Array { this.decoder.decode(this); return this.decoder.docs }

  /** Term frequencies (decoded; the first `length` entries). */
  get tfs (): Uint16Array { this.decoder.decode(this); return this.decoder.tfs }

  /** The used part of each page, in order. */
  * pages (): Generator<Uint8Array> {
    if (this.full !== undefined) yield * this.full
    yield this.bytes.subarray(0, this.used)
  }

  /** All coded bytes, in one copy. */
  coded (): Uint8Array {
    const out = new Uint8Array(this.size)
    let o = 0
    for (const p of this.pages()) { out.set(p, o); o += p.length }
    return out
  }

  push (doc: number, tf: number): void {
    // At most 5 bytes for a gap, 3 for a tf (capped at 65535).
    if (this.used + 8 > this.bytes.length) this.room()
    this.used = this.write(this.bytes, this.used, doc - this.last, Math.min(tf, 65535))
    this.last = doc
    this.length++
    this.df++
    this.version++
  }

  /** Drops the postings of dead docs (into new pages: compaction is rare, the old ones go). */
  compact (alive: Uint8Array): void {
    let dead = false
    this.forEach(doc => { dead ||= alive[doc] !== 1 })
    if (!dead) return
    const kept = new Postings(this.decoder)
    this.forEach((doc, tf) => { if (alive[doc] === 1) kept.push(doc, tf) })
    this.bytes = kept.bytes
    this.used = kept.used
    this.full = kept.full
    this.fullSize = kept.fullSize
    this.length = kept.length
    this.last = kept.last
    this.version++
  }

  /** Calls `fn(doc, tf)` for each posting, in order. */
  forEach (fn: (doc: number, tf: number) => void): void {
    let doc = -1
    for (const b of this.pages()) {
      let o = 0
      while (o < b.length) {
        let x = b[o++]
        let v = x & 0x7f
        for (let shift = 7; x >= 0x80; shift += 7) { x = b[o++]; v += (x & 0x7f) * 2 ** shift }
        doc += v
        let tf = 0
        for (let shift = 0; ; shift += 7) { x = b[o++]; tf += (x & 0x7f) << shift; if (x < 0x80) break }
        fn(doc, tf)
      }
    }
  }

  /** Makes room for one more pair: a bigger copy of a small first page, else a new page. */
  private room (): void {
    const cap = this.bytes.length
    if (this.full === undefined && this.used + 8 <= FIRST_PAGE) {
      // Doubling keeps room for a pair: used ≤ cap, and 16 covers a list that held none.
      const b = new Uint8Array(Math.min(FIRST_PAGE, Math.max(16, cap * 2)))
      b.set(this.bytes.subarray(0, this.used))
      this.bytes = b
      return
    }
    const page = this.bytes.subarray(0, this.used)
    ;(this.full ??= []).push(page)
    this.fullSize += page.length
    this.bytes = new Uint8Array(Math.min(MAX_PAGE, Math.max(FIRST_PAGE, cap * 2)))
    this.used = 0
  }

  private write (b: Uint8Array, o: number, gap: number, tf: number): number {
    while (gap >= 0x80) { b[o++] = (gap & 0x7f) | 0x80; gap = Math.floor(gap / 128) }
    b[o++] = gap
    while (tf >= 0x80) { b[o++] = (tf & 0x7f) | 0x80; tf >>>= 7 }
    b[o++] = tf
    return o
  }
}
