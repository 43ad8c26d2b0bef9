import { CID } from 'multiformats/cid'
import { cidKey, createCommit, createGenesis, removalsOf, MAX_FRAMES_PER_COMMIT, type DagSigner, type EncodedBlock, type Frame, type CapsuleRules } from '../../dag/index.js'
import { Store, type StoreBatch } from '../store/index.js'
import { DEFAULT_BRANCH, MAX_GROUP_COMMIT } from '../constants.js'
import { FrameNotFoundError } from '../errors.js'
import type { CapsuleRecord, Refs } from './refs.js'

/** Frames of one put/putMany, already validated and encoded. */
export interface WriteJob {
  /** Capsule name or id; created (by name) when missing and `create` is set. */
  capsule: string
  create: boolean
  branch: string
  frames: Array<EncodedBlock<Frame>>
  /**
   * Part of a bulk load (an import): its commits are not put in the commit cache, which they
   * would only churn (as a database's bulk load bypasses its buffer pool).
   */
  bulk?: boolean
  /** Store ops that must land with these frames (a private capsule's frame keys). */
  puts?: StoreBatch['puts']
}

/** What a committed group tells listeners (the search index, for one). */
export interface CommittedFrames {
  capsule: string
  branch: string
  frames: Array<EncodedBlock<Frame>>
  /** The frames' CID strings, in the same order. */
  keys: string[]
  commits: CID[]
  /** Heads before this write; the new head is the last of `commits`. */
  previousHeads: CID[]
}

interface Pending { job: WriteJob, resolve: (cids: string[]) => void, reject: (err: unknown) => void }

/**
 * Serialises every write of a node and commits concurrent puts together (group commit):
 * all puts queued while one batch is being written go into the next batch, one fsync for
 * all. Each batch holds the frames' blocks, the commits, the indexes and the moved heads,
 * so it lands whole or not at all.
 */
export class Writer {
  readonly #store: Store
  readonly #refs: Refs
  readonly #signer: DagSigner
  readonly #now: () => number
  readonly #onCommit: (c: CommittedFrames[], seq: number) => Promise<void>
  #seq: number | undefined
  #queue: Pending[] = []
  #draining: Promise<void> | undefined

  constructor (init: { store: Store, refs: Refs, signer: DagSigner, now: () => number, onCommit: (c: CommittedFrames[], seq: number) => Promise<void> }) {
    this.#store = init.store
    this.#refs = init.refs
    this.#signer = init.signer
    this.#now = init.now
    this.#onCommit = init.onCommit
  }

  /** Queues frames; resolves with their CIDs (as strings) once durable and indexed. */
  async write (job: WriteJob): Promise<string[]> {
    return await new Promise<string[]>((resolve, reject) => {
      this.#queue.push({ job, resolve, reject })
      this.#kick()
    })
  }

