import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { createFrame, encodeFrame, decodeFrame, type CapsuleRules, type CapsuleState, type EncodedBlock, type Frame } from '../dag/index.js'
import type { Ed25519Key } from '../capabilities/index.js'
import { Store, BlockNotFoundError } from './store/index.js'
import { Capsules, checkBranchName, frameView, type CommittedFrames, type WriteJob } from './capsules/index.js'
import { verifyStore } from './verify/index.js'
import { nativeSigner, nativeVerifier } from './signatures/index.js'
import { planExport, importCapsuleFile, recoverImports, verifyCapsuleFile, writeTo, type CapsuleSink, type CapsuleSource, type ExportOptions, type ExportResult, type FileReport, type ImportOptions as FileImportOptions, type ImportResult, type FilesComponents } from './files/index.js'
import { forgetFrames, findForQuery, collectGarbage, shredForgotten, type ForgetComponents, type ForgetQuery, type ForgetOptions, type ForgetResult, type GcOptions, type GcResult } from './forget/index.js'
import { NodeSearch } from './search.js'
import { PrivateKeys, readFrame } from './private/index.js'
import { Tokens, type ShareOptions, type TokenRecord } from './tokens/index.js'
import type { Delegation, Invocation, TokenInput, ValidatedInvocation } from '../capabilities/index.js'
import type { SearchHit, ContextResult } from './context/index.js'
import type { ImportOptions, ImportReport, SourceRecord } from './capture/index.js'
import { resolveHome, loadOrCreateIdentity, Vault } from './home/index.js'
import { DEFAULT_BRANCH, DEFAULT_CAPSULE } from './constants.js'
import { FrameForgottenError, FrameNotFoundError, InvalidParametersError, NodeStoppedError } from './errors.js'
import type { NodeSearchOptions, NodeContextOptions, AbortOptions, CapsuleInfo, CommitView, FrameView, HistoryOptions, MergeOptions, NodeInit, PutInput, PutManyOptions, TimelineOptions, VerifyReport } from './interface.js'

/** Listener for frames that became durable; resolves before `put` does. */
export type CommitListener = (committed: CommittedFrames[]) => Promise<void> | void

/**
 * A vivim node: the owner's identity, the store under its home folder and the capsules in it.
 * Create one with `createNode`.
 */
export class VivimNode {
  readonly home: string
  readonly did: string
  readonly #key: Ed25519Key
  readonly #store: Store
  readonly #capsules: Capsules
  readonly #listeners: CommitListener[] = []
  readonly #search: NodeSearch
  readonly #tokens: Tokens
  readonly #private: PrivateKeys
  #imports: Promise<void> = Promise.resolve()
  readonly #now: () => number
  readonly #files: FilesComponents
  readonly #forget: ForgetComponents
  /** Capsule id → rules.expires, for the synchronous `isServable` search filters with. */
  readonly #expiry = new Map<string, number>()
  #stopped = false

  private constructor (home: string, key: Ed25519Key, vault: Vault, store: Store, now: () => number, search: boolean) {
    this.home = home
    this.#key = key
    this.did = key.did
    this.#store = store
    this.#private = new PrivateKeys({ store, key, vault })
    this.#capsules = new Capsules({
      store,
      readFrame: async (c, bytes, capsule) => await this.#readFrame(c, bytes, capsule),
      prefetch: async (cids, capsule) => {
        if ((await this.#capsules.refs.record(capsule)).rules?.encrypted === true) await this.#private.prefetch(capsule, cids)
      },
      signer: nativeSigner(key),
      now,
      onCommit: async (c, seq) => {
        await this.#search.onCommit(c, seq)
        for (const l of this.#listeners) await l(c)
      }
    })
    this.#tokens = new Tokens({ store, refs: this.#capsules.refs, key })
    this.#search = new NodeSearch({ store, capsules: this.#capsules, isServable: (id) => this.isServable(id), readFrame: async (c, bytes, capsule) => await this.#readFrame(c, bytes, capsule), enabled: search, dir: join(home, 'index') })
    this.#now = now
    const signer = nativeSigner(key)
    this.#files = {
      store,
      refs: this.#capsules.refs,
      writer: this.#capsules.writer,
      signer,
      verifier: nativeVerifier(),
      now,
      epochBlocks: async (id) => await this.#private.epochBlocks(id),
      sealedOpener: async (id, owner, blocks) => this.#private.importKeys(id, (await this.#private.openRing(id, owner, blocks)).ring),
      frameKeyBundles: async (id, skip) => (await this.#private.epochBlocks(id)).length === 0 ? [] : await this.#private.exportBundles(id, (await this.#capsules.refs.record(id)).owner, skip),
      // The record PrivateKeys keeps under `k` (keyring/<capsule> → { owner, blocks }).
      keyringPut: (id, owner, blocks) => ({ sub: 'k', key: `keyring/${id}`, value: { owner, blocks } })
    }
    this.#forget = {
      store,
      capsules: this.#capsules,
      signer,
      now,
      putMany: async (inputs) => await this.putMany(inputs),
      shred: async (capsule, cids) => {
        const rec = await this.#capsules.refs.record(capsule)
        if (rec.rules?.encrypted !== true) return 0
        return await this.#capsules.writer.exclusive(async () => await this.#private.shred(capsule, rec.owner, new Set(cids)))
      },
      readFrame: async (c, bytes, capsule) => await this.#readFrame(c, bytes, capsule)
    }
  }

