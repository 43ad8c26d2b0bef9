/**
 * Compact per-doc keys for the in-memory index: a CID → doc number table over one Int32Array
 * (a Map of 181k CIDs took 7 MB of V8 heap, this takes 2 MB) and strings kept as UTF-8 bytes in
 * pages (a URI string on V8's heap takes its characters plus 16 bytes of header, and a slot in
 * an array of pointers).
 */
import { PagedBytes } from './_paged-bytes.js'

const EMPTY = -1
const DELETED = -2

/** FNV-1a over a string's UTF-16 code units. */
function hash (s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * A hash table from CID to doc number (open addressing, linear probing). It keeps only doc
 * numbers: the CID of doc n is `cids[n]`, the index's own list, so no key is stored twice.
 */
export class CidTable {
  private slots = new Int32Array(1024).fill(EMPTY)
  private used = 0
  private deleted = 0

  constructor (private readonly cids: () => ReadonlyArray<string>) {}

  get size (): number { return this.used }

  get (cid: string): number | undefined {
    const i = this.find(cid)
    return i < 0 ? undefined : this.slots[i]
  }

  has (cid: string): boolean { return this.find(cid) >= 0 }

  /** Sets cid → n; `cids[n]` must already be `cid`. */
  set (cid: string, n: number): void {
    const i = this.find(cid)
    if (i >= 0) { this.slots[i] = n; return }
    if ((this.used + this.deleted + 1) * 4 > this.slots.length * 3) this.resize(this.used + 1)
    const mask = this.slots.length - 1
    let j = hash(cid) & mask
    while (this.slots[j] >= 0) j = (j + 1) & mask
    if (this.slots[j] === DELETED) this.deleted--
    this.slots[j] = n
    this.used++
  }

  /** Deletes cid (call before `cids[n]` changes). */
  delete (cid: string): boolean {
    const i = this.find(cid)
    if (i < 0) return false
    this.slots[i] = DELETED
    this.used--
    this.deleted++
    return true
  }

  clear (): void {
    this.slots = new Int32Array(1024).fill(EMPTY)
    this.used = 0
    this.deleted = 0
  }

  * [Symbol.iterator] (): Generator<[string, number]> {
    const cids = this.cids()
    for (const n of this.slots) if (n >= 0) yield [cids[n], n]
  }

  private find (cid: string): number {
    const cids = this.cids()
    const s = this.slots
    const mask = s.length - 1
    for (let j = hash(cid) & mask; ; j = (j + 1) & mask) {
      const n = s[j]
      if (n === EMPTY) return -1
      if (n >= 0 && cids[n] === cid) return j
    }
  }

  private resize (need: number): void {
    let cap = this.slots.length
    while (need * 2 > cap) cap *= 2
    const old = this.slots
    const cids = this.cids()
    this.slots = new Int32Array(cap).fill(EMPTY)
    this.deleted = 0
    const mask = cap - 1
    for (const n of old) {
      if (n < 0) continue
      let j = hash(cids[n]) & mask
      while (this.slots[j] !== EMPTY) j = (j + 1) & mask
      this.slots[j] = n
    }
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Strings (or undefined) by position, as UTF-8 bytes in pages (see _paged-bytes.ts): entry n
 * starts at start[n]; `none[n]` marks undefined. Entries are appended in order and can be
 * cleared (to undefined), not rewritten.
 */
export class StringColumn {
  private readonly bytes = new PagedBytes()
  private start = new Uint32Array(1025)
  private none = new Uint8Array(1024)
  private count = 0

  get length (): number { return this.count }

  /** Appends an entry; returns its position. */
  push (s: string | undefined | null): number {
    const n = this.count
    if (n + 1 >= this.none.length) {
      const cap = Math.ceil((n + 2) * 1.5)
      const none = new Uint8Array(cap); none.set(this.none); this.none = none
      const start = new Uint32Array(cap + 1); start.set(this.start); this.start = start
    }
    if (s === undefined || s === null) {
      this.none[n] = 1
      this.start[n] = this.bytes.end
    } else {
      // At most 3 UTF-8 bytes per UTF-16 code unit.
      const { page, offset, at } = this.bytes.reserve(s.length * 3)
      this.bytes.commit(offset + encoder.encodeInto(s, page.subarray(offset)).written)
      this.start[n] = at
    }
    this.start[n + 1] = this.bytes.end
    this.count++
    return n
  }

  get (n: number): string | undefined {
    if (!(n >= 0 && n < this.count) || this.none[n] === 1) return undefined
    return decoder.decode(this.bytes.view(this.start[n], this.start[n + 1]))
  }

  /** Whether entry n is defined and starts with these UTF-8 bytes. */
  startsWith (n: number, prefix: Uint8Array): boolean {
    if (!(n >= 0 && n < this.count) || this.none[n] === 1) return false
    const at = this.start[n]
    const b = this.bytes.page(at)
    const o = this.bytes.offset(at)
    if (this.bytes.endOf(at, this.start[n + 1]) - o < prefix.length) return false
    for (let i = 0; i < prefix.length; i++) if (b[o + i] !== prefix[i]) return false
    return true
  }

  /** Makes entry n undefined (its bytes stay until the column is rebuilt). */
  clear (n: number): void {
    if (n >= 0 && n < this.count) this.none[n] = 1
  }

  /** The UTF-8 bytes of a string (for `startsWith`). */
  static utf8 (s: string): Uint8Array { return encoder.encode(s) }
}
