// Importing a capsule file, in bounded memory whatever its size. The scan checks every block as it
// streams in (hash, signature, shape) and keeps what the closure check needs in a ledger: memory
// up to a size, then a key range of the store (`!i!<import>!…`) that no read path looks at.
// Blocks are held up to DEFAULT_STAGE_BYTES, then written to the blockstore, where no ref or
// index names them. Once the whole closure checked, a file small enough lands in one atomic,
// fsynced Store.write (blocks, capsule record and name, indexes, journal entry, merged refs).
// A larger one gets its index entries (timeline, frame → capsule, uri) and their journal entries
// in several writes of DEFAULT_INDEX_CHUNK frames first, then one atomic write moves the refs
// and marks the import done. Until then nothing is reachable: the timeline and search show only
// frames live from the refs. The ledger records every block and index entry the import added
// that was not there before, so a failure undoes them (the home is as it was), and so does the
// next import after a crash (`recoverImports`).
import { CID } from 'multiformats/cid'
import { decodeBlockUnsafe, isSealedShape, validateFrame, validateSealed, verifyBlock, type Commit, type EncodedBlock, type Frame, type SealedFrame } from '../../dag/index.js'
import { Store, BlockNotFoundError, type StoreBatch } from '../store/index.js'
import { seqKey, timeKey, type CommittedFrames } from '../capsules/index.js'
import { DEFAULT_BRANCH } from '../constants.js'
import { DEFAULT_INDEX_CHUNK, DEFAULT_STAGE_BYTES } from './constants.js'
import { cidKey, flat } from '../../dag/index.js'
import { scanCapsuleFile, typed, BUNDLE, COMMIT, FRAME, type CapsuleSource, type CommitMeta, type FrameMeta, type Scan } from './scan.js'
import { Ledger, type LedgerSpace } from './ledger.js'
import type { FilesComponents, ImportOptions, ImportResult, SealedKeys } from './interface.js'
import { decodeFrameKeys } from '../../capabilities/index.js'

const LOOKUP_CHUNK = 1000
/** Ledger keys of an import (besides the scan's): blocks it wrote, commits it added, frames it indexed (→ the index keys it added), the walk marks of `reduce`, and the mark of an import whose refs moved. */
const WROTE = 'w'
const ADDED_COMMIT = 'a'
const INDEXED = 'i'
const BELOW = 'B'
/** `K<frame cid>` → the frame's key from the file, wrapped as the node keeps it. */
const FRAME_KEY = 'K'
const DONE = '~done'
const CAPSULE = '~capsule'
/** Imports running in this process, per store: every other ledger in a store is a crashed import's. */
const running = new WeakMap<Store, Set<string>>()
const HIGH = '\uffff'

function ledgerSpace (store: Store, id: string): LedgerSpace { return { db: store.db, prefix: `!i!${id}!` } }

/** Blocks checked but not yet committed; spills to the blockstore (unreferenced) past a size. */
class Stage {
  readonly #store: Store
  readonly #limit: number
  readonly #ledger: Ledger
  pending: Array<{ cid: CID, bytes: Uint8Array, kind: string }> = []
  #bytes = 0
  /** Whether blocks were written already (each is in the ledger, to delete again on failure). */
  spilled = false
  /** Commits whose blocks this node lacked. */
  commitsAdded = 0

