import { CID } from 'multiformats/cid'
import { cidKey, stateAt, stateFrom, headsAsOfTime, reduceHeads, ancestors, createCommit, decodeFrame, type CapsuleState, type CapsuleRules, type DagSigner, type Frame, verifyBlock } from '../../dag/index.js'
import { Store, BlockNotFoundError, type StoreBatch } from '../store/index.js'
import { DEFAULT_BRANCH } from '../constants.js'
import { AlreadyExistsError, BranchNotFoundError, CapsuleExpiredError, InvalidParametersError } from '../errors.js'
import type { CapsuleInfo, CommitView, FrameView, HistoryOptions, MergeOptions, TimelineOptions } from '../interface.js'
import { Refs, refKey, type CapsuleRecord } from './refs.js'
import { Writer, timeKey, type CommittedFrames } from './writer.js'
import { frameView } from './view.js'
import { loadCheckpoint, saveCheckpoint } from './checkpoints.js'
import { CHECKPOINT_MIN_COMMITS } from '../constants.js'

/** Frames a timeline reads per lookup. */
const TIMELINE_CHUNK = 256

/**
 * Branch names: 1–256 characters, no control characters (importers name branches after
 * provider conversation ids, which may hold almost anything).
 *
 * @throws {InvalidParametersError}
 */
export function checkBranchName (name: unknown): string {
  // eslint-disable-next-line no-control-regex
  if (typeof name !== 'string' || name.length === 0 || name.length > 256 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new InvalidParametersError(`Branch name "${String(name).slice(0, 64)}" must be 1–256 characters without control characters`)
  }
  return name
}

/**
 * Capsule operations: create and list capsules, branches, merges, history and time travel.
 * The state of a branch's current heads is cached and updated incrementally on each commit;
 * past states (`asOf`) are computed from the commit log, which never requires reading frames.
 */
export class Capsules {
  readonly refs: Refs
  readonly writer: Writer
  readonly #store: Store
  readonly #signer: DagSigner
  readonly #now: () => number
  readonly #states = new Map<string, { key: string, state: CapsuleState }>()
  /** Per ref, the heads its stored checkpoint describes. */
  readonly #checkpoints = new Map<string, string>()
  readonly #readFrame: (cid: CID, bytes: Uint8Array, capsule: string) => Promise<Frame>
  readonly #prefetch: ((cids: string[], capsule: string) => Promise<void>) | undefined

