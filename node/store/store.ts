import { join } from 'node:path'
import { mkdir } from 'node:fs/promises'
import { Level } from 'level'
import { LevelBlockstore } from 'blockstore-level'
import { base32upper } from 'multiformats/bases/base32'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { sha256 } from 'multiformats/hashes/sha2'
import { verifyBlock, RAW_CODE, base32UpperFast } from '../../dag/index.js'
import { BlockNotFoundError, NodeInUseError, StoreClosedError } from './errors.js'
import type { AbstractSublevel } from 'abstract-level'

type Sub<V> = AbstractSublevel<Level<string, any>, string | Uint8Array | Buffer, string, V>

/**
 * Table files LevelDB keeps open (classic-level's default is 1,000). LevelDB 1.20 reads an open
 * table through a memory map of the whole file (up to 1,000 maps), so every open table it has
 * read counts in the process's RSS: a 200 MB import grew file-backed RSS by about 100 MB. The
 * table cache holds this many less 10 (LevelDB's own files); a table read after it was dropped
 * is opened again (an open and a footer read, tens of microseconds).
 */
const MAX_OPEN_FILES = 32

/** One write of the store: blocks plus index and ref changes, applied atomically. */
export interface StoreBatch {
  blocks: Array<{ cid: CID, bytes: Uint8Array }>
  puts: Array<{ sub: keyof Store['subs'], key: string, value: unknown }>
  dels?: Array<{ sub: keyof Store['subs'], key: string }>
  /**
   * Index rows already in the database's own form: the full key (`Store.rowKey`) and the value
   * bytes. The writer puts every frame's index entries this way: no op object, no second key
   * string, no value encoding per frame.
   */
  rows?: Array<[key: string, value: Uint8Array]>
}

/**
 * The node's on-disk store: one LevelDB under `<home>/store` holding
 *  - `b`: blocks, in blockstore-level's own key format (so Helia can use `store.blockstore`);
 *  - `r`: refs (capsule branch → head commit CIDs);
 *  - `c`: capsule records; `n`: capsule name → id;
 *  - `t`: timeline index (capsule, time, frame); `f`: frame → capsule; `u`: uri → frame;
 *  - `m`: metadata (the write sequence number `seq`, import source records);
 *  - `q`: the write journal: per sequence number, the frames that batch added, so derived
 *    indexes catch up after a crash by replaying only what they missed;
 *  - `k`: capability tokens issued, received and revoked (the token bytes are blocks in `b`);
 *  - `g`: forgotten frames (frame CID → capsule id): their blocks were deleted on purpose;
 *  - `x`: state checkpoints (a branch's live and removed frames at given heads; derived, optional).
 * One database means one atomic batch per commit: blocks, indexes and the moved head
 * land together, fsynced, or not at all, so a crash at any instant leaves the previous
 * or the next state.
 */
export class Store {
  readonly path: string
  readonly db: Level<string, any>
  readonly subs: {
    b: Sub<Uint8Array>
    r: Sub<any>
    c: Sub<any>
    n: Sub<string>
    t: Sub<string>
    f: Sub<string>
    u: Sub<string>
    m: Sub<any>
    g: Sub<string>
    q: Sub<any>
    k: Sub<any>
    x: Sub<any>
  }

  /** blockstore-level over the same blocks, for Helia and tools that speak interface-blockstore. */
  readonly blockstore: LevelBlockstore
  #open = false

  constructor (home: string) {
    this.path = join(home, 'store')
    this.db = new Level<string, any>(this.path, { keyEncoding: 'utf8', valueEncoding: 'view', compression: false, maxOpenFiles: MAX_OPEN_FILES } as any)
    const sub = <V>(name: string, valueEncoding: string): Sub<V> => this.db.sublevel<string, V>(name, { keyEncoding: 'utf8', valueEncoding }) as unknown as Sub<V>
    this.subs = {
      b: sub<Uint8Array>('b', 'view'),
      r: sub('r', 'json'),
      c: sub('c', 'json'),
      n: sub<string>('n', 'utf8'),
      t: sub<string>('t', 'utf8'),
      f: sub<string>('f', 'utf8'),
      u: sub<string>('u', 'utf8'),
      m: sub('m', 'json'),
      g: sub<string>('g', 'utf8'),
      q: sub('q', 'json'),
      k: sub('k', 'json'),
      x: sub('x', 'json')
    }
    this.blockstore = new LevelBlockstore(this.subs.b as any)
  }

