import { CID } from 'multiformats/cid'
import { decodeFrame, type Frame } from '../dag/index.js'
import { createSearchIndex, assembleContext, indexSources, type SearchIndex, type IndexedDoc, type SearchHit, type ContextResult, type Embedder, type SearchOptions as IndexSearchOptions } from './context/index.js'
import type { Store } from './store/index.js'
import { seqKey, type Capsules, type CommittedFrames } from './capsules/index.js'
import type { FrameView, NodeContextOptions, NodeSearchOptions } from './interface.js'
import { DEFAULT_BRANCH } from './constants.js'
import { InvalidParametersError, SearchDisabledError } from './errors.js'

/** The index's doc for a frame (every branch's frames are indexed; visibility is decided per query). */
export function docOf (f: Pick<FrameView, 'cid' | 'text' | 'title' | 'uri' | 'tags' | 'time' | 'kind' | 'role' | 'conversation'>, capsule: string): IndexedDoc {
  const d: IndexedDoc = { cid: f.cid, text: f.text, tags: f.tags ?? {}, time: f.time, capsule, kind: f.kind }
  if (f.title != null) d.title = f.title
  if (f.uri != null) d.uri = f.uri
  if (f.role != null) d.role = f.role
  if (f.conversation != null) d.conversation = f.conversation
  return d
}

/**
 * The node's search: a persisted index (node/context) kept in step with the DAG.
 * Every committed frame is indexed; a query sees only frames live in the state it asks for
 * (each capsule's main branch now, or `asOf` a commit or time), so supersede, tombstone and
 * time travel need no index rewrite. The index stores the write sequence number it has seen
 * (its mark); on open, a mark behind the store's means a crash came between a commit and its
 * indexing: the index replays just the missed batches from the store's write journal (or is
 * rebuilt from the DAG when that is not possible) before any search answers.
 */
export class NodeSearch {
  readonly index: SearchIndex
  readonly #store: Store
  readonly #capsules: Capsules
  readonly #isServable: (capsule: string) => boolean
  #ready: Promise<void> = Promise.resolve()
  readonly #enabled: boolean
  readonly #readFrame: (cid: CID, bytes: Uint8Array, capsule: string) => Promise<Frame>

