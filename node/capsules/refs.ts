import { CID } from 'multiformats/cid'
import { cidKey, decodeCommit, decodeGenesis, type Commit, type CapsuleRules, type Genesis, type WalkCommit } from '../../dag/index.js'
import { nativeVerifier } from '../signatures/index.js'
import type { Store } from '../store/index.js'
import { COMMIT_CACHE_FRAMES, DEFAULT_BRANCH, WALK_CACHE_FRAMES } from '../constants.js'
import { BranchNotFoundError, CapsuleNotFoundError } from '../errors.js'

/** A capsule's record as the `c` sublevel keeps it. */
export interface CapsuleRecord {
  id: string
  name: string
  owner: string
  created: number
  rules?: CapsuleRules
}

const weight = (c: WalkCommit): number => 1 + c.frames.length + c.removes.length

/** Key of a branch ref in the `r` sublevel. */
export const refKey = (id: string, branch: string): string => `${id}/${branch}`

/**
 * Read side of the capsules: records, refs and verified commits, with caches.
 * Commits are immutable, so a decoded, signature-checked commit is cached for good.
 */
export class Refs {
  readonly store: Store
  readonly #commits = new Map<string, Commit>()
  #cachedFrames = 0
  /** Commits as history walks read them, frame CIDs as strings (a tenth of the memory). */
  readonly #walks = new Map<string, WalkCommit>()
  #walkFrames = 0
  readonly #heads = new Map<string, CID[]>()
  readonly #records = new Map<string, CapsuleRecord>()
  readonly #names = new Map<string, string>()
  /** True once `#records` holds every record in the store. */
  #allRecords = false
  readonly #verify = nativeVerifier()

  constructor (store: Store) {
    this.store = store
  }

  /** A commit, hash- and signature-checked (then cached). */
  readonly loadCommit = async (cid: CID): Promise<Commit> => {
    const key = cid.toString()
    const hit = this.#commits.get(key)
    if (hit != null) return hit
    const commit = await this.#read(cid)
    this.rememberCommit(cid, commit)
    return commit
  }

  /** Reads, hash-checks, decodes and signature-checks a commit block. */
  async #read (cid: CID): Promise<Commit> {
    return decodeCommit(cid, await this.store.getBlock(cid), this.#verify)
  }

  /**
   * A commit as history walks (state, asOf, merges) read it: hash- and signature-checked like
   * `loadCommit`, kept in a cache of its own whose frame CIDs are strings, so walks over a large
   * capsule stay in memory where decoded commits would not.
   */
  readonly loadWalk = async (cid: CID): Promise<WalkCommit> => {
    const key = cid.toString()
    const hit = this.#walks.get(key)
    if (hit != null) return hit
    const full = this.#commits.get(key) ?? await this.#read(cid)
    return this.#rememberWalk(key, full)
  }

