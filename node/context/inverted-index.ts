import { Postings } from './_postings.js'
import type { IndexedDoc } from './interface.js'
import type { Tokenizer } from './tokenizer.js'

/** A doc's terms and their frequencies, as stored (so a reload needs no tokenizing). */
export interface DocTerms {
  terms: string[]
  tfs: number[]
  /** Token count (the BM25 length). */
  length: number
}

/**
 * The in-memory lexical index: a doc table indexed by a dense doc number, posting lists per
 * term, and the order of turns within each conversation (for neighbour scoring).
 * Removal marks a doc dead; `compact` drops dead postings once they are a fifth of the index.
 */
export class InvertedIndex {
  readonly postings = new Map<string, Postings>()
  docs: Array<IndexedDoc | undefined> = []
  terms: Array<DocTerms | undefined> = []
  alive = new Uint8Array(1024)
  lengths = new Float32Array(1024)
  times = new Float64Array(1024)
  capsules = new Int32Array(1024)
  /** Interned conversation number per doc (-1: none). */
  convs = new Int32Array(1024)
  readonly convIds = new Map<string, number>()
  /** 1 when the doc asks a question (its next turn is likely the answer). */
  questions = new Uint8Array(1024)
  /** Per doc: the term of its role (speaker), or undefined. */
  roles: Array<string | undefined> = []
  readonly byCid = new Map<string, number>()
  readonly capsuleIds = new Map<string, number>()
  /** Role terms present in the index, with how many live docs carry each. */
  readonly roleTerms = new Map<string, number>()
  /** Conversation → its doc numbers ordered by time. */
  readonly conversations = new Map<string, number[]>()
  live = 0
  totalLength = 0
  dead = 0

  constructor (readonly tokenizer: Tokenizer) {}

  get size (): number { return this.docs.length }
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
    return { terms: [...counts.keys()], tfs: [...counts.values()], length }
  }

  /** Adds a doc (replacing one with the same CID); returns its doc number. */
  add (doc: IndexedDoc, dt: DocTerms = this.analyze(doc)): number {
    const old = this.byCid.get(doc.cid)
    if (old !== undefined) this.remove(doc.cid)
    const n = this.docs.length
    this.grow(n + 1)
    this.docs.push(doc)
    this.terms.push(dt)
    this.alive[n] = 1
    this.lengths[n] = dt.length
    this.times[n] = doc.time
    let cap = this.capsuleIds.get(doc.capsule)
    if (cap === undefined) { cap = this.capsuleIds.size; this.capsuleIds.set(doc.capsule, cap) }
    this.capsules[n] = cap
    this.questions[n] = /[?？¿]/.test(doc.text) ? 1 : 0
    let conv = -1
    if (doc.conversation !== undefined) {
      conv = this.convIds.get(doc.conversation) ?? this.convIds.size
      this.convIds.set(doc.conversation, conv)
    }
    this.convs[n] = conv
    const role = doc.role === undefined ? undefined : this.tokenizer.term(doc.role)
    this.roles.push(role)
    if (role !== undefined) this.roleTerms.set(role, (this.roleTerms.get(role) ?? 0) + 1)
    this.byCid.set(doc.cid, n)
    for (let i = 0; i < dt.terms.length; i++) {
      let p = this.postings.get(dt.terms[i])
      if (p === undefined) { p = new Postings(); this.postings.set(dt.terms[i], p) }
      p.push(n, dt.tfs[i])
    }
    if (doc.conversation !== undefined) this.placeInConversation(doc.conversation, n)
    this.live++
    this.totalLength += dt.length
    return n
  }

  remove (cid: string): boolean {
    const n = this.byCid.get(cid)
    if (n === undefined) return false
    this.byCid.delete(cid)
    this.alive[n] = 0
    const dt = this.terms[n] as DocTerms
    for (const t of dt.terms) { const p = this.postings.get(t); if (p !== undefined) p.df-- }
    const role = this.roles[n]
    if (role !== undefined) {
      const c = (this.roleTerms.get(role) ?? 1) - 1
      if (c === 0) this.roleTerms.delete(role); else this.roleTerms.set(role, c)
    }
    const conv = this.docs[n]?.conversation
    if (conv !== undefined) {
      const list = this.conversations.get(conv)
      if (list !== undefined) {
        const i = list.indexOf(n)
        if (i >= 0) list.splice(i, 1)
        if (list.length === 0) this.conversations.delete(conv)
      }
    }
    this.docs[n] = undefined
    this.terms[n] = undefined
    this.live--
    this.totalLength -= dt.length
    this.dead++
    if (this.dead > 1000 && this.dead * 5 > this.docs.length) this.compact()
    return true
  }

  /** The previous and next turns of a doc in its conversation (-1 when none). */
  neighbours (n: number): [number, number] {
    const conv = this.docs[n]?.conversation
    if (conv === undefined) return [-1, -1]
    const list = this.conversations.get(conv) as number[]
    const i = this.position(list, n)
    return [i > 0 ? list[i - 1] : -1, i >= 0 && i + 1 < list.length ? list[i + 1] : -1]
  }

  /** Drops the postings of removed docs (doc numbers stay stable). */
  compact (): void {
    for (const [t, p] of this.postings) {
      p.compact(this.alive)
      if (p.length === 0) this.postings.delete(t)
    }
    this.dead = 0
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

  private placeInConversation (conv: string, n: number): void {
    let list = this.conversations.get(conv)
    if (list === undefined) { list = []; this.conversations.set(conv, list) }
    let i = list.length
    const t = this.times[n]
    while (i > 0 && this.times[list[i - 1]] > t) i--
    list.splice(i, 0, n)
  }

  private grow (need: number): void {
    if (need <= this.alive.length) return
    const cap = Math.max(need, this.alive.length * 2)
    const alive = new Uint8Array(cap); alive.set(this.alive); this.alive = alive
    const lengths = new Float32Array(cap); lengths.set(this.lengths); this.lengths = lengths
    const times = new Float64Array(cap); times.set(this.times); this.times = times
    const capsules = new Int32Array(cap); capsules.set(this.capsules); this.capsules = capsules
    const questions = new Uint8Array(cap); questions.set(this.questions); this.questions = questions
    const convs = new Int32Array(cap); convs.set(this.convs); this.convs = convs
  }
}