  constructor (init: { store: Store, capsules: Capsules, embedder?: Embedder, isServable?: (capsule: string) => boolean, readFrame?: (cid: CID, bytes: Uint8Array, capsule: string) => Promise<Frame>, enabled?: boolean, dir?: string }) {
    this.#enabled = init.enabled ?? true
    this.#store = init.store
    this.#readFrame = init.readFrame ?? (async (cid, bytes) => decodeFrame(cid, bytes))
    this.#capsules = init.capsules
    this.#isServable = init.isServable ?? (() => true)
    // Texts stay in the frames only: the index keeps each doc's terms, not its text a second time.
    const texts = async (docs: Array<{ cid: string, capsule: string }>): Promise<Array<string | undefined>> => await Promise.all(docs.map(async ({ cid, capsule }) => {
      try {
        const c = CID.parse(cid)
        return (await this.#readFrame(c, await this.#store.getBlock(c), capsule)).text
      } catch {
        return undefined // forgotten (its doc leaves the index with it) or unreadable
      }
    }))
    this.index = createSearchIndex({ db: init.store.db.sublevel('s', { keyEncoding: 'utf8', valueEncoding: 'json' }) as any, embedder: init.embedder, texts, dir: init.dir })
  }

  /** False when the node runs without search (nothing is indexed). */
  get enabled (): boolean { return this.#enabled }

  /** Opens the index; a stale or behind index is rebuilt in the background (searches wait). */
  async open (): Promise<void> {
    // Without search the journal has no reader: drop it (an index opened later rebuilds whole).
    if (!this.#enabled) { await this.#store.subs.q.clear(); return }
    await this.index.open()
    this.#ready = (async () => {
      // The background load and its consistency check settle before the status is read.
      const st = await this.index.loaded()
      const seq = await this.#store.seq()
      const mark = st.mark != null && /^\d+$/.test(st.mark) ? Number(st.mark) : Number.NaN
      if (st.state === 'stale' || Number.isNaN(mark) || mark > seq || (mark < seq && !(await this.#catchUp(mark, seq)))) await this.reindex()
      // The journal up to the index's mark is no longer needed.
      await this.#store.subs.q.clear({ lte: seqKey(seq) })
    })()
    this.#ready.catch(() => {})
  }

  /** Indexes the frames of journal entries mark+1..seq; false when an entry is missing. */
  async #catchUp (mark: number, seq: number): Promise<boolean> {
    const docs: IndexedDoc[] = []
    let expect = mark + 1
    for await (const [key, entries] of this.#store.subs.q.iterator({ gt: seqKey(mark), lte: seqKey(seq) })) {
      if (parseInt(key, 16) !== expect++) return false
      for (const { c, f } of entries as Array<{ c: string, f: string[] }>) {
        for (const cid of f) {
          const parsed = CID.parse(cid)
          let bytes: Uint8Array
          try { bytes = await this.#store.getBlock(parsed) } catch { continue }
          let frame: Frame
          try { frame = await this.#readFrame(parsed, bytes, c) } catch { continue } // a private frame without its key
          docs.push(docOf({ ...frame, cid, tags: frame.tags ?? {} }, c))
        }
      }
    }
    if (expect !== seq + 1) return false
    await this.index.add(docs, { mark: String(seq) })
    return true
  }

  /** Rebuilds the index from every frame in the store's timeline index. */
  async reindex (opts: { onProgress?: (done: number) => void } = {}): Promise<{ docs: number }> {
    if (!this.#enabled) throw new SearchDisabledError()
    const store = this.#store
    const readFrame = this.#readFrame
    let docs = 0
    async function * all (): AsyncGenerator<IndexedDoc> {
      for await (const key of store.subs.t.keys()) {
        const i = key.indexOf('!')
        const capsule = key.slice(0, i)
        const cid = CID.parse(key.slice(key.lastIndexOf('!') + 1))
        let bytes: Uint8Array
        try { bytes = await store.getBlock(cid) } catch { continue } // forgotten or damaged: verify reports it
        let f: Frame
        try { f = await readFrame(cid, bytes, capsule) } catch { continue } // a private frame without its key
        docs++
        yield docOf({ ...f, cid: cid.toString(), tags: f.tags ?? {} }, capsule)
      }
    }
    await this.index.rebuild(all(), { mark: String(await store.seq()), onProgress: opts.onProgress })
    return { docs }
  }

  /** Indexes frames as they commit (before the puts resolve). */
  async onCommit (committed: CommittedFrames[], seq: number): Promise<void> {
    // A disabled index is rebuilt from the DAG (its mark is behind) if the node later opens with search.
    if (!this.#enabled) return
    await this.#ready
    const docs: IndexedDoc[] = []
    for (const c of committed) c.frames.forEach((f, i) => docs.push(docOf({ ...f.value, cid: c.keys[i], tags: f.value.tags ?? {} }, c.capsule)))
    await this.index.add(docs, { mark: String(seq) })
  }

  /** Which frames a query may see: live in the asked state of a servable capsule. */
  async #allowed (opts: NodeSearchOptions): Promise<{ allowed: (cid: string) => boolean, capsules: string[] }> {
    let ids: string[]
    const asOf = opts.asOf
    if (typeof asOf === 'string') {
      let c: CID
      try { c = CID.parse(asOf) } catch { throw new InvalidParametersError(`asOf "${asOf}" is neither a commit CID nor a time`) }
      ids = [(await this.#capsules.refs.loadCommit(c)).capsule.toString()]
    } else if (opts.capsule != null) {
      ids = await Promise.all((Array.isArray(opts.capsule) ? opts.capsule : [opts.capsule]).map(async c => await this.#capsules.refs.resolve(c)))
    } else {
      ids = (await this.#capsules.refs.records()).map(r => r.id)
    }
    ids = ids.filter(id => this.#isServable(id))
    const sets = await Promise.all(ids.map(async id => (await this.#capsules.state(id, { branch: DEFAULT_BRANCH, asOf })).live))
    return { allowed: sets.length === 1 ? (cid) => sets[0].has(cid) : (cid) => sets.some(s => s.has(cid)), capsules: ids }
  }

  async search (query: string, opts: NodeSearchOptions = {}): Promise<SearchHit[]> {
    if (!this.#enabled) throw new SearchDisabledError()
    if (typeof query !== 'string') throw new TypeError('query must be a string')
    await this.#ready
    const { allowed, capsules } = await this.#allowed(opts)
    if (capsules.length === 0) return []
    const { asOf: _asOf, capsule: _capsule, ...rest } = opts
    const o: IndexSearchOptions = { ...rest, allowed }
    return await this.index.search(query, o)
  }

  async context (message: string, opts: NodeContextOptions = {}, identity?: () => Promise<Array<{ text: string, cid?: string }>>): Promise<ContextResult> {
    if (!this.#enabled) throw new SearchDisabledError()
    if (typeof message !== 'string') throw new TypeError('message must be a string')
    await this.#ready
    const { allowed } = await this.#allowed(opts)
    const sources = indexSources(this.index, { filter: { allowed, timeZone: opts.timeZone, now: opts.now }, identity: identity as any })
    return await assembleContext(message, { budget: opts.budget, signal: opts.signal, search: { topK: opts.topK } }, sources)
  }

  async close (): Promise<void> {
    if (!this.#enabled) return
    await this.#ready.catch(() => {})
    await this.index.close()
  }
}
