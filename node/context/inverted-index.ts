import { Postings, PostingsDecoder } from './_postings.js'
import { CidTable, StringColumn } from './_doc-keys.js'
import { PagedBytes } from './_paged-bytes.js'
import type { IndexedDoc } from './interface.js'
import type { Tokenizer } from './tokenizer.js'

/** A doc's terms and their frequencies, as stored (so a reload needs no tokenizing). */
export interface DocTerms {
  terms: string[]
  tfs: number[]
  /** Token count (the BM25 length). */
  length: number
  /** Whether the doc asks a question (from its text; kept for docs persisted without it). */
  question?: boolean
}

const EMPTY_TAGS: Record<string, string> = Object.freeze({}) as Record<string, string>
const QUESTION = /[?？¿]/

/**
 * The in-memory lexical index, kept small: per doc only numbers in typed arrays (length, time,
 * interned capsule, conversation, role and tag set), its CID (found by a table of doc numbers, see
 * _doc-keys.ts) and its URI (as UTF-8 bytes); posting lists per term
 * (varint-coded byte arrays, decoded one at a time when read);
 * and a forward index (each doc's term ids and frequencies, varint-coded in one byte array)
 * for pseudo-relevance feedback and removal. Titles and the rest of a doc live in level, texts
 * there too or where the caller keeps them (a node: its frames); they are read only for the hits
 * returned.
 * Removal marks a doc dead; `compact` drops dead postings once they are a fifth of the index.
 */
export class InvertedIndex {
  readonly postings = new Map<string, Postings>()
  /** Decodes one posting list at a time for readers of `docs`/`tfs` (see _postings.ts). */
  readonly decoder = new PostingsDecoder()
  /** Per doc: its CID ('' once removed). */
  cids: string[] = []
  /** Per doc: its URI (see `uri`). */
  uris = new StringColumn()
  /** Per doc: the number of its tags in `tagTable` (0: none). */
  tagIdx = new Int32Array(1024)
  /** Distinct tag sets (objects shared between docs with equal tags; never mutate); 0 is the empty one. */
  tagTable: Array<Record<string, string>> = [EMPTY_TAGS]
  alive = new Uint8Array(1024)
  lengths = new Float32Array(1024)
  times = new Float64Array(1024)
  capsules = new Int32Array(1024)
  /** Interned conversation number per doc (-1: none). */
  convs = new Int32Array(1024)
  /** 1 when the doc asks a question (its next turn is likely the answer). */
  questions = new Uint8Array(1024)
  /** Per doc: the number of the term of its role (speaker) in `roleNames`, or -1. */
  roleIdx = new Int32Array(1024)
  /** Role terms by number (kept once seen). */
  roleNames: string[] = []
  readonly byCid = new CidTable(() => this.cids)
  readonly capsuleIds = new Map<string, number>()
  capsuleNames: string[] = []
  readonly convIds = new Map<string, number>()
  convNames: string[] = []
  /** Per conversation number: its doc numbers ordered by (time, doc number). */
  convDocs: number[][] = []
  /** Per conversation number: the summed length of its live docs (a conversation's BM25 length). */
  convLengths: number[] = []
  /** Conversations with at least one live doc. */
  liveConvs = 0
  /** Summed length of the live docs that belong to a conversation. */
  convTotalLength = 0
  /** Role terms present in the index, with how many live docs carry each. */
  readonly roleTerms = new Map<string, number>()
  /** Term dictionary (term → id) and its inverse. */
  readonly termIds = new Map<string, number>()
  termNames: string[] = []
  /** Forward index: doc n's (term id delta, tf) varint pairs are the entry of `fwd` at fwdStart[n] (see _paged-bytes.ts). */
  fwd = new PagedBytes()
  fwdStart = new Uint32Array(1025)
  /** Per doc terms for ranking code that reads `terms[n]` (decoded on access). */
  readonly terms: { readonly [n: number]: DocTerms | undefined }
  live = 0
  totalLength = 0
  dead = 0
  private readonly tagIds = new Map<string, number>()
  private count = 0

