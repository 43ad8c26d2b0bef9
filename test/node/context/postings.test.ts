import { describe, expect, it } from 'vitest'
import { Postings, PostingsDecoder } from '../../../node/context/_postings.js'
import { prng as rng } from '../../_helpers.js'

// Posting lists are varint-coded (doc gap, tf) pairs; the ranker reads them decoded. These check
// the coding against plain arrays: pushes, compaction in place, the decoder's cache, reloads.

function decoded (p: Postings): Array<[number, number]> {
  const docs = p.docs
  const tfs = p.tfs
  return Array.from({ length: p.length }, (_, i) => [docs[i], tfs[i]])
}

describe('Postings', () => {
  it('decodes what was pushed, gaps and tfs of every width (tfs capped at 65535)', () => {
    const dec = new PostingsDecoder()
    const p = new Postings(dec)
    const want: Array<[number, number]> = []
    let doc = 0
    for (const [gap, tf] of [[0, 1], [1, 127], [127, 128], [128, 16383], [16384, 16384], [2 ** 21, 65535], [2 ** 28, 70000], [1, 2 ** 20]]) {
      doc += gap
      p.push(doc, tf)
      want.push([doc, Math.min(tf, 65535)])
    }
    expect(decoded(p)).toEqual(want)
    expect(p.df).toBe(want.length)
  })

  it('matches plain arrays under random pushes and compactions (seed 11)', () => {
    const r = rng(11)
    const dec = new PostingsDecoder()
    const lists = Array.from({ length: 5 }, () => ({ p: new Postings(dec), want: [] as Array<[number, number]> }))
    const alive = new Uint8Array(60_000).fill(1)
    for (let doc = 0; doc < 60_000; doc++) {
      for (const l of lists) {
        if (r() < 0.3) { const tf = 1 + Math.floor(r() * (r() < 0.01 ? 100_000 : 20)); l.p.push(doc, tf); l.want.push([doc, Math.min(tf, 65535)]) }
      }
      if (doc % 7_000 === 6_999) {
        for (let k = 0; k < 2_000; k++) alive[Math.floor(r() * (doc + 1))] = 0
        for (const l of lists) { l.p.compact(alive); l.want = l.want.filter(([d]) => alive[d] === 1) }
      }
      // Reads between writes: the decoder's cache must follow every change.
      if (doc % 5_000 === 0) for (const l of lists) expect(decoded(l.p)).toEqual(l.want)
    }
    for (const l of lists) expect(decoded(l.p)).toEqual(l.want)
  })

  it('reloads from its coded bytes (a snapshot) to the same list, keeps growing after, and refuses broken bytes', () => {
    const dec = new PostingsDecoder()
    const a = new Postings(dec)
    for (const [d, tf] of [[0, 1], [5, 300], [200_000, 2], [200_001, 65535]]) a.push(d, tf)
    const b = Postings.ofBytes(dec, a.coded(), a.length, 3)
    expect(decoded(b)).toEqual(decoded(a))
    expect(b.df).toBe(3)
    b.push(200_005, 9)
    expect(decoded(b).at(-1)).toEqual([200_005, 9])
    expect(() => Postings.ofBytes(dec, a.coded().subarray(0, a.size - 1), a.length, 4)).toThrow()
    expect(() => Postings.ofBytes(dec, a.coded(), a.length - 1, 3)).toThrow()
  })

  it('reloads from arrays (a snapshot) to the same list, and keeps growing after', () => {
    const dec = new PostingsDecoder()
    const docs = Int32Array.from([3, 9, 10, 400, 70_000])
    const tfs = Uint16Array.from([1, 2, 300, 4, 65535])
    const p = Postings.of(dec, docs, tfs, 5, 4)
    expect(decoded(p)).toEqual([[3, 1], [9, 2], [10, 300], [400, 4], [70_000, 65535]])
    expect(p.df).toBe(4)
    p.push(70_001, 7)
    expect(decoded(p).at(-1)).toEqual([70_001, 7])
  })
})