  /**
   * Opens (creating) the store.
   *
   * @throws {NodeInUseError} when another process holds the home
   */
  async open (): Promise<void> {
    if (this.#open) return
    await mkdir(this.path, { recursive: true })
    try {
      await this.db.open()
    } catch (err: any) {
      if (err?.code === 'LEVEL_LOCKED' || err?.cause?.code === 'LEVEL_LOCKED') {
        throw new NodeInUseError(`The vivim home ${this.path.replace(/[/\\]store$/, '')} is in use by another process (stop it first)`)
      }
      throw err
    }
    this.#open = true
  }

  async close (): Promise<void> {
    if (!this.#open) return
    this.#open = false
    await this.db.close()
  }

  get isOpen (): boolean { return this.#open }

  #check (): void { if (!this.#open) throw new StoreClosedError() }

  /**
   * The database key of an entry of a sublevel (`!sub!key`), as `StoreBatch.rows` takes it.
   * Values there are bytes: '' is an empty array, a string is its UTF-8.
   */
  static rowKey (sub: keyof Store['subs'], key: string): string {
    return `!${sub}!${key}`
  }

  /** The key blockstore-level uses for a block: "/" + base32upper multibase of the multihash. */
  static blockKey (cid: CID): string {
    return '/' + base32UpperFast.encode(cid.multihash.bytes)
  }

  /** The raw-codec CID for a block key (the codec is not stored, only the multihash). */
  static cidOfKey (key: string): CID {
    const mh = base32upper.decoder.decode(key.slice(1))
    return CID.createV1(RAW_CODE, decodeMultihash(mh))
  }

  /**
   * A block's bytes, hash-checked.
   *
   * @throws {BlockNotFoundError} when absent
   * @throws {HashMismatchError} when the bytes on disk no longer match the CID
   */
  async getBlock (cid: CID): Promise<Uint8Array> {
    this.#check()
    const bytes = await this.subs.b.get(Store.blockKey(cid))
    if (bytes == null) throw new BlockNotFoundError(`Block ${cid.toString()} not found`)
    verifyBlock(cid, bytes)
    return bytes
  }

  /** A block's bytes WITHOUT the hash check (for verify, which reports mismatches itself). */
  async getBlockUnsafe (cid: CID): Promise<Uint8Array | undefined> {
    this.#check()
    return await this.subs.b.get(Store.blockKey(cid))
  }

  async hasBlock (cid: CID): Promise<boolean> {
    this.#check()
    return (await this.subs.b.get(Store.blockKey(cid))) != null
  }

  /** Every stored block, as (key, bytes), for verify and gc. */
  async * blocks (): AsyncGenerator<{ key: string, bytes: Uint8Array }> {
    this.#check()
    for await (const [key, bytes] of this.subs.b.iterator()) yield { key, bytes }
  }

  /**
   * The write sequence number: bumped by every batch that adds frames, so derived state
   * (the search index) can tell whether it has seen every write.
   */
  async seq (): Promise<number> {
    this.#check()
    const v = await this.subs.m.get('seq')
    return typeof v === 'number' ? v : 0
  }

  /**
   * Applies a batch atomically and durably (fsync) before resolving.
   * Keys are prefixed and values encoded here, on the root database, rather than through
   * the sublevels: abstract-level's per-op sublevel handling costs three times as much, and
   * this path runs for every frame. The bytes are the same the sublevels read back.
   */
  async write (batch: StoreBatch): Promise<void> {
    this.#check()
    const b = this.db.batch()
    for (const { cid, bytes } of batch.blocks) b.put('!b!' + Store.blockKey(cid), bytes)
    // The same string value recurs across a batch (every frame's capsule id): encode it once.
    const strings = new Map<string, Uint8Array>()
    for (const { sub, key, value } of batch.puts) {
      let bytes: Uint8Array | undefined
      if (typeof value === 'string' && !JSON_SUBS.has(sub)) {
        bytes = strings.get(value)
        if (bytes == null) strings.set(value, bytes = encodeValue(sub, value))
      } else {
        bytes = encodeValue(sub, value)
      }
      b.put(Store.rowKey(sub, key), bytes)
    }
    for (const [key, value] of batch.rows ?? []) b.put(key, value)
    for (const { sub, key } of batch.dels ?? []) b.del(Store.rowKey(sub, key))
    await b.write({ sync: true } as any)
  }
}

const utf8 = new TextEncoder()
const EMPTY = new Uint8Array(0)
const JSON_SUBS = new Set(['r', 'c', 'm', 'q', 'k', 'x'])

function encodeValue (sub: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (JSON_SUBS.has(sub)) return utf8.encode(JSON.stringify(value))
  if (value === '') return EMPTY
  return utf8.encode(String(value))
}

function decodeMultihash (bytes: Uint8Array): ReturnType<typeof createDigest> {
  // sha2-256 multihash: 0x12 0x20 + 32 bytes; anything else is handed to the generic decoder.
  if (bytes.length === 34 && bytes[0] === sha256.code && bytes[1] === 32) return createDigest(sha256.code, bytes.subarray(2))
  throw new Error('unsupported multihash in block key')
}