  constructor (readonly tokenizer: Tokenizer) {
    this.terms = new Proxy({}, {
      get: (_t, key) => typeof key === 'string' ? this.docTerms(Number(key)) : undefined
    })
  }

  get size (): number { return this.count }
  get avgLength (): number { return this.live === 0 ? 1 : this.totalLength / this.live }

  /** Tokenizes a doc: its title, text and tags' values. */
  analyze (doc: IndexedDoc): DocTerms {
    const counts = new Map<string, number>()
    let length = 0
    const add = (text: string | undefined): void => {
      if (text === undefined || text === '') return
      for (const t of this.tokenizer.terms(text)) { counts.set(t, (counts.get(t) ?? 0) + 1); length++ }
    }
    add(doc.title)
    add(doc.text)
    for (const v of Object.values(doc.tags)) add(v)
    return { terms: [...counts.keys()], tfs: [...counts.values()], length, question: QUESTION.test(doc.text) }
  }

  /** A live doc's terms (decoded from the forward index), or undefined. */
  docTerms (n: number): DocTerms | undefined {
    if (!(n >= 0 && n < this.count) || this.alive[n] !== 1) return undefined
    const terms: string[] = []
    const tfs: number[] = []
    this.forEachTerm(n, (id, tf) => { terms.push(this.termNames[id]); tfs.push(tf) })
    return { terms, tfs, length: this.lengths[n] }
  }

  /** Adds a doc (replacing one with the same CID); returns its doc number. */
  add (doc: IndexedDoc, dt: DocTerms = this.analyze(doc)): number {
    const old = this.byCid.get(doc.cid)
    if (old !== undefined) this.remove(doc.cid)
    const n = this.count
    this.grow(n + 1)
    this.count++
    this.cids.push(doc.cid)
    this.uris.push(doc.uri)
    this.tagIdx[n] = this.internTags(doc.tags)
    this.alive[n] = 1
    this.lengths[n] = dt.length
    this.times[n] = doc.time
    this.capsules[n] = this.intern(this.capsuleIds, this.capsuleNames, doc.capsule)
    this.questions[n] = (dt.question ?? QUESTION.test(doc.text ?? '')) ? 1 : 0
    this.convs[n] = doc.conversation === undefined ? -1 : this.intern(this.convIds, this.convNames, doc.conversation)
    const rt = doc.role === undefined ? undefined : this.tokenizer.term(doc.role)
    this.roleIdx[n] = rt === undefined ? -1 : this.internRole(rt)
    if (rt !== undefined) this.roleTerms.set(rt, (this.roleTerms.get(rt) ?? 0) + 1)
    this.byCid.set(doc.cid, n)
    const ids = new Array<number>(dt.terms.length)
    for (let i = 0; i < dt.terms.length; i++) {
      const t = dt.terms[i]
      let id = this.termIds.get(t)
      if (id === undefined) { id = this.termNames.length; this.termIds.set(t, id); this.termNames.push(t) }
      ids[i] = id
      let p = this.postings.get(t)
      if (p === undefined) { p = new Postings(this.decoder); this.postings.set(t, p) }
      p.push(n, dt.tfs[i])
    }
    this.encodeTerms(n, ids, dt.tfs)
    if (this.convs[n] >= 0) {
      this.placeInConversation(this.convs[n], n)
      this.convLengths[this.convs[n]] = (this.convLengths[this.convs[n]] ?? 0) + dt.length
      this.convTotalLength += dt.length
    }
    this.live++
    this.totalLength += dt.length
    return n
  }

