/**
 * Append-only bytes in fixed pages, for the index's variable-length per-doc entries (a doc's
 * terms, its URI). A growable array doubles by copying: the old copy stays on the heap until V8's
 * next full collection, and near 181k docs that was tens of MB of garbage and slack while a large
 * import ran. Pages are never copied; an entry never straddles two, so it reads as one view.
 *
 * An entry is found by its position, a number below 2^32: page slot × PAGE + offset. A page
 * bigger than PAGE (an oversize entry, or bytes loaded whole from a snapshot) takes as many slots
 * as it spans.
 */
const PAGE_BITS = 20
export const PAGE = 1 << PAGE_BITS
/** Positions are kept in Uint32Arrays. */
const MAX_POSITION = 2 ** 32

export class PagedBytes {
  /** Per slot: its page (a page spanning several slots is listed in each). */
  private readonly pages: Uint8Array[] = []
  /** Per slot: the first slot of its page. */
  private readonly firsts: number[] = []
  /** Per first slot: the bytes used in its page. */
  private readonly used: number[] = []
  /** The page being appended to (its first slot), or -1. */
  private current = -1

  /** Bytes stored (page slack excluded). */
  get length (): number {
    let n = 0
    for (let s = 0; s < this.pages.length; s++) if (this.firsts[s] === s) n += this.used[s]
    return n
  }

  /** The position the next entry starts at when it fits in the current page (the end of the data). */
  get end (): number {
    return this.current < 0 ? 0 : this.current * PAGE + this.used[this.current]
  }

  /**
   * Room for an entry of at most `max` bytes, in one page: returns the page, the offset to
   * write at and the entry's position; call `commit` with the offset after the last byte written.
   */
  reserve (max: number): { page: Uint8Array, offset: number, at: number } {
    const c = this.current
    // At least one byte of room, so that an entry's position always falls inside its page.
    if (c >= 0 && this.pages[c].length - this.used[c] >= Math.max(1, max)) return { page: this.pages[c], offset: this.used[c], at: c * PAGE + this.used[c] }
    const page = new Uint8Array(Math.max(PAGE, max))
    const first = this.append(page, 0)
    return { page, offset: 0, at: first * PAGE }
  }

  /** Ends the entry started at the last `reserve`: `end` is its end offset in that page. */
  commit (end: number): void {
    this.used[this.current] = end
  }

  /** Adds a page holding `used` bytes of entries already written (a snapshot's bytes); returns its first slot. */
  append (page: Uint8Array, used: number): number {
    const first = this.pages.length
    const slots = Math.max(1, Math.ceil(page.length / PAGE))
    if ((first + slots) * PAGE > MAX_POSITION) throw new RangeError('paged bytes are full (4 GiB)')
    for (let s = 0; s < slots; s++) { this.pages.push(page); this.firsts.push(first) }
    this.used[first] = used
    this.current = first
    return first
  }

  /** The page holding position `at`, and `at`'s offset in it. */
  page (at: number): Uint8Array { return this.pages[Math.floor(at / PAGE)] }
  offset (at: number): number { return at - this.firsts[Math.floor(at / PAGE)] * PAGE }

  /**
   * The end offset (in its page) of the entry at `at`, given where the next entry starts: the
   * next entry's offset when both share a page, else the end of the used part of the page.
   */
  endOf (at: number, next: number): number {
    const first = this.firsts[Math.floor(at / PAGE)]
    return Math.min(next - first * PAGE, this.used[first])
  }

  /** An entry's bytes (a view). */
  view (at: number, next: number): Uint8Array {
    return this.page(at).subarray(this.offset(at), this.endOf(at, next))
  }

  /** The used part of each page, in order. */
  * chunks (): Generator<Uint8Array> {
    for (let s = 0; s < this.pages.length; s++) if (this.firsts[s] === s) yield this.pages[s].subarray(0, this.used[s])
  }

  /** Maps a position to the offset it has in `chunks()` laid end to end. */
  packer (): (at: number) => number {
    // Bytes before each page's first slot, in the packed layout.
    const before = new Map<number, number>()
    let sum = 0
    for (let s = 0; s < this.pages.length; s++) if (this.firsts[s] === s) { before.set(s, sum); sum += this.used[s] }
    return (at: number) => {
      if (at >= this.end) return sum
      const first = this.firsts[Math.floor(at / PAGE)]
      return (before.get(first) as number) + at - first * PAGE
    }
  }
}
