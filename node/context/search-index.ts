import { ASYNC_TICK_MS, LOAD_BATCH, DEFAULT_TIME_MODE, DEFAULT_EMBED_BATCH, DEFAULT_LANGUAGE, DEFAULT_RANKING, DEFAULT_SNIPPET_CHARS, DEFAULT_TOP_K, INDEX_FORMAT, MAX_TOP_K, REBUILD_BATCH, TOKENIZER_VERSION } from './constants.js'
import { IndexClosedError, IndexStaleError } from './errors.js'
import { buildFilter } from './filter.js'
import { InvertedIndex, type DocTerms } from './inverted-index.js'
import { parseQueryTime, timeBoost } from './query-time.js'
import { checkAbort, checkDoc, tick } from './_checks.js'
import { Ranker } from './ranker.js'
import { asksWhen } from './expansion.js'
import { makeSnippet } from './snippet.js'
import { createTokenizer, type Tokenizer } from './tokenizer.js'
import { bytesToVector, reciprocalRankFusion, VectorStore } from './vectors.js'
import { embedDocs } from './_embed.js'
import { toHit } from './_hit.js'
import { fromStored, LAYOUT, logKey, openStore, putOps, readInfo, type IndexInfo, type LogEntry, type Store, type StoredDoc } from './_store.js'
import { dropOtherSnapshots, readSnapshot, writeSnapshot } from './_snapshot.js'
import type { AddOptions, Embedder, IndexedDoc, IndexStatus, RankingParams, RebuildOptions, SearchHit, SearchIndex, SearchIndexInit, SearchOptions, StemLanguage } from './interface.js'

/**
 * When a snapshot is written: once writes pause for SNAPSHOT_IDLE_MS with at least
 * SNAPSHOT_MIN_DOCS docs logged since the last one, or during a long run of writes (a bulk
 * import) once the log holds SNAPSHOT_BUSY_DOCS docs or half the index; and on close. Writing
 * snapshots often during an import costs memory and time (each rewrites the whole index).
 */
const SNAPSHOT_MIN_DOCS = 20_000
const SNAPSHOT_BUSY_DOCS = 100_000
const SNAPSHOT_IDLE_MS = 1000

class LocalSearchIndex implements SearchIndex {
  private readonly language: StemLanguage
  private readonly params: RankingParams
  private readonly tokenizer: Tokenizer
  private readonly embedder?: Embedder
  private readonly onError: (err: Error) => void
  private readonly store?: Store
  /** Where the texts are kept when the stored docs leave them out (see SearchIndexInit.texts). */
  private readonly texts?: SearchIndexInit['texts']
  /** The folder snapshots are written to (else: level). */
  private readonly dir?: string
  private readonly sentences = new Intl.Segmenter('und', { granularity: 'sentence' })
  private index: InvertedIndex
  private ranker: Ranker
  private vectors?: VectorStore
  private pending = new Set<string>()
  private state: IndexStatus['state'] = 'closed'
  private staleReason?: string
  private info: IndexInfo
  private loading?: Promise<void>
  /** The process's time zone, read once. */
  private zone?: string
  /** Writes run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve()
  /** Docs (without a db): the index keeps only numbers and postings in its arrays. */
  private memDocs = new Map<string, IndexedDoc>()
  /** Docs added or removed through the log since the snapshot. */
  private logged = 0
  private snapshotting = false
  private idle?: ReturnType<typeof setTimeout>
  /** The check of stored docs that follows a load (see verify). */
  private verifying?: Promise<void>

  constructor (init: SearchIndexInit) {
    this.language = init.language ?? DEFAULT_LANGUAGE
    this.params = { ...DEFAULT_RANKING, ...init.ranking }
    this.tokenizer = createTokenizer(this.language)
    this.embedder = init.embedder
    this.onError = init.onError ?? (() => {})
    this.store = init.db === undefined ? undefined : openStore(init.db)
    this.texts = init.texts
    this.dir = init.dir
    this.index = new InvertedIndex(this.tokenizer)
    this.ranker = new Ranker(this.index, this.params)
    this.info = this.freshInfo()
    if (this.embedder !== undefined) this.vectors = new VectorStore(this.embedder.dimensions)
  }