  remove (cid: string): boolean {
    const n = this.byCid.get(cid)
    if (n === undefined) return false
    this.byCid.delete(cid)
    this.forEachTerm(n, id => { const p = this.postings.get(this.termNames[id] as string); if (p !== undefined) p.df-- })
    this.alive[n] = 0
    this.cids[n] = ''
    this.uris.clear(n)
    this.tagIdx[n] = 0
    const role = this.roleOf(n)
    if (role !== undefined) {
      const c = (this.roleTerms.get(role) ?? 1) - 1
      if (c === 0) this.roleTerms.delete(role); else this.roleTerms.set(role, c)
      this.roleIdx[n] = -1
    }
    const conv = this.convs[n]
    if (conv >= 0) {
      const list = this.convDocs[conv]
      const i = this.position(list, n)
      if (i >= 0) list.splice(i, 1)
      if (list.length === 0) this.liveConvs--
      this.convLengths[conv] -= this.lengths[n]
      this.convTotalLength -= this.lengths[n]
    }
    this.live--
    this.totalLength -= this.lengths[n]
    this.dead++
    if (this.dead > 1000 && this.dead * 5 > this.count) this.compact()
    return true
  }

  /** Doc n's URI, or undefined. */
  uri (n: number): string | undefined { return this.uris.get(n) }

  /** Doc n's tags (shared objects; never mutate). */
  tagsOf (n: number): Record<string, string> { return this.tagTable[this.tagIdx[n]] ?? EMPTY_TAGS }

  /** The term of doc n's role, or undefined. */
  roleOf (n: number): string | undefined {
    const r = this.roleIdx[n]
    return r < 0 ? undefined : this.roleNames[r]
  }

  /** The live docs of a doc's conversation ordered by time (itself included), or undefined. */
  conversationOf (n: number): number[] | undefined {
    const c = this.convs[n]
    return c >= 0 && this.alive[n] === 1 ? this.convDocs[c] : undefined
  }

  /** The previous and next turns of a doc in its conversation (-1 when none). */
  neighbours (n: number): [number, number] {
    const list = this.conversationOf(n)
    if (list === undefined) return [-1, -1]
    const i = this.position(list, n)
    return [i > 0 ? list[i - 1] : -1, i >= 0 && i + 1 < list.length ? list[i + 1] : -1]
  }

  /** Drops the postings of removed docs (doc numbers stay stable). */
  compact (): void {
    if (this.dead === 0) return
    for (const [t, p] of this.postings) {
      p.compact(this.alive)
      if (p.length === 0) this.postings.delete(t)
    }
    this.dead = 0
  }

  /** Calls `fn(termId, tf)` for each term of doc n (term ids ascending). */
  forEachTerm (n: number, fn: (id: number, tf: number) => void): void {
    const at = this.fwdStart[n]
    const b = this.fwd.page(at)
    let i = this.fwd.offset(at)
    const end = this.fwd.endOf(at, this.fwdStart[n + 1])
    let id = 0
    while (i < end) {
      let v = 0; let shift = 0; let x
      do { x = b[i++]; v += (x & 0x7f) * 2 ** shift; shift += 7 } while (x >= 0x80)
      id += v
      let tf = 0; shift = 0
      do { x = b[i++]; tf += (x & 0x7f) * 2 ** shift; shift += 7 } while (x >= 0x80)
      fn(id, tf)
    }
  }

  /** Rebuilds the derived maps after the arrays were loaded from a snapshot (see _snapshot.ts). */
  restore (count: number, live: number, totalLength: number): void {
    this.count = count
    this.live = live
    this.totalLength = totalLength
    this.byCid.clear(); this.capsuleIds.clear(); this.convIds.clear(); this.termIds.clear(); this.roleTerms.clear(); this.tagIds.clear()
    this.capsuleNames.forEach((c, i) => this.capsuleIds.set(c, i))
    this.convNames.forEach((c, i) => this.convIds.set(c, i))
    this.termNames.forEach((t, i) => this.termIds.set(t, i))
    this.tagTable.forEach((t, i) => this.tagIds.set(JSON.stringify(t), i))
    for (let n = 0; n < count; n++) {
      const r = this.roleOf(n)
      if (r !== undefined && this.alive[n] === 1) this.roleTerms.set(r, (this.roleTerms.get(r) ?? 0) + 1)
    }
    this.convDocs = this.convNames.map(() => [])
    for (let n = 0; n < count; n++) {
      if (this.alive[n] !== 1) continue
      this.byCid.set(this.cids[n], n)
      if (this.convs[n] >= 0) this.convDocs[this.convs[n]].push(n)
    }
    this.convLengths = this.convNames.map(() => 0)
    this.convTotalLength = 0
    this.liveConvs = 0
    this.convDocs.forEach((list, c) => {
      for (const m of list) this.convLengths[c] += this.lengths[m]
      this.convTotalLength += this.convLengths[c]
      if (list.length > 0) this.liveConvs++
    })
    for (const list of this.convDocs) list.sort((a, b) => this.times[a] - this.times[b] || a - b)
    this.dead = count - live
  }

