import type { DocFilter } from './filter.js'

/** Scales a vector to unit length (in place) so that a dot product is the cosine. */
export function normalize (v: Float32Array): Float32Array {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i] * v[i]
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0
  for (let i = 0; i < v.length; i++) v[i] *= inv
  return v
}

/** Exact nearest-neighbour search by cosine over unit vectors keyed by doc number. */
export class VectorStore {
  readonly vectors = new Map<number, Float32Array>()

  constructor (readonly dimensions: number) {}

  set (n: number, v: Float32Array): void { this.vectors.set(n, v) }
  delete (n: number): void { this.vectors.delete(n) }
  get size (): number { return this.vectors.size }

  /** The `limit` nearest docs that pass the filter, best first. */
  search (query: Float32Array, filter: DocFilter, alive: Uint8Array, limit: number): Array<[number, number]> {
    const q = normalize(Float32Array.from(query))
    const out: Array<[number, number]> = []
    for (const [n, v] of this.vectors) {
      if (alive[n] !== 1 || (filter !== undefined && !filter(n))) continue
      let s = 0
      for (let i = 0; i < v.length; i++) s += v[i] * q[i]
      out.push([n, s])
    }
    return out.sort((a, b) => b[1] - a[1]).slice(0, limit)
  }
}

/**
 * Reciprocal rank fusion (Cormack et al., SIGIR 2009): score(d) = Σ 1 / (k + rank).
 * Takes ranked lists of [doc, score] and returns one fused list, best first.
 */
export function reciprocalRankFusion (lists: Array<Array<[number, number]>>, k: number): Array<[number, number]> {
  const fused = new Map<number, number>()
  for (const list of lists) {
    list.forEach(([n], i) => fused.set(n, (fused.get(n) ?? 0) + 1 / (k + i + 1)))
  }
  return [...fused].sort((a, b) => b[1] - a[1] || a[0] - b[0])
}

/** A vector's bytes for level (little-endian float32). */
export function vectorToBytes (v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength))
}

export function bytesToVector (b: Uint8Array): Float32Array {
  const copy = new Uint8Array(b)
  return new Float32Array(copy.buffer)
}
