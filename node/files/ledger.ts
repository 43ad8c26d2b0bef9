// The scratch space of one import, verify or export: what a scan learns per block (links, times,
// uris), the marks of the closure walk, the blocks and index entries an import wrote. Held in
// memory up to a size, then spilled to a LevelDB range (the node's store for an import, so a crash
// leaves a record the next import can undo; a temporary database otherwise), so memory stays
// bounded whatever the file's size. A Bloom filter over every key put answers most "not there"
// lookups without reading the disk.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'

/** Bytes of entries a ledger holds in memory before it writes them out. */
export const DEFAULT_LEDGER_BYTES = 4 * 1024 * 1024

/** Where a ledger spills: a key range of a database. */
export interface LedgerSpace {
  db: Level<string, any>
  /** Prefix of every key of this ledger in `db`. */
  prefix: string
  /** Called once the ledger is cleared (a temporary database closes and goes). */
  dispose?: () => Promise<void>
}

const BLOOM_BITS = 1 << 24 // 2 MiB: under 1% false positives up to about 1.5 million keys
const HIGH = '\uffff'
const VIEW = { keyEncoding: 'utf8', valueEncoding: 'view' } as const
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const EMPTY = new Uint8Array(0)
const text = (v: Uint8Array | undefined): string | undefined => v == null ? undefined : v.length === 0 ? '' : decoder.decode(v)

/**
 * Two 32-bit hashes of a key (FNV-1a and a multiplicative one), for double hashing. Keys end in a
 * CID, whose last characters are digest bits: the first 4 characters and the last 16 suffice.
 */
function hashes (s: string): [number, number] {
  let a = 0x811c9dc5
  let b = 0x9e3779b9
  for (let i = 0; i < s.length; i = (i === 3 && s.length > 20) ? s.length - 16 : i + 1) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b + c, 0x85ebca6b) ^ (b >>> 13)
  }
  return [a >>> 0, (b | 1) >>> 0]
}

export class Ledger {
  readonly #space: () => Promise<LedgerSpace>
  readonly #limit: number
  #mem = new Map<string, string>()
  #bytes = 0
  #spilled: LedgerSpace | undefined
  #bloom: Uint32Array | undefined

  /**
   * @param space - opens the range to spill to (called at the first spill only)
   * @param limit - bytes held in memory before spilling
   */
  constructor (space: () => Promise<LedgerSpace>, limit = DEFAULT_LEDGER_BYTES) {
    this.#space = space
    this.#limit = limit
  }

  /** A ledger that spills to a temporary database under the OS temp folder (verify, export). */
  static temporary (limit?: number): Ledger {
    return new Ledger(async () => {
      const dir = await mkdtemp(join(tmpdir(), 'vivim-ledger-'))
      const db = new Level<string, any>(dir, { keyEncoding: 'utf8', valueEncoding: 'view', compression: false } as any)
      await db.open()
      return { db, prefix: '', dispose: async () => { await db.close(); await rm(dir, { recursive: true, force: true }) } }
    }, limit)
  }

  /** A ledger already spilled to `space` (a crashed import's, to undo or drop). */
  static existing (space: LedgerSpace): Ledger {
    const l = new Ledger(async () => space)
    l.#spilled = space
    return l
  }

  /** Whether anything was written out (then the range holds this ledger's entries). */
  get spilled (): boolean { return this.#spilled != null }

  async put (key: string, value = ''): Promise<void> {
    this.#mem.set(key, value)
    this.#bytes += key.length + value.length + 48
    if (this.#bloom != null) this.#add(key)
    if (this.#bytes >= this.#limit) await this.flush()
  }

  /** Writes out what is held in memory (spilling now if it has not yet). */
  async flush (): Promise<void> {
    if (this.#spilled == null) {
      this.#spilled = await this.#space()
      this.#bloom = new Uint32Array(BLOOM_BITS / 32)
      for (const k of this.#mem.keys()) this.#add(k)
    }
    if (this.#mem.size === 0) return
    const { db, prefix } = this.#spilled
    // A chained batch on the root database with bytes as values: abstract-level's per-op
    // encoding of an array batch costs several times as much.
    const batch = db.batch()
    for (const [key, value] of this.#mem) batch.put(prefix + key, value === '' ? EMPTY : encoder.encode(value))
    await batch.write()
    this.#mem = new Map()
    this.#bytes = 0
  }

  #add (key: string): void {
    const bloom = this.#bloom as Uint32Array
    const [a, b] = hashes(key)
    for (let i = 0; i < 3; i++) { const bit = (a + i * b) % BLOOM_BITS; bloom[bit >>> 5] |= 1 << (bit & 31) }
  }

  #maybe (key: string): boolean {
    const bloom = this.#bloom
    if (bloom == null) return true // (a ledger opened on an existing range has no filter)
    const [a, b] = hashes(key)
    for (let i = 0; i < 3; i++) { const bit = (a + i * b) % BLOOM_BITS; if ((bloom[bit >>> 5] & (1 << (bit & 31))) === 0) return false }
    return true
  }

  async get (key: string): Promise<string | undefined> {
    const v = this.#mem.get(key)
    if (v !== undefined || this.#spilled == null || !this.#maybe(key)) return v
    const { db, prefix } = this.#spilled
    return text(await db.get(prefix + key, VIEW as any))
  }

  async has (key: string): Promise<boolean> { return (await this.get(key)) !== undefined }

  async getMany (keys: string[]): Promise<Array<string | undefined>> {
    const out: Array<string | undefined> = keys.map(k => this.#mem.get(k))
    if (this.#spilled == null) return out
    const ask: number[] = []
    for (let i = 0; i < keys.length; i++) if (out[i] === undefined && this.#maybe(keys[i])) ask.push(i)
    if (ask.length === 0) return out
    const { db, prefix } = this.#spilled
    const got = await db.getMany(ask.map(i => prefix + keys[i]), VIEW as any)
    ask.forEach((i, j) => { out[i] = text(got[j]) })
    return out
  }

  /** Every entry whose key starts with `p` (in key order once spilled), without `p`. */
  async * entries (p: string): AsyncGenerator<[string, string]> {
    if (this.#spilled == null) {
      const mine = [...this.#mem].filter(([k]) => k.startsWith(p)).sort((x, y) => x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)
      for (const [k, v] of mine) yield [k.slice(p.length), v]
      return
    }
    await this.flush()
    const { db, prefix } = this.#spilled
    const from = prefix + p
    for await (const [k, v] of db.iterator({ gte: from, lt: from + HIGH, ...VIEW } as any)) yield [(k as string).slice(from.length), text(v as Uint8Array) as string]
  }

  /** Drops every entry (memory and spilled), and the temporary database if there is one. */
  async clear (): Promise<void> {
    this.#mem = new Map()
    this.#bytes = 0
    const s = this.#spilled
    if (s == null) return
    this.#spilled = undefined
    this.#bloom = undefined
    await s.db.clear({ gte: s.prefix, lt: s.prefix + HIGH } as any)
    await s.dispose?.()
  }
}
