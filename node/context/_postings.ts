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
    const b = p.bytes
    const docs = this.docs
    const tfs = this.tfs
    let o = 0
    let doc = -1
    for (let i = 0; i < p.length; i++) {
      let x = b[o++]
      let v = x & 0x7f
      for (let shift = 7; x >= 0x80; shift += 7) { x = b[o++]; v += (x & 0x7f) * 2 ** shift }
      doc += v
      x = b[o++]
      let tf = x & 0x7f
      if (x >= 0x80) { x = b[o++]; tf += (x & 0x7f) << 7; if (x >= 0x80) { x = b[o++]; tf += x << 14 } }
      docs[i] = doc
      tfs[i] = tf
    }
    this.owner = p
    this.version = p.version
  }
}

/**
 * A posting list: doc numbers (ascending as added) and term frequencies, kept as varint pairs
 * (the gap from the previous doc number, then the frequency) in one growable byte array: about
 * 2 bytes a posting where an Int32Array and a Uint16Array took 6. `docs` and `tfs` decode the
 * list into the index's decoder and return its arrays (valid for the first `length` entries
 * until another list is read).
 */
export class Postings {
  bytes: Uint8Array
  /** Bytes used in `bytes`. */
  size = 0
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

  /** A posting list holding these docs and tfs (as loaded from a snapshot). */
  static of (decoder: PostingsDecoder, docs: Int32Array, tfs: Uint16Array, length: number, df: number): Postings {
    const p = new Postings(decoder, Math.max(8, length * 2))
    for (let i = 0; i < length; i++) p.push(docs[i], tfs[i])
    p.df = df
    if (p.bytes.length > p.size + 64) p.bytes = p.bytes.slice(0, p.size)
    return p
  }

  /**
   * A posting list over coded bytes as `bytes` keeps them (a view into a loaded snapshot; copied
   * on first growth). Reads them once for the last doc number; throws when they are malformed.
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
    p.size = bytes.length
    p.length = length
    p.df = df
    p.last = doc
    return p
  }

  /** Doc numbers (decoded; the first `length` entries). */
  get docs (): Int32Array { this.decoder.decode(this); return this.decoder.docs }

  /** Term frequencies (decoded; the first `length` entries). */
  get tfs (): Uint16Array { this.decoder.decode(this); return this.decoder.tfs }

  push (doc: number, tf: number): void {
    // At most 5 bytes for a gap, 3 for a tf (capped at 65535).
    if (this.size + 8 > this.bytes.length) {
      const cap = this.bytes.length
      const b = new Uint8Array(Math.max(this.size + 8, cap < 4096 ? cap * 2 : Math.ceil(cap * 1.5)))
      b.set(this.bytes.subarray(0, this.size))
      this.bytes = b
    }
    this.size = this.write(this.size, doc - this.last, Math.min(tf, 65535))
    this.last = doc
    this.length++
    this.df++
    this.version++
  }

  /** Drops the postings of dead docs (in place: a merged gap never takes more bytes than the two it replaces). */
  compact (alive: Uint8Array): void {
    const b = this.bytes
    let r = 0
    let w = 0
    let doc = -1
    let kept = -1
    let n = 0
    for (let i = 0; i < this.length; i++) {
      let x = b[r++]
      let v = x & 0x7f
      for (let shift = 7; x >= 0x80; shift += 7) { x = b[r++]; v += (x & 0x7f) * 2 ** shift }
      doc += v
      let tf = 0
      for (let shift = 0; ; shift += 7) { x = b[r++]; tf += (x & 0x7f) << shift; if (x < 0x80) break }
      if (alive[doc] === 1) { w = this.write(w, doc - kept, tf); kept = doc; n++ }
    }
    this.size = w
    this.length = n
    this.last = kept
    this.version++
  }

  private write (o: number, gap: number, tf: number): number {
    const b = this.bytes
    while (gap >= 0x80) { b[o++] = (gap & 0x7f) | 0x80; gap = Math.floor(gap / 128) }
    b[o++] = gap
    while (tf >= 0x80) { b[o++] = (tf & 0x7f) | 0x80; tf >>>= 7 }
    b[o++] = tf
    return o
  }
}