  async open (): Promise<void> {
    if (this.state !== 'closed') return
    this.reset()
    if (this.store === undefined) { this.state = 'ready'; return }
    const info = await readInfo(this.store)
    if (info === undefined) {
      this.state = 'ready'
      return
    }
    this.info = info
    const e = this.embedder
    if (info.format !== INDEX_FORMAT || info.tokenizer !== TOKENIZER_VERSION || info.language !== this.language) return this.stale('it was built by another version or language')
    if (info.building === true) return this.stale('a rebuild did not finish')
    if (info.layout !== LAYOUT) return this.stale('it was written in an older layout')
    if (e !== undefined && info.model !== undefined && (info.model !== e.model || info.dimensions !== e.dimensions)) {
      return this.stale(`it holds vectors of ${info.model}/${String(info.dimensions)}, not ${e.model}/${e.dimensions}`)
    }
    this.state = 'loading'
    this.loading = this.load().catch((err: Error) => {
      this.stale(`loading failed: ${err.message}`)
      this.onError(err)
    })
  }

  async add (docs: IndexedDoc[], options: AddOptions = {}): Promise<void> {
    await this.ready()
    await this.serial(async () => {
      checkAbort(options.signal)
      // One CID once per batch (the last wins), so the stored count stays exact.
      docs = [...new Map(docs.map(d => { checkDoc(d); return [d.cid, d] as const })).values()]
      const analysed = docs.map(d => [d, this.index.analyze(d)] as [IndexedDoc, DocTerms])
      // Docs whose vectors failed earlier are retried along with new ones, a batch at a time.
      const fresh = new Set(docs.map(d => d.cid))
      const waiting = [...this.pending].filter(c => !fresh.has(c) && this.index.byCid.has(c)).slice(0, DEFAULT_EMBED_BATCH)
      const retry = waiting.length === 0 ? [] : (await this.fetch(waiting)).filter((d): d is IndexedDoc => d !== undefined)
      const vecs = await this.embedDocs([...docs, ...retry], options.signal)
      const count = this.index.live + docs.filter(d => !this.index.byCid.has(d.cid)).length
      if (this.store !== undefined) {
        const s = this.store
        const ops = putOps(s, analysed, vecs, this.texts === undefined)
        const seq = this.info.seq ?? 0
        if (docs.length > 0) ops.push({ type: 'put', sublevel: s.log, key: logKey(seq), value: { a: docs.map(d => d.cid) } satisfies LogEntry })
        this.info = { ...this.info, count, mark: options.mark ?? this.info.mark, seq: docs.length > 0 ? seq + 1 : seq, ...this.modelInfo() }
        ops.push({ type: 'put', sublevel: s.meta, key: 'info', value: this.info })
        await s.meta.parent.batch(ops as never)
        this.logged += docs.length
      } else {
        if (options.mark !== undefined) this.info.mark = options.mark
        for (const d of docs) this.memDocs.set(d.cid, d)
      }
      for (const [d, dt] of analysed) this.put(d, dt, vecs.get(d.cid))
      for (const d of retry) {
        const v = vecs.get(d.cid)
        const n = this.index.byCid.get(d.cid)
        if (v !== undefined && n !== undefined) { this.vectors?.set(n, v); this.pending.delete(d.cid) }
      }
      this.maybeSnapshot()
    })
  }

  async remove (cids: string[], options: AddOptions = {}): Promise<void> {
    await this.ready()
    await this.serial(async () => {
      checkAbort(options.signal)
      const known = [...new Set(cids)].filter(c => this.index.byCid.has(c))
      if (this.store !== undefined) {
        const s = this.store
        const ops: Array<Record<string, unknown>> = []
        for (const c of known) ops.push({ type: 'del', sublevel: s.docs, key: c }, { type: 'del', sublevel: s.vecs, key: c })
        const seq = this.info.seq ?? 0
        if (known.length > 0) ops.push({ type: 'put', sublevel: s.log, key: logKey(seq), value: { r: known } satisfies LogEntry })
        this.info = { ...this.info, count: this.index.live - known.length, mark: options.mark ?? this.info.mark, seq: known.length > 0 ? seq + 1 : seq }
        ops.push({ type: 'put', sublevel: s.meta, key: 'info', value: this.info })
        await s.meta.parent.batch(ops as never)
        this.logged += known.length
      } else {
        if (options.mark !== undefined) this.info.mark = options.mark
        for (const c of known) this.memDocs.delete(c)
      }
      for (const c of known) this.drop(c)
      this.maybeSnapshot()
    })
  }