  /** Queues several jobs at once, so they land in one group commit (unless they exceed MAX_GROUP_COMMIT). */
  async writeMany (jobs: WriteJob[]): Promise<string[][]> {
    const done = jobs.map(job => new Promise<string[]>((resolve, reject) => { this.#queue.push({ job, resolve, reject }) }))
    if (jobs.length > 0) this.#kick()
    return await Promise.all(done)
  }

  /** Runs `fn` alone: no batch is written while it runs (capsule creation, merges, branches). */
  async exclusive<T> (fn: () => Promise<T>): Promise<T> {
    return await new Promise<T>((resolve, reject) => {
      this.#queue.push({ job: { exclusive: fn } as any, resolve: resolve as any, reject })
      this.#kick()
    })
  }

  // Starts the drain loop unless it runs. A job queued after the loop saw an empty queue but
  // before its `finally` cleared #draining would otherwise wait forever: restart then.
  #kick (): void {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined
      if (this.#queue.length > 0) this.#kick()
    })
  }

  /** Resolves when everything queued so far is written. */
  async flush (): Promise<void> {
    while (this.#draining != null) await this.#draining
  }

  async #drain (): Promise<void> {
    while (this.#queue.length > 0) {
      const head = this.#queue[0]
      if ((head.job as any).exclusive != null) {
        this.#queue.shift()
        try { head.resolve(await (head.job as any).exclusive()) } catch (err) { head.reject(err) }
        continue
      }
      const group: Pending[] = []
      let count = 0
      while (this.#queue.length > 0 && (this.#queue[0].job as any).exclusive == null && (group.length === 0 || count + this.#queue[0].job.frames.length <= MAX_GROUP_COMMIT)) {
        const p = this.#queue.shift() as Pending
        group.push(p)
        count += p.job.frames.length
      }
      await this.#commitGroup(group)
    }
  }

  /**
   * The store ops that give a batch adding frames its write sequence number and journal entry
   * (so derived indexes can tell they missed it). Call `written()` once the batch is durable.
   * Only for batches written while this writer is idle (inside `exclusive`, or its own drain).
   * `after`: the seq of this job's previous journal, when one job writes several batches (call
   * `written()` of the last only, once all are durable).
   */
  async journal (entries: Array<{ capsule: string, frames: string[] }>, after?: number): Promise<{ seq: number, puts: StoreBatch['puts'], written: () => void }> {
    this.#seq ??= await this.#store.seq()
    const seq = (after ?? this.#seq) + 1
    return {
      seq,
      puts: [
        { sub: 'm', key: 'seq', value: seq },
        { sub: 'q', key: seqKey(seq), value: entries.map(e => ({ c: e.capsule, f: e.frames })) }
      ],
      written: () => { this.#seq = seq }
    }
  }

  /** Creates a capsule (genesis + record + empty main ref) as store ops. */
  genesisOps (name: string, rules?: CapsuleRules): { record: CapsuleRecord, batch: StoreBatch } {
    const g = createGenesis({ name, owner: this.#signer, rules, created: this.#now() })
    const id = g.cid.toString()
    const record: CapsuleRecord = { id, name, owner: this.#signer.did, created: g.value.created }
    if (g.value.rules != null) record.rules = g.value.rules
    return {
      record,
      batch: {
        blocks: [{ cid: g.cid, bytes: g.bytes }],
        puts: [
          { sub: 'c', key: id, value: record },
          { sub: 'n', key: name, value: id },
          this.#refs.headsOp(id, DEFAULT_BRANCH, [])
        ]
      }
    }
  }

  async #commitGroup (group: Pending[]): Promise<void> {
    const rows: Array<[string, Uint8Array]> = []
    const batch: StoreBatch = { blocks: [], puts: [], rows }
    const created = new Map<string, CapsuleRecord>()
    const createdByName = new Map<string, string>()
    const ok: Array<{ p: Pending, id: string }> = []
    // Resolve capsules and check supersede targets per job, so one bad put fails alone.
    for (const p of group) {
      try {
        // A capsule this group creates is not in the store yet: look there first (many puts to a new capsule).
        let id = createdByName.get(p.job.capsule) ?? await this.#refs.find(p.job.capsule)
        if (id == null) {
          if (!p.job.create) await this.#refs.resolve(p.job.capsule)
          const { record, batch: g } = this.genesisOps(p.job.capsule)
          batch.blocks.push(...g.blocks); batch.puts.push(...g.puts)
          created.set(record.id, record)
          createdByName.set(record.name, record.id)
          id = record.id
        }
        if (!created.has(id) && !(await this.#refs.hasBranch(id, p.job.branch)) && !p.job.create) await this.#refs.heads(id, p.job.branch)
        let inJob: Set<string> | undefined
        for (const f of p.job.frames) {
          const target = f.value.supersedes
          if (target == null) continue
          inJob ??= new Set(p.job.frames.map(f => f.cid.toString()))
          if (!inJob.has(target.toString()) && (await this.#store.subs.f.get(target.toString())) == null) {
            throw new FrameNotFoundError(`Frame ${target.toString()} to supersede is not stored`)
          }
        }
        ok.push({ p, id })
      } catch (err) {
        p.reject(err)
      }
    }
    if (ok.length === 0) return

    // Group frames by (capsule, branch), keeping put order. Each frame's CID string is made here,
    // once, for the index keys, the journal, the listeners and the caller.
    const byRef = new Map<string, { id: string, branch: string, frames: Array<EncodedBlock<Frame>>, keys: string[], bulk: boolean }>()
    const jobKeys = new Map<Pending, string[]>()
    for (const { p, id } of ok) {
      const key = `${id}/${p.job.branch}`
      let g = byRef.get(key)
      if (g == null) byRef.set(key, g = { id, branch: p.job.branch, frames: [], keys: [], bulk: true })
      const keys = p.job.frames.map(f => cidKey(f.cid))
      jobKeys.set(p, keys)
      g.frames.push(...p.job.frames)
      g.keys.push(...keys)
      g.bulk &&= p.job.bulk === true
      if (p.job.puts != null) batch.puts.push(...p.job.puts)
    }
    const committed: CommittedFrames[] = []
    const newHeads: Array<{ id: string, branch: string, heads: CID[] }> = []
    const now = this.#now()
    for (const { id, branch, frames, keys, bulk } of byRef.values()) {
      // A branch named for the first time starts at main's heads (a fork of the capsule as it is).
      const previousHeads = created.has(id)
        ? []
        : await this.#refs.hasBranch(id, branch) ? await this.#refs.heads(id, branch) : await this.#refs.heads(id, DEFAULT_BRANCH)
      let parents = previousHeads
      const commits: CID[] = []
      for (let i = 0; i < frames.length; i += MAX_FRAMES_PER_COMMIT) {
        const chunk = frames.slice(i, i + MAX_FRAMES_PER_COMMIT)
        const c = createCommit({ capsule: CID.parse(id), parents, frames: chunk.map(f => f.cid), removes: removalsOf(chunk.map(f => ({ cid: f.cid, frame: f.value }))), author: this.#signer, time: now })
        batch.blocks.push({ cid: c.cid, bytes: c.bytes })
        if (!bulk) this.#refs.rememberCommit(c.cid, c.value, keys.slice(i, i + MAX_FRAMES_PER_COMMIT))
        commits.push(c.cid)
        parents = [c.cid]
      }
      const idBytes = utf8.encode(id)
      const timeline = Store.rowKey('t', `${id}!`)
      for (let i = 0; i < frames.length; i++) {
        const f = frames[i]
        const cid = keys[i]
        batch.blocks.push({ cid: f.cid, bytes: f.bytes })
        rows.push([`${timeline}${timeKey(f.value.time)}!${cid}`, EMPTY], [Store.rowKey('f', cid), idBytes])
        if (f.value.uri != null) rows.push([Store.rowKey('u', `${f.value.uri}\u0000${cid}`), EMPTY])
      }
      batch.puts.push(this.#refs.headsOp(id, branch, parents))
      newHeads.push({ id, branch, heads: parents })
      committed.push({ capsule: id, branch, frames, keys, commits, previousHeads })
    }

    const journal = await this.journal(committed.map(c => ({ capsule: c.capsule, frames: c.keys })))
    batch.puts.push(...journal.puts)
    try {
      await this.#store.write(batch)
    } catch (err) {
      for (const { p } of ok) p.reject(err)
      return
    }
    journal.written()
    const seq = journal.seq
    for (const rec of created.values()) this.#refs.rememberRecord(rec)
    for (const h of newHeads) this.#refs.setHeads(h.id, h.branch, h.heads)
    try {
      await this.#onCommit(committed, seq)
    } catch (err) {
      // Durable but not indexed: the index catches up from the DAG on next open (reindex).
      for (const { p } of ok) p.reject(err)
      return
    }
    for (const { p } of ok) p.resolve(jobKeys.get(p) as string[])
  }
}

const utf8 = new TextEncoder()
const EMPTY = new Uint8Array(0)

/** Fixed-width key of a write sequence number, so journal keys sort numerically. */
export function seqKey (seq: number): string {
  return seq.toString(16).padStart(12, '0')
}

/** Fixed-width hex of a time, so keys sort by time. */
export function timeKey (ms: number): string {
  return ms.toString(16).padStart(12, '0')
}