  /**
   * Remembers a commit (made here, or read and checked); the oldest go once the cache lists
   * COMMIT_CACHE_FRAMES frames. `frameKeys`: its frames' CID strings when the caller has them
   * (the writer), so the walk cache shares them rather than making its own.
   */
  rememberCommit (cid: CID, commit: Commit, frameKeys?: string[]): void {
    const key = cid.toString()
    this.#rememberWalk(key, commit, frameKeys)
    if (this.#commits.has(key)) return
    this.#cachedFrames += weight(commit)
    this.#commits.set(key, commit)
    for (const [k, c] of this.#commits) {
      if (this.#cachedFrames <= COMMIT_CACHE_FRAMES || k === key) break
      this.#commits.delete(k)
      this.#cachedFrames -= weight(c)
    }
  }

  #rememberWalk (key: string, commit: WalkCommit, frameKeys?: string[]): WalkCommit {
    const had = this.#walks.get(key)
    if (had != null) return had
    const frames = frameKeys?.length === commit.frames.length ? frameKeys : commit.frames.map(cidKey)
    const walk: WalkCommit = { parents: commit.parents, time: commit.time, frames, removes: commit.removes.map(cidKey) }
    this.#walks.set(key, walk)
    this.#walkFrames += weight(walk)
    for (const [k, c] of this.#walks) {
      if (this.#walkFrames <= WALK_CACHE_FRAMES || k === key) break
      this.#walks.delete(k)
      this.#walkFrames -= weight(c)
    }
    return walk
  }

  async loadGenesis (id: string): Promise<Genesis> {
    const cid = CID.parse(id)
    return decodeGenesis(cid, await this.store.getBlock(cid), this.#verify)
  }

  /** Capsule id for a name or id, or undefined. */
  async find (nameOrId: string): Promise<string | undefined> {
    if (this.#records.has(nameOrId)) return nameOrId
    const named = this.#names.get(nameOrId)
    if (named != null) return named
    const byName = await this.store.subs.n.get(nameOrId)
    // A name, once given, always names the same capsule (names are never deleted or reused).
    if (byName != null) { this.#names.set(nameOrId, byName); return byName }
    const rec = await this.store.subs.c.get(nameOrId)
    return rec != null ? nameOrId : undefined
  }

  /** @throws {CapsuleNotFoundError} */
  async resolve (nameOrId: string): Promise<string> {
    const id = await this.find(nameOrId)
    if (id == null) throw new CapsuleNotFoundError(`No capsule named "${nameOrId}"`)
    return id
  }

  async record (id: string): Promise<CapsuleRecord> {
    const hit = this.#records.get(id)
    if (hit != null) return hit
    const rec = await this.store.subs.c.get(id)
    if (rec == null) throw new CapsuleNotFoundError(`No capsule ${id}`)
    this.#records.set(id, rec)
    return rec
  }

  /** Remembers a record just written (with its name, written in the same batch). */
  rememberRecord (rec: CapsuleRecord): void {
    this.#records.set(rec.id, rec)
    this.#names.set(rec.name, rec.id)
  }

  /**
   * Every capsule record. Read from the store once, then served from memory: every write of a
   * record goes through `rememberRecord` (and every search asks for the list).
   */
  async records (): Promise<CapsuleRecord[]> {
    if (!this.#allRecords) {
      for await (const [, rec] of this.store.subs.c.iterator()) if (!this.#records.has(rec.id)) this.#records.set(rec.id, rec)
      this.#allRecords = true
    }
    return [...this.#records.values()]
  }

  /** Head commits of a branch; `[]` for a capsule with no commit yet. @throws {BranchNotFoundError} */
  async heads (id: string, branch = DEFAULT_BRANCH): Promise<CID[]> {
    const key = refKey(id, branch)
    const hit = this.#heads.get(key)
    if (hit != null) return hit
    const ref = await this.store.subs.r.get(key)
    if (ref == null) throw new BranchNotFoundError(`Capsule ${id} has no branch "${branch}"`)
    const heads = (ref.heads as string[]).map(h => CID.parse(h))
    this.#heads.set(key, heads)
    return heads
  }

  async hasBranch (id: string, branch: string): Promise<boolean> {
    return this.#heads.has(refKey(id, branch)) || (await this.store.subs.r.get(refKey(id, branch))) != null
  }

  setHeads (id: string, branch: string, heads: CID[]): void { this.#heads.set(refKey(id, branch), heads) }

  /** The store op that moves a branch's heads. */
  headsOp (id: string, branch: string, heads: CID[]): { sub: 'r', key: string, value: unknown } {
    return { sub: 'r', key: refKey(id, branch), value: { heads: heads.map(h => h.toString()) } }
  }

  async branches (id: string): Promise<string[]> {
    const out: string[] = []
    const prefix = id + '/'
    for await (const key of this.store.subs.r.keys({ gt: prefix, lt: prefix + '\uffff' })) out.push(key.slice(prefix.length))
    return out
  }
}