  async rebuild (docs: AsyncIterable<IndexedDoc> | Iterable<IndexedDoc>, options: RebuildOptions = {}): Promise<void> {
    if (this.state === 'closed') throw new IndexClosedError()
    await this.loading
    const run = this.serial(async () => {
      // Searches and writes wait for the rebuild: they never see a half-built index.
      this.state = 'loading'
      try {
        if (this.store !== undefined) {
          this.info = { ...this.freshInfo(), building: true }
          await this.store.meta.put('info', this.info)
          await this.store.docs.clear()
          await this.store.vecs.clear()
          await this.store.log.clear()
          await dropOtherSnapshots(this.store, undefined, this.dir)
        }
        this.reset()
        this.memDocs.clear()
        this.staleReason = undefined
        let batch: IndexedDoc[] = []
        let done = 0
        const flush = async (): Promise<void> => {
          const vecs = await this.embedDocs(batch, options.signal)
          const analysed = batch.map(d => [d, this.index.analyze(d)] as [IndexedDoc, DocTerms])
          if (this.store !== undefined) {
            const s = this.store
            await s.meta.parent.batch(putOps(s, analysed, vecs, this.texts === undefined) as never)
          } else for (const d of batch) this.memDocs.set(d.cid, d)
          for (const [d, dt] of analysed) this.put(d, dt, vecs.get(d.cid))
          done += batch.length
          batch = []
          options.onProgress?.(done)
          await tick()
        }
        for await (const d of docs) {
          checkAbort(options.signal)
          checkDoc(d)
          batch.push(d)
          if (batch.length >= REBUILD_BATCH) await flush()
        }
        await flush()
        this.info = { ...this.info, count: this.index.live, mark: options.mark, seq: 0, ...this.modelInfo() }
        delete this.info.building
        delete this.info.snap
        if (this.info.mark === undefined) delete this.info.mark
        // meta/info (still `building` on disk) is written with the snapshot, in one step.
        if (this.store !== undefined) await this.snapshot()
        this.state = 'ready'
      } catch (err) {
        this.stale(`the last rebuild failed: ${(err as Error).message}`)
        throw err
      }
    })
    this.loading = run.then(() => {}, () => {})
    await run
  }