  /** Makes room for `need` docs in the per-doc arrays. */
  grow (need: number): void {
    if (need <= this.alive.length) return
    const cap = Math.max(need, Math.ceil(this.alive.length * 1.5))
    const alive = new Uint8Array(cap); alive.set(this.alive); this.alive = alive
    const lengths = new Float32Array(cap); lengths.set(this.lengths); this.lengths = lengths
    const times = new Float64Array(cap); times.set(this.times); this.times = times
    const capsules = new Int32Array(cap); capsules.set(this.capsules); this.capsules = capsules
    const tagIdx = new Int32Array(cap); tagIdx.set(this.tagIdx); this.tagIdx = tagIdx
    const roleIdx = new Int32Array(cap); roleIdx.set(this.roleIdx); this.roleIdx = roleIdx
    const questions = new Uint8Array(cap); questions.set(this.questions); this.questions = questions
    const convs = new Int32Array(cap); convs.set(this.convs); this.convs = convs
    const fwdStart = new Uint32Array(cap + 1); fwdStart.set(this.fwdStart.subarray(0, this.count + 1)); this.fwdStart = fwdStart
  }

  private encodeTerms (n: number, ids: number[], tfs: number[]): void {
    const order = ids.map((_, i) => i).sort((a, b) => ids[a] - ids[b])
    // At most 5 bytes per id delta and 3 per tf (tfs are capped at 65535 by the postings).
    const { page: b, offset, at } = this.fwd.reserve(order.length * 8)
    let o = offset
    let prev = 0
    for (const i of order) {
      let v = ids[i] - prev
      prev = ids[i]
      while (v >= 0x80) { b[o++] = (v & 0x7f) | 0x80; v = Math.floor(v / 128) }
      b[o++] = v
      let tf = Math.min(tfs[i], 65535)
      while (tf >= 0x80) { b[o++] = (tf & 0x7f) | 0x80; tf >>>= 7 }
      b[o++] = tf
    }
    this.fwd.commit(o)
    this.fwdStart[n] = at
    this.fwdStart[n + 1] = this.fwd.end
  }

  private intern (ids: Map<string, number>, names: string[], key: string): number {
    let id = ids.get(key)
    if (id === undefined) { id = names.length; ids.set(key, id); names.push(key) }
    return id
  }

  private internRole (role: string): number {
    const i = this.roleNames.indexOf(role)
    return i >= 0 ? i : this.roleNames.push(role) - 1
  }

  private internTags (tags: Record<string, string>): number {
    const keys = Object.keys(tags)
    if (keys.length === 0) return 0
    const key = JSON.stringify(tags)
    let t = this.tagIds.get(key)
    if (t === undefined) { t = this.tagTable.push(Object.freeze({ ...tags })) - 1; this.tagIds.set(key, t) }
    return t
  }

  private position (list: number[], n: number): number {
    // Binary search by (time, doc number), the order placeInConversation keeps.
    let lo = 0
    let hi = list.length - 1
    const t = this.times[n]
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const m = list[mid]
      const c = this.times[m] - t || m - n
      if (c === 0) return mid
      if (c < 0) lo = mid + 1; else hi = mid - 1
    }
    return -1
  }

  private placeInConversation (conv: number, n: number): void {
    let list = this.convDocs[conv]
    if (list === undefined) { list = []; this.convDocs[conv] = list }
    if (list.length === 0) this.liveConvs++
    let i = list.length
    const t = this.times[n]
    while (i > 0 && this.times[list[i - 1]] > t) i--
    list.splice(i, 0, n)
  }
}
