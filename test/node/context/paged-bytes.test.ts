import { describe, expect, it } from 'vitest'
import { PAGE, PagedBytes } from '../../../node/context/_paged-bytes.js'
import { prng } from '../../_helpers.js'

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length))

// The index's per-doc byte entries (a doc's terms, its URI) live in pages that are never copied.
// An entry never straddles pages; its end is found from where the next one starts.

/** Appends random entries (some empty, some bigger than a page); returns their bytes and positions. */
function fill (p: PagedBytes, seed: number, count: number): { want: Uint8Array[], at: number[] } {
  const r = prng(seed)
  const want: Uint8Array[] = []
  const at: number[] = []
  for (let i = 0; i < count; i++) {
    const x = r()
    const size = x < 0.05 ? 0 : x < 0.07 ? PAGE + Math.floor(r() * PAGE) : Math.floor(r() * 200_000)
    // Distinct first and last bytes: a view cut one byte off, or shifted, does not match.
    const bytes = new Uint8Array(size).fill(i & 0xff)
    if (size > 0) { bytes[0] = 0xfe; bytes[size - 1] = 0xfd }
    // Reserve more than is written, as the index does (a bound on the entry's size).
    const { page, offset, at: pos } = p.reserve(size + Math.floor(r() * 64))
    page.set(bytes, offset)
    p.commit(offset + size)
    want.push(bytes)
    at.push(pos)
  }
  return { want, at }
}

describe('PagedBytes', () => {
  it('reads back every entry, empty and oversize ones included, across many pages', () => {
    const p = new PagedBytes()
    const { want, at } = fill(p, 3, 120)
    const next = (i: number): number => i + 1 < at.length ? at[i + 1] : p.end
    want.forEach((w, i) => expect(same(p.view(at[i], next(i)), w)).toBe(true))
    for (let i = 1; i < at.length; i++) expect(at[i]).toBeGreaterThanOrEqual(at[i - 1])
    expect(p.length).toBe(want.reduce((a, w) => a + w.length, 0))
    expect([...p.chunks()].length).toBeGreaterThan(5)
  })

  it('packs its pages end to end with positions that follow, and reloads the packed bytes as one page', () => {
    const p = new PagedBytes()
    const { want, at } = fill(p, 5, 60)
    const packed = new Uint8Array(p.length)
    let o = 0
    for (const c of p.chunks()) { packed.set(c, o); o += c.length }
    const pack = p.packer()
    const starts = [...at.map(pack), pack(p.end)]
    expect(starts.at(-1)).toBe(packed.length)
    want.forEach((w, i) => expect(same(packed.subarray(starts[i], starts[i + 1]), w)).toBe(true))
    // Reloaded (as a snapshot is): the packed bytes are one page, and appends go on after them.
    const q = new PagedBytes()
    q.append(packed, packed.length)
    const more = fill(q, 6, 20)
    const all = [...starts.slice(0, -1), ...more.at]
    const wantAll = [...want, ...more.want]
    const next = (i: number): number => i + 1 < all.length ? all[i + 1] : q.end
    wantAll.forEach((w, i) => expect(same(q.view(all[i], next(i)), w)).toBe(true))
  })

  it('refuses to grow past positions a Uint32Array holds', () => {
    const p = new PagedBytes()
    // A page spanning 4095 slots, then one more page fits; the next does not.
    p.append(new Uint8Array(0), 0)
    const big = { length: 4095 * PAGE } as unknown as Uint8Array
    p.append(big, 0)
    expect(() => p.append(new Uint8Array(1), 0)).toThrow(/full/)
  })
})