  async search (query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (typeof query !== 'string') throw new TypeError('query: expected a string')
    const topK = options.topK ?? DEFAULT_TOP_K
    if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) throw new RangeError(`topK: expected an integer in 1..${MAX_TOP_K}`)
    await this.ready()
    checkAbort(options.signal)
    let text = query
    let range: { since?: number, until?: number } | undefined
    if (options.naturalTime !== false) {
      this.zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone
      const parsed = parseQueryTime(query, options.timeZone ?? this.zone, options.now ?? new Date())
      if (parsed.since !== undefined) { text = parsed.text; range = parsed }
    }
    const terms = new Map<string, number>()
    for (const t of this.tokenizer.terms(text)) terms.set(t, (terms.get(t) ?? 0) + 1)
    // Time words boost (the default) or filter; with no words left but time ("in May 2023"), they filter.
    let boost: ((n: number) => number) | undefined
    if (range !== undefined && (options.timeMode ?? DEFAULT_TIME_MODE) === 'boost' && terms.size > 0) {
      boost = timeBoost(range, this.index.times, 1 + this.params.time)
      range = undefined
    }
    const filter = buildFilter(this.index, options, range)
    if (filter === null) return []
    let ranked: Array<[number, number]>
    if (terms.size === 0) {
      // Only time words or filters: the newest matching docs.
      ranked = this.newest(filter, topK)
    } else {
      const depth = this.vectors !== undefined && options.vectors !== false ? Math.max(topK * 4, 100) : topK
      ranked = this.ranker.rank(terms, filter, depth, boost, this.language === 'english' && asksWhen(query))
      if (this.vectors !== undefined && this.embedder !== undefined && options.vectors !== false && this.vectors.size > 0) {
        try {
          const [qv] = await this.embedder.embed([text], { signal: options.signal, purpose: 'query' })
          const near = this.vectors.search(qv, filter, this.index.alive, depth)
          ranked = reciprocalRankFusion([ranked, near], this.params.rrfK)
        } catch (err) {
          if ((err as Error).name === 'AbortError') throw err
          this.onError(err as Error)
        }
      }
    }
    const qset = new Set(terms.keys())
    const top = ranked.slice(0, topK)
    const docs = await this.docsOf(top.map(([n]) => n))
    const hits: SearchHit[] = []
    top.forEach(([, score], i) => { const d = docs[i]; if (d !== undefined) hits.push(this.hit(d, score, qset)) })
    return hits
  }

  async get (cid: string): Promise<IndexedDoc | undefined> {
    await this.ready()
    const n = this.index.byCid.get(cid)
    return n === undefined ? undefined : (await this.docsOf([n]))[0]
  }

  async around (cid: string, before: number, after: number): Promise<IndexedDoc[]> {
    await this.ready()
    const n = this.index.byCid.get(cid)
    const list = n === undefined ? undefined : this.index.conversationOf(n)
    if (n === undefined || list === undefined) return []
    const i = list.indexOf(n)
    const ns = [...list.slice(Math.max(0, i - before), i), ...list.slice(i + 1, i + 1 + after)]
    return (await this.docsOf(ns)).filter((d): d is IndexedDoc => d !== undefined)
  }

  async recent (n: number, options: SearchOptions = {}): Promise<IndexedDoc[]> {
    await this.ready()
    const filter = buildFilter(this.index, options)
    if (filter === null) return []
    const ns = this.newest(filter, n).map(([m]) => m).reverse()
    return (await this.docsOf(ns)).filter((d): d is IndexedDoc => d !== undefined)
  }

  status (): IndexStatus {
    const s: IndexStatus = { state: this.state, docs: this.index.live, pendingVectors: this.pending.size }
    if (this.info.model !== undefined && this.info.dimensions !== undefined) s.model = { name: this.info.model, dimensions: this.info.dimensions }
    if (this.info.mark !== undefined) s.mark = this.info.mark
    if (this.staleReason !== undefined) s.reason = this.staleReason
    return s
  }

  async loaded (): Promise<IndexStatus> {
    await this.loading
    await this.verifying
    return this.status()
  }

  async close (): Promise<void> {
    if (this.state === 'closed') return
    await this.loading
    clearTimeout(this.idle)
    this.idle = undefined
    await this.queue.catch(() => {})
    // The next open reads one snapshot instead of replaying the log.
    if (this.store !== undefined && this.state === 'ready' && this.logged > 0) {
      await this.serial(async () => { await this.snapshot() }).catch((err: Error) => this.onError(err))
    }
    this.state = 'closed'
    this.reset()
    this.memDocs.clear()
  }

  private async ready (): Promise<void> {
    if (this.state === 'closed') throw new IndexClosedError()
    if (this.state === 'loading') await this.loading
    if (this.state === 'stale') throw new IndexStaleError(`the search index must be rebuilt: ${this.staleReason ?? 'unknown reason'}`)
    if ((this.state as string) === 'closed') throw new IndexClosedError()
  }

  private stale (reason: string): void {
    this.state = 'stale'
    this.staleReason = reason
    this.reset()
  }

  private async load (): Promise<void> {
    const s = this.store as Store
    const info = this.info
    if (info.snap !== undefined) {
      if (info.snap.file === true && this.dir === undefined) throw new Error('its snapshot is in a file and the index was given no folder')
      await readSnapshot(s, this.index, info.snap.gen, info.snap.file === true ? this.dir : undefined)
    }
    // Then the writes logged since the snapshot, in order (docs read in batches, with their terms).
    let last = Date.now()
    const it = s.log.iterator({ gte: logKey(info.snap?.seq ?? 0), lt: logKey(info.seq ?? 0) })
    let expect = info.snap?.seq ?? 0
    try {
      for (let batch = await it.nextv(LOAD_BATCH); batch.length > 0; batch = await it.nextv(LOAD_BATCH)) {
        for (const [key, value] of batch as Array<[string, LogEntry]>) {
          if (key !== logKey(expect++)) throw new Error(`write log entry ${expect - 1} is missing`)
          for (const c of value.r ?? []) { this.index.remove(c); this.logged++ }
          const cids = value.a ?? []
          for (let i = 0; i < cids.length; i += LOAD_BATCH) {
            const part = cids.slice(i, i + LOAD_BATCH)
            const stored = await s.docs.getMany(part) as Array<StoredDoc | undefined>
            for (const v of stored) {
              if (v === undefined || v === null) continue // removed by a later entry (or lost: the count tells)
              const [d, dt] = fromStored(v)
              this.index.add(d, dt)
              this.logged++
            }
          }
          if (Date.now() - last > ASYNC_TICK_MS) { await tick(); last = Date.now() }
        }
      }
    } finally {
      await it.close()
    }
    if (expect !== (info.seq ?? 0)) throw new Error(`write log ends at ${expect}, expected ${info.seq ?? 0}`)
    if (this.vectors !== undefined) {
      for (let n = 0; n < this.index.size; n++) if (this.index.alive[n] === 1) this.pending.add(this.index.cids[n])
      for await (const [cid, bytes] of s.vecs.iterator()) {
        const n = this.index.byCid.get(cid as string)
        if (n === undefined) continue
        this.vectors.set(n, bytesToVector(bytes as Uint8Array))
        this.pending.delete(cid as string)
      }
    }
    if (this.index.live !== info.count) { this.stale(`it holds ${this.index.live} docs, expected ${info.count}`); return }
    if (this.state === 'loading') this.state = 'ready'
    // Searches answer now; writes wait (in the queue) until every doc's stored text is checked.
    this.verifying = this.serial(async () => { await this.verify() }).catch((err: Error) => {
      this.stale(`checking its stored docs failed: ${err.message}`)
      this.onError(err)
    })
  }

  /** Checks that every live doc has its stored doc (hits, get and around read it); stale when not. */
  private async verify (): Promise<void> {
    const s = this.store
    const ix = this.index
    if (s === undefined || this.state !== 'ready') return
    let stored = 0
    const keys = s.docs.keys()
    try {
      for (let batch = await keys.nextv(10 * LOAD_BATCH); batch.length > 0; batch = await keys.nextv(10 * LOAD_BATCH)) {
        for (const k of batch as string[]) if (ix.byCid.has(k)) stored++
      }
    } finally {
      await keys.close()
    }
    if (this.index === ix && this.state === 'ready' && stored !== ix.live) {
      const reason = `${ix.live - stored} of its ${ix.live} docs are missing in level`
      this.stale(reason)
      this.onError(new IndexStaleError(`the search index must be rebuilt: ${reason}`))
    }
  }

  /** Writes a snapshot of the index and drops the log it covers (inside the write queue). */
  private async snapshot (): Promise<void> {
    const s = this.store
    if (s === undefined) return
    const gen = (this.info.snap?.gen ?? 0) + 1
    await writeSnapshot(s, this.index, gen, this.dir)
    const seq = this.info.seq ?? 0
    this.info = { ...this.info, snap: this.dir !== undefined ? { gen, seq, file: true } : { gen, seq } }
    delete this.info.building
    await s.meta.put('info', this.info)
    this.logged = 0
    await s.log.clear({ lt: logKey(seq) })
    await dropOtherSnapshots(s, gen, this.dir, this.dir !== undefined)
  }

  /** Schedules a snapshot once the log holds enough docs (never awaited by the write that triggers it). */
  private maybeSnapshot (): void {
    if (this.store === undefined || this.snapshotting) return
    clearTimeout(this.idle)
    this.idle = undefined
    if (this.logged >= Math.max(SNAPSHOT_BUSY_DOCS, this.index.live / 2)) this.startSnapshot()
    else if (this.logged >= SNAPSHOT_MIN_DOCS) {
      this.idle = setTimeout(() => { this.idle = undefined; if (this.state === 'ready' && !this.snapshotting) this.startSnapshot() }, SNAPSHOT_IDLE_MS)
      this.idle.unref?.()
    }
  }

  private startSnapshot (): void {
    this.snapshotting = true
    this.serial(async () => {
      try {
        if (this.state === 'ready') await this.snapshot()
      } finally {
        this.snapshotting = false
      }
    }).catch((err: Error) => this.onError(err))
  }

  /** The stored docs of these CIDs (undefined where none). */
  private async fetch (cids: string[]): Promise<Array<IndexedDoc | undefined>> {
    if (this.store === undefined) return cids.map(c => this.memDocs.get(c))
    if (cids.length === 0) return []
    const values = await this.store.docs.getMany(cids) as Array<StoredDoc | undefined>
    const docs = values.map(v => v === undefined || v === null ? undefined : v.d)
    const bare = docs.filter((d): d is IndexedDoc => d !== undefined && typeof d.text !== 'string')
    if (bare.length > 0) {
      const texts = this.texts === undefined ? [] : await this.texts(bare.map(d => ({ cid: d.cid, capsule: d.capsule })))
      bare.forEach((d, i) => { d.text = texts[i] ?? '' })
    }
    return docs
  }

  /**
   * The stored docs of these doc numbers (undefined for one removed meanwhile). A live doc
   * without its stored doc means the index is damaged: it becomes stale.
   */
  private async docsOf (ns: number[]): Promise<Array<IndexedDoc | undefined>> {
    const ix = this.index
    const cids = ns.map(n => ix.cids[n])
    const docs = await this.fetch(cids)
    if (docs.every(d => d !== undefined)) return docs
    // A write may be removing it right now: let writes settle before deciding.
    await this.queue.catch(() => {})
    return docs.map((d, i) => {
      if (d !== undefined || this.index !== ix || ix.byCid.get(cids[i]) !== ns[i]) return d
      this.stale(`the stored doc ${cids[i]} is missing`)
      throw new IndexStaleError(`the search index must be rebuilt: ${this.staleReason ?? ''}`)
    })
  }

  private put (d: IndexedDoc, dt: DocTerms, v: Float32Array | undefined): void {
    const old = this.index.byCid.get(d.cid)
    if (old !== undefined) this.vectors?.delete(old)
    const n = this.index.add(d, dt)
    if (this.vectors !== undefined) {
      if (v !== undefined) { this.vectors.set(n, v); this.pending.delete(d.cid) } else this.pending.add(d.cid)
    }
  }

  private drop (cid: string): void {
    const n = this.index.byCid.get(cid)
    if (n !== undefined) this.vectors?.delete(n)
    this.pending.delete(cid)
    this.index.remove(cid)
  }

  private async embedDocs (docs: IndexedDoc[], signal?: AbortSignal): Promise<Map<string, Float32Array>> {
    return this.embedder === undefined ? new Map() : await embedDocs(this.embedder, docs, this.onError, signal)
  }

  /** The `topK` newest docs passing the filter (a linear scan keeping a small sorted window). */
  private newest (filter: ReturnType<typeof buildFilter>, topK: number): Array<[number, number]> {
    const ix = this.index
    const best: number[] = []
    for (let n = ix.size - 1; n >= 0; n--) {
      if (ix.alive[n] !== 1) continue
      const t = ix.times[n]
      if (best.length === topK && t <= ix.times[best[best.length - 1]]) continue
      if (filter !== undefined && (filter === null || !filter(n))) continue
      let i = best.length
      while (i > 0 && ix.times[best[i - 1]] < t) i--
      best.splice(i, 0, n)
      if (best.length > topK) best.pop()
    }
    return best.map((n, i) => [n, 1 / (i + 1)])
  }


  private hit (d: IndexedDoc, score: number, qset: ReadonlySet<string>): SearchHit {
    return toHit(d, score, () => makeSnippet(d.text, qset, this.tokenizer, this.sentences, DEFAULT_SNIPPET_CHARS))
  }

  private modelInfo (): Partial<IndexInfo> {
    const e = this.embedder
    if (e === undefined) return {}
    return { model: e.model, dimensions: e.dimensions }
  }

  private freshInfo (): IndexInfo {
    return { format: INDEX_FORMAT, layout: LAYOUT, tokenizer: TOKENIZER_VERSION, language: this.language, count: 0, seq: 0, ...this.modelInfo() }
  }

  private reset (): void {
    this.index = new InvertedIndex(this.tokenizer)
    this.ranker = new Ranker(this.index, this.params)
    if (this.embedder !== undefined) this.vectors = new VectorStore(this.embedder.dimensions)
    this.pending.clear()
  }

  private async serial<T> (fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => {})
    return await run
  }
}

/**
 * Creates a local search index. State lives on the returned object (many nodes may share a process).
 */
export function createSearchIndex (init: SearchIndexInit = {}): SearchIndex {
  return new LocalSearchIndex(init)
}