  constructor (store: Store, limit: number, ledger: Ledger) { this.#store = store; this.#limit = limit; this.#ledger = ledger }

  async add (cid: CID, bytes: Uint8Array, kind: string): Promise<void> {
    this.pending.push({ cid, bytes: bytes.slice(), kind })
    this.#bytes += bytes.length
    if (this.#bytes >= this.#limit) await this.flush()
  }

  /** The pending blocks this node lacks (and has not forgotten: never brought back); clears the pending list. */
  async take (): Promise<Array<{ cid: CID, bytes: Uint8Array }>> {
    const out: Array<{ cid: CID, bytes: Uint8Array }> = []
    for (let i = 0; i < this.pending.length; i += LOOKUP_CHUNK) {
      const part = this.pending.slice(i, i + LOOKUP_CHUNK)
      const have = await this.#store.subs.b.getMany(part.map(b => Store.blockKey(b.cid)))
      const gone = await this.#store.subs.g.getMany(part.map(b => b.cid.toString()))
      for (let j = 0; j < part.length; j++) {
        const b = part[j]
        if (gone[j] != null || have[j] != null) continue
        out.push(b)
        if (b.kind === 'commit') { this.commitsAdded++; await this.#ledger.put(ADDED_COMMIT + cidKey(b.cid)) }
      }
    }
    this.pending = []
    this.#bytes = 0
    return out
  }

  async flush (): Promise<void> {
    const blocks = await this.take()
    if (blocks.length === 0) return
    // The ledger names the blocks (on disk) before they are written: a crash leaves no block unnamed.
    for (const b of blocks) await this.#ledger.put(WROTE + flat(Store.blockKey(b.cid)))
    await this.#ledger.flush()
    await this.#store.write({ blocks, puts: [] })
    this.spilled = true
  }
}

/** Deletes what an unfinished import added: its index entries, then its blocks (in bounded writes). */
async function undo (store: Store, ledger: Ledger): Promise<void> {
  let dels: NonNullable<StoreBatch['dels']> = []
  const out = async (): Promise<void> => { if (dels.length > 0) await store.write({ blocks: [], puts: [], dels }); dels = [] }
  const id = await ledger.get(CAPSULE)
  let derived: string[] = []
  const derive = async (): Promise<void> => {
    const metas = await ledger.getMany(derived.map(k => FRAME + k))
    derived.forEach((k, i) => {
      dels.push({ sub: 'f', key: k })
      const meta = metas[i] != null ? JSON.parse(metas[i] as string) as FrameMeta : undefined
      if (meta == null || id == null) return
      dels.push({ sub: 't', key: `${id}!${timeKey(meta.time)}!${k}` })
      if (meta.uri != null) dels.push({ sub: 'u', key: `${meta.uri}\u0000${k}` })
    })
    derived = []
  }
  for await (const [k, v] of ledger.entries(INDEXED)) {
    if (v === '') derived.push(k)
    else for (const [sub, key] of JSON.parse(v) as Array<['t' | 'f' | 'u', string]>) dels.push({ sub, key })
    if (derived.length >= LOOKUP_CHUNK) await derive()
    if (dels.length >= LOOKUP_CHUNK) await out()
  }
  await derive()
  await out()
  for await (const [key] of ledger.entries(WROTE)) {
    dels.push({ sub: 'b', key })
    if (dels.length >= LOOKUP_CHUNK) await out()
  }
  await out()
}

/**
 * Undoes what imports cut short by a crash added (their blocks and index entries; nothing of theirs
 * was reachable), and drops the scratch records of those that finished. Every import runs it
 * first; a node may run it on open. Returns how many were undone.
 */
export async function recoverImports (store: Store): Promise<number> {
  const mine = running.get(store)
  const stale: string[] = []
  let from = '!i!'
  for (;;) {
    let found: string | undefined
    for await (const key of store.db.keys({ gt: from, lt: '!i!' + HIGH, limit: 1 })) found = key
    if (found == null) break
    const end = found.indexOf('!', 3)
    if (end < 0) break
    const id = found.slice(3, end)
    if (mine?.has(id) !== true) stale.push(id)
    from = `!i!${id}!${HIGH}`
  }
  let undone = 0
  for (const id of stale) {
    const ledger = Ledger.existing(ledgerSpace(store, id))
    if (!(await ledger.has(DONE))) { await undo(store, ledger); undone++ }
    await ledger.clear()
  }
  return undone
}

/** Local name for an imported capsule: its own, or `name@<last 8 of id>` when another capsule holds that name. */
async function localName (store: Store, name: string, id: string): Promise<string> {
  const holder = await store.subs.n.get(name)
  if (holder == null || holder === id) return name
  for (let n = 8; n <= id.length; n += 4) {
    const alt = `${name}@${id.slice(-n)}`
    const h = await store.subs.n.get(alt)
    if (h == null || h === id) return alt
  }
  return `${name}@${id}`
}

/** Drops heads that are ancestors of others, over the file's commits and the store's (walk marks in the ledger, under `tag`). */
async function reduce (heads: string[], ledger: Ledger, c: FilesComponents, tag: string): Promise<string[]> {
  const unique = [...new Set(heads)]
  if (unique.length < 2) return unique
  const parentsOf = async (k: string): Promise<string[]> => {
    const m = await ledger.get(COMMIT + k)
    if (m != null) return (JSON.parse(m) as CommitMeta).parents
    return ((await c.refs.loadCommit(CID.parse(k))) as Commit).parents.map(String)
  }
  const below = `${BELOW}${tag}!`
  const stack: string[] = []
  for (const h of unique) stack.push(...await parentsOf(h))
  while (stack.length > 0) {
    const k = stack.pop() as string
    if (await ledger.has(below + k)) continue
    await ledger.put(below + k)
    stack.push(...await parentsOf(k))
  }
  const out: string[] = []
  for (const h of unique) if (!(await ledger.has(below + h))) out.push(h)
  return out.sort()
}

type Options = ImportOptions & {
  emit?: (batch: CommittedFrames[]) => Promise<void>
  /** Bytes of blocks held before they are written out (default DEFAULT_STAGE_BYTES). */
  stageBytes?: number
  /** Bytes of per-block metadata held before it goes to the store (default DEFAULT_LEDGER_BYTES). */
  ledgerBytes?: number
  /** Frames per index write of a large import (default DEFAULT_INDEX_CHUNK). */
  chunkFrames?: number
  /** Called after each index write of a large import, before the refs move (tests cut an import short here). */
  onChunk?: (n: number) => Promise<void> | void
}

/**
 * Imports a capsule file (plain or encrypted) into the node, merging with what it holds.
 *
 * @throws every error `scanCapsuleFile` names; nothing is imported then
 */
export async function importCapsuleFile (c: FilesComponents, src: CapsuleSource, opts: Options = {}): Promise<ImportResult> {
  await c.writer.exclusive(async () => await recoverImports(c.store))
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
  let mine = running.get(c.store)
  if (mine == null) running.set(c.store, mine = new Set())
  mine.add(id)
  const ledger = new Ledger(async () => ledgerSpace(c.store, id), opts.ledgerBytes)
  const stage = new Stage(c.store, opts.stageBytes ?? DEFAULT_STAGE_BYTES, ledger)
  const progress: Progress = { final: false, undone: false }
  try {
    const scan = await scanCapsuleFile(src, { passphrase: opts.passphrase, verifier: c.verifier, now: c.now(), signal: opts.signal, ledger, onBlock: async (cid, bytes, kind) => await stage.add(cid, bytes, kind) })
    return await c.writer.exclusive(async () => await commit(c, scan, stage, ledger, id, progress, opts))
  } catch (err) {
    // (should undoing fail too, the ledger stays for the next import's recoverImports)
    if (!progress.final && !progress.undone) await undo(c.store, ledger).then(async () => await ledger.clear(), () => {})
    throw typed(err)
  } finally {
    if (progress.final) await ledger.clear().catch(() => {}) // (else left for recoverImports)
    mine.delete(id)
  }
}

interface Progress {
  /** The refs moved: the import stands. */
  final: boolean
  /** What the import wrote was deleted again already. */
  undone: boolean
}

async function commit (c: FilesComponents, scan: Scan, stage: Stage, ledger: Ledger, importId: string, progress: Progress, opts: Options): Promise<ImportResult> {
  const manifest = scan.manifest?.value as NonNullable<Scan['manifest']>['value']
  const genesis = scan.genesis as NonNullable<Scan['genesis']>
  const id = genesis.cid.toString()
  const chunkFrames = Math.max(1, opts.chunkFrames ?? DEFAULT_INDEX_CHUNK)
  // Small enough for one write (as the Writer's batches), or indexed in several before the refs move.
  const chunked = stage.spilled || ledger.spilled || scan.frames > chunkFrames
  await ledger.put(CAPSULE, id)
  const batch: StoreBatch = { blocks: chunked ? [] : await stage.take(), puts: [] }
  if (chunked) await stage.flush()

  let rec = await c.store.subs.c.get(id)
  const created = rec == null
  let name = rec?.name as string
  if (created) {
    name = await localName(c.store, genesis.value.name, id)
    rec = { id, name, owner: genesis.value.owner, created: genesis.value.created }
    if (genesis.value.rules != null) rec.rules = genesis.value.rules
    batch.puts.push({ sub: 'c', key: id, value: rec }, { sub: 'n', key: name, value: id })
  }

  // Merge each branch's heads with what the node holds.
  const branches: Record<string, string[]> = {}
  const wanted = { ...Object.fromEntries(Object.entries(manifest.branches).map(([b, hs]) => [b, hs.map(String)])) }
  if (created && wanted[DEFAULT_BRANCH] == null) wanted[DEFAULT_BRANCH] = []
  let moved = false
  let tag = 0
  for (const [b, heads] of Object.entries(wanted)) {
    const had = !created && await c.refs.hasBranch(id, b) ? (await c.refs.heads(id, b)).map(String) : undefined
    const merged = await reduce([...(had ?? []), ...heads], ledger, c, String(tag++))
    branches[b] = merged
    if (had == null || had.length !== merged.length || merged.some(h => !had.includes(h))) {
      moved = true
      batch.puts.push(c.refs.headsOp(id, b, merged.map(h => CID.parse(h))))
    }
  }

  // A private capsule's keyring travels with it: record its epoch blocks beside those held.
  const epochs = [...scan.epochs.keys()]
  let keys: SealedKeys | undefined
  if (epochs.length > 0 || scan.sealed > 0) {
    const held = await c.epochBlocks(id)
    const all = [...new Set([...held, ...epochs])]
    if (all.length !== held.length) batch.puts.push(c.keyringPut(id, genesis.value.owner, all))
    const bytesOf = async (k: string): Promise<Uint8Array | undefined> => scan.epochs.get(k) ?? await c.store.getBlockUnsafe(CID.parse(k))
    const blocks = (await Promise.all(all.map(bytesOf))).filter((b): b is Uint8Array => b != null)
    keys = await c.sealedOpener(id, genesis.value.owner, blocks).catch(() => undefined)
  }
  // The file's frame keys this node can open, wrapped as it keeps them, go to the ledger (bounded memory).
  if (keys != null) {
    for await (const [k, b64] of ledger.entries(BUNDLE)) {
      for (const [cid, wrapped] of keys.bundle(decodeFrameKeys(CID.parse(k), Buffer.from(b64, 'base64')))) await ledger.put(FRAME_KEY + cid, wrapped)
    }
  }
  const open = keys == null ? undefined : async (k: string, value: unknown): Promise<Frame> => await (keys as SealedKeys).open(k, value, await ledger.get(FRAME_KEY + k))
  /**
   * For the sealed frames of a part, read with one lookup each: their bytes, the key the file
   * brings (wrapped as the node keeps it) and whether the node holds a key already.
   */
  const sealedPart = async (ks: string[]): Promise<Map<string, { bytes?: Uint8Array, wrapped?: string, held: boolean }>> => {
    const out = new Map<string, { bytes?: Uint8Array, wrapped?: string, held: boolean }>()
    if (keys == null || ks.length === 0) return out
    const [wrapped, held, stored] = await Promise.all([
      ledger.getMany(ks.map(k => FRAME_KEY + k)),
      c.store.subs.k.getMany(ks.map(k => (keys as SealedKeys).keyPut(k, '').key)),
      c.store.subs.b.getMany(ks.map(k => pendingBytes.has(k) ? '' : Store.blockKey(CID.parse(k))))
    ])
    ks.forEach((k, i) => out.set(k, { bytes: pendingBytes.get(k) ?? stored[i] ?? undefined, wrapped: wrapped[i], held: held[i] != null }))
    return out
  }
  const pendingBytes = new Map(batch.blocks.map(b => [b.cid.toString(), b.bytes]))
  /** Time and uri of a sealed frame, when this node can open it (else it is stored but not in the timeline). */
  const openMeta = async (k: string, s: { bytes?: Uint8Array, wrapped?: string } | undefined): Promise<FrameMeta | undefined> => {
    if (keys == null || s?.bytes == null) return undefined
    try {
      const f = await keys.open(k, decodeBlockUnsafe(CID.parse(k), s.bytes), s.wrapped)
      return { time: f.time, tombstone: f.kind === 'tombstone', ...(f.uri != null ? { uri: f.uri } : {}) }
    } catch { return undefined }
  }

  let first: number | undefined
  let last: Awaited<ReturnType<FilesComponents['writer']['journal']>> | undefined
  let writes = 0
  try {
    // Indexes, as the Writer makes them, for frames this capsule did not index yet. Each frame
    // added gets a journal entry (one per write, consecutive sequence numbers), as the Writer's
    // do, so a crash between a write and indexing is caught up by the search index on next open.
    let added = 0
    let opened = 0
    let chunk: { puts: StoreBatch['puts'], frames: string[] } = { puts: [], frames: [] }
    const writeChunk = async (): Promise<void> => {
      if (chunk.frames.length === 0) return
      const journal = await c.writer.journal([{ capsule: id, frames: chunk.frames }], last?.seq)
      first ??= journal.seq
      last = journal
      if (!chunked) {
        batch.puts.push(...chunk.puts, ...journal.puts)
      } else {
        opts.signal?.throwIfAborted()
        await ledger.flush() // what this write adds is named on disk first, to undo after a crash
        await c.store.write({ blocks: [], puts: [...chunk.puts, ...journal.puts] })
        await opts.onChunk?.(++writes)
      }
      chunk = { puts: [], frames: [] }
    }
    const indexPart = async (part: Array<[string, FrameMeta]>): Promise<void> => {
      const owners = await c.store.subs.f.getMany(part.map(([k]) => k))
      const gone = await c.store.subs.g.getMany(part.map(([k]) => k))
      const sealed = await sealedPart(part.filter(([, m], j) => m.sealed != null && gone[j] == null).map(([k]) => k))
      for (let j = 0; j < part.length; j++) {
        const [k, stated] = part[j]
        if (gone[j] != null) continue // forgotten here: never brought back
        // A sealed frame's key from the file, when this node lacks it (a frame held sealed so far enters its timeline now).
        const s = sealed.get(k)
        const keyOp = s?.wrapped != null && !s.held && keys != null ? keys.keyPut(k, s.wrapped) : undefined
        const unlock = owners[j] === id && keyOp != null
        if (owners[j] === id && !unlock) continue // indexed already
        const fresh: Array<[string, string]> = []
        const put = async (sub: 't' | 'f' | 'u' | 'k', key: string, value: string): Promise<void> => {
          chunk.puts.push({ sub, key, value })
          // A frame another capsule holds may share these keys already: undo only what this import adds.
          if (owners[j] == null || (await c.store.subs[sub].get(key)) == null) fresh.push([sub, key])
        }
        if (owners[j] == null) await put('f', k, id)
        if (keyOp != null) await put('k', keyOp.key, keyOp.value)
        const meta = stated.sealed != null ? await openMeta(k, s) : stated
        if (meta != null) {
          await put('t', `${id}!${timeKey(meta.time)}!${k}`, '')
          if (meta.uri != null) await put('u', `${meta.uri}\u0000${k}`, '')
        }
        // '' when the keys follow from the frame's own entry (the usual case): the ledger stays small.
        const derived = owners[j] == null && stated.sealed == null
        await ledger.put(INDEXED + k, derived ? '' : JSON.stringify(fresh))
        chunk.frames.push(k)
        if (unlock) opened++; else added++
        if (chunk.frames.length >= chunkFrames) await writeChunk()
      }
    }
    let part: Array<[string, FrameMeta]> = []
    for await (const [k, raw] of ledger.entries(FRAME)) {
      part.push([k, JSON.parse(raw) as FrameMeta])
      if (part.length >= LOOKUP_CHUNK) { await indexPart(part); part = [] }
    }
    await indexPart(part)
    await writeChunk()

    const forgotten = [...scan.forgotten]
    const known = forgotten.length > 0 ? await c.store.subs.g.getMany(forgotten) : []
    let forgottenAdded = 0
    for (let i = 0; i < forgotten.length; i++) {
      if (known[i] != null || await c.store.hasBlock(CID.parse(forgotten[i]))) continue
      batch.puts.push({ sub: 'g', key: forgotten[i], value: id })
      forgottenAdded++
    }
    opts.signal?.throwIfAborted()
    if (created || moved || writes > 0 || batch.blocks.length > 0 || batch.puts.length > 0) {
      // The refs move last, with the mark that the import stands (its scratch records may go).
      if (ledger.spilled) batch.puts.push({ sub: 'i' as keyof Store['subs'], key: `${importId}!${DONE}`, value: '' })
      await c.store.write(batch)
    }
    progress.final = true
    last?.written()

    if (created) c.refs.rememberRecord(rec)
    for (const [b, hs] of Object.entries(branches)) c.refs.setHeads(id, b, hs.map(h => CID.parse(h)))
    if (opts.emit != null && added + opened > 0) await emitAdded(c, ledger, id, Object.keys(branches)[0] ?? DEFAULT_BRANCH, open, opts.emit)
    return {
      capsule: id,
      name,
      created,
      encrypted: scan.encrypted,
      branches,
      commits: { total: scan.commits, added: stage.commitsAdded },
      frames: { total: scan.frames, added, forgotten: forgottenAdded }
    }
  } catch (err) {
    if (progress.final) throw err
    // Cut short before the refs moved: delete what was written, and give back the sequence numbers.
    try {
      await undo(c.store, ledger)
      if (writes > 0 && first != null && last != null) {
        const dels: NonNullable<StoreBatch['dels']> = []
        for (let s = first; s <= last.seq; s++) dels.push({ sub: 'q', key: seqKey(s) })
        await c.store.write({ blocks: [], puts: [{ sub: 'm', key: 'seq', value: first - 1 }], dels })
      }
      await ledger.clear()
      progress.undone = true
    } catch {} // the ledger stays: the next import's recoverImports undoes the rest
    throw err
  }
}

/** Tells listeners (the search index) of the frames added, a bounded batch at a time, with the commits added. */
async function emitAdded (c: FilesComponents, ledger: Ledger, id: string, branch: string, open: ((cid: string, value: unknown) => Promise<Frame>) | undefined, emit: (batch: CommittedFrames[]) => Promise<void>): Promise<void> {
  const commits = ledger.entries(ADDED_COMMIT)[Symbol.asyncIterator]()
  const nextCommits = async (): Promise<CID[]> => {
    const out: CID[] = []
    while (out.length < LOOKUP_CHUNK) {
      const n = await commits.next()
      if (n.done === true) break
      out.push(CID.parse(n.value[0]))
    }
    return out
  }
  let keys: string[] = []
  const send = async (): Promise<void> => {
    const blocks: Array<EncodedBlock<Frame>> = []
    const cids = keys.map(k => CID.parse(k))
    const all = await c.store.subs.b.getMany(cids.map(cid => Store.blockKey(cid)))
    for (let i = 0; i < cids.length; i++) {
      const cid = cids[i]
      const bytes = all[i]
      if (bytes == null) throw new BlockNotFoundError(`Block ${cid.toString()} not found`)
      verifyBlock(cid, bytes)
      const value: unknown = decodeBlockUnsafe(cid, bytes)
      if (!isSealedShape(value)) { blocks.push({ cid, bytes, value: validateFrame(value) }); continue }
      try { if (open != null) blocks.push({ cid, bytes, value: await open(cid.toString(), value) }) } catch {} // no key here: not searchable
    }
    keys = []
    await emit([{ capsule: id, branch, frames: blocks, keys: blocks.map(b => cidKey(b.cid)), commits: await nextCommits(), previousHeads: [] }])
  }
  try {
    for await (const [k] of ledger.entries(INDEXED)) {
      keys.push(k)
      if (keys.length >= LOOKUP_CHUNK) await send()
    }
    if (keys.length > 0) await send()
    for (let more = await nextCommits(); more.length > 0; more = await nextCommits()) await emit([{ capsule: id, branch, frames: [], keys: [], commits: more, previousHeads: [] }])
  } finally {
    await commits.return?.(undefined)
  }
}