  constructor (init: { store: Store, signer: DagSigner, now: () => number, onCommit: (c: CommittedFrames[], seq: number) => Promise<void>, readFrame?: (cid: CID, bytes: Uint8Array, capsule: string) => Promise<Frame>, prefetch?: (cids: string[], capsule: string) => Promise<void> }) {
    this.#store = init.store
    this.#readFrame = init.readFrame ?? (async (cid, bytes) => decodeFrame(cid, bytes))
    // What readFrame will need for these frames, fetched in one lookup (a private capsule's frame keys).
    this.#prefetch = init.prefetch
    this.#signer = init.signer
    this.#now = init.now
    this.refs = new Refs(init.store)
    this.writer = new Writer({
      store: init.store,
      refs: this.refs,
      signer: init.signer,
      now: init.now,
      onCommit: async (c, seq) => { this.#advanceStates(c); await init.onCommit(c, seq) }
    })
  }

  /** Creates a capsule. @throws {AlreadyExistsError} when the name is taken */
  async create (name: string, opts: { rules?: CapsuleRules, extra?: (id: string) => StoreBatch | Promise<StoreBatch> } = {}): Promise<CapsuleInfo> {
    return await this.writer.exclusive(async () => {
      if ((await this.refs.find(name)) != null) throw new AlreadyExistsError(`A capsule named "${name}" exists already`)
      const { record, batch } = this.writer.genesisOps(name, opts.rules)
      // Whatever must exist with the capsule (a private capsule's first epoch) lands in the same batch.
      const extra = await opts.extra?.(record.id)
      if (extra != null) { batch.blocks.push(...extra.blocks); batch.puts.push(...extra.puts) }
      await this.#store.write(batch)
      this.refs.rememberRecord(record)
      return { ...record, branches: [DEFAULT_BRANCH] }
    })
  }

  async list (): Promise<CapsuleInfo[]> {
    const out: CapsuleInfo[] = []
    for (const rec of await this.refs.records()) out.push(this.#withExpiry({ ...rec, branches: await this.refs.branches(rec.id) }))
    return out.sort((a, b) => a.name.localeCompare(b.name))
  }

  async info (nameOrId: string): Promise<CapsuleInfo> {
    const id = await this.refs.resolve(nameOrId)
    const rec: CapsuleRecord = await this.refs.record(id)
    return this.#withExpiry({ ...rec, branches: await this.refs.branches(id) })
  }

  #withExpiry (info: CapsuleInfo): CapsuleInfo {
    if (info.rules?.expires != null && info.rules.expires <= this.#now()) info.expired = true
    return info
  }

  /** False once the capsule is past the expiry its owner signed (rules.expires): it is then not served. */
  async isServable (id: string): Promise<boolean> {
    const expires = (await this.refs.record(id)).rules?.expires
    return expires == null || expires > this.#now()
  }

  /** Ids of every capsule past its expiry (for search to skip). */
  async expired (): Promise<Set<string>> {
    const out = new Set<string>()
    const now = this.#now()
    for (const rec of await this.refs.records()) if (rec.rules?.expires != null && rec.rules.expires <= now) out.add(rec.id)
    return out
  }

  /** @throws {CapsuleExpiredError} when the capsule is past its expiry */
  async assertServable (id: string): Promise<void> {
    if (await this.isServable(id)) return
    const rec = await this.refs.record(id)
    throw new CapsuleExpiredError(`Capsule "${rec.name}" expired at ${new Date(rec.rules?.expires ?? 0).toISOString()} (its owner's rule); it is no longer served`)
  }

  /** Heads for a branch, or the past heads `asOf` asks for. */
  async #headsFor (id: string, opts: HistoryOptions): Promise<CID[]> {
    const heads = await this.refs.heads(id, opts.branch ?? DEFAULT_BRANCH)
    const asOf = opts.asOf
    if (asOf === undefined) return heads
    if (typeof asOf === 'string') {
      let c: CID
      try { c = CID.parse(asOf) } catch { throw new InvalidParametersError(`asOf "${asOf}" is neither a commit CID nor a time`) }
      const commit = await this.refs.loadCommit(c)
      if (commit.capsule.toString() !== id) throw new InvalidParametersError(`Commit ${asOf} belongs to another capsule`)
      return [c]
    }
    const t = asOf instanceof Date ? asOf.getTime() : asOf
    if (!Number.isFinite(t)) throw new InvalidParametersError('asOf is an invalid time')
    return await headsAsOfTime(heads, t, this.refs.loadWalk)
  }

  /** The live frames of a capsule's branch, now or `asOf` a commit or time. */
  async state (nameOrId: string, opts: HistoryOptions = {}): Promise<CapsuleState> {
    const id = await this.refs.resolve(nameOrId)
    const heads = await this.#headsFor(id, opts)
    const key = heads.map(h => h.toString()).sort().join(',')
    const cacheKey = opts.asOf === undefined ? refKey(id, opts.branch ?? DEFAULT_BRANCH) : undefined
    if (cacheKey != null) {
      const hit = this.#states.get(cacheKey)
      if (hit?.key === key) return hit.state
    }
    if (cacheKey != null) {
      const saved = await loadCheckpoint(this.#store, cacheKey)
      if (saved?.heads === key) this.#checkpoints.set(cacheKey, key)
      const state = saved == null
        ? undefined
        : saved.heads === key ? saved.state : await stateFrom({ heads: saved.heads === '' ? [] : saved.heads.split(','), state: saved.state }, heads, this.refs.loadWalk)
      if (state != null) {
        this.#states.set(cacheKey, { key, state })
        return state
      }
    }
    const state = await stateAt(heads, this.refs.loadWalk)
    if (cacheKey != null) this.#states.set(cacheKey, { key, state })
    return state
  }

  /**
   * Saves a checkpoint of each branch state held in memory that is current, long enough to be
   * worth it, and not saved yet (on stop): the next open reads it instead of walking the log.
   */
  async saveCheckpoints (): Promise<void> {
    for (const [ref, { key, state }] of this.#states) {
      if (state.commits < CHECKPOINT_MIN_COMMITS || this.#checkpoints.get(ref) === key) continue
      const slash = ref.indexOf('/')
      const current = await this.refs.heads(ref.slice(0, slash), ref.slice(slash + 1)).catch(() => undefined)
      if (current?.map(h => h.toString()).sort().join(',') !== key) continue
      await saveCheckpoint(this.#store, ref, key, state)
      this.#checkpoints.set(ref, key)
    }
  }

  #advanceStates (committed: CommittedFrames[]): void {
    for (const c of committed) {
      const cacheKey = refKey(c.capsule, c.branch)
      const prevKey = c.previousHeads.map(h => h.toString()).sort().join(',')
      // A branch written from no heads starts from the empty state: it is followed from its first
      // commit (a large import then leaves a checkpoint behind without anyone asking for the state).
      let hit = this.#states.get(cacheKey)
      if (hit == null && prevKey === '') this.#states.set(cacheKey, hit = { key: '', state: { live: new Set(), removed: new Set(), commits: 0 } })
      if (hit == null || hit.key !== prevKey) { this.#states.delete(cacheKey); continue }
      const { live, removed } = hit.state
      for (const k of c.keys) live.add(k)
      for (const f of c.frames) {
        if (f.value.supersedes != null) { removed.add(cidKey(f.value.supersedes)); live.delete(f.value.supersedes.toString()) }
        if (f.value.kind === 'tombstone') { removed.add(cidKey(f.cid)); live.delete(f.cid.toString()) }
      }
      hit.state.commits += c.commits.length
      hit.key = c.commits[c.commits.length - 1].toString()
    }
  }

  /** The commit log of a branch, newest first. */
  async log (nameOrId: string, opts: HistoryOptions & { limit?: number } = {}): Promise<CommitView[]> {
    const id = await this.refs.resolve(nameOrId)
    const out: CommitView[] = []
    for await (const { cid, commit } of ancestors(await this.#headsFor(id, opts), this.refs.loadCommit)) {
      out.push({ cid: cid.toString(), parents: commit.parents.map(String), frames: commit.frames.map(String), removes: commit.removes.map(String), author: commit.author, time: commit.time })
    }
    out.sort((a, b) => b.time - a.time || (a.cid < b.cid ? -1 : 1))
    return opts.limit != null ? out.slice(0, opts.limit) : out
  }

  /** Live frames in time order (oldest first unless `reverse`). */
  async * timeline (nameOrId: string, opts: TimelineOptions = {}): AsyncGenerator<FrameView> {
    const id = await this.refs.resolve(nameOrId)
    await this.assertServable(id)
    const { live } = await this.state(id, opts)
    const since = opts.since instanceof Date ? opts.since.getTime() : opts.since
    const until = opts.until instanceof Date ? opts.until.getTime() : opts.until
    const range = {
      gte: `${id}!${since != null ? timeKey(Math.max(0, since)) : ''}`,
      lt: until != null ? `${id}!${timeKey(Math.max(0, until) + 1)}` : `${id}!\uffff`,
      reverse: opts.reverse === true
    }
    // Blocks are read a chunk at a time (one lookup for many, not one per frame).
    const room = opts.limit ?? Infinity
    let n = 0
    let chunk: string[] = []
    const read = async (): Promise<FrameView[]> => {
      const cids = chunk.map(k => CID.parse(k))
      await this.#prefetch?.(chunk, id)
      const blocks = await this.#store.subs.b.getMany(cids.map(c => Store.blockKey(c)))
      const out: FrameView[] = []
      for (let i = 0; i < cids.length; i++) {
        const bytes = blocks[i]
        if (bytes == null) throw new BlockNotFoundError(`Block ${chunk[i]} not found`)
        verifyBlock(cids[i], bytes)
        out.push(frameView(cids[i], await this.#readFrame(cids[i], bytes, id), id))
      }
      chunk = []
      return out
    }
    for await (const key of this.#store.subs.t.keys(range)) {
      const cid = key.slice(key.lastIndexOf('!') + 1)
      if (!live.has(cid)) continue
      chunk.push(cid)
      if (chunk.length >= Math.min(TIMELINE_CHUNK, room - n)) {
        const got = await read()
        for (const f of got) yield f
        n += got.length
        if (n >= room) return
      }
    }
    if (chunk.length > 0) for (const f of await read()) yield f
  }

  /** Creates a branch at the heads of `from` (a branch, default main) or at a commit. */
  async branch (nameOrId: string, name: string, opts: { from?: string } = {}): Promise<{ branch: string, heads: string[] }> {
    checkBranchName(name)
    const id = await this.refs.resolve(nameOrId)
    return await this.writer.exclusive(async () => {
      if (await this.refs.hasBranch(id, name)) throw new AlreadyExistsError(`Branch "${name}" exists already`)
      let heads: CID[]
      const from = opts.from ?? DEFAULT_BRANCH
      if (await this.refs.hasBranch(id, from)) heads = await this.refs.heads(id, from)
      else heads = await this.#headsFor(id, { asOf: from })
      await this.#store.write({ blocks: [], puts: [this.refs.headsOp(id, name, heads)] })
      this.refs.setHeads(id, name, heads)
      return { branch: name, heads: heads.map(String) }
    })
  }

  /**
   * Merges branch `from` into `into` (or joins the several heads of `into`). A branch that
   * already contains the other is left as it is or fast-forwarded; otherwise a signed merge
   * commit with both sides' heads as parents is written. The result is the union of both
   * states whatever the order of merging.
   */
  async merge (nameOrId: string, opts: MergeOptions = {}): Promise<{ commit?: string, heads: string[], fastForward: boolean }> {
    const id = await this.refs.resolve(nameOrId)
    const into = opts.into ?? DEFAULT_BRANCH
    return await this.writer.exclusive(async () => {
      const mine = await this.refs.heads(id, into)
      const theirs = opts.from != null ? await this.refs.heads(id, opts.from) : []
      if (opts.from != null && !(await this.refs.hasBranch(id, opts.from))) throw new BranchNotFoundError(`No branch "${opts.from}"`)
      const joined = await reduceHeads([...mine, ...theirs], this.refs.loadWalk)
      const same = (a: CID[], b: CID[]): boolean => a.length === b.length && a.every(x => b.some(y => y.equals(x)))
      if (joined.length <= 1) {
        const fastForward = !same(joined, mine)
        if (fastForward) {
          await this.#store.write({ blocks: [], puts: [this.refs.headsOp(id, into, joined)] })
          this.refs.setHeads(id, into, joined)
        }
        return { heads: joined.map(String), fastForward }
      }
      const c = createCommit({ capsule: CID.parse(id), parents: joined, frames: [], removes: [], author: this.#signer, time: this.#now() })
      await this.#store.write({ blocks: [{ cid: c.cid, bytes: c.bytes }], puts: [this.refs.headsOp(id, into, [c.cid])] })
      this.refs.rememberCommit(c.cid, c.value)
      this.refs.setHeads(id, into, [c.cid])
      return { commit: c.cid.toString(), heads: [c.cid.toString()], fastForward: false }
    })
  }
}