  /** @internal use `createNode` */
  static async open (init: NodeInit = {}): Promise<VivimNode> {
    if (init.network !== undefined && init.network !== false) throw new InvalidParametersError('Only network: false is supported by this version (networking is not built yet)')
    const home = resolveHome(init.home)
    const { key } = await loadOrCreateIdentity(home, { passphrase: init.passphrase })
    const vault = await Vault.open(home, key)
    const store = new Store(home)
    await store.open()
    try {
      // A capsule import cut short by a crash may have left unreachable blocks and index entries: undo them first.
      await recoverImports(store)
      const node = new VivimNode(home, key, vault, store, init.now ?? Date.now, init.search ?? true)
      for (const rec of await node.#capsules.refs.records()) if (rec.rules?.expires != null) node.#expiry.set(rec.id, rec.rules.expires)
      await node.#search.open()
      return node
    } catch (err) {
      // A node that failed to open must not keep the home locked.
      await store.close().catch(() => {})
      throw err
    }
  }

  #check (): void { if (this.#stopped) throw new NodeStoppedError() }

  /** Decodes a frame block, opening it with the capsule's epoch keys when it is sealed. */
  async #readFrame (c: CID, bytes: Uint8Array, capsule: string): Promise<Frame> {
    return await readFrame(c, bytes, async () => (await this.#capsules.refs.record(capsule)).owner, this.#private)
  }

  /** The store, for components that live beside the node (search index, sync). */
  get store (): Store { return this.#store }

  /** Calls `fn` with every batch of frames once durable, before the puts resolve. */
  onCommit (fn: CommitListener): void { this.#listeners.push(fn) }

  #encode (input: PutInput, now: number): EncodedBlock<Frame> {
    if (input == null || typeof input !== 'object') throw new TypeError('put input must be an object')
    let supersedes: CID | undefined
    if (input.supersedes !== undefined) {
      try { supersedes = CID.parse(String(input.supersedes)) } catch { throw new InvalidParametersError(`supersedes "${String(input.supersedes)}" is not a CID`) }
    }
    return encodeFrame(createFrame({
      text: input.text,
      kind: input.kind,
      time: input.time,
      author: this.did,
      title: input.title,
      uri: input.uri,
      tags: input.tags,
      conversation: input.conversation,
      role: input.role,
      supersedes
    }, now))
  }

  /**
   * Stores one frame; resolves once it is durable (and indexed by every listener).
   *
   * @example
   * ```ts
   * const { cid } = await node.put({ text: 'I prefer tea', capsule: 'prefs', tags: { topic: 'food' } })
   * ```
   * @throws {InvalidRecordError} | {UnknownKindError} | {TypeError} on bad input (nothing is written)
   */
  async put (input: PutInput, opts: AbortOptions = {}): Promise<{ cid: string }> {
    const { cids } = await this.putMany([input], { ...opts, capsule: input?.capsule, branch: input?.branch })
    return { cid: cids[0] }
  }

  /**
   * Stores many frames in one atomic commit (per capsule and branch); resolves to their CIDs
   * in input order. Every input is validated first: one bad input fails the whole call and
   * nothing is written.
   */
  async putMany (inputs: PutInput[], opts: PutManyOptions = {}): Promise<{ cids: string[] }> {
    this.#check()
    opts.signal?.throwIfAborted()
    const jobs = await this.#jobs(inputs, opts, Date.now())
    const cids = new Array<string>(inputs.length)
    const written = await this.#capsules.writer.writeMany(jobs.map(j => j.job))
    jobs.forEach((j, k) => written[k].forEach((c, i) => { cids[j.idx[i]] = c }))
    return { cids }
  }

  /**
   * Validates, encodes and (for private capsules) seals inputs into writer jobs, one per
   * (capsule, branch), remembering each frame's input position.
   */
  async #jobs (inputs: PutInput[], opts: PutManyOptions, now: number): Promise<Array<{ idx: number[], job: WriteJob }>> {
    if (!Array.isArray(inputs)) throw new TypeError('putMany takes an array')
    // Group by (capsule, branch) so each group is one job; a mixed call still lands in one batch.
    const jobs = new Map<string, { idx: number[], job: WriteJob }>()
    inputs.forEach((input, i) => {
      let block: EncodedBlock<Frame>
      try { block = this.#encode(input, now) } catch (err: any) { err.message = `input ${i}: ${err.message}`; throw err }
      const capsule = input.capsule ?? opts.capsule ?? DEFAULT_CAPSULE
      const branch = checkBranchName(input.branch ?? opts.branch ?? DEFAULT_BRANCH)
      const key = `${capsule}\u0000${branch}`
      let j = jobs.get(key)
      if (j == null) jobs.set(key, j = { idx: [], job: { capsule, create: true, branch, frames: [] } })
      j.idx.push(i)
      j.job.frames.push(block)
    })
    // Frames bound for a private capsule are sealed before they become blocks.
    for (const { job } of jobs.values()) {
      const id = await this.#capsules.refs.find(job.capsule)
      if (id == null) continue
      const rec = await this.#capsules.refs.record(id)
      if (rec.rules?.encrypted === true) {
        const sealed = await this.#private.seal(id, rec.owner, job.frames)
        job.frames = sealed.frames
        job.puts = sealed.puts
      }
    }
    return [...jobs.values()]
  }

  /**
   * Several threads in one atomic, durable write (the import path): every input is validated
   * first, then all threads go to the writer together and land in one batch.
   */
  async #putBatch (threads: Array<{ inputs: PutInput[], opts: PutManyOptions }>): Promise<void> {
    this.#check()
    const now = Date.now()
    const jobs: WriteJob[] = []
    for (const t of threads) for (const j of await this.#jobs(t.inputs, t.opts, now)) jobs.push({ ...j.job, bulk: true })
    await this.#capsules.writer.writeMany(jobs)
  }

  /**
   * A frame by CID, hash-checked.
   *
   * @throws {FrameNotFoundError} when the node does not hold it
   * @throws {HashMismatchError} when its bytes on disk were altered
   */
  async get (cid: string, _opts: AbortOptions = {}): Promise<FrameView> {
    this.#check()
    let c: CID
    try { c = CID.parse(cid) } catch { throw new InvalidParametersError(`"${String(cid).slice(0, 80)}" is not a CID`) }
    const capsule = await this.#store.subs.f.get(c.toString())
    let bytes: Uint8Array
    try { bytes = await this.#store.getBlock(c) } catch (err: any) {
      if (err.name === BlockNotFoundError.name) {
        if ((await this.#store.subs.g.get(c.toString())) != null) throw new FrameForgottenError(`Frame ${cid} was forgotten`)
        throw new FrameNotFoundError(`Frame ${cid} not found`)
      }
      throw err
    }
    if (capsule == null) throw new FrameNotFoundError(`${cid} is not a frame of this node`)
    await this.#capsules.assertServable(capsule)
    return frameView(c, await this.#readFrame(c, bytes, capsule), capsule)
  }

  /** Whether a frame with this exact `uri` is stored (importers use it to stay idempotent). */
  async hasUri (uri: string): Promise<boolean> {
    this.#check()
    for await (const _ of this.#store.subs.u.keys({ gte: uri + '\u0000', lt: uri + '\u0001', limit: 1 })) return true
    return false
  }

  /** Which of these uris some stored frame carries (one iterator, seeking each). */
  async hasUris (uris: string[]): Promise<Set<string>> {
    this.#check()
    const out = new Set<string>()
    if (uris.length === 0) return out
    const it = this.#store.subs.u.keys()
    try {
      // Keys holding any of these uris all start with their common prefix: when no key does
      // (a conversation seen for the first time), one seek answers for all of them.
      const prefix = commonPrefix(uris)
      if (prefix !== '') {
        it.seek(prefix)
        const key = await it.next()
        if (key === undefined || !key.startsWith(prefix)) return out
      }
      for (const uri of new Set(uris)) {
        it.seek(uri + '\u0000')
        const key = await it.next()
        if (key !== undefined && key.startsWith(uri + '\u0000')) out.add(uri)
      }
    } finally {
      await it.close()
    }
    return out
  }

  /**
   * Creates a capsule. With `private: true` its frames are sealed (XChaCha20-Poly1305) under a
   * per-epoch content key before they become blocks; readers get the key wrapped for their
   * X25519 key when the capsule is shared with them.
   */
  async createCapsule (name: string, opts: { rules?: CapsuleRules, private?: boolean } & AbortOptions = {}): Promise<CapsuleInfo> {
    this.#check()
    const rules = opts.private === true ? { ...opts.rules, encrypted: true } : opts.rules
    const info = await this.#capsules.create(name, { rules, extra: rules?.encrypted === true ? (id) => this.#private.create(id) : undefined })
    if (info.rules?.expires != null) this.#expiry.set(info.id, info.rules.expires)
    return info
  }

  /**
   * Whether the node serves a capsule: false once it is past the expiry its owner signed into
   * its rules. Synchronous, so search can filter hits with it.
   */
  isServable (capsuleId: string): boolean {
    const expires = this.#expiry.get(capsuleId)
    return expires == null || expires > this.#now()
  }

  /** Ids of the capsules past their expiry (search skips them; get, timeline and export refuse them). */
  expiredCapsules (): Set<string> {
    const now = this.#now()
    return new Set([...this.#expiry].filter(([, t]) => t <= now).map(([id]) => id))
  }

  /**
   * Writes a capsule as one file: a CAR v1 whose roots are the head commits of every branch (or
   * of `branch`, or as of `asOf`) plus a signed manifest naming the branches, optionally wrapped
   * in the authenticated encrypted stream. Streams: memory stays bounded whatever the size.
   *
   * @example
   * ```ts
   * await node.exportCapsule('notes', 'notes.car')
   * await node.exportCapsule('notes', 'notes.vivim', { encrypt: { passphrase } })
   * ```
   * @throws {CapsuleExpiredError} past the capsule's expiry
   * @throws {ReshareNotAllowedError} when the owner forbids re-sharing and this node is not the owner
   */
  async exportCapsule (nameOrId: string, sink: CapsuleSink, opts: ExportOptions = {}): Promise<ExportResult> {
    this.#check()
    await this.#capsules.writer.flush()
    const plan = await planExport(this.#files, nameOrId, opts)
    await writeTo(sink, plan.bytes)
    return plan.result
  }

  /** The bytes of a capsule file as a stream (see `exportCapsule`). */
  async exportCapsuleStream (nameOrId: string, opts: ExportOptions = {}): Promise<{ result: ExportResult, bytes: AsyncIterable<Uint8Array> }> {
    this.#check()
    await this.#capsules.writer.flush()
    return await planExport(this.#files, nameOrId, opts)
  }

  /**
   * Imports a capsule file (a path, its bytes, or a stream of chunks; plain or encrypted), merging
   * it with what the node holds. Every block's hash, every signature, the history's completeness
   * and the owner's rules are checked before anything becomes visible; on any failure nothing is
   * imported. The same file twice adds nothing.
   *
   * @throws {WrongPassphraseError} | {TruncatedFileError} | {TamperedFileError} | {IncompleteCapsuleError} | {CapsuleExpiredError} | …
   */
  async importCapsule (source: CapsuleSource, opts: FileImportOptions = {}): Promise<ImportResult> {
    this.#check()
    // Imported frames are read back for whoever listens; with no index and no listener, nobody does.
    const listening = this.#search.enabled || this.#listeners.length > 0
    const result = await importCapsuleFile(this.#files, source, {
      ...opts,
      emit: listening
        ? async (batch) => {
          await this.#search.onCommit(batch, await this.#store.seq())
          for (const l of this.#listeners) await l(batch)
        }
        : undefined
    })
    this.#private.invalidate(result.capsule)
    const rules = (await this.#capsules.refs.record(result.capsule)).rules
    if (rules?.expires != null) this.#expiry.set(result.capsule, rules.expires)
    return result
  }

  /** Checks a capsule file without importing it; names each problem. */
  async verifyFile (source: CapsuleSource, opts: FileImportOptions = {}): Promise<FileReport> {
    this.#check()
    return await verifyCapsuleFile(source, this.#files, opts)
  }

  /**
   * Forgets frames: a tombstone on every branch where each is live, so it leaves every state
   * from now on; `{ gc: true }` also deletes the blocks now (else at the next `gc`). The query
   * form forgets what `search` finds (default: a substring match over timelines).
   * In a private capsule the frames' keys are destroyed too (crypto-shredding: older exports
   * and leftover bytes no longer open for them), and their blocks are deleted at once.
   *
   * @throws {FrameNotFoundError} for a CID that is not a frame of this node
   */
  async forget (targets: string | string[] | ForgetQuery, opts: ForgetOptions = {}): Promise<ForgetResult> {
    this.#check()
    const cids = typeof targets === 'string' ? [targets] : Array.isArray(targets) ? targets : await findForQuery(this.#forget, targets)
    const result = await forgetFrames(this.#forget, cids)
    // A sealed frame is deleted at once: gc reads it one last time (to drop its index entries), then its key goes.
    const sealed = await this.#inPrivateCapsule([...result.forgotten, ...result.already])
    if (opts.gc === true || sealed.length > 0) result.gc = await this.gc(opts)
    // (keys a forget cut short left behind go now)
    result.keysDestroyed = (result.gc?.keysDestroyed ?? 0) + await shredForgotten(this.#forget, sealed)
    return result
  }

  /** Those of these frame CIDs that belong (or belonged, when forgotten) to a private capsule. */
  async #inPrivateCapsule (cids: string[]): Promise<string[]> {
    const [held, gone] = await Promise.all([this.#store.subs.f.getMany(cids), this.#store.subs.g.getMany(cids)])
    const out: string[] = []
    for (let i = 0; i < cids.length; i++) {
      const id = held[i] ?? gone[i]
      if (id != null && (await this.#capsules.refs.record(id).catch(() => undefined))?.rules?.encrypted === true) out.push(cids[i])
    }
    return out
  }

  /**
   * Applies retention rules, then deletes the blocks of frames no branch holds any more
   * because a tombstone removed them (with `superseded`, older versions of updated frames too).
   * Their CIDs are kept as forgotten, so history, verify and exports stay whole.
   */
  async gc (opts: GcOptions = {}): Promise<GcResult> {
    this.#check()
    const result = await collectGarbage(this.#forget, opts)
    if (result.deleted.length > 0) await this.#search.index.remove(result.deleted).catch(() => {})
    return result
  }

  async capsules (_opts: AbortOptions = {}): Promise<CapsuleInfo[]> {
    this.#check()
    return await this.#capsules.list()
  }

  async capsule (nameOrId: string): Promise<CapsuleInfo> {
    this.#check()
    return await this.#capsules.info(nameOrId)
  }

  /** Live frame CIDs of a capsule's branch, now or `asOf` a commit or a time. */
  async state (capsule: string, opts: HistoryOptions = {}): Promise<CapsuleState> {
    this.#check()
    return await this.#capsules.state(capsule, opts)
  }

  async log (capsule: string, opts: HistoryOptions & { limit?: number } = {}): Promise<CommitView[]> {
    this.#check()
    return await this.#capsules.log(capsule, opts)
  }

  /** Live frames in time order. */
  timeline (capsule: string, opts: TimelineOptions = {}): AsyncGenerator<FrameView> {
    this.#check()
    return this.#capsules.timeline(capsule, opts)
  }

  async branch (capsule: string, name: string, opts: { from?: string } & AbortOptions = {}): Promise<{ branch: string, heads: string[] }> {
    this.#check()
    return await this.#capsules.branch(capsule, name, opts)
  }

  async merge (capsule: string, opts: MergeOptions = {}): Promise<{ commit?: string, heads: string[], fastForward: boolean }> {
    this.#check()
    return await this.#capsules.merge(capsule, opts)
  }

  /**
   * Searches the node's own replica: each capsule's main branch now, or `asOf` a commit or a time.
   * A frame put is found by the next search.
   *
   * @example
   * ```ts
   * const hits = await node.search('what did Ana say about Lisbon last May?', { topK: 5 })
   * ```
   */
  async search (query: string, opts: NodeSearchOptions = {}): Promise<SearchHit[]> {
    this.#check()
    return await this.#search.search(query, opts)
  }

  /**
   * Builds the prompt context for a message in layers under a token budget, each item citing its frame.
   *
   * @example
   * ```ts
   * const { text, tokens, citations } = await node.context('Plan our trip', { budget: 2000 })
   * ```
   */
  async context (message: string, opts: NodeContextOptions = {}): Promise<ContextResult> {
    this.#check()
    return await this.#search.context(message, opts)
  }

  /** Rebuilds the search index from the DAG. */
  async reindex (opts: AbortOptions & { onProgress?: (done: number) => void } = {}): Promise<{ docs: number }> {
    this.#check()
    await this.#capsules.writer.flush()
    return await this.#search.reindex(opts)
  }

  /**
   * Imports a provider's export file (ChatGPT, Claude, Gemini Takeout, Grok, DeepSeek, Open WebUI,
   * OpenAI JSONL, SillyTavern, a saved share page, Markdown, text, PDF; format detected from content).
   * Idempotent: the same file twice, or an overlapping later export, adds only what is new.
   *
   * @example
   * ```ts
   * const report = await node.import('conversations.json', { onProgress: p => console.log(p.messages) })
   * ```
   */
  async import (path: string, opts: ImportOptions = {}): Promise<ImportReport> {
    this.#check()
    // One import at a time: an importer checks uris, then writes, and two overlapping files
    // imported at once could otherwise both write the same message.
    const run = this.#imports.then(async () => await this.#importNow(path, opts))
    this.#imports = run.then(() => {}, () => {})
    return await run
  }

  async #importNow (path: string, opts: ImportOptions): Promise<ImportReport> {
    // Loaded on first use: the importers (HTML, PDF, streaming JSON) are not needed to open a node.
    const { importFile } = await import('./capture/index.js')
    return await importFile({
      putMany: async (inputs, o) => await this.putMany(inputs, o),
      hasUri: async (uri) => await this.hasUri(uri),
      hasUris: async (uris) => await this.hasUris(uris),
      putBatch: async (threads) => { await this.#putBatch(threads) },
      recordSource: async (record: SourceRecord) => {
        await this.#store.write({ blocks: [], puts: [{ sub: 'm', key: `source/${record.sha256}`, value: { ...record, imported: Date.now() } }] })
      }
    }, path, opts)
  }

  /**
   * Delegates a capability on a capsule (UCAN 1.0) and returns the printable token bundle.
   *
   * @example
   * ```ts
   * const { token } = await node.share('notes', { to: 'did:key:z6Mk…', can: 'read', expires: nowSeconds() + 7 * 86400 })
   * ```
   * @throws {ShareForbiddenError} when this node may not share the capsule
   */
  async share (capsule: string, opts: ShareOptions): Promise<{ token: string, cid: string, record: TokenRecord }> {
    this.#check()
    const shared = await this.#tokens.share(capsule, opts)
    const id = await this.#capsules.refs.resolve(capsule)
    const rec = await this.#capsules.refs.record(id)
    if (rec.rules?.encrypted === true && opts.can !== 'replicate' && rec.owner === this.did) {
      // Readers and writers get the content keys; replicas (ciphertext only) do not.
      await this.#capsules.writer.exclusive(async () => { await this.#store.write(await this.#private.addReader(id, opts.to)) })
    }
    return shared
  }

  /** Stores a token bundle shared with this node (checked valid and addressed to it). */
  async receiveTokens (bundle: string): Promise<TokenRecord[]> {
    this.#check()
    return await this.#tokens.receive(bundle)
  }

  /** Tokens this node issued and received. */
  async tokens (): Promise<TokenRecord[]> {
    this.#check()
    return await this.#tokens.list()
  }

  /** Signs an invocation of `command` on a capsule shared with this node, for the node at `audience`. */
  async invoke (capsule: string, command: string, audience: string, opts: { expiration?: number } = {}): Promise<{ invocation: Invocation, proofs: Delegation[] }> {
    this.#check()
    return await this.#tokens.invoke(capsule, command, audience, opts)
  }

  /** Revokes a token: every chain through it is refused from now on. */
  async revoke (cid: string, opts: { reason?: string } = {}): Promise<{ revocation: string, revoked: string }> {
    this.#check()
    const r = await this.#tokens.revoke(cid, opts.reason)
    const issued = (await this.#tokens.list()).find(t => t.cid === cid && t.direction === 'issued')
    if (issued?.capsule != null && (await this.#capsules.refs.find(issued.capsule)) != null) {
      const rec = await this.#capsules.refs.record(issued.capsule)
      if (rec.rules?.encrypted === true && rec.owner === this.did) {
        // A new epoch without the removed reader: nothing written from now on is readable to them.
        await this.#capsules.writer.exclusive(async () => { await this.#store.write(await this.#private.removeReaders(issued.capsule as string, [issued.audience])) })
      }
    }
    return r
  }

  /** Learns a revocation record signed by someone else. */
  async learnRevocation (record: TokenInput): Promise<void> {
    this.#check()
    await this.#tokens.learnRevocation(record)
  }

  /**
   * Checks a UCAN invocation addressed to this node for an operation on one of its capsules.
   *
   * @throws the UCAN error names: Expired, TooEarly, InvalidAudience, InvalidSubject, InvalidSignature, UnavailableProof, InvalidClaim, MatchError, Revoked
   */
  async authorize (invocation: TokenInput, check: { capsule: string, command: string, proofs?: TokenInput[], now?: number }): Promise<ValidatedInvocation> {
    this.#check()
    return await this.#tokens.authorize(invocation, check)
  }

  /** Re-hashes every block and checks every signature; names each problem. */
  async verify (opts: AbortOptions & { onProgress?: (e: { blocks: number }) => void } = {}): Promise<VerifyReport> {
    this.#check()
    await this.#capsules.writer.flush()
    return await verifyStore(this.#store, {
      ...opts,
      openSealed: async (sealed, cid) => {
        const capsule = sealed.capsule.toString()
        if ((await this.#capsules.refs.find(capsule)) == null) return undefined
        return await this.#private.open(sealed, (await this.#capsules.refs.record(capsule)).owner, cid.toString())
      }
    })
  }

  /** Waits for queued writes, then closes the store. Safe to call twice. */
  async stop (): Promise<void> {
    if (this.#stopped) return
    await this.#capsules.writer.flush()
    this.#stopped = true
    // Derived data: a failed save only means the next open walks the log.
    await this.#capsules.saveCheckpoints().catch(() => {})
    await this.#search.close()
    await this.#store.close()
  }
}

/**
 * Opens (creating on first use) a node on its home folder.
 *
 * @example
 * ```ts
 * import { createNode } from 'vivim'
 * const node = await createNode({ home: './my-memory', network: false })
 * await node.put({ text: 'hello' })
 * await node.stop()
 * ```
 * @throws {NodeInUseError} when another process has the home open
 */
export async function createNode (init: NodeInit = {}): Promise<VivimNode> {
  return await VivimNode.open(init)
}

/** The longest prefix all these strings share (that of the least and greatest suffices). */
function commonPrefix (strings: string[]): string {
  let lo = strings[0]
  let hi = strings[0]
  for (const s of strings) { if (s < lo) lo = s; if (s > hi) hi = s }
  let i = 0
  while (i < lo.length && i < hi.length && lo.charCodeAt(i) === hi.charCodeAt(i)) i++
  // Never cut a surrogate pair: LevelDB compares UTF-8 bytes, and half a pair encodes as U+FFFD.
  if (i > 0 && i < lo.length && lo.charCodeAt(i - 1) >= 0xd800 && lo.charCodeAt(i - 1) <= 0xdbff) i--
  return lo.slice(0, i)
}
